"""/api/reportes: cartera, recaudo and calendario; 403 for a digitador, 422 for bad input."""

from datetime import date
from decimal import Decimal as D

import pytest

from admin_app.services.pagos import registrar_pago
from admin_app.services.ventas import DatosOperacion, crear_operacion
from tests import factories


@pytest.fixture
def venta(db):
    proyecto = factories.proyecto(nombre="Altos del Río")
    apto = factories.apartamento(factories.torre(proyecto), precio=D("250000000.00"))
    cliente = factories.cliente()
    venta = crear_operacion(
        DatosOperacion(
            tipo_operacion="venta",
            documento_cliente=cliente.documento,
            id_apartamento=apto.id,
            fecha=date(2026, 1, 31),
            valor_separacion=D("5000000.00"),
            id_forma_pago=2,
            cuota_inicial=D("75000000.00"),
            plazo_cuota_inicial_meses=12,
        )
    )
    registrar_pago(venta, fecha=date(2026, 1, 31), valor=D("5000000.00"), id_medio_pago=1)
    registrar_pago(venta, fecha=date(2026, 5, 2), valor=D("5833333.00"), id_medio_pago=2)
    db.session.commit()
    return venta


@pytest.mark.parametrize(
    "url",
    [
        "/api/reportes/cartera",
        "/api/reportes/recaudo?desde=2026-01-01&hasta=2026-12-31",
        "/api/reportes/calendario?desde=2026-01-01&hasta=2026-12-31",
    ],
)
def test_a_digitador_gets_403(api, url):
    response = api.get(url)
    assert response.status_code == 403
    # The permission table answers first (auth/permisos.py: reportes:ver).
    assert response.get_json()["message"] == "Su rol (Digitador) no permite esta acción."


def test_cartera_as_of_a_date_leaves_out_later_payments(admin_api, venta):
    data = admin_api.get("/api/reportes/cartera?fecha=2026-04-15").get_json()["data"]

    assert data["fecha"] == "2026-04-15"
    assert data["totales"] == {
        "d1_30": "5833333.00",
        "d31_60": "5833333.00",
        "d61_90": "0.00",
        "d90": "0.00",
    }
    assert data["total"] == "11666666.00"
    assert data["filas"][0]["nombre"] == "Altos del Río"
    assert data["cuotas"] == 2


def test_cartera_by_client_and_unknown_project(admin_api, venta):
    data = admin_api.get("/api/reportes/cartera?fecha=2026-04-15&agrupar=cliente").get_json()
    assert data["data"]["filas"][0]["clave"] == venta.documento_cliente

    response = admin_api.get("/api/reportes/cartera?proyecto=9999")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"proyecto": ["El proyecto no existe."]}


def test_recaudo_by_month(admin_api, venta):
    response = admin_api.get("/api/reportes/recaudo?desde=2026-01-01&hasta=2026-06-30&agrupar=mes")
    data = response.get_json()["data"]

    assert response.status_code == 200
    assert len(data["filas"]) == 6
    assert data["filas"][0]["por_medio"]["Efectivo"] == "5000000.00"
    assert data["filas"][4]["por_medio"]["Transferencia"] == "5833333.00"
    assert data["total"] == "10833333.00"
    assert data["por_proyecto"] == {"Altos del Río": "10833333.00"}


@pytest.mark.parametrize(
    ("query", "campo"),
    [
        ("desde=2026-02-01&hasta=2026-01-01", "hasta"),
        ("desde=2026-01-01", "hasta"),
        ("desde=2026-01-01&hasta=2026-12-31&agrupar=anio", "agrupar"),
        ("desde=1999-01-01&hasta=2026-12-31", "desde"),
    ],
)
def test_recaudo_refuses_bad_ranges_with_422(admin_api, query, campo):
    response = admin_api.get(f"/api/reportes/recaudo?{query}")
    assert response.status_code == 422
    assert campo in response.get_json()["errors"]


def test_calendario_by_month(admin_api, venta):
    data = admin_api.get("/api/reportes/calendario?desde=2027-01-01&hasta=2027-02-28").get_json()[
        "data"
    ]

    assert [f["mes"] for f in data["filas"]] == [1, 2]
    assert data["filas"][1]["programado"]["Saldo final"] == "175000000.00"
    assert data["por_proyecto"]["Altos del Río"]["pendiente"] == data["total_pendiente"]
