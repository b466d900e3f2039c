"""Locales and parqueaderos in the admin: lists, forms, the range form, details with
their operations and price history, bloqueos, deletes refused; the venta form with
a parqueadero adicional; the units on the venta's and the client's pages."""

import csv
import io
from datetime import timedelta
from decimal import Decimal as D

import pytest

from admin_app.formatting import today_bogota
from admin_app.models import Apartamento, Local, Parqueadero, Venta
from tests import factories

HOY = today_bogota()


@pytest.fixture
def torre(db):
    obj = factories.torre(factories.proyecto(nombre="Altos del Río"), nombre="Torre 2")
    db.session.commit()
    return obj


def _texto(response) -> str:
    return response.get_data(as_text=True)


# --- locales -------------------------------------------------------------------------


def test_creating_a_local_shows_its_computed_price(admin_client, db, torre):
    response = admin_client.post(
        "/admin/locales/new/",
        data={
            "id_proyecto": "",
            "id_torre": str(torre.id),
            "numero": "L-01",
            "area_m2": "40",
            "valor_m2": "5.000.000",
        },
    )
    assert response.status_code == 302, _texto(response)
    local = db.session.scalars(db.select(Local)).one()
    assert local.precio == D("200000000.00")
    html = _texto(admin_client.get("/admin/locales/"))
    assert "L-01" in html and "$ 200.000.000" in html
    detalle = _texto(admin_client.get(f"/admin/locales/details/?id={local.id}"))
    assert "Historial de precios" in detalle and "Creación del local" in detalle


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        ("area_m2", "0", ""),
        ("valor_m2", "-1", ""),
        ("numero", "", "Indique el número."),
    ],
)
def test_a_bad_local_is_refused_on_its_field(admin_client, db, torre, campo, valor, mensaje):
    data = {"id_torre": str(torre.id), "numero": "L-01", "area_m2": "40", "valor_m2": "5000000"}
    data[campo] = valor
    response = admin_client.post("/admin/locales/new/", data=data)
    assert response.status_code == 200
    assert mensaje in _texto(response)
    assert db.session.scalar(db.select(db.func.count()).select_from(Local)) == 0


def test_a_duplicate_local_number_is_shown_on_the_field(admin_client, db, torre):
    factories.local(torre, numero="L-01")
    db.session.commit()
    response = admin_client.post(
        "/admin/locales/new/",
        data={"id_torre": str(torre.id), "numero": "L-01", "area_m2": "40", "valor_m2": "5000000"},
    )
    assert "Ya existe un local con el número L-01" in _texto(response)


def test_locales_export_csv(admin_client, db, torre):
    factories.local(torre, numero="L-07", precio=D("123000000"))
    db.session.commit()
    response = admin_client.get("/admin/locales/export/csv/")
    filas = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert filas[0][:3] == ["Proyecto", "Torre", "Número"]
    assert filas[1][2] == "L-07" and "123000000" in filas[1][5]


# --- parqueaderos --------------------------------------------------------------------


def test_the_range_form_creates_every_parking(admin_client, db, torre):
    assert "Crear un rango" in _texto(admin_client.get("/admin/parqueaderos/"))
    response = admin_client.post(
        "/admin/parqueaderos/rango/",
        data={
            "id_torre": str(torre.id),
            "prefijo": "P-",
            "desde": "1",
            "hasta": "120",
            "relleno": "3",
            "id_tipo_parqueadero": "1",
            "precio": "25.000.000",
        },
        follow_redirects=True,
    )
    assert "Se crearon 120 parqueaderos." in _texto(response)
    numeros = db.session.scalars(db.select(Parqueadero.numero).order_by(Parqueadero.numero)).all()
    assert (len(numeros), numeros[0], numeros[-1]) == (120, "P-001", "P-120")


