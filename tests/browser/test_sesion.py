"""Journeys: logging in, the dashboard, logging out."""

import re

from playwright.sync_api import expect

from .conftest import PASSWORD, assert_accessible


def test_login_lands_on_the_dashboard_and_logout_hides_data_from_the_back_button(
    page, live_server, shot
):
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/login\?next=/admin/"))
    expect(page.get_by_label("Usuario")).to_be_focused()

    page.get_by_label("Usuario").fill("digitador")
    page.get_by_label("Contraseña").fill("no-es-la-clave")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Usuario o contraseña incorrectos.")

    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_label("Contraseña").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tablero")
    vencidas = page.locator("#tabla-vencidas")
    expect(vencidas).to_contain_text(live_server["nombres"]["juridica"])
    expect(vencidas.get_by_role("link").first).to_have_attribute(
        "href", f"/admin/ventas/details/?id={live_server['id_venta']}"
    )
    expect(page.locator("#tabla-por-caducar")).to_contain_text(live_server["nombres"]["separa"])
    expect(page.get_by_text("Diego Digitador (Digitador)")).to_be_visible()
    shot("tablero")

    page.get_by_role("button", name="Cerrar sesión").click()
    expect(page.get_by_role("status")).to_have_text("Sesión cerrada.")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("heading", name="Ingresar al back office")).to_be_visible()
    assert live_server["nombres"]["juridica"] not in page.content()
    assert page.errores_js == []


def test_skip_link_is_the_first_tab_stop_and_jumps_to_the_content(as_digitador):
    page = as_digitador
    page.goto("/admin/")
    page.locator("body").focus()

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Saltar al contenido")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page.locator("main#contenido")).to_be_focused()


def test_dashboard_fits_a_tablet_without_horizontal_scroll(as_digitador, shot):
    page = as_digitador
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto("/admin/")

    expect(page.get_by_role("heading", name="Recaudo de este mes")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot("tablero-tableta")


def test_login_page_passes_the_accessibility_audit(page):
    page.goto("/login")
    assert_accessible(page, "el ingreso")

    page.get_by_role("button", name="Ingresar").click()  # both fields empty: errors shown
    expect(page.locator("#username")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "el ingreso con errores")
