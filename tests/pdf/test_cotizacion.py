"""The quote's PDF: its text, extracted with pypdf, carries the figures."""

import io
from datetime import timedelta
from decimal import Decimal as D

from pypdf import PdfReader

from admin_app.formatting import format_date, today_bogota
from admin_app.pdf.cotizacion import pdf_cotizacion
from admin_app.services.cotizaciones import crear_cotizacion, cuotas_de
from admin_app.services.planes_pago import crear_plan
from tests import factories


def texto(contenido: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(contenido)).pages)


def _cotizacion(db, clausulas="Los precios incluyen IVA. “Cláusula” — fija.", **plan):
    proyecto = factories.proyecto(
        nombre="Reserva del Río", ciudad="Medellín", clausulas_cotizacion=clausulas
    )
    apto = factories.apartamento(factories.torre(proyecto, nombre="Torre A"), numero="801")
    plan_pago = crear_plan(
        dict(
            id_proyecto=proyecto.id,
            nombre="Plan 24 meses",
            tipo="mensual",
            valor_separacion=D("5000000"),
            porcentaje_cuota_inicial=D("30"),
            plazo_meses=24,
            descuento_tipo="valor",
            descuento_valor=D("10000000"),
            descuento_sobre="total",
            beneficio="Cocina integral",
            **plan,
        )
    )
    cliente = factories.cliente(documento="1020304050", nombre="María Gómez")
    cotizacion = crear_cotizacion(
        {
            "id_plan_pago": plan_pago.id,
            "id_apartamento": apto.id,
            "documento_cliente": cliente.documento,
        }
    )
    db.session.commit()
    return cotizacion


def test_the_pdf_shows_company_project_client_units_plan_cuotas_validity_and_clauses(app, db):
    cotizacion = _cotizacion(db)
    hoy = today_bogota()
    contenido = pdf_cotizacion(cotizacion, hoy)
    assert contenido.startswith(b"%PDF")
    extraido = texto(contenido)
    for esperado in (
        "Cotización N.° 1",
        "Reserva del Río",
        "María Gómez",
        "1020304050",
        "Torre A - Apto 801",
        "$ 250.000.000",  # the unit's price
        "$ 10.000.000",  # the discount
        "$ 240.000.000",  # valor total
        "$ 72.000.000",  # cuota inicial, 30 %
        "$ 5.000.000",  # separación
        "$ 168.000.000",  # saldo final
        "Plan 24 meses",
        "Cocina integral",
        "Válida hasta:",
        format_date(cotizacion.valida_hasta),
        "Los precios incluyen IVA.",
        '"Cláusula" - fija.',
    ):
        assert esperado in extraido, esperado
    cuotas = cuotas_de(cotizacion)
    assert len(cuotas) == 26
    ultima_inicial = cuotas[-2]
    assert format_date(ultima_inicial.fecha_vencimiento) in extraido
    assert "$ 2.791.666" in extraido  # 67.000.000 / 24, whole pesos
    assert "$ 2.791.682" in extraido  # the remainder on the last


def test_an_expired_quote_says_so(app, db):
    cotizacion = _cotizacion(db, clausulas=None)
    extraido = texto(pdf_cotizacion(cotizacion, cotizacion.valida_hasta + timedelta(days=1)))
    assert "COTIZACIÓN VENCIDA" in extraido
