"""Journeys on the clientes pages: create with a field error, search, filter, export."""

import csv
import io
import re
from datetime import UTC, datetime

import openpyxl
import pytest
from playwright.sync_api import expect

from admin_app.documentos import format_nit
from admin_app.extensions import db
from admin_app.models import Cliente

from .conftest import assert_accessible


def _fila(page, texto: str):
    return page.locator("table.model-list tbody tr").filter(has_text=texto)


def _buscar(page, texto: str) -> None:
    caja = page.get_by_role("textbox", name="Buscar en la lista")
    caja.fill(texto)
    caja.press("Enter")
    page.wait_for_load_state()


def test_digitador_creates_a_client_after_fixing_an_invalid_nit_and_finds_it_by_name(
    as_digitador, shot
):
    page = as_digitador
    nit = format_nit("811045123")
    malo = nit[:-1] + str((int(nit[-1]) + 1) % 10)

    page.goto("/admin/clientes/")
    expect(page.locator('input[name="search"]')).to_be_focused()
    page.get_by_role("link", name="Crear", exact=True).click()
    expect(page.get_by_label("Documento", exact=True)).to_be_focused()

    page.get_by_label("Documento", exact=True).fill(malo)
    page.get_by_label("Nombre", exact=True).fill("Inversiones Peñalosa & Cía S.A.S.")
    page.get_by_label("Tipo de cliente", exact=True).select_option(label="Persona Jurídica")
    page.get_by_label("Tipo de documento", exact=True).select_option(
        label="NIT - Número de Identificación Tributaria"
    )
    page.get_by_label("Correo", exact=True).fill("gerencia@penalosa.com.co")
    page.get_by_label("Correo", exact=True).press("Enter")  # Enter saves

    documento = page.get_by_label("Documento", exact=True)
    expect(documento).to_have_attribute("aria-invalid", "true")
    expect(documento).to_be_focused()
    error = page.locator(f"#{documento.get_attribute('aria-describedby').split()[-1]}")
    expect(error).to_contain_text("dígito de verificación")
    expect(page.get_by_label("Nombre", exact=True)).to_have_value(
        "Inversiones Peñalosa & Cía S.A.S."
    )
    shot("cliente-nit-invalido")
    assert_accessible(page, "el formulario de cliente con errores")

    documento.fill(f"{nit[:3]}.{nit[3:6]}.{nit[6:]}")  # with dots, as people write it
    documento.press("Enter")

    expect(page).to_have_url(re.compile(r"/admin/clientes/(\?.*)?$"))
    for texto in ("penalosa", "PEÑALOSA", "inversiones peñal"):
        _buscar(page, texto)
        expect(_fila(page, nit)).to_contain_text("Inversiones Peñalosa & Cía S.A.S.")
    shot("cliente-encontrado")


@pytest.fixture
def clientes_de_marzo(live_server):
    """Three clients created in March 2024 and one in May: the filter's cases."""
    filas = [
        ("800100200", "Fiduciaria Marzo Uno S.A.", 2, datetime(2024, 3, 10, 15, tzinfo=UTC)),
        ("800100300", "Fiduciaria Marzo Dos S.A.", 2, datetime(2024, 3, 20, 15, tzinfo=UTC)),
        ("71222333", "Natalia Marzo Restrepo", 1, datetime(2024, 3, 15, 15, tzinfo=UTC)),
        ("800100400", "Fiduciaria Mayo S.A.", 2, datetime(2024, 5, 1, 15, tzinfo=UTC)),
    ]
    with live_server["app"].app_context():
        for documento, nombre, tipo, creado in filas:
            if tipo == 2:
                documento = format_nit(documento)
            db.session.add(
                Cliente(
                    documento=documento,
                    nombre=nombre,
                    id_tipo_cliente=tipo,
                    id_tipo_documento=2 if tipo == 2 else 1,
                    created_at=creado,
                )
            )
        db.session.commit()
        db.session.remove()
    return [format_nit("800100200"), format_nit("800100300")]


def _agregar_filtro(page, nombre: str) -> None:
    page.get_by_role("link", name="Añadir filtro").click()
    page.locator(".field-filters").get_by_text(nombre, exact=True).click()


