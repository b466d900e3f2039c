"""Planes de pago and cotizaciones in the admin pages, as a clerk meets them."""

import io
from datetime import timedelta
from decimal import Decimal as D

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from admin_app.formatting import today_bogota
from admin_app.models import Cotizacion, PlanPago, Venta
from admin_app.services.cotizaciones import crear_cotizacion
from admin_app.services.planes_pago import crear_plan

HOY = today_bogota()


def _plan_form(datos, **overrides):
    form = {
        "id_proyecto": str(datos["proyecto"].id),
        "nombre": "Plan 24 meses",
        "tipo": "mensual",
        "valor_separacion": "5.000.000",
        "porcentaje_cuota_inicial": "30",
        "plazo_meses": "24",
        "frecuencia_meses": "1",
        "porcentaje_escritura": "",
        "descuento_tipo": "",
        "descuento_valor": "",
        "descuento_sobre": "total",
        "tasa_interes_anual": "0",
        "beneficio": "",
        "activo": "y",
    }
    form.update(overrides)
    return form


@pytest.fixture
def plan(datos, db):
    obj = crear_plan(
        {
            "id_proyecto": datos["proyecto"].id,
            "nombre": "Plan 24 meses",
            "tipo": "mensual",
            "valor_separacion": D("5000000"),
            "porcentaje_cuota_inicial": D("30"),
            "plazo_meses": 24,
        }
    )
    db.session.commit()
    return obj


def test_an_admin_creates_a_plan_and_the_project_lists_it(admin_client, datos, db):
    response = admin_client.post(
        "/admin/planes_pago/new/", data=_plan_form(datos), follow_redirects=True
    )
    assert response.status_code == 200
    plan = db.session.scalars(select(PlanPago)).one()
    assert (plan.valor_separacion, plan.porcentaje_escritura) == (D("5000000.00"), D("70.00"))
    html = admin_client.get(f"/admin/proyectos/details/?id={datos['proyecto'].id}").get_data(
        as_text=True
    )
    assert "Planes de pago" in html and "Plan 24 meses" in html


def test_percentages_that_do_not_add_to_100_show_on_the_field(admin_client, datos, db):
    response = admin_client.post(
        "/admin/planes_pago/new/", data=_plan_form(datos, porcentaje_escritura="60")
    )
    html = response.get_data(as_text=True)
    assert "no suman 100" in html
    assert db.session.scalar(select(func.count()).select_from(PlanPago)) == 0


def test_a_digitador_reads_the_plans_but_cannot_write_them(digitador_client, datos, plan):
    # The sales staff choose and quote plans (auth/permisos.py: planes_pago:ver);
    # only an admin creates, edits or deletes them.
    listado = digitador_client.get("/admin/planes_pago/")
    assert listado.status_code == 200 and plan.nombre in listado.get_data(as_text=True)
    assert digitador_client.get("/admin/planes_pago/new/").status_code == 403
    assert digitador_client.get(f"/admin/planes_pago/edit/?id={plan.id}").status_code == 403


def test_the_venta_form_calculates_the_plan_without_saving(admin_client, datos, plan, db):
    form = {
        "tipo_operacion": "venta",
        "documento_cliente": "1020304050",
        "id_proyecto": str(datos["proyecto"].id),
        "id_apartamento": str(datos["apartamento"].id),
        "fecha": "2026-01-31",
        "id_plan_pago": str(plan.id),
        "id_forma_pago": "2",
        "calcular": "1",
    }
    html = admin_client.post("/admin/ventas/new/", data=form).get_data(as_text=True)
    assert "$ 75.000.000" in html  # the cuota inicial
    assert "$ 2.916.666" in html  # 70.000.000 / 24
    assert "28/02/2026" in html  # the 31st falls back to the month's last day
    assert db.session.scalar(select(func.count()).select_from(Venta)) == 0

    fragment = admin_client.get(
        f"/admin/ventas/simular/?id_plan_pago={plan.id}"
        f"&id_apartamento={datos['apartamento'].id}&fecha=31/01/2026"
    ).get_data(as_text=True)
    assert "$ 75.000.000" in fragment and "<html" not in fragment.lower()

    del form["calcular"]
    response = admin_client.post("/admin/ventas/new/", data=form, follow_redirects=True)
    assert response.status_code == 200
    venta = db.session.scalars(select(Venta)).one()
    assert (venta.id_plan_pago, venta.cuota_inicial) == (plan.id, D("75000000.00"))


def test_quote_pdf_and_conversion_into_a_separacion(admin_client, datos, plan, db):
    response = admin_client.post(
        "/admin/cotizaciones/new/",
        data={
            "id_plan_pago": str(plan.id),
            "id_apartamento": str(datos["apartamento"].id),
            "documento_cliente": "1020304050",
            "fecha": HOY.strftime("%d/%m/%Y"),
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Cotización N.° 1" in html and "$ 75.000.000" in html
    cotizacion = db.session.scalars(select(Cotizacion)).one()

    pdf = admin_client.get(f"/admin/cotizaciones/pdf/?id={cotizacion.id}")
    assert pdf.mimetype == "application/pdf"
    assert "María Gómez" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()

    lista = admin_client.get("/admin/cotizaciones/").get_data(as_text=True)
    assert "Vigente" in lista and "María Gómez" in lista

    response = admin_client.post(
        f"/admin/cotizaciones/convertir/?id={cotizacion.id}",
        data={
            "tipo_operacion": "separacion",
            "fecha_limite_separacion": (HOY + timedelta(days=10)).strftime("%d/%m/%Y"),
        },
        follow_redirects=True,
    )
    assert "convertida en separación" in response.get_data(as_text=True)
    db.session.expire_all()
    venta = db.session.scalars(select(Venta)).one()
    assert venta.tipo_operacion == "separacion" and venta.valor_total == D("250000000.00")


def test_an_expired_quote_offers_a_copy_not_a_conversion(admin_client, datos, plan, db):
    cotizacion = crear_cotizacion(
        {
            "id_plan_pago": plan.id,
            "id_apartamento": datos["apartamento"].id,
            "documento_cliente": "1020304050",
            "fecha": HOY - timedelta(days=10),
            "valida_hasta": HOY - timedelta(days=2),
        }
    )
    db.session.commit()
    html = admin_client.get(f"/admin/cotizaciones/details/?id={cotizacion.id}").get_data(
        as_text=True
    )
    assert "Vencida" in html and "Copiar a los precios de hoy" in html
    assert "Convertir en separación o venta" not in html
    lista = admin_client.get("/admin/cotizaciones/?flt0_3=vencida").get_data(as_text=True)
    assert "Vencida" in lista
