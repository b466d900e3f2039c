"""Catalogs, proyectos and torres: admin only, unique names, rows in use and system rows kept."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import text

from admin_app.models import FormaPago, MedioPago, Proyecto, TipoCliente, TipoDocumento, Torre
from admin_app.services.catalogos import validar_proyecto
from admin_app.services.errors import ValidationFailed
from tests import factories


def _errors(response) -> str:
    html = response.get_data(as_text=True)
    return " ".join(re.findall(r'class="invalid-feedback">(.*?)</ul>', html, re.S))


def _flashes(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture(autouse=True)
def _sequences_after_seeded_ids(db):
    """seed_catalogs inserts ids 1..n explicitly; PostgreSQL's sequences must move past them."""
    if db.engine.dialect.name == "postgresql":
        for table in ("medios_pago", "formas_pago", "tipos_documento"):
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
            )
        db.session.commit()


PROYECTO = {
    "nombre": "Torres del Río",
    "ciudad": "Medellín",
    "porcentaje_cuota_inicial_min": "30",
    "valor_min_separacion": "5000000",
    "plazo_max_cuota_inicial_meses": "36",
    "plazo_max_separacion_dias": "30",
    "activo": "y",
}


@pytest.mark.parametrize(
    "url",
    [
        "/admin/tipos_cliente/",
        "/admin/tipos_documento/",
        "/admin/estados_inmueble/",
        "/admin/formas_pago/",
        "/admin/medios_pago/",
        "/admin/proyectos/",
        "/admin/torres/",
    ],
)
def test_catalogs_are_for_admins_only(admin_client, digitador_client, url):
    assert admin_client.get(url).status_code == 200
    assert digitador_client.get(url).status_code == 403


def test_catalogs_are_grouped_in_one_menu(admin_client):
    html = admin_client.get("/admin/").get_data(as_text=True)
    assert "Catálogos" in html


def test_admin_adds_a_medio_de_pago(admin_client, db):
    response = admin_client.post("/admin/medios_pago/new/", data={"nombre": " Nequi "})
    assert response.status_code == 302
    assert db.session.scalar(db.select(MedioPago).filter_by(nombre="Nequi")) is not None


@pytest.mark.parametrize("nombre", ["efectivo", "EFECTIVO", " Efectivo "])
def test_names_are_unique_ignoring_case(admin_client, db, nombre):
    response = admin_client.post("/admin/medios_pago/new/", data={"nombre": nombre})
    assert response.status_code == 200
    assert "Ya existe un registro con ese nombre" in _errors(response)
    assert db.session.query(MedioPago).count() == 5


