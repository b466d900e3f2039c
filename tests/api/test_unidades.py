"""/api/locales, /api/parqueaderos, their price history, and POST /api/ventas with
a main unit of any kind plus parqueaderos adicionales."""

from datetime import timedelta
from decimal import Decimal as D

import pytest

from admin_app.formatting import today_bogota
from admin_app.models import Local, Parqueadero
from tests import factories

HOY = today_bogota()


@pytest.fixture
def torre(db):
    obj = factories.torre()
    db.session.commit()
    return obj


@pytest.fixture
def comprador(db):
    obj = factories.cliente("1020304050")
    db.session.commit()
    return obj


# --- locales -------------------------------------------------------------------------


def test_create_a_local_computes_its_price(api, torre):
    response = api.post(
        "/api/locales",
        json={"id_torre": torre.id, "numero": "L-1", "area_m2": "33.33", "valor_m2": "4500000.50"},
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["precio"], data["id_proyecto"], data["estado"]) == (
        "149985017.00",
        torre.id_proyecto,
        "Disponible",
    )
    assert response.headers["Location"] == f"/api/locales/{data['id']}"
    historial = api.get(f"/api/locales/{data['id']}/historial_precios").get_json()
    assert [h["precio_despues"] for h in historial["data"]] == ["149985017.00"]


@pytest.mark.parametrize(
    ("body", "campo"),
    [
        ({"area_m2": "0"}, "area_m2"),
        ({"area_m2": "-5"}, "area_m2"),
        ({"valor_m2": "0"}, "valor_m2"),
        ({"valor_m2": "NaN"}, "valor_m2"),
        ({"numero": "L-1\x00"}, "numero"),
        ({"id_torre": 99999}, "id_torre"),
    ],
)
def test_a_bad_local_is_a_422_on_its_field(api, torre, body, campo):
    datos = {"id_torre": torre.id, "numero": "L-1", "area_m2": "30", "valor_m2": "1000000"}
    datos.update(body)
    response = api.post("/api/locales", json=datos)
    assert response.status_code == 422, response.get_json()
    assert campo in response.get_json()["errors"]


def test_a_duplicate_local_number_is_a_422(api, torre):
    datos = {"id_torre": torre.id, "numero": "L-1", "area_m2": "30", "valor_m2": "1000000"}
    assert api.post("/api/locales", json=datos).status_code == 201
    response = api.post("/api/locales", json=datos)
    assert response.status_code == 422
    assert "L-1" in response.get_json()["errors"]["numero"][0]


def test_list_locales_filters_by_proyecto_and_estado(api, db, torre):
    factories.local(torre)
    factories.local(factories.torre())
    factories.local(torre, id_estado_inmueble=4)
    db.session.commit()
    data = api.get(f"/api/locales?proyecto={torre.id_proyecto}&estado=disponible").get_json()
    assert len(data["data"]) == 1


