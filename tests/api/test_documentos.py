"""Estados de cuenta (JSON or PDF) and recibos de caja in the API."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from admin_app.services.pagos import registrar_pago
from admin_app.services.ventas import DatosOperacion, crear_operacion
from tests import factories

PDF = {"Accept": "application/pdf"}


def texto_pdf(contenido: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(contenido)).pages)


@pytest.fixture
def venta(db):
    apto = factories.apartamento(precio=D("250000000.00"))
    cliente = factories.cliente(nombre="Óscar Muñoz")
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
    registrar_pago(venta, fecha=date(2026, 4, 2), valor=D("5833333.00"), id_medio_pago=2)
    db.session.commit()
    return venta


def test_venta_estado_cuenta_json_as_of_a_date(api, venta):
    response = api.get(f"/api/ventas/{venta.id}/estado_cuenta?fecha=2026-03-15")
    data = response.get_json()["data"]

    assert response.status_code == 200
    assert data["fecha"] == "2026-03-15"
    assert data["pagado"] == "5000000.00"
    assert data["vencido"] == "5833333.00"
    assert [c["estado"] for c in data["plan"][:3]] == ["Pagada", "Vencida", "Pendiente"]
    assert data["pagos"] == [
        {
            "id": venta.pagos[0].id,
            "fecha": "2026-01-31",
            "valor": "5000000.00",
            "medio_pago": "Efectivo",
            "referencia": None,
            "recibo": 1,
        }
    ]


def test_venta_estado_cuenta_as_pdf(api, venta):
    response = api.get(f"/api/ventas/{venta.id}/estado_cuenta", headers=PDF)

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "Óscar Muñoz" in texto_pdf(response.data)


def test_cliente_estado_cuenta_json_and_pdf(api, venta):
    data = api.get(f"/api/clientes/{venta.documento_cliente}/estado_cuenta").get_json()["data"]
    assert data["nombre"] == "Óscar Muñoz"
    assert [o["id_venta"] for o in data["operaciones"]] == [venta.id]
    assert data["pagado"] == "10833333.00"

    pdf = api.get(f"/api/clientes/{venta.documento_cliente}/estado_cuenta", headers=PDF)
    assert "ESTADO DE CUENTA DEL CLIENTE" in texto_pdf(pdf.data)


def test_recibo_pdf_of_a_payment(api, venta):
    response = api.get(f"/api/pagos/{venta.pagos[1].id}/recibo")

    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "RECIBO DE CAJA N.° 000002" in texto_pdf(response.data)


@pytest.mark.parametrize(
    ("url", "codigo"),
    [
        ("/api/ventas/9999/estado_cuenta", 404),
        ("/api/clientes/NOEXISTE/estado_cuenta", 404),
        ("/api/pagos/9999/recibo", 404),
        ("/api/ventas/1/estado_cuenta?fecha=2026-02-30", 422),
    ],
)
def test_unknown_rows_and_bad_dates(api, venta, url, codigo):
    assert api.get(url).status_code == codigo
