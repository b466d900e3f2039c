"""Estado de cuenta (as of a date) and the PDFs: their text, extracted with pypdf."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from admin_app.pdf.documentos import (
    estado_cuenta_cliente_pdf,
    estado_cuenta_venta_pdf,
    recibo_pdf,
)
from admin_app.reportes.estado_cuenta import estado_cuenta_cliente, estado_cuenta_venta
from admin_app.services.pagos import eliminar_pago, registrar_pago
from admin_app.services.recibos import recibo_de
from admin_app.services.ventas import anular_operacion, crear_operacion
from tests import factories
from tests.services.conftest import datos_venta

CUOTA = D("5833333.00")


def texto_pdf(contenido: bytes) -> str:
    assert contenido.startswith(b"%PDF")
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(contenido)).pages)


@pytest.fixture
def venta(db):
    proyecto = factories.proyecto(nombre="Altos del Río")
    apto = factories.apartamento(factories.torre(proyecto, nombre="Torre 1"), numero="504")
    cliente = factories.cliente(nombre="María Peña Ñúñez")
    venta = crear_operacion(datos_venta(cliente, apto))
    registrar_pago(venta, fecha=date(2026, 1, 31), valor=D("5000000.00"), id_medio_pago=1)
    registrar_pago(venta, fecha=date(2026, 4, 2), valor=CUOTA, id_medio_pago=2, referencia="TRX-77")
    db.session.commit()
    return venta


def test_estado_cuenta_as_of_a_date_counts_only_the_payments_until_then(venta):
    antes = estado_cuenta_venta(venta, date(2026, 3, 15))
    despues = estado_cuenta_venta(venta, date(2026, 4, 15))

    assert antes.pagado == D("5000000.00") and len(antes.pagos) == 1
    assert [c.estado for c in antes.plan[:3]] == ["Pagada", "Vencida", "Pendiente"]
    assert antes.vencido == CUOTA and antes.cuotas_vencidas == 1
    assert despues.pagado == D("5000000.00") + CUOTA
    assert [c.estado for c in despues.plan[:3]] == ["Pagada", "Pagada", "Vencida"]
    assert despues.total == D("250000000.00")
    assert despues.pendiente == despues.total - despues.pagado
    assert despues.unidades == ["Altos del Río - Torre 1 - Apto 504"]
    assert [p.recibo for p in despues.pagos] == [1, 2]


def test_estado_cuenta_pdf_shows_units_plan_payments_and_totals(venta):
    texto = texto_pdf(estado_cuenta_venta_pdf(estado_cuenta_venta(venta, date(2026, 4, 15))))

    for esperado in (
        "ESTADO DE CUENTA",
        "Al 15/04/2026",
        "María Peña Ñúñez",
        "Altos del Río - Torre 1 - Apto 504",
        "$ 250.000.000",
        "$ 10.833.333",  # pagado
        "$ 239.166.667",  # pendiente
        "Vencida",
        "31/03/2026",
        "TRX-77",
        "000002",
        "Saldo final",
    ):
        assert esperado in texto, esperado


def test_client_statement_lists_every_operation_and_totals_the_standing_ones(venta, db):
    otra = crear_operacion(datos_venta(venta.cliente, factories.apartamento()))
    anular_operacion(otra, "desistió")
    db.session.commit()

    estado = estado_cuenta_cliente(venta.cliente, date(2026, 4, 15))
    texto = texto_pdf(estado_cuenta_cliente_pdf(estado))

    assert [o.id_venta for o in estado.operaciones] == [venta.id, otra.id]
    assert estado.total == D("250000000.00")
    assert "ESTADO DE CUENTA DEL CLIENTE" in texto
    assert f"Venta #{otra.id} (Anulada)" in texto
    assert venta.documento_cliente in texto


def test_recibo_pdf_and_annulled_reprint(venta, db):
    pago = venta.pagos[1]
    recibo = recibo_de(pago)
    texto = texto_pdf(recibo_pdf(recibo))

    for esperado in (
        "RECIBO DE CAJA N.° 000002",
        "02/04/2026",
        "María Peña Ñúñez",
        "$ 5.833.333",
        "Transferencia",
        "TRX-77",
        f"Abono a la venta #{venta.id}",
        "Aplicado a las cuotas",
        "28/02/2026",
    ):
        assert esperado in texto, esperado
    assert "ANULADO" not in texto

    eliminar_pago(pago)
    db.session.commit()
    db.session.refresh(recibo)
    anulado = texto_pdf(recibo_pdf(recibo))
    assert "ANULADO" in anulado and "RECIBO DE CAJA N.° 000002" in anulado
    assert "$ 5.833.333" in anulado