def test_patch_a_local_reprices_it(api, db, torre):
    local = factories.local(torre, area_m2=D("10"), valor_m2=D("1000000"), precio=D("10000000"))
    db.session.commit()
    response = api.patch(f"/api/locales/{local.id}", json={"valor_m2": "2000000"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["precio"] == "20000000.00"


# --- parqueaderos --------------------------------------------------------------------


def test_create_get_and_filter_parqueaderos(api, db, torre):
    response = api.post(
        "/api/parqueaderos",
        json={
            "id_torre": torre.id,
            "numero": "P-001",
            "id_tipo_parqueadero": 2,
            "precio": "9000000",
        },
    )
    assert response.status_code == 201, response.get_json()
    ident = response.get_json()["data"]["id"]
    data = api.get(f"/api/parqueaderos/{ident}").get_json()["data"]
    assert (data["tipo"], data["precio"], data["id_apartamento"]) == ("Moto", "9000000.00", None)
    factories.parqueadero(torre)
    db.session.commit()
    assert len(api.get(f"/api/parqueaderos?torre={torre.id}&tipo=2").get_json()["data"]) == 1
    assert len(api.get(f"/api/parqueaderos?proyecto={torre.id_proyecto}").get_json()["data"]) == 2


def test_a_duplicate_parking_number_is_a_422(api, db, torre):
    factories.parqueadero(torre, numero="P-001")
    db.session.commit()
    response = api.post(
        "/api/parqueaderos",
        json={"id_torre": torre.id, "numero": "P-001", "id_tipo_parqueadero": 1, "precio": "1"},
    )
    assert response.status_code == 422
    assert "numero" in response.get_json()["errors"]


def test_a_duplicate_number_from_a_race_is_a_422_on_its_field(api, db, torre, monkeypatch):
    """The service's check passed (another clerk saved between), the index refuses it."""
    from admin_app.services import parqueaderos as servicio

    factories.parqueadero(torre, numero="P-001")
    db.session.commit()
    monkeypatch.setattr(servicio.Errores, "raise_if_any", lambda self, mensaje=None: None)
    response = api.post(
        "/api/parqueaderos",
        json={"id_torre": torre.id, "numero": "P-001", "id_tipo_parqueadero": 1, "precio": "1"},
    )
    assert response.status_code == 422, response.get_json()
    assert "Ya existe un parqueadero" in response.get_json()["errors"]["numero"][0]


def test_deleting_a_unit_with_operations_is_a_409(admin_api, db, torre, comprador):
    apto = factories.apartamento(torre)
    parqueadero = factories.parqueadero(torre)
    factories.separacion_directa(comprador, apto)
    db.session.commit()
    body = {
        "tipo_operacion": "separacion",
        "documento_cliente": comprador.documento,
        "id_apartamento": factories.apartamento(torre).id,
        "adicionales": [parqueadero.id],
        "fecha": HOY.isoformat(),
        "valor_separacion": "5000000.00",
        "fecha_limite_separacion": (HOY + timedelta(days=10)).isoformat(),
    }
    db.session.commit()
    assert admin_api.post("/api/ventas", json=body).status_code == 201
    response = admin_api.delete(f"/api/parqueaderos/{parqueadero.id}")
    assert response.status_code == 409
    assert db.session.get(Parqueadero, parqueadero.id) is not None
    local = factories.local(torre)
    db.session.commit()
    assert admin_api.delete(f"/api/locales/{local.id}").status_code == 204
    assert db.session.get(Local, local.id) is None


def test_a_digitador_does_not_delete_units(api, db, torre):
    local = factories.local(torre)
    db.session.commit()
    assert api.delete(f"/api/locales/{local.id}").status_code == 403


# --- ventas with units -------------------------------------------------------------------


def _venta(apto_id=None, **overrides):
    body = {
        "tipo_operacion": "venta",
        "documento_cliente": "1020304050",
        "id_forma_pago": 2,
        "fecha": HOY.isoformat(),
        "valor_separacion": "5000000.00",
        "cuota_inicial": "90000000.00",
        "plazo_cuota_inicial_meses": 12,
    }
    if apto_id is not None:
        body["id_apartamento"] = apto_id
    body.update(overrides)
    return body


def test_a_venta_with_an_adicional_lists_both_units_with_their_prices(api, db, torre, comprador):
    apto = factories.apartamento(torre, precio=D("250000000"))
    parqueadero = factories.parqueadero(torre, precio=D("30000000"))
    db.session.commit()
    response = api.post("/api/ventas", json=_venta(apto.id, adicionales=[parqueadero.id]))
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["valor_total"] == "280000000.00"
    assert [(u["rol"], u["tipo"], u["precio"]) for u in data["unidades"]] == [
        ("principal", "apartamento", "250000000.00"),
        ("adicional", "parqueadero", "30000000.00"),
    ]
    assert "descripcion" in data["unidades"][1]
    lista = api.get("/api/ventas").get_json()["data"]
    assert len(lista[0]["unidades"]) == 2


def test_a_venta_of_a_local(api, db, torre, comprador):
    local = factories.local(torre, precio=D("200000000"))
    db.session.commit()
    response = api.post("/api/ventas", json=_venta(id_local=local.id, cuota_inicial="60000000"))
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["id_local"], data["id_apartamento"], data["apartamento"]) == (local.id, None, None)


@pytest.mark.parametrize(
    ("body", "codigo", "campo"),
    [
        ({}, 422, "id_apartamento"),
        ({"id_local": 1, "id_parqueadero": 1}, 422, "id_parqueadero"),
        ({"adicionales": ["x"]}, 422, "adicionales.0"),  # the list item, named with a dot
    ],
)
def test_a_venta_needs_exactly_one_main_unit(api, db, comprador, body, codigo, campo):
    response = api.post("/api/ventas", json=_venta(**body))
    assert response.status_code == codigo, response.get_json()
    assert campo in response.get_json()["errors"]


def test_an_adicional_of_another_project_is_a_422(api, db, torre, comprador):
    apto = factories.apartamento(torre)
    ajeno = factories.parqueadero(factories.torre())
    db.session.commit()
    response = api.post("/api/ventas", json=_venta(apto.id, adicionales=[ajeno.id]))
    assert response.status_code == 422
    assert "otro proyecto" in response.get_json()["errors"]["adicionales"][0]


def test_an_adicional_not_disponible_is_a_409(api, db, torre, comprador):
    apto = factories.apartamento(torre)
    bloqueado = factories.parqueadero(torre, id_estado_inmueble=4)
    db.session.commit()
    response = api.post("/api/ventas", json=_venta(apto.id, adicionales=[bloqueado.id]))
    assert response.status_code == 409
    assert "no está disponible" in response.get_json()["errors"]["adicionales"][0]


def test_a_parking_alone_without_a_unit_in_the_project_is_a_422(api, db, torre, comprador):
    suelto = factories.parqueadero(torre)
    db.session.commit()
    response = api.post(
        "/api/ventas", json=_venta(id_parqueadero=suelto.id, cuota_inicial="9000000")
    )
    assert response.status_code == 422
    assert "propietario" in response.get_json()["errors"]["id_parqueadero"][0]
