"""Journey: a separación made with the autocomplete, converted into a venta, paid twice."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from admin_app.formatting import today_bogota

from .conftest import assert_accessible


def _estados(page) -> list[str]:
    celdas = page.locator("table.plan-pagos tbody tr td:last-child")
    return [texto.strip() for texto in celdas.all_inner_texts()]


def _registrar_pago(page, valor: str, referencia: str) -> None:
    page.get_by_role("link", name="Registrar pago").click()
    expect(page.get_by_role("heading", name="Registrar pago")).to_be_visible()
    page.get_by_label("Fecha del pago").fill(today_bogota().isoformat())
    page.get_by_label("Valor", exact=True).fill(valor)
    page.get_by_label("Medio de pago").select_option(label="Transferencia")
    page.get_by_label("Referencia").fill(referencia)
    page.get_by_label("Referencia").press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"^Venta #\d+"))).to_be_visible()


def test_separation_with_autocomplete_becomes_a_sale_and_two_payments_change_the_plan(
    as_digitador, live_server, shot
):
    page = as_digitador
    hoy = today_bogota()
    page.goto("/admin/ventas/new/")

    page.get_by_label("Separación", exact=True).check()
    page.get_by_label("Buscar cliente por documento o nombre").fill("nustes")  # no ñ typed
    page.get_by_role("option", name=re.compile("Camilo Ñustes Páez")).click()
    expect(page.get_by_label("Documento del cliente")).to_have_value(
        live_server["clientes"]["compra"]
    )
    page.get_by_label("Proyecto").select_option(label="Reserva de la Sabana")
    page.get_by_label("Buscar apartamento disponible (torre o número)").fill("401")
    page.get_by_role("option", name=re.compile("401")).click()
    page.get_by_label("Fecha de la operación").fill(hoy.isoformat())
    page.get_by_label("Valor de la separación").fill("5000000")
    page.get_by_label("Fecha límite de la separación").fill((hoy + timedelta(10)).isoformat())
    shot("separacion-formulario")
    page.get_by_role("button", name="Guardar").click()

    expect(page.get_by_role("heading", name=re.compile(r"^Separación #\d+"))).to_be_visible()
    expect(page.locator("#estado-operacion")).to_have_text("Vigente")
    assert _estados(page) == ["Pendiente"]

    page.get_by_text("Convertir en venta", exact=True).first.click()  # opens the <details>
    conversion = page.locator("form[action*='convertir']")
    conversion.get_by_label("Fecha de la venta").fill(hoy.isoformat())
    conversion.get_by_label("Forma de pago").select_option(label="Crédito Hipotecario")
    conversion.get_by_label("Cuota inicial", exact=True).fill("96000000")
    conversion.get_by_label("Plazo de la cuota inicial (meses)").fill("12")
    conversion.get_by_role("button", name="Convertir en venta").click()

    expect(page.get_by_role("heading", name=re.compile(r"^Venta #\d+"))).to_be_visible()
    estados = _estados(page)
    assert len(estados) == 14  # separación + 12 cuotas iniciales + saldo final
    assert set(estados) == {"Pendiente"}

    _registrar_pago(page, "5000000", "TRF-001")  # the deposit
    assert _estados(page)[:2] == ["Pagada", "Pendiente"]

    _registrar_pago(page, "10000000", "TRF-002")  # cuota 2 whole, cuota 3 in part
    assert _estados(page)[:4] == ["Pagada", "Pagada", "Parcial", "Pendiente"]
    expect(page.locator("#pagos tbody tr")).to_have_count(2)
    shot("venta-con-pagos")
    assert_accessible(page, "el detalle de la venta")


def test_enter_in_a_search_picks_the_highlighted_suggestion_without_saving(
    as_digitador, live_server
):
    page = as_digitador
    page.goto("/admin/ventas/new/")
    expect(page.get_by_label("Separación", exact=True)).to_be_focused()  # data-focus-first
    expect(page.get_by_label("Apartamento", exact=True)).to_be_hidden()  # the internal id

    busqueda = page.get_by_label("Buscar cliente por documento o nombre")
    busqueda.fill("hernandez")
    expect(page.get_by_role("option", name=re.compile("Lucía Hernández Ospina"))).to_be_visible()
    expect(busqueda).to_have_attribute("aria-expanded", "true")
    busqueda.press("Enter")

    expect(page.get_by_label("Documento del cliente")).to_have_value(
        live_server["clientes"]["separa"]
    )
    expect(page.locator("#cliente-elegido")).to_contain_text("Lucía Hernández Ospina")
    expect(busqueda).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".campo-error")).to_have_count(0)  # nothing was submitted


def test_a_payment_from_the_pagos_menu_finds_its_operation_by_the_clients_name(
    as_digitador, live_server, shot
):
    page = as_digitador
    page.goto("/admin/pagos/new/")
    busqueda = page.get_by_label("Buscar la venta o separación")
    busqueda.fill("lucia hernandez")  # no accents typed
    opcion = page.get_by_role("option", name=re.compile(r"Separación #\d+ — Lucía Hernández"))
    expect(opcion).to_have_count(1)
    busqueda.press("Enter")  # picks it; must not submit the payment
    expect(page.locator("#operacion-elegida")).to_contain_text("Lucía Hernández Ospina")
    numero = page.get_by_label("Número de la venta o separación").input_value()
    assert numero.isdigit()
    expect(page.locator(".campo-error")).to_have_count(0)

    page.get_by_label("Fecha del pago").fill(today_bogota().isoformat())
    page.get_by_label("Valor", exact=True).fill("1.000.000")
    page.get_by_label("Medio de pago").select_option(label="Efectivo")
    shot("pago-con-autocompletar")
    page.get_by_role("button", name="Guardar").click()

    titulo = page.get_by_role("heading", name=re.compile(rf"^Separación #{numero}\b"))
    expect(titulo).to_be_visible()
    expect(page.get_by_text("Pago de $ 1.000.000 registrado.")).to_be_visible()
    expect(page.locator("#pagos tbody tr")).to_have_count(1)
    expect(page.locator("#pagos tbody tr")).to_contain_text("$ 1.000.000")
    assert _estados(page) == ["Vencida"]  # its due date passed; 4.000.000 still pending
