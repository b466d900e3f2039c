from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from admin_app.formatting import today_bogota
from admin_app.models import Apartamento, EstadoOperacion, Venta
from tests import factories

HOY = today_bogota()


@pytest.fixture
def apto(db):
    obj = factories.apartamento(precio=D("250000000.00"))
    db.session.commit()
    return obj


@pytest.fixture
def comprador(db):
    obj = factories.cliente("1020304050")
    db.session.commit()
    return obj


def venta_body(apto, **overrides):
    body = {
        "tipo_operacion": "venta",
        "documento_cliente": "1020304050",
        "id_apartamento": apto.id,
        "id_forma_pago": 2,
        "fecha": HOY.isoformat(),
        "valor_separacion": "5000000.00",
        "cuota_inicial": "75000000.00",
        "plazo_cuota_inicial_meses": 12,
    }
    body.update(overrides)
    return body


def separacion_body(apto, **overrides):
    body = {
        "tipo_operacion": "separacion",
        "documento_cliente": "1020304050",
        "id_apartamento": apto.id,
        "fecha": HOY.isoformat(),
        "valor_separacion": "5000000.00",
        "fecha_limite_separacion": (HOY + timedelta(days=10)).isoformat(),
    }
    body.update(overrides)
    return body


def test_create_venta_returns_201_location_and_detail(api, db, apto, comprador):
    response = api.post("/api/ventas", json=venta_body(apto))
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert response.headers["Location"] == f"/api/ventas/{data['id']}"
    assert data["valor_total"] == "250000000.00"  # the apartment's price by default
    assert data["tasa_interes_anual"] == "0.00"
    assert data["fecha"] == HOY.isoformat()
    assert data["cliente"]["documento"] == "1020304050"
    assert data["apartamento"]["estado"] == "Vendido"
    assert data["totales"]["total"] == "250000000.00"
    assert data["totales"]["pagado"] == "0.00"


def test_create_separacion_sets_the_apartment_separado(api, db, apto, comprador):
    response = api.post("/api/ventas", json=separacion_body(apto))
    assert response.status_code == 201, response.get_json()
    db.session.expire_all()
    assert db.session.get(Apartamento, apto.id).estado.nombre == "Separado"


def test_create_on_a_taken_apartment_is_409(api, db, apto, comprador):
    assert api.post("/api/ventas", json=separacion_body(apto)).status_code == 201
    response = api.post("/api/ventas", json=venta_body(apto))
    assert response.status_code == 409
    assert "id_apartamento" in response.get_json()["errors"]
    assert db.session.scalar(db.select(db.func.count(Venta.id))) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cuota_inicial": "1000.00"}, "cuota_inicial"),
        ({"plazo_cuota_inicial_meses": 99}, "plazo_cuota_inicial_meses"),
        ({"id_forma_pago": 99}, "id_forma_pago"),
        ({"documento_cliente": "999"}, "documento_cliente"),
        ({"tipo_operacion": "permuta"}, "tipo_operacion"),
        ({"tasa_interes_anual": "101.00"}, "tasa_interes_anual"),
        ({"fecha": "1999-12-31"}, "fecha"),
        ({"fecha": "9998-01-01"}, "fecha"),
    ],
)
def test_create_breaking_a_rule_is_422_on_its_field(api, db, apto, comprador, change, field):
    response = api.post("/api/ventas", json=venta_body(apto, **change))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert db.session.scalar(db.select(db.func.count(Venta.id))) == 0


def test_separacion_below_the_project_minimum_is_422(api, apto, comprador):
    response = api.post("/api/ventas", json=separacion_body(apto, valor_separacion="1000.00"))
    assert response.status_code == 422
    assert "valor_separacion" in response.get_json()["errors"]


@pytest.fixture
def operaciones(api, db, comprador):
    a1, a2 = factories.apartamento(), factories.apartamento()
    otro = factories.cliente("5555555")
    db.session.commit()
    sep = api.post("/api/ventas", json=separacion_body(a1)).get_json()["data"]
    body = venta_body(a2, documento_cliente=otro.documento)
    venta = api.post("/api/ventas", json=body).get_json()["data"]
    return sep, venta, a1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tipo_operacion=separacion", "sep"),
        ("documento_cliente=5555555", "venta"),
        ("estado_operacion=vigente", "both"),
        ("fecha_desde=2000-01-01&fecha_hasta=2000-12-31", "none"),
    ],
)
def test_list_filters(api, operaciones, query, expected):
    sep, venta, _apto = operaciones
    ids = {"sep": [sep["id"]], "venta": [venta["id"]], "both": sorted([sep["id"], venta["id"]])}
    response = api.get(f"/api/ventas?{query}")
    assert sorted(v["id"] for v in response.get_json()["data"]) == ids.get(expected, [])
    assert response.get_json()["meta"]["total"] == len(ids.get(expected, []))