def test_a_range_with_a_duplicate_creates_nothing_and_says_why(admin_client, db, torre):
    factories.parqueadero(torre, numero="P-050")
    db.session.commit()
    html = _texto(
        admin_client.post(
            "/admin/parqueaderos/rango/",
            data={
                "id_torre": str(torre.id),
                "prefijo": "P-",
                "desde": "1",
                "hasta": "120",
                "relleno": "3",
                "id_tipo_parqueadero": "1",
                "precio": "25000000",
            },
        )
    )
    assert "ya tiene 1 de esos números (P-050); no se creó ninguno" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Parqueadero)) == 1


def test_parqueaderos_list_filters_by_tipo(admin_client, db, torre):
    factories.parqueadero(torre, numero="P-1", id_tipo_parqueadero=1)
    factories.parqueadero(torre, numero="M-1", id_tipo_parqueadero=2)
    db.session.commit()
    html = _texto(admin_client.get("/admin/parqueaderos/?flt0_3=Moto"))
    assert "M-1" in html and ">P-1<" not in html


def test_tipos_de_parqueadero_are_in_the_catalogs(admin_client, db):
    html = _texto(admin_client.get("/admin/tipos_parqueadero/"))
    assert "Depósito doble" in html


def test_a_parking_with_operations_is_not_deleted(admin_client, db, torre):
    apto = factories.apartamento(torre)
    parqueadero = factories.parqueadero(torre)
    db.session.commit()
    from admin_app.services.ventas import anular_operacion, crear_operacion
    from tests.services.conftest import datos_separacion

    venta = crear_operacion(
        datos_separacion(factories.cliente(), apto, adicionales=[parqueadero.id])
    )
    anular_operacion(venta)
    db.session.commit()
    html = _texto(
        admin_client.post(
            "/admin/parqueaderos/delete/", data={"id": parqueadero.id}, follow_redirects=True
        )
    )
    assert "tiene 1 operación" in html
    assert db.session.get(Parqueadero, parqueadero.id) is not None
    detalle = _texto(admin_client.get(f"/admin/parqueaderos/details/?id={parqueadero.id}"))
    assert f"/admin/ventas/details/?id={venta.id}" in detalle


def test_blocking_a_parking_asks_the_motivo(admin_client, db, torre):
    parqueadero = factories.parqueadero(torre)
    db.session.commit()
    formulario = _texto(admin_client.get(f"/admin/parqueaderos/bloqueo/?id={parqueadero.id}"))
    assert "Motivo del bloqueo" in formulario
    admin_client.post(
        "/admin/parqueaderos/bloqueo/",
        data={
            "id": parqueadero.id,
            "accion": "bloquear",
            "motivo": "Reservado para visitantes",
            "hasta": (HOY + timedelta(days=30)).isoformat(),
        },
    )
    db.session.expire_all()
    bloqueado = db.session.get(Parqueadero, parqueadero.id)
    assert (bloqueado.estado.nombre, bloqueado.bloqueo_motivo) == (
        "Bloqueado",
        "Reservado para visitantes",
    )


def test_a_digitador_does_not_block(digitador_client, db, torre):
    local = factories.local(torre)
    db.session.commit()
    response = digitador_client.get(f"/admin/locales/bloqueo/?id={local.id}")
    assert response.status_code == 403


# --- the venta form and pages ----------------------------------------------------------


@pytest.fixture
def inventario(db, torre):
    apto = factories.apartamento(torre, numero="101", precio=D("250000000"))
    parqueadero = factories.parqueadero(torre, numero="P-001", precio=D("30000000"))
    cliente = factories.cliente(documento="1020304050", nombre="María Gómez")
    db.session.commit()
    return apto, parqueadero, cliente


def _form(torre, apto, cliente, **overrides):
    form = {
        "tipo_operacion": "venta",
        "documento_cliente": cliente.documento,
        "id_proyecto": str(torre.id_proyecto),
        "id_apartamento": str(apto.id),
        "fecha": HOY.isoformat(),
        "valor_total": "",
        "valor_separacion": "0",
        "id_forma_pago": "2",
        "cuota_inicial": "90.000.000",
        "plazo_cuota_inicial_meses": "12",
        "tasa_interes_anual": "0",
    }
    form.update(overrides)
    return form


