from datetime import timedelta

import pytest

from admin_app.formatting import today_bogota
from admin_app.models import Cuota, Pago
from tests import factories

HOY = today_bogota()


@pytest.fixture
def venta(api, db):
    apto = factories.apartamento()
    factories.cliente("1020304050")
    db.session.commit()
    body = {
        "tipo_operacion": "separacion",
        "documento_cliente": "1020304050",
        "id_apartamento": apto.id,
        "fecha": HOY.isoformat(),
        "valor_separacion": "5000000.00",
        "fecha_limite_separacion": (HOY + timedelta(days=10)).isoformat(),
    }
    response = api.post("/api/ventas", json=body)
    assert response.status_code == 201
    return response.get_json()["data"]


def pagar(api, venta, valor="2000000.00", **extra):
    body = {"fecha": HOY.isoformat(), "valor": valor, "id_medio_pago": 2, **extra}
    return api.post(f"/api/ventas/{venta['id']}/pagos", json=body)


def test_register_pago_returns_201_location_and_its_application(api, db, venta):
    response = pagar(api, venta, referencia="TRX-1")
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert response.headers["Location"] == f"/api/pagos/{data['id']}"
    assert data["valor"] == "2000000.00"
    assert data["medio_pago"] == {"id": 2, "nombre": "Transferencia"}
    assert [a["valor"] for a in data["aplicaciones"]] == ["2000000.00"]
    cuota = db.session.scalars(db.select(Cuota).where(Cuota.id_venta == venta["id"])).one()
    assert str(cuota.valor_pagado) == "2000000.00"


def test_pagos_are_listed_with_meta(api, venta):
    pagar(api, venta)
    pagar(api, venta, valor="1000000")
    body = api.get(f"/api/ventas/{venta['id']}/pagos").get_json()
    assert body["meta"]["total"] == 2
    assert [p["valor"] for p in body["data"]] == ["2000000.00", "1000000.00"]


def test_detail_totals_follow_the_payments(api, venta):
    pagar(api, venta)
    totales = api.get(f"/api/ventas/{venta['id']}").get_json()["data"]["totales"]
    assert (totales["pagado"], totales["pendiente"]) == ("2000000.00", "3000000.00")


def test_overpayment_is_422_on_valor(api, db, venta):
    response = pagar(api, venta, valor="5000000.01")
    assert response.status_code == 422
    assert "valor" in response.get_json()["errors"]
    assert db.session.scalar(db.select(db.func.count(Pago.id))) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"valor": "0.00"}, "valor"),
        ({"id_medio_pago": 99}, "id_medio_pago"),
        ({"fecha": None}, "fecha"),
    ],
)
def test_invalid_pago_is_422_on_its_field(api, venta, change, field):
    body = {"fecha": HOY.isoformat(), "valor": "1000.00", "id_medio_pago": 1, **change}
    response = api.post(f"/api/ventas/{venta['id']}/pagos", json=body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_pago_on_an_annulled_venta_is_409(api, venta):
    anulada = api.post(f"/api/ventas/{venta['id']}/anular")
    assert anulada.status_code == 200, anulada.get_json()
    assert pagar(api, venta).status_code == 409


def test_pago_on_unknown_venta_is_404(api):
    response = api.post(
        "/api/ventas/999/pagos", json={"fecha": HOY.isoformat(), "valor": "1", "id_medio_pago": 1}
    )
    assert response.status_code == 404


def test_get_pago_sends_its_etag(api, venta):
    pago = pagar(api, venta).get_json()["data"]
    response = api.get(f"/api/pagos/{pago['id']}")
    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'


def test_admin_deletes_a_pago_and_the_rest_is_reapplied(api, admin_api, db, venta):
    primero = pagar(api, venta).get_json()["data"]
    pagar(api, venta, valor="1000000.00")
    response = admin_api.delete(f"/api/pagos/{primero['id']}")
    assert response.status_code == 204
    cuota = db.session.scalars(db.select(Cuota).where(Cuota.id_venta == venta["id"])).one()
    db.session.refresh(cuota)
    assert str(cuota.valor_pagado) == "1000000.00"


def test_digitador_cannot_delete_a_pago(api, db, venta):
    pago = pagar(api, venta).get_json()["data"]
    assert api.delete(f"/api/pagos/{pago['id']}").status_code == 403
    assert db.session.get(Pago, pago["id"]) is not None


def test_delete_pago_with_a_stale_if_match_is_412(api, admin_api, db, venta):
    pago = pagar(api, venta).get_json()["data"]
    response = admin_api.delete(f"/api/pagos/{pago['id']}", headers={"If-Match": '"9"'})
    assert response.status_code == 412
    assert db.session.get(Pago, pago["id"]) is not None


def test_delete_unknown_pago_is_404(admin_api):
    assert admin_api.delete("/api/pagos/999").status_code == 404


@pytest.mark.parametrize(("campo", "largo"), [("observaciones", 500), ("referencia", 60)])
def test_a_text_longer_than_its_column_is_a_field_error_and_nothing_is_saved(
    api, db, venta, campo, largo
):
    response = pagar(api, venta, **{campo: "x" * (5 * 1024 * 1024)})
    assert response.status_code == 422
    assert response.get_json()["errors"][campo] == [f"No puede tener más de {largo} caracteres."]
    assert db.session.query(Pago).count() == 0


def test_a_payment_dated_before_its_venta_is_refused_by_the_api(api, db, venta):
    body = {"fecha": "2000-01-01", "valor": "1000.00", "id_medio_pago": 2}
    response = api.post(f"/api/ventas/{venta['id']}/pagos", json=body)
    assert response.status_code == 422
    assert "anterior" in response.get_json()["errors"]["fecha"][0]
    assert db.session.query(Pago).count() == 0