def test_a_forma_de_pago_in_use_names_how_many_records_use_it(admin_client, db):
    cliente = factories.cliente()
    factories.separacion_directa(cliente, id_forma_pago=4)
    factories.separacion_directa(cliente, id_forma_pago=4, estado_operacion="anulada")
    db.session.commit()
    html = admin_client.post(
        "/admin/formas_pago/delete/", data={"id": "4"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "está en uso por 2 ventas o separaciones" in html
    assert db.session.get(FormaPago, 4) is not None


def test_an_unused_catalog_row_is_deleted(admin_client, db):
    admin_client.post("/admin/formas_pago/delete/", data={"id": "4"})
    assert db.session.get(FormaPago, 4) is None


@pytest.mark.parametrize(
    ("url", "ident"),
    [
        ("/admin/tipos_cliente/", 1),
        ("/admin/estados_inmueble/", 2),
        ("/admin/tipos_documento/", 2),
    ],
)
def test_system_rows_cannot_be_deleted(admin_client, db, url, ident):
    html = admin_client.post(f"{url}delete/", data={"id": str(ident)}, follow_redirects=True)
    assert "no se puede eliminar" in html.get_data(as_text=True)
    assert db.session.get(TipoCliente, 1) is not None
    assert db.session.get(TipoDocumento, 2).codigo == "NIT"


def test_system_names_cannot_be_renamed(admin_client, db):
    response = admin_client.post(
        "/admin/estados_inmueble/edit/?id=1", data={"nombre": "Libre", "version": "1"}
    )
    assert "no se puede renombrar" in _errors(response)
    db.session.expire_all()
    from admin_app.models import EstadoInmueble

    assert db.session.get(EstadoInmueble, 1).nombre == "Disponible"


def test_document_codes_cannot_be_changed_but_names_can(admin_client, db):
    response = admin_client.post(
        "/admin/tipos_documento/edit/?id=1",
        data={"codigo": "CED", "nombre": "Cédula", "version": "1"},
    )
    assert "no se puede cambiar" in _errors(response)
    response = admin_client.post(
        "/admin/tipos_documento/edit/?id=1",
        data={"codigo": "CC", "nombre": "Cédula de ciudadanía colombiana", "version": "1"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    tipo = db.session.get(TipoDocumento, 1)
    assert (tipo.codigo, tipo.nombre) == ("CC", "Cédula de ciudadanía colombiana")


def test_a_clients_catalog_in_use_says_how_many_clients(admin_client, db):
    admin_client.post(
        "/admin/tipos_documento/new/", data={"codigo": "ti", "nombre": "Tarjeta de identidad"}
    )
    tipo = db.session.scalar(db.select(TipoDocumento).filter_by(codigo="TI"))
    assert tipo is not None
    for n in range(12):
        factories.cliente(str(5000 + n), id_tipo_documento=tipo.id)
    db.session.commit()
    html = admin_client.post(
        "/admin/tipos_documento/delete/", data={"id": str(tipo.id)}, follow_redirects=True
    ).get_data(as_text=True)
    assert "está en uso por 12 clientes" in html


# -- proyectos -------------------------------------------------------------------------


def test_admin_creates_a_proyecto_with_its_sales_rules(admin_client, db):
    assert admin_client.post("/admin/proyectos/new/", data=PROYECTO).status_code == 302
    html = admin_client.get("/admin/proyectos/").get_data(as_text=True)
    assert "Torres del Río" in html and "% mínimo de cuota inicial" in html


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        ("porcentaje_cuota_inicial_min", "120", "Escriba un porcentaje entre 0 y 100."),
        ("porcentaje_cuota_inicial_min", "-1", "Escriba un porcentaje entre 0 y 100."),
        ("valor_min_separacion", "-5", "Escriba un valor entre 0 y 9.999.999.999.999.999,99."),
        ("plazo_max_cuota_inicial_meses", "0", "Escriba un número entero entre 1 y 120."),
        ("plazo_max_separacion_dias", "-3", "Escriba un número entero entre 1 y 365."),
    ],
)
def test_proyecto_rules_are_validated_on_their_fields(admin_client, db, campo, valor, mensaje):
    response = admin_client.post("/admin/proyectos/new/", data={**PROYECTO, campo: valor})
    assert response.status_code == 200
    assert mensaje in _errors(response)
    assert db.session.query(Proyecto).count() == 0


def test_proyecto_names_are_unique_ignoring_case(admin_client, db):
    factories.proyecto(nombre="Torres del Río")
    db.session.commit()
    response = admin_client.post(
        "/admin/proyectos/new/", data={**PROYECTO, "nombre": "TORRES DEL RÍO"}
    )
    assert "Ya existe un proyecto con ese nombre." in _errors(response)


def test_a_proyecto_with_torres_cannot_be_deleted(admin_client, db):
    torre = factories.torre()
    db.session.commit()
    html = admin_client.post(
        "/admin/proyectos/delete/", data={"id": str(torre.id_proyecto)}, follow_redirects=True
    ).get_data(as_text=True)
    assert "está en uso por 1 torre" in html
    assert db.session.get(Proyecto, torre.id_proyecto) is not None


# -- torres ---------------------------------------------------------------------------------


def test_torre_names_are_unique_within_their_proyecto(admin_client, db):
    proyecto = factories.proyecto()
    otro = factories.proyecto()
    factories.torre(proyecto, nombre="Torre 1")
    db.session.commit()
    response = admin_client.post(
        "/admin/torres/new/", data={"proyecto": str(proyecto.id), "nombre": "torre 1"}
    )
    assert "Ya existe una torre con ese nombre en el proyecto." in _errors(response)
    response = admin_client.post(
        "/admin/torres/new/", data={"proyecto": str(otro.id), "nombre": "Torre 1"}
    )
    assert response.status_code == 302
    assert db.session.query(Torre).count() == 2


def test_a_torre_with_apartments_cannot_be_deleted(admin_client, db):
    apartamento = factories.apartamento()
    db.session.commit()
    html = admin_client.post(
        "/admin/torres/delete/", data={"id": str(apartamento.id_torre)}, follow_redirects=True
    ).get_data(as_text=True)
    assert "está en uso por 1 apartamento" in html


@pytest.mark.parametrize(
    ("datos", "campo"),
    [
        ({"codigo": "Z42146", "nombre": "CC"}, "nombre"),  # another row's code
        ({"codigo": "Z42146", "nombre": "cc"}, "nombre"),
        ({"codigo": "Z42146", "nombre": "CEDULA DE CIUDADANIA"}, "nombre"),  # no accents
        ({"codigo": "PASAPORTE", "nombre": "Nuevo"}, "codigo"),  # another row's name
        ({"codigo": "", "nombre": "Tarjeta de identidad"}, "codigo"),
        ({"codigo": "   ", "nombre": "Tarjeta de identidad"}, "codigo"),
    ],
)
def test_a_tipo_de_documento_cannot_be_confused_with_another(admin_client, db, datos, campo):
    response = admin_client.post("/admin/tipos_documento/new/", data=datos)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    errores = re.findall(rf'id="{campo}".*?invalid-feedback">(.*?)</ul>', html, re.S)
    assert errores and ("Ya existe un registro" in errores[0] or "obligatorio" in errores[0])
    assert db.session.scalar(db.select(db.func.count(TipoDocumento.id))) == 5


def test_a_catalog_name_equal_to_another_ignoring_accents_is_refused(admin_client, db):
    response = admin_client.post("/admin/formas_pago/new/", data={"nombre": "credito hipotecario"})
    assert "Ya existe un registro con ese nombre" in _errors(response)
    assert db.session.scalar(db.select(db.func.count(FormaPago.id))) == 4


@pytest.mark.parametrize(
    ("campo", "valor"),
    [
        ("nombre", "x" * 121),
        ("plazo_max_cuota_inicial_meses", 121),
        ("plazo_max_separacion_dias", 366),
        ("plazo_max_separacion_dias", 2147483648),
        ("porcentaje_cuota_inicial_min", Decimal("100.01")),
        ("porcentaje_cuota_inicial_min", Decimal("12.345")),
    ],
)
def test_the_proyecto_service_keeps_its_settings_within_bounds(db, campo, valor):
    proyecto = factories.proyecto()
    setattr(proyecto, campo, valor)
    with pytest.raises(ValidationFailed) as error:
        validar_proyecto(proyecto)
    assert campo in error.value.errors
