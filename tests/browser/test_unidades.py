"""Journey: an apartment sold with one parking adicional through the venta form; the
total follows the units chosen and the details page shows both units."""

import re

from playwright.sync_api import expect

from admin_app.formatting import today_bogota


def test_a_sale_of_an_apartment_with_a_parking_adicional(as_digitador, live_server, shot):
    page = as_digitador
    page.goto("/admin/ventas/new/")

    page.get_by_label("Venta", exact=True).check()
    page.get_by_label("Buscar cliente por documento o nombre").fill("andina")
    page.get_by_role("option", name=re.compile("Constructora Andina")).click()
    page.get_by_label("Proyecto").select_option(label="Reserva de la Sabana")
    page.get_by_label("Buscar apartamento disponible (torre o número)").fill("302")
    page.get_by_role("option", name=re.compile("302")).click()
    expect(page.get_by_label("Valor total")).to_have_value("320.000.000")

    page.get_by_label("Agregar parqueadero adicional (torre o número)").fill("P-001")
    page.get_by_role("option", name=re.compile("P-001")).click()
    expect(page.locator("#adicionales-lista input:checked")).to_have_count(1)
    expect(page.get_by_label("Valor total")).to_have_value("350.000.000")

    page.get_by_label("Fecha de la operación").fill(today_bogota().isoformat())
    page.get_by_label("Forma de pago").select_option(label="Crédito Hipotecario")
    page.get_by_label("Cuota inicial", exact=True).fill("105000000")
    page.get_by_label("Plazo de la cuota inicial (meses)").fill("12")
    shot("venta-con-adicional-formulario")
    page.get_by_role("button", name="Guardar").click()

    expect(page.get_by_role("heading", name=re.compile(r"^Venta #\d+"))).to_be_visible()
    filas = page.locator("#unidades tbody tr")
    expect(filas).to_have_count(2)
    expect(filas.nth(0)).to_contain_text("Apto 302")
    expect(filas.nth(0)).to_contain_text("Principal")
    expect(filas.nth(1)).to_contain_text("P-001")
    expect(filas.nth(1)).to_contain_text("Adicional")
    expect(filas.nth(1)).to_contain_text("$ 30.000.000")
    shot("venta-con-adicional-detalle")
