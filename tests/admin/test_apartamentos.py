"""Apartamentos in the admin: the list, the estado only through the admin's
toggle, the history, and the autocomplete the sales form uses."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from admin_app.models import Apartamento
from tests import factories
from tests.admin._html import por_id


@pytest.fixture
def apto(db) -> Apartamento:
    proyecto = factories.proyecto(nombre="Mirador Norte")
    obj = factories.apartamento(
        factories.torre(proyecto, nombre="Torre 1"),
        numero="305",
        precio=Decimal("250000000"),
        area_m2=Decimal("72.50"),
    )
    db.session.commit()
    return obj


def _estado(db, apto_id) -> str:
    db.session.expire_all()
    return db.session.get(Apartamento, apto_id).estado.nombre


def test_the_list_shows_project_tower_price_and_estado(digitador_client, apto):
    html = digitador_client.get("/admin/apartamentos/").get_data(as_text=True)
    for text in ("Mirador Norte", "Torre 1", "305", "$ 250.000.000", "72,50", "Disponible"):
        assert text in html


def test_the_form_has_no_estado_field(admin_client, apto):
    for url in ("/admin/apartamentos/new/", f"/admin/apartamentos/edit/?id={apto.id}"):
        html = admin_client.get(url).get_data(as_text=True)
        assert 'name="estado"' not in html and 'name="id_estado_inmueble"' not in html


def test_a_posted_estado_is_ignored(admin_client, apto, db):
    admin_client.post(
        f"/admin/apartamentos/edit/?id={apto.id}",
        data={
            "torre": str(apto.id_torre),
            "numero": "305",
            "piso": "3",
            "area_m2": "72.5",
            "habitaciones": "3",
            "banos": "2",
            "precio_base": "250000000",
            "estado": "3",
            "id_estado_inmueble": "3",
        },
    )
    assert _estado(db, apto.id) == "Disponible"


def test_a_new_apartment_starts_disponible(admin_client, apto, db):
    response = admin_client.post(
        "/admin/apartamentos/new/",
        data={
            "torre": str(apto.id_torre),
            "numero": "306",
            "piso": "3",
            "area_m2": "60",
            "habitaciones": "2",
            "banos": "1",
            "precio_base": "200000000",
        },
    )
    assert response.status_code == 302
    nuevo = db.session.scalars(db.select(Apartamento).filter_by(numero="306")).one()
    assert nuevo.estado.nombre == "Disponible"


def test_admin_blocks_with_a_motivo_and_unblocks(admin_client, apto, db):
    response = admin_client.post(
        "/admin/apartamentos/bloqueo/",
        data={"id": apto.id, "accion": "bloquear", "motivo": "Reservado", "hasta": ""},
    )
    assert response.status_code == 302
    assert _estado(db, apto.id) == "Bloqueado"
    html = admin_client.get(f"/admin/apartamentos/details/?id={apto.id}").get_data(as_text=True)
    assert "Bloqueado: Reservado" in html and "por admin" in html
    admin_client.post("/admin/apartamentos/bloqueo/", data={"id": apto.id, "accion": "desbloquear"})
    assert _estado(db, apto.id) == "Disponible"


def test_a_block_without_motivo_shows_the_form_again(admin_client, apto, db):
    html = admin_client.post(
        "/admin/apartamentos/bloqueo/", data={"id": apto.id, "accion": "bloquear", "motivo": " "}
    ).get_data(as_text=True)
    assert "Indique el motivo del bloqueo." in html
    assert _estado(db, apto.id) == "Disponible"


def test_a_sold_apartment_cannot_be_blocked(admin_client, apto, db):
    factories.separacion_directa(apartamento_obj=apto)
    apto.id_estado_inmueble = 2  # Separado
    db.session.commit()
    html = admin_client.post(
        "/admin/apartamentos/bloqueo/",
        data={"id": apto.id, "accion": "bloquear", "motivo": "Obra"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "solo se bloquea una unidad Disponible" in html
    assert _estado(db, apto.id) == "Separado"


def test_digitador_cannot_toggle(digitador_client, apto, db):
    response = digitador_client.post(
        "/admin/apartamentos/bloqueo/", data={"id": apto.id, "accion": "bloquear", "motivo": "x"}
    )
    assert response.status_code == 403
    assert _estado(db, apto.id) == "Disponible"


def test_bulk_block_asks_the_motivo_then_blocks(admin_client, apto, db):
    response = admin_client.post(
        "/admin/apartamentos/action/", data={"action": "bloquear", "rowid": str(apto.id)}
    )
    assert response.status_code == 302 and "/admin/apartamentos/bloqueo/" in response.location
    assert _estado(db, apto.id) == "Disponible"
    admin_client.post(
        "/admin/apartamentos/bloqueo/",
        data={"id": apto.id, "accion": "bloquear", "motivo": "Obra"},
    )
    assert _estado(db, apto.id) == "Bloqueado"


def test_the_details_page_lists_the_operations(digitador_client, apto, db):
    venta = factories.separacion_directa(apartamento_obj=apto)
    db.session.commit()
    html = digitador_client.get(f"/admin/apartamentos/details/?id={apto.id}").get_data(as_text=True)
    assert f"/admin/ventas/details/?id={venta.id}" in html
    assert "Separación #" in html


@pytest.mark.parametrize(
    ("query", "visible"),
    [
        ("", True),
        ("flt0_2=Disponible", True),
        ("flt0_2=Vendido", False),
        ("flt0_3=200.000.000", True),
        ("flt0_3=300000000", False),
        ("flt0_4=249000000", False),
        ("flt0_5=70", True),
        ("flt0_6=70", False),
        ("flt0_1=Torre 1", True),
        ("search=305", True),
        ("search=999", False),
    ],
)
def test_list_filters(admin_client, apto, query, visible):
    html = admin_client.get(f"/admin/apartamentos/?{query}").get_data(as_text=True)
    assert ("$ 250.000.000" in html) is visible


def test_list_filter_by_proyecto(admin_client, apto):
    proyecto_id = apto.torre.id_proyecto
    html = admin_client.get(f"/admin/apartamentos/?flt0_0={proyecto_id}").get_data(as_text=True)
    assert "$ 250.000.000" in html
    html = admin_client.get(f"/admin/apartamentos/?flt0_0={proyecto_id + 1}").get_data(as_text=True)
    assert "$ 250.000.000" not in html


def test_autocomplete_lists_only_disponible_apartments_of_the_project(admin_client, apto, db):
    otro = factories.apartamento(apto.torre, numero="306", id_estado_inmueble=4)
    db.session.commit()
    data = admin_client.get(
        f"/admin/autocomplete/apartamentos/?id_proyecto={apto.torre.id_proyecto}&q=30"
    ).get_json()
    assert [item["id"] for item in data] == [apto.id]
    assert otro.id not in [item["id"] for item in data]
    assert "Separación mínima" in data[0]["reglas"][0]


@pytest.mark.parametrize(
    ("q", "esperado"),
    [
        ("1020", ["1020304050"]),
        ("gomez", ["1020304050"]),
        ("maria go", ["1020304050"]),
        ("zzz", []),
    ],
)
def test_autocomplete_finds_clients_by_documento_and_name(digitador_client, db, q, esperado):
    factories.cliente(documento="1020304050", nombre="María Gómez")
    factories.cliente(documento="7777777", nombre="Pedro Páez")
    db.session.commit()
    data = digitador_client.get(f"/admin/autocomplete/clientes/?q={q}").get_json()
    assert [item["id"] for item in data] == esperado


def test_autocomplete_requires_login(client):
    assert client.get("/admin/autocomplete/clientes/?q=1").status_code == 401


def test_the_price_is_a_text_box_shown_with_thousands_dots(admin_client, apto):
    html = admin_client.get(f"/admin/apartamentos/edit/?id={apto.id}").get_data(as_text=True)
    precio = por_id(html, "input")["precio_base"]
    assert (precio["type"], precio["inputmode"], precio["value"]) == (
        "text",
        "decimal",
        "250.000.000",
    )


@pytest.mark.parametrize("escrito", ["320.000.000", "320000000", "320.000.000,00"])
def test_the_price_is_read_as_typed(admin_client, apto, db, escrito):
    admin_client.post(
        f"/admin/apartamentos/edit/?id={apto.id}",
        data={
            "torre": str(apto.id_torre),
            "numero": "305",
            "piso": "3",
            "area_m2": "72.5",
            "habitaciones": "3",
            "banos": "2",
            "precio_base": escrito,
        },
    )
    db.session.expire_all()
    assert db.session.get(Apartamento, apto.id).precio == Decimal("320000000.00")


def test_the_list_aligns_prices_right(digitador_client, apto):
    html = digitador_client.get("/admin/apartamentos/").get_data(as_text=True)
    assert "td.col-precio" in html and "text-align: right" in html


def test_the_export_has_the_details_columns_as_text_and_numbers(admin_client, apto, db):
    dueno = factories.cliente(documento="1020304050", nombre="=María")
    apto.documento_cliente = dueno.documento
    db.session.commit()
    response = admin_client.get("/admin/apartamentos/export/csv/")
    filas = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert filas == [
        [
            "Proyecto",
            "Torre",
            "Número",
            "Piso",
            "Área (m²)",
            "Habitaciones",
            "Baños",
            "Precio",
            "Estado",
            "Propietario",
        ],
        [
            "Mirador Norte",
            "Torre 1",
            "305",
            "1",
            "72.50",
            "2",
            "2",
            "250000000.00",
            "Disponible",
            "'=María (1020304050)",
        ],
    ]
    xlsx = admin_client.get("/admin/apartamentos/export/xlsx/", buffered=True)
    hoja = openpyxl.load_workbook(io.BytesIO(xlsx.get_data()), read_only=True).active
    fila = list(next(hoja.iter_rows(min_row=2, values_only=True)))
    hoja.parent.close()
    assert fila[3:8] == [1, 72.5, 2, 2, 250000000]


def _editar_precio(client, apto, precio):
    return client.post(
        f"/admin/apartamentos/edit/?id={apto.id}",
        data={
            "torre": str(apto.id_torre),
            "numero": "305",
            "piso": "3",
            "area_m2": "72.5",
            "habitaciones": "3",
            "banos": "2",
            "precio_base": precio,
        },
    )


@pytest.mark.parametrize("rol", ["digitador_client", "admin_client"])
def test_the_price_of_a_separated_apartment_is_frozen(request, apto, db, rol):
    factories.separacion_directa(apartamento_obj=apto)
    db.session.commit()
    response = _editar_precio(request.getfixturevalue(rol), apto, "1")
    errores = [
        linea for linea in response.get_data(as_text=True).splitlines() if "precio lo fija" in linea
    ]
    assert response.status_code == 200 and errores
    db.session.expire_all()
    assert db.session.get(Apartamento, apto.id).precio == Decimal("250000000.00")


def test_the_other_fields_of_a_separated_apartment_can_still_change(admin_client, apto, db):
    factories.separacion_directa(apartamento_obj=apto)
    db.session.commit()
    response = _editar_precio(admin_client, apto, "250.000.000")
    assert response.status_code == 302