def test_list_filters_by_proyecto(api, operaciones):
    sep, _venta, a1 = operaciones
    body = api.get(f"/api/ventas?id_proyecto={a1.torre.id_proyecto}").get_json()
    assert [v["id"] for v in body["data"]] == [sep["id"]]


@pytest.mark.parametrize("query", ["tipo_operacion=x", "fecha_desde=ayer", "id_proyecto=a"])
def test_list_bad_filter_is_422(api, query):
    response = api.get(f"/api/ventas?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in response.get_json()["errors"]


def test_get_unknown_venta_is_404(api):
    response = api.get("/api/ventas/999")
    assert response.status_code == 404
    assert response.get_json() == {"message": "Venta no encontrada", "errors": {}}


def test_get_venta_sends_its_etag(api, operaciones):
    sep, _venta, _apto = operaciones
    assert api.get(f"/api/ventas/{sep['id']}").headers["ETag"] == '"1"'


def test_convertir_turns_the_separacion_into_a_venta(api, operaciones):
    sep, _venta, _apto = operaciones
    body = {"cuota_inicial": "75000000.00", "plazo_cuota_inicial_meses": 6, "id_forma_pago": 1}
    response = api.post(f"/api/ventas/{sep['id']}/convertir", json=body)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    assert (data["tipo_operacion"], data["cuota_inicial"]) == ("venta", "75000000.00")
    assert data["apartamento"]["estado"] == "Vendido"


def test_convertir_a_venta_is_409(api, operaciones):
    _sep, venta, _apto = operaciones
    body = {"cuota_inicial": "75000000.00", "plazo_cuota_inicial_meses": 6, "id_forma_pago": 1}
    assert api.post(f"/api/ventas/{venta['id']}/convertir", json=body).status_code == 409


def test_convertir_without_its_fields_is_422(api, operaciones):
    sep, _venta, _apto = operaciones
    response = api.post(f"/api/ventas/{sep['id']}/convertir", json={})
    assert response.status_code == 422
    assert {"cuota_inicial", "plazo_cuota_inicial_meses", "id_forma_pago"} <= set(
        response.get_json()["errors"]
    )


def test_anular_frees_the_apartment(api, db, operaciones):
    sep, _venta, a1 = operaciones
    response = api.post(f"/api/ventas/{sep['id']}/anular", json={"motivo": "Desistió"})
    assert response.status_code == 200
    assert response.get_json()["data"]["estado_operacion"] == EstadoOperacion.ANULADA
    assert response.get_json()["data"]["motivo_anulacion"] == "Desistió"
    db.session.expire_all()
    assert db.session.get(Apartamento, a1.id).estado.nombre == "Disponible"


def test_anular_accepts_an_empty_body(api, operaciones):
    sep, _venta, _apto = operaciones
    assert api.post(f"/api/ventas/{sep['id']}/anular").status_code == 200


def test_anular_twice_is_409(api, operaciones):
    sep, _venta, _apto = operaciones
    api.post(f"/api/ventas/{sep['id']}/anular")
    assert api.post(f"/api/ventas/{sep['id']}/anular").status_code == 409


def test_anular_with_too_long_motivo_is_422_on_motivo(api, operaciones):
    sep, _venta, _apto = operaciones
    response = api.post(f"/api/ventas/{sep['id']}/anular", json={"motivo": "m" * 301})
    assert response.status_code == 422
    assert "motivo" in response.get_json()["errors"]


def test_anular_with_a_stale_if_match_is_412(api, db, operaciones):
    sep, _venta, _apto = operaciones
    response = api.post(f"/api/ventas/{sep['id']}/anular", headers={"If-Match": '"7"'})
    assert response.status_code == 412
    assert db.session.get(Venta, sep["id"]).estado_operacion == EstadoOperacion.VIGENTE


def test_plan_lists_cuotas_with_capital_interes_and_estado(api, apto, comprador):
    body = venta_body(apto, tasa_interes_anual="12.00")
    venta = api.post("/api/ventas", json=body).get_json()["data"]
    plan = api.get(f"/api/ventas/{venta['id']}/plan").get_json()["data"]
    cuotas = plan["cuotas"]
    assert [c["concepto"] for c in (cuotas[0], cuotas[1], cuotas[-1])] == [
        "Separación", "Cuota inicial", "Saldo final",
    ]  # fmt: skip
    assert D(cuotas[2]["interes"]) > 0
    assert sum(D(c["capital"]) for c in cuotas) == D("250000000.00")
    assert {c["estado"] for c in cuotas} == {"Pendiente"}
    assert plan["totales"]["pagado"] == "0.00"


def test_plan_of_unknown_venta_is_404(api):
    assert api.get("/api/ventas/999/plan").status_code == 404


def test_dates_are_iso(api, operaciones):
    sep, _venta, _apto = operaciones
    assert date.fromisoformat(sep["fecha_limite_separacion"]) == HOY + timedelta(days=10)
