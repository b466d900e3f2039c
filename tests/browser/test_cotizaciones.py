"""Journey: a quote for a client, its PDF downloaded, converted into a separación."""

import io
import re
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from admin_app.formatting import today_bogota

from .conftest import assert_accessible


def test_quote_download_the_pdf_and_convert_it_into_a_separacion(as_digitador, live_server, shot):
    page = as_digitador
    hoy = today_bogota()
    page.goto("/admin/cotizaciones/new/")
    page.get_by_label("Plan de pago").select_option(label="Reserva de la Sabana — Mensual 24 meses")
    page.get_by_label("Apartamento (número interno)").fill(
        str(live_server["id_apartamento_cotizar"])
    )
    page.get_by_label("Documento del cliente").fill(live_server["clientes"]["cotiza"])
    shot("cotizacion-formulario")
    page.get_by_role("button", name="Guardar").click()

    expect(page.get_by_role("heading", name=re.compile(r"^Cotización N\.° \d+"))).to_be_visible()
    expect(page.locator("#estado-cotizacion")).to_have_text("Vigente")
    expect(page.locator("#resumen-cuota-inicial")).to_contain_text("$ 96.000.000")
    assert_accessible(page, "el detalle de la cotización")

    with page.expect_download() as descarga:
        page.get_by_role("link", name="Descargar PDF").click()
    contenido = Path(descarga.value.path()).read_bytes()
    texto = PdfReader(io.BytesIO(contenido)).pages[0].extract_text()
    assert live_server["nombres"]["cotiza"] in texto and "$ 320.000.000" in texto

    page.get_by_text("Convertir en separación o venta", exact=True).click()
    conversion = page.locator("form[action*='convertir']")
    conversion.get_by_label("Separación", exact=True).check()
    conversion.get_by_label("Fecha límite de la separación").fill(
        (hoy + timedelta(days=10)).isoformat()
    )
    shot("cotizacion-convertir")
    conversion.get_by_role("button", name="Convertir").click()

    expect(page.get_by_role("heading", name=re.compile(r"^Separación #\d+"))).to_be_visible()
    expect(page.locator("#estado-operacion")).to_have_text("Vigente")
