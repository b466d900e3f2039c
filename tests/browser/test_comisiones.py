"""Journey at 390 px: an asesor sells from his phone, the admin liquidates and pays the
commission, the asesor sees it pagada."""

import re
from datetime import date
from decimal import Decimal

from playwright.sync_api import expect

from admin_app.auth.passwords import hash_password
from admin_app.extensions import db
from admin_app.formatting import today_bogota
from admin_app.models import Cliente, Proyecto, Rol, Usuario
from admin_app.services import comisiones

from .conftest import PASSWORD, login

TELEFONO = {"width": 390, "height": 844}
SIN_DESPLAZAMIENTO = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _asesora(live_server) -> None:
    with live_server["app"].app_context():
        if db.session.scalar(db.select(Usuario).filter_by(username="asesora")) is None:
            asesora = Usuario(
                username="asesora",
                nombre_completo="Sara Asesora",
                rol=Rol.ASESOR,
                password_hash=hash_password(PASSWORD),
            )
            db.session.add(asesora)
            db.session.flush()
            proyecto = db.session.scalar(
                db.select(Proyecto).filter_by(nombre="Reserva de la Sabana")
            )
            comisiones.guardar_politica(
                comisiones.DatosPolitica(
                    proyecto.id, asesora.id, "propia", Decimal("3.00"), date(2020, 1, 1)
                )
            )
            # Her own buyer: other journeys delete or sell to the seed's clients.
            db.session.add(
                Cliente(
                    documento="52999888",
                    nombre="Lucía Compra Móvil",
                    id_tipo_cliente=1,
                    id_tipo_documento=1,
                )
            )
            db.session.commit()
        db.session.remove()


def _sin_desplazamiento(page, nombre: str) -> None:
    assert page.evaluate(SIN_DESPLAZAMIENTO), f"{nombre} se desplaza a los lados a 390 px"


def test_an_asesor_sells_on_a_phone_the_admin_liquidates_and_she_sees_it_paid(
    browser, live_server, shot
):
    _asesora(live_server)
    hoy = today_bogota()
    telefono = browser.new_context(
        base_url=live_server["url"], viewport=TELEFONO, locale="es-CO", is_mobile=True
    )
    page = telefono.new_page()
    login(page, "asesora")
    expect(page.get_by_role("heading", name=re.compile("Hola, Sara Asesora"))).to_be_visible()
    _sin_desplazamiento(page, "Mi inicio")
    page.goto("/admin/clientes/")
    _sin_desplazamiento(page, "Clientes")

    page.goto("/admin/mi-inicio/")
    page.get_by_role("link", name="Nueva venta").click()
    _sin_desplazamiento(page, "El formulario de venta")
    page.get_by_label("Venta", exact=True).check()
    page.get_by_label("Buscar cliente por documento o nombre").fill("Lucía Compra")
    page.get_by_role("option", name=re.compile("Lucía Compra Móvil")).click()
    page.get_by_label("Proyecto").select_option(label="Reserva de la Sabana")
    page.get_by_label("Buscar apartamento disponible (torre o número)").fill("Torre A")
    page.locator(".autocompletar-resultados:not([hidden]) [role=option]").first.click()
    page.get_by_label("Fecha de la operación").fill(hoy.isoformat())
    page.get_by_label("Forma de pago").select_option(label="Crédito Hipotecario")
    page.get_by_label("Cuota inicial", exact=True).fill("96000000")
    page.get_by_label("Plazo de la cuota inicial (meses)").fill("12")
    shot("asesora-venta-390")
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Venta #\d+"))).to_be_visible()
    expect(page.locator("#asesor")).to_have_text("Sara Asesora")
    _sin_desplazamiento(page, "El detalle de la venta")

    admin = browser.new_context(base_url=live_server["url"], locale="es-CO")
    pagina_admin = admin.new_page()
    login(pagina_admin, "admin")
    with live_server["app"].app_context():
        asesora_id = db.session.scalar(db.select(Usuario.id).filter_by(username="asesora"))
        db.session.remove()
    pagina_admin.goto(f"/admin/comisiones/liquidar/?beneficiario={asesora_id}")
    expect(pagina_admin.locator("#total-liquidar")).to_have_text("$ 9.600.000,00")
    pagina_admin.locator("#liquidar").click()
    expect(
        pagina_admin.get_by_role("heading", name=re.compile("^Liquidación LIQ-"))
    ).to_be_visible()
    pagina_admin.get_by_label("Fecha del pago").fill(hoy.isoformat())
    pagina_admin.get_by_label("Referencia").fill("TRF-ASESORA-1")
    pagina_admin.locator("#pagar").click()
    expect(pagina_admin.locator("#estado-liquidacion")).to_have_text("Pagada")
    admin.close()

    page.goto("/admin/mi-inicio/")
    expect(page.locator("#mis-comisiones dd[data-estado='pagada']")).to_have_text("$ 9.600.000,00")
    page.goto("/admin/comisiones/")
    expect(page.locator("table.model-list")).to_contain_text("Pagada")
    shot("asesora-comisiones-390")
    telefono.close()
