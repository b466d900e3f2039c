"""Ventas y separaciones in the admin pages: the rules of docs/dominio.md as a clerk meets them."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from admin_app.formatting import today_bogota
from admin_app.models import Apartamento, Cuota, Pago, Venta
from admin_app.services import pagos as servicio_pagos
from tests import factories
from tests.admin._html import campos_sin_label, etiquetas, por_id

HOY = today_bogota()


def _venta_form(datos, **overrides):
    form = {
        "tipo_operacion": "venta",
        "documento_cliente": datos["cliente"].documento,
        "id_proyecto": str(datos["proyecto"].id),
        "id_apartamento": str(datos["apartamento"].id),
        "fecha": HOY.isoformat(),
        "valor_total": "",
        "valor_separacion": "0",
        "id_forma_pago": "2",
        "cuota_inicial": "75.000.000",
        "plazo_cuota_inicial_meses": "12",
        "tasa_interes_anual": "0",
    }
    form.update(overrides)
    return form


def _separacion_form(datos, **overrides):
    form = _venta_form(
        datos,
        tipo_operacion="separacion",
        valor_separacion="5000000",
        fecha_limite_separacion=(HOY + timedelta(days=10)).isoformat(),
        cuota_inicial="",
        plazo_cuota_inicial_meses="",
        id_forma_pago="",
    )
    form.update(overrides)
    return form


def _estado_apartamento(db, apto_id) -> str:
    db.session.expire_all()
    return db.session.get(Apartamento, apto_id).estado.nombre


def _crear(client, form):
    return client.post("/admin/ventas/new/", data=form, follow_redirects=True)


def _unica_venta(db) -> Venta:
    db.session.expire_all()
    return db.session.scalars(db.select(Venta)).one()


def test_new_form_is_prefilled_from_the_client_page(admin_client, datos):
    html = admin_client.get(
        "/admin/ventas/new/?documento_cliente=1020304050&tipo_operacion=separacion"
    ).get_data(as_text=True)
    assert 'value="1020304050"' in html
    assert "María Gómez" in html
    assert re.search(
        r'<input[^>]*checked[^>]*value="separacion"|<input[^>]*value="separacion"[^>]*checked', html
    )


def test_new_form_shows_the_project_rules(admin_client, datos):
    html = _crear(admin_client, _venta_form(datos, cuota_inicial="")).get_data(as_text=True)
    assert "Separación mínima: $ 5.000.000." in html
    assert "Cuota inicial mínima: 30 % del valor total." in html


def test_digitador_creates_a_venta_and_sees_its_plan(digitador_client, datos, db):
    response = _crear(digitador_client, _venta_form(datos))
    html = response.get_data(as_text=True)
    assert "Venta #" in html and "registrada" in html
    assert html.count("Cuota inicial</td>") == 12
    assert "Saldo final" in html
    assert "$ 175.000.000" in html
    venta = _unica_venta(db)
    assert venta.valor_total == Decimal("250000000.00")  # the apartment's price by default
    assert _estado_apartamento(db, datos["apartamento"].id) == "Vendido"


def test_admin_creates_a_separacion_with_its_single_cuota(admin_client, datos, db):
    html = _crear(admin_client, _separacion_form(datos)).get_data(as_text=True)
    assert "Separación #" in html and "registrada" in html
    venta = _unica_venta(db)
    assert [c.concepto for c in venta.cuotas] == ["Separación"]
    assert _estado_apartamento(db, datos["apartamento"].id) == "Separado"


@pytest.mark.parametrize(
    ("builder", "overrides", "campo", "mensaje"),
    [
        (_separacion_form, {"valor_separacion": "1000000"}, "valor_separacion", "al menos"),
        (
            _separacion_form,
            {"fecha_limite_separacion": (HOY + timedelta(days=31)).isoformat()},
            "fecha_limite_separacion",
            "La fecha límite debe estar entre",
        ),
        (_venta_form, {"cuota_inicial": "10000000"}, "cuota_inicial", "al menos el 30 %"),
        (_venta_form, {"cuota_inicial": "300000000"}, "cuota_inicial", "no puede superar"),
        (
            _venta_form,
            {"valor_separacion": "80000000"},
            "valor_separacion",
            "no puede superar la cuota inicial",
        ),
        (_venta_form, {"plazo_cuota_inicial_meses": "37"}, "plazo_cuota_inicial_meses", "entre 1"),
        (_venta_form, {"plazo_cuota_inicial_meses": "0"}, "plazo_cuota_inicial_meses", "entre 1"),
        (_venta_form, {"id_forma_pago": ""}, "id_forma_pago", "forma de pago"),
        (_venta_form, {"documento_cliente": "999"}, "documento_cliente", "No existe un cliente"),
        (_venta_form, {"cuota_inicial": "abc"}, "cuota_inicial", "Escriba un valor en pesos"),
    ],
)
def test_a_broken_rule_is_shown_on_its_field_and_nothing_is_saved(
    admin_client, datos, db, builder, overrides, campo, mensaje
):
    response = admin_client.post("/admin/ventas/new/", data=builder(datos, **overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    errores = [line for line in html.splitlines() if f'data-campo="{campo}"' in line]
    assert errores and mensaje in errores[0]
    assert db.session.scalars(db.select(Venta)).first() is None
    assert _estado_apartamento(db, datos["apartamento"].id) == "Disponible"


def test_a_failed_save_keeps_what_was_typed(admin_client, datos):
    html = admin_client.post(
        "/admin/ventas/new/",
        data=_venta_form(datos, cuota_inicial="10.000.000", observaciones="Cliente referido"),
    ).get_data(as_text=True)
    assert 'value="10.000.000"' in html
    assert "Cliente referido" in html
    assert "Cliente: María Gómez (1020304050)" in html
    assert "Apartamento: Reserva del Río - Torre A - Apto 101" in html


def test_an_apartment_already_taken_is_refused_with_a_message(admin_client, datos, db):
    _crear(admin_client, _separacion_form(datos))
    otro = factories.cliente(documento="55555555")
    db.session.commit()
    response = admin_client.post(
        "/admin/ventas/new/", data=_venta_form(datos, documento_cliente=otro.documento)
    )
    html = response.get_data(as_text=True)
    assert "no está disponible" in html
    assert db.session.scalars(db.select(Venta)).all().__len__() == 1


def _separacion(admin_client, datos, db) -> Venta:
    _crear(admin_client, _separacion_form(datos))
    return _unica_venta(db)


def test_converting_a_separacion_keeps_the_row_and_its_deposit(admin_client, datos, db):
    venta = _separacion(admin_client, datos, db)
    response = admin_client.post(
        f"/admin/ventas/convertir/?id={venta.id}",
        data={
            "fecha": HOY.isoformat(),
            "valor_total": "250000000",
            "id_forma_pago": "2",
            "cuota_inicial": "75000000",
            "plazo_cuota_inicial_meses": "6",
            "tasa_interes_anual": "0",
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "ahora es una venta" in html
    venta = _unica_venta(db)
    assert venta.tipo_operacion == "venta"
    assert [c.concepto for c in venta.cuotas][:2] == ["Separación", "Cuota inicial"]
    assert _estado_apartamento(db, datos["apartamento"].id) == "Vendido"


def test_a_conversion_breaking_a_rule_shows_the_message_on_the_field(admin_client, datos, db):
    venta = _separacion(admin_client, datos, db)
    html = admin_client.post(
        f"/admin/ventas/convertir/?id={venta.id}",
        data={
            "fecha": HOY.isoformat(),
            "id_forma_pago": "2",
            "cuota_inicial": "1000",
            "plazo_cuota_inicial_meses": "6",
        },
    ).get_data(as_text=True)
    assert "al menos el 30 %" in html
    assert _unica_venta(db).tipo_operacion == "separacion"


def test_annulling_frees_the_apartment_and_keeps_the_record(admin_client, datos, db):
    venta = _separacion(admin_client, datos, db)
    html = admin_client.post(
        f"/admin/ventas/anular/?id={venta.id}",
        data={"motivo_anulacion": "Desistió"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "anulada" in html
    venta = _unica_venta(db)
    assert (venta.estado_operacion, venta.motivo_anulacion) == ("anulada", "Desistió")
    assert _estado_apartamento(db, datos["apartamento"].id) == "Disponible"


def test_bulk_annul_reports_each_row(admin_client, datos, db):
    venta = _separacion(admin_client, datos, db)
    admin_client.post(f"/admin/ventas/anular/?id={venta.id}", data={})
    otro = factories.apartamento(datos["apartamento"].torre, numero="102")
    db.session.commit()
    _crear(admin_client, _separacion_form(datos, id_apartamento=str(otro.id)))
    segunda = db.session.scalars(db.select(Venta).where(Venta.id != venta.id)).one()
    html = admin_client.post(
        "/admin/ventas/action/",
        data={"action": "anular", "rowid": [str(venta.id), str(segunda.id)]},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert f"Operaciones anuladas: #{segunda.id}." in html
    assert "está anulada" in html


def test_payments_change_the_cuota_estados_on_the_details_page(admin_client, datos, db):
    _crear(admin_client, _venta_form(datos, valor_separacion="5000000"))
    venta = _unica_venta(db)
    html = admin_client.post(
        "/admin/pagos/new/",
        data={
            "id_venta": str(venta.id),
            "fecha": HOY.isoformat(),
            "valor": "7000000",
            "id_medio_pago": "2",
            "referencia": "TRX-1",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Pago de $ 7.000.000 registrado." in html
    assert "cuota-pagada" in html and "cuota-parcial" in html
    assert "$ 7.000.000" in html  # pagado total


def test_overdue_cuotas_are_marked(admin_client, datos, db):
    _crear(
        admin_client,
        _venta_form(datos, fecha=(HOY - timedelta(days=70)).isoformat(), valor_separacion="0"),
    )
    html = admin_client.get(f"/admin/ventas/details/?id={_unica_venta(db).id}").get_data(
        as_text=True
    )
    assert 'class="cuota-vencida' in html
    assert "<strong>Vencida</strong>" in html


def test_editing_conditions_regenerates_the_plan(admin_client, datos, db):
    _crear(admin_client, _venta_form(datos))
    venta = _unica_venta(db)
    admin_client.post(
        f"/admin/ventas/editar-condiciones/?id={venta.id}",
        data={
            "valor_total": "250000000",
            "cuota_inicial": "75000000",
            "plazo_cuota_inicial_meses": "6",
            "tasa_interes_anual": "0",
            "fecha": HOY.isoformat(),
        },
    )
    db.session.expire_all()
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(Cuota).where(Cuota.concepto == "Cuota inicial")
        )
        == 6
    )


def test_digitador_cannot_delete_a_venta(digitador_client, datos, db):
    _crear(digitador_client, _venta_form(datos))
    venta = _unica_venta(db)
    digitador_client.post("/admin/ventas/delete/", data={"id": str(venta.id)})
    assert db.session.get(Venta, venta.id) is not None


def test_admin_deletes_a_venta_without_payments(admin_client, datos, db):
    _crear(admin_client, _venta_form(datos))
    venta = _unica_venta(db)
    admin_client.post("/admin/ventas/delete/", data={"id": str(venta.id)})
    db.session.expire_all()
    assert db.session.scalars(db.select(Venta)).first() is None
    assert _estado_apartamento(db, datos["apartamento"].id) == "Disponible"


def test_a_venta_with_payments_is_not_deleted_and_the_message_says_annul(admin_client, datos, db):
    _crear(admin_client, _venta_form(datos))
    venta = _unica_venta(db)
    servicio_pagos.registrar_pago(venta, fecha=HOY, valor=Decimal("1000000"), id_medio_pago=1)
    db.session.commit()
    html = admin_client.post(
        "/admin/ventas/delete/", data={"id": str(venta.id)}, follow_redirects=True
    ).get_data(as_text=True)
    assert "anúlela" in html
    db.session.expire_all()
    assert db.session.get(Venta, venta.id) is not None
    assert db.session.scalars(db.select(Pago)).first() is not None


def test_the_plan_exports_to_xlsx_with_its_rows(admin_client, datos, db):
    _crear(admin_client, _venta_form(datos))
    venta = _unica_venta(db)
    response = admin_client.get(f"/admin/ventas/plan.xlsx?id={venta.id}")
    hoja = load_workbook(io.BytesIO(response.data)).active
    filas = list(hoja.iter_rows(values_only=True))
    encabezado = filas.index(
        (
            "Número",
            "Concepto",
            "Vencimiento",
            "Valor",
            "Capital",
            "Interés",
            "Saldo",
            "Pagado",
            "Estado",
        )
    )
    cuotas = filas[encabezado + 1 :]
    assert len(cuotas) == len(venta.cuotas) == 13
    assert cuotas[-1][1] == "Saldo final" and cuotas[-1][3] == 175000000


def test_the_print_view_has_the_plan(admin_client, datos, db):
    _crear(admin_client, _venta_form(datos))
    html = admin_client.get(f"/admin/ventas/imprimir/?id={_unica_venta(db).id}").get_data(
        as_text=True
    )
    assert "@media print" in html and "Saldo final" in html


@pytest.mark.parametrize(
    ("query", "esperado"),
    [
        ("flt0_0=separacion", 1),
        ("flt0_0=venta", 0),
        ("flt0_6=1020304050", 1),
        ("search=maria", 1),
        ("search=gomez", 1),
        ("search=otro", 0),
    ],
)
def test_list_filters_and_search(admin_client, datos, db, query, esperado):
    _crear(admin_client, _separacion_form(datos))
    html = admin_client.get(f"/admin/ventas/?{query}").get_data(as_text=True)
    assert html.count("María Gómez (1020304050)") == esperado


def test_list_filter_by_proyecto(admin_client, datos, db):
    _crear(admin_client, _separacion_form(datos))
    proyecto_id = datos["proyecto"].id
    html = admin_client.get("/admin/ventas/").get_data(as_text=True)
    assert "Reserva del Río" in html  # offered as a filter option
    assert "María Gómez" in admin_client.get(f"/admin/ventas/?flt0_2={proyecto_id}").get_data(
        as_text=True
    )
    assert "María Gómez" not in admin_client.get(
        f"/admin/ventas/?flt0_2={proyecto_id + 99}"
    ).get_data(as_text=True)


def test_export_csv_lists_the_operations(admin_client, datos):
    _crear(admin_client, _separacion_form(datos))
    body = admin_client.get("/admin/ventas/export/csv/", buffered=True).get_data(as_text=True)
    assert "María Gómez" in body and "Reserva del Río" in body


def test_the_export_writes_labels_as_text_and_amounts_as_numbers(admin_client, datos, db):
    _crear(admin_client, _separacion_form(datos))  # no forma de pago, no cuota inicial
    otro = factories.apartamento(datos["apartamento"].torre, numero="102")
    db.session.commit()
    _crear(admin_client, _venta_form(datos, id_apartamento=str(otro.id)))
    assert db.session.scalar(db.select(db.func.count()).select_from(Venta)) == 2
    rapida = admin_client.get("/admin/ventas/export/csv/", buffered=True).get_data()
    rapida_xlsx = admin_client.get("/admin/ventas/export/xlsx/", buffered=True).get_data()
    filas = rapida.decode("utf-8-sig").splitlines()
    assert len(filas) == 3
    assert "Separación,Vigente,1020304050,María Gómez,Reserva del Río,Torre A - 101" in filas[2]

    hoja = load_workbook(io.BytesIO(rapida_xlsx)).active
    encabezados = [c.value for c in hoja[1]]
    valores = [
        dict(zip(encabezados, (c.value for c in fila), strict=True))
        for fila in hoja.iter_rows(min_row=2)
    ]
    assert all(isinstance(v["Valor total"], int | float) for v in valores)  # sums work


# -- what the pages show: headings, fields, keyboard hooks --------------------


def _pagina(admin_client, datos, db, cual: str) -> str:
    if cual == "lista":
        return admin_client.get("/admin/ventas/").get_data(as_text=True)
    if cual == "nueva":
        return admin_client.get("/admin/ventas/new/").get_data(as_text=True)
    formulario = _separacion_form(datos) if cual == "separacion" else _venta_form(datos)
    _crear(admin_client, formulario)
    return admin_client.get(f"/admin/ventas/details/?id={_unica_venta(db).id}").get_data(
        as_text=True
    )


@pytest.mark.parametrize("cual", ["lista", "nueva", "venta", "separacion"])
def test_each_page_has_exactly_one_h1(admin_client, datos, db, cual):
    assert _pagina(admin_client, datos, db, cual).count("<h1") == 1


@pytest.mark.parametrize("cual", ["nueva", "venta", "separacion"])
def test_every_field_has_a_label(admin_client, datos, db, cual):
    assert campos_sin_label(_pagina(admin_client, datos, db, cual)) == []


@pytest.mark.parametrize("cual", ["nueva", "venta", "separacion"])
def test_money_fields_are_text_boxes_that_take_thousands_dots(admin_client, datos, db, cual):
    html = _pagina(admin_client, datos, db, cual)
    dinero = [
        attrs
        for attrs in etiquetas(html, "input")
        if attrs.get("name") in ("valor_total", "valor_separacion", "cuota_inicial")
    ]
    assert dinero
    assert {(a["type"], a["inputmode"]) for a in dinero} == {("text", "decimal")}


def test_the_rate_is_a_text_box_shown_with_a_decimal_comma(admin_client, datos):
    html = admin_client.get("/admin/ventas/new/").get_data(as_text=True)
    tasa = por_id(html, "input")["tasa_interes_anual"]
    assert (tasa["type"], tasa["inputmode"], tasa["value"]) == ("text", "decimal", "0,00")


def test_the_conditions_form_shows_amounts_as_a_clerk_types_them(admin_client, datos, db):
    html = _pagina(admin_client, datos, db, "venta")
    campos = por_id(html, "input")
    assert campos["valor_total"]["value"] == "250.000.000"
    assert campos["cuota_inicial"]["value"] == "75.000.000"
    assert campos["tasa_interes_anual"]["value"] == "0,00"


@pytest.mark.parametrize(
    "escrito, guardado",
    [
        ("250.000.000", "250000000.00"),
        ("250000000", "250000000.00"),
        ("250000000.50", "250000000.50"),
        ("250.000.000,50", "250000000.50"),
        ("$ 250.000.000", "250000000.00"),
    ],
)
def test_the_total_is_read_as_colombians_type_it(admin_client, datos, db, escrito, guardado):
    _crear(admin_client, _venta_form(datos, valor_total=escrito, cuota_inicial="100.000.000"))
    assert _unica_venta(db).valor_total == Decimal(guardado)


@pytest.mark.parametrize("escrito", ["12,5", "12.5", "12,50 %"])
def test_the_rate_takes_a_comma_or_a_point(admin_client, datos, db, escrito):
    _crear(admin_client, _venta_form(datos, tasa_interes_anual=escrito))
    assert _unica_venta(db).tasa_interes_anual == Decimal("12.50")


def test_the_sale_form_gets_the_first_field_focused(admin_client, datos):
    html = admin_client.get("/admin/ventas/new/").get_data(as_text=True)
    formulario = por_id(html, "form")["form-operacion"]
    assert "data-focus-first" in formulario


@pytest.mark.parametrize("buscador", ["buscar-cliente", "buscar-apartamento"])
def test_the_searches_are_comboboxes_with_their_list(admin_client, datos, buscador):
    html = admin_client.get("/admin/ventas/new/").get_data(as_text=True)
    entrada = por_id(html, "input")[buscador]
    assert (entrada["role"], entrada["aria-expanded"]) == ("combobox", "false")
    lista = por_id(html, "div")[entrada["aria-controls"]]
    assert lista["role"] == "listbox"


def test_the_apartment_id_box_is_replaced_by_the_search_when_javascript_runs(admin_client, datos):
    html = admin_client.get("/admin/ventas/new/").get_data(as_text=True)
    cajas = [a for a in etiquetas(html, "div") if a.get("data-destino") == "id_apartamento"]
    # ventas.js hides the id box marked so; without JavaScript the search stays hidden.
    assert len(cajas) == 1 and "data-ocultar-destino" in cajas[0] and "hidden" in cajas[0]
    assert por_id(html, "input")["id_apartamento"]["type"] == "number"


def test_a_field_error_is_tied_to_its_field(admin_client, datos):
    html = _crear(admin_client, _venta_form(datos, cuota_inicial="10000000")).get_data(as_text=True)
    cuota = por_id(html, "input")["cuota_inicial"]
    assert cuota["aria-invalid"] == "true"
    error = por_id(html, "div")[cuota["aria-describedby"].split()[0]]
    assert error["data-campo"] == "cuota_inicial"