def test_clients_filtered_by_tipo_and_date_export_to_csv_and_xlsx(
    as_digitador, clientes_de_marzo, tmp_path, shot
):
    page = as_digitador
    page.goto("/admin/clientes/")

    _agregar_filtro(page, "Tipo de cliente")
    fila_tipo = page.locator("table.filters tr").last
    fila_tipo.locator(".select2-container").last.click()  # the value list is a select2
    page.locator(".select2-result-label", has_text="Persona Jurídica").click()
    _agregar_filtro(page, "Creado")
    fila_fecha = page.locator("table.filters tr").last
    expect(fila_fecha.locator(".select2-chosen").first).to_have_text("entre")
    fila_fecha.locator("input.filter-val").fill("2024-03-01 to 2024-03-31")
    page.get_by_role("button", name="Aplicar").click()

    filas = page.locator("table.model-list tbody tr")
    expect(filas).to_have_count(2)
    for documento in clientes_de_marzo:
        expect(_fila(page, documento)).to_have_count(1)
    shot("clientes-filtrados")

    esperados = sorted(clientes_de_marzo)
    for formato in ("CSV", "XLSX"):
        page.get_by_role("button", name="Exportar", exact=True).click()
        with page.expect_download() as descarga:
            page.get_by_role("link", name=f"Exportar {formato}").click()
        destino = tmp_path / descarga.value.suggested_filename
        descarga.value.save_as(destino)
        if formato == "CSV":
            filas_archivo = list(csv.reader(io.StringIO(destino.read_text("utf-8-sig"))))
        else:
            libro = openpyxl.load_workbook(destino, read_only=True)  # holds the file open
            try:
                filas_archivo = [
                    [str(c or "") for c in fila]
                    for fila in libro.active.iter_rows(values_only=True)
                ]
            finally:
                libro.close()
        encabezado, *datos = filas_archivo
        assert encabezado[:2] == ["Documento", "Nombre"]
        assert sorted(fila[0] for fila in datos) == esperados, formato


def test_admin_cannot_delete_a_client_with_sales_but_deletes_one_without(
    as_admin, live_server, shot
):
    page = as_admin
    con_ventas = live_server["clientes"]["juridica"]
    sin_ventas = live_server["clientes"]["sin_ventas"]
    page.goto("/admin/clientes/")

    # From the row's trash icon: the preview says why, and offers no delete button.
    _buscar(page, con_ventas)
    _fila(page, con_ventas).get_by_role("link", name="Eliminar").click()
    expect(page.locator(".delete-blockers")).to_contain_text("No se puede eliminar")
    expect(page.get_by_role("button", name="Eliminar definitivamente")).to_have_count(0)
    shot("eliminar-cliente-con-ventas")
    page.get_by_role("link", name="Volver").click()

    # From the bulk action: refused with the client's name, nothing deleted.
    _fila(page, con_ventas).get_by_role("checkbox").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Con seleccionados").click()
    page.locator(".dropdown-menu").get_by_role("link", name="Eliminar", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(live_server["nombres"]["juridica"])
    _buscar(page, con_ventas)
    expect(_fila(page, con_ventas)).to_have_count(1)

    _buscar(page, sin_ventas)
    _fila(page, sin_ventas).get_by_role("link", name="Eliminar").click()
    page.get_by_role("button", name="Eliminar definitivamente").click()
    expect(page.get_by_role("status")).to_be_visible()
    _buscar(page, sin_ventas)
    expect(page.locator("table.model-list tbody tr")).to_have_count(1)
    expect(_fila(page, sin_ventas)).to_have_count(0)


def test_client_details_with_sales_passes_the_accessibility_audit(as_digitador, live_server):
    # Every page's first row is audited by the crawl (test_paginas.py); this client has the
    # operations table the crawl's first row (a client without sales) does not show.
    page = as_digitador
    page.goto(f"/admin/clientes/details/?id={live_server['clientes']['juridica']}")
    expect(page.locator("#operaciones-cliente tr.operacion")).not_to_have_count(0)
    assert_accessible(page, "el detalle del cliente")