def test_the_venta_form_sells_an_apartment_with_an_adicional(admin_client, db, torre, inventario):
    apto, parqueadero, cliente = inventario
    form = _texto(admin_client.get(f"/admin/ventas/new/?id_proyecto={torre.id_proyecto}"))
    assert "Parqueaderos adicionales" in form
    response = admin_client.post(
        "/admin/ventas/new/",
        data={**_form(torre, apto, cliente), "adicionales": [str(parqueadero.id)]},
        follow_redirects=True,
    )
    html = _texto(response)
    venta = db.session.scalars(db.select(Venta)).one()
    assert venta.valor_total == D("280000000.00")
    assert "Torre 2 - Apto 101" in html and "P-001" in html and "Adicional" in html
    cliente_html = _texto(admin_client.get(f"/admin/clientes/details/?id={cliente.documento}"))
    assert "P-001" in cliente_html


def test_the_venta_form_lists_the_free_parkings_of_the_project(admin_client, db, torre, inventario):
    apto, parqueadero, cliente = inventario
    html = _texto(
        admin_client.post(
            "/admin/ventas/new/",
            data=_form(torre, apto, cliente, cuota_inicial="1"),
        )
    )
    assert f'name="adicionales" value="{parqueadero.id}"' in html


def test_an_adicional_of_another_project_is_shown_on_the_form(admin_client, db, torre, inventario):
    apto, _parqueadero, cliente = inventario
    ajeno = factories.parqueadero(factories.torre())
    db.session.commit()
    html = _texto(
        admin_client.post(
            "/admin/ventas/new/",
            data={**_form(torre, apto, cliente), "adicionales": [str(ajeno.id)]},
        )
    )
    assert "es de otro proyecto" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Venta)) == 0


def test_the_dashboard_counts_locales_and_parqueaderos(admin_client, db, torre):
    factories.local(torre)
    factories.parqueadero(torre)
    db.session.commit()
    html = _texto(admin_client.get("/admin/"))
    assert "Locales por proyecto y estado" in html
    assert "Parqueaderos y depósitos por proyecto y estado" in html


def test_an_apartment_price_edit_is_kept_and_one_without_operations_is_deleted(
    admin_client, db, torre
):
    apto = factories.apartamento(torre, numero="901", precio=D("250000000"))
    db.session.commit()
    admin_client.post(
        f"/admin/apartamentos/edit/?id={apto.id}",
        data={
            "torre": str(torre.id),
            "numero": "901",
            "piso": "9",
            "area_m2": "60",
            "habitaciones": "2",
            "banos": "2",
            "precio_base": "260.000.000",
            "_version": str(apto.version),
        },
    )
    detalle = _texto(admin_client.get(f"/admin/apartamentos/details/?id={apto.id}"))
    assert "Precio base $ 260.000.000" in detalle and "Manual" in detalle
    ident = apto.id
    admin_client.post("/admin/apartamentos/delete/", data={"id": ident})
    db.session.expire_all()
    assert db.session.get(Apartamento, ident) is None


def test_the_sales_list_filters_a_local_sale_by_its_project(admin_client, db, torre):
    from admin_app.services.ventas import crear_operacion
    from tests.services.conftest import datos_separacion

    local = factories.local(torre, numero="L-33")
    cliente = factories.cliente(nombre="Compradora De Local")
    crear_operacion(datos_separacion(cliente, local, id_apartamento=None, id_local=local.id))
    db.session.commit()
    html = _texto(admin_client.get(f"/admin/ventas/?flt0_2={torre.id_proyecto}"))
    assert "Compradora De Local" in html and "Local L-33" in html
    html = _texto(admin_client.get(f"/admin/ventas/?flt0_2={torre.id_proyecto + 99}"))
    assert "Compradora De Local" not in html
