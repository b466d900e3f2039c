"""The "Reportes" pages: who sees them, what they show, their links and exports."""

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal as D

import pytest

from admin_app.services.pagos import registrar_pago
from admin_app.services.ventas import DatosOperacion, crear_operacion
from tests import factories

PAGINAS = ("/admin/reporte_cartera/", "/admin/reporte_recaudo/", "/admin/reporte_calendario/")


@pytest.fixture
def venta(db):
    proyecto = factories.proyecto(nombre="Altos del Río")
    apto = factories.apartamento(factories.torre(proyecto), precio=D("250000000.00"))
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
    db.session.commit()
    return venta


@pytest.mark.parametrize("pagina", PAGINAS)
def test_a_digitador_is_refused_the_reports(digitador_client, pagina):
    assert digitador_client.get(pagina).status_code == 403


def test_the_reports_menu_shows_for_admins_only(admin_client, digitador_client):
    assert "Reportes" in admin_client.get("/admin/").get_data(as_text=True)
    assert "Cartera por edades" not in digitador_client.get("/admin/").get_data(as_text=True)


def test_cartera_page_shows_the_buckets_chart_and_links_to_the_cuotas(admin_client, venta):
    html = admin_client.get("/admin/reporte_cartera/?fecha=2026-04-15").get_data(as_text=True)

    assert "Cartera por edades" in html
    assert "15/04/2026" in html
    assert "Altos del Río" in html
    # Cuotas due 28/02 and 31/03, unpaid on 15/04: 46 and 15 days overdue.
    assert html.count("$ 5.833.333") >= 2
    assert "$ 11.666.666" in html
    assert "<svg" in html
    assert "/admin/reporte_cartera/cuotas/?" in html

    cuotas = admin_client.get("/admin/reporte_cartera/cuotas/?fecha=2026-04-15&tramo=d1_30")
    texto = cuotas.get_data(as_text=True)
    assert cuotas.status_code == 200
    assert f"#{venta.id}" in texto and "31/03/2026" in texto and "$ 5.833.333" in texto
    assert "28/02/2026" not in texto


def test_cartera_by_client_names_the_client(admin_client, venta):
    html = admin_client.get("/admin/reporte_cartera/?fecha=2026-04-15&agrupar=cliente").get_data(
        as_text=True
    )
    assert "Óscar Muñoz" in html and venta.documento_cliente in html


def test_a_wrong_date_is_ignored_with_a_message(admin_client, venta):
    html = admin_client.get("/admin/reporte_cartera/?fecha=2026-13-45").get_data(as_text=True)
    assert "Se ignoró la fecha" in html


def test_cartera_exports_csv_and_xlsx(admin_client, venta):
    respuesta = admin_client.get("/admin/reporte_cartera/exportar/csv/?fecha=2026-04-15")
    filas = list(csv.reader(io.StringIO(respuesta.get_data(as_text=True).lstrip("\ufeff"))))
    assert filas[0][:2] == ["Proyecto", "1 a 30 días"]
    assert filas[1][:3] == ["Altos del Río", "5833333.00", "5833333.00"]

    xlsx = admin_client.get("/admin/reporte_cartera/exportar/xlsx/?fecha=2026-04-15")
    assert xlsx.status_code == 200
    hoja = zipfile.ZipFile(io.BytesIO(xlsx.data)).read("xl/worksheets/sheet1.xml").decode()
    assert "Altos del Río" in hoja and "<v>5833333.00</v>" in hoja

    cuotas = admin_client.get("/admin/reporte_cartera/cuotas/exportar/csv/?fecha=2026-04-15")
    assert cuotas.get_data(as_text=True).count("5833333.00") == 4  # 2 cuotas x valor, pendiente


def test_recaudo_page_and_export(admin_client, venta):
    url = "/admin/reporte_recaudo/?desde=2026-01-01&hasta=2026-03-31&agrupar=mes"
    html = admin_client.get(url).get_data(as_text=True)
    assert "ene 2026" in html and "$ 5.000.000" in html and "Efectivo" in html
    assert "<svg" in html

    csv_texto = admin_client.get(
        "/admin/reporte_recaudo/exportar/csv/?desde=2026-01-01&hasta=2026-03-31"
    ).get_data(as_text=True)
    assert "ene 2026,5000000.00" in csv_texto

    pagos = admin_client.get(
        "/admin/reporte_recaudo/pagos/?desde=2026-01-01&hasta=2026-03-31&medio=Efectivo"
    ).get_data(as_text=True)
    assert "31/01/2026" in pagos and "$ 5.000.000" in pagos


def test_calendario_page_and_export(admin_client, venta):
    html = admin_client.get(
        "/admin/reporte_calendario/?desde=2026-01-01&hasta=2027-02-28"
    ).get_data(as_text=True)
    assert "feb 2027" in html and "$ 175.000.000" in html and "Saldo final" in html

    xlsx = admin_client.get(
        "/admin/reporte_calendario/exportar/xlsx/?desde=2026-01-01&hasta=2027-02-28"
    )
    hoja = zipfile.ZipFile(io.BytesIO(xlsx.data)).read("xl/worksheets/sheet1.xml").decode()
    assert "feb 2027" in hoja and "<v>175000000.00</v>" in hoja


def test_an_unknown_export_format_is_not_found(admin_client, venta):
    assert admin_client.get("/admin/reporte_cartera/exportar/pdf/").status_code == 404


def test_dashboard_filters_by_period_and_project(admin_client, venta):
    html = admin_client.get("/admin/?periodo=6&proyecto=999999").get_data(as_text=True)
    assert "Recaudo de los últimos 6 meses" in html
    assert "Velocidad de ventas" in html and "Meses de inventario a ese ritmo" in html
    assert "(últimos 6 meses, sin anuladas)" in html

    html = admin_client.get("/admin/").get_data(as_text=True)
    assert "Recaudo de este mes" in html and "Altos del Río" in html


def test_calendario_links_each_month_to_its_cuotas(admin_client, venta):
    html = admin_client.get(
        "/admin/reporte_calendario/?desde=2026-01-01&hasta=2027-02-28"
    ).get_data(as_text=True)
    assert "/admin/reporte_calendario/cuotas/?mes=2027-02-01" in html

    cuotas = admin_client.get(
        "/admin/reporte_calendario/cuotas/?mes=2027-02-01&concepto=Saldo+final"
    ).get_data(as_text=True)
    assert "Saldo final" in cuotas and "$ 175.000.000" in cuotas and f"#{venta.id}" in cuotas
    assert "Cuota inicial" not in cuotas
