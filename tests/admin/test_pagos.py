"""Pagos through the admin pages: registered, refused when too large, corrected and deleted."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from admin_app.formatting import today_bogota
from admin_app.models import Pago, Venta
from admin_app.services import pagos as servicio_pagos
from admin_app.services import ventas as servicio_ventas
from tests import factories
from tests.admin._html import campos_sin_label, etiquetas, por_id

HOY = today_bogota()


@pytest.fixture
def venta(db) -> Venta:
    proyecto = factories.proyecto(nombre="Altos del Parque")
    apto = factories.apartamento(factories.torre(proyecto, nombre="Torre B"), numero="201")
    cliente = factories.cliente(documento="80808080", nombre="Luis Ángel Ruiz")
    venta = servicio_ventas.crear_operacion(
        servicio_ventas.DatosOperacion(
            tipo_operacion="venta",
            documento_cliente=cliente.documento,
            id_apartamento=apto.id,
            fecha=HOY - timedelta(days=5),
            valor_total=Decimal("100000000"),
            valor_separacion=Decimal("5000000"),
            id_forma_pago=1,
            cuota_inicial=Decimal("30000000"),
            plazo_cuota_inicial_meses=5,
        )
    )
    db.session.commit()
    return venta


def _pago(client, venta_id, **overrides):
    data = {
        "id_venta": str(venta_id),
        "fecha": HOY.isoformat(),
        "valor": "5.000.000",
        "id_medio_pago": "2",
        "referencia": "TRX-100",
    }
    data.update(overrides)
    return client.post("/admin/pagos/new/", data=data, follow_redirects=True)


def test_the_form_is_prefilled_from_the_venta_page(digitador_client, venta):
    html = digitador_client.get(f"/admin/pagos/new/?id_venta={venta.id}").get_data(as_text=True)
    assert f'value="{venta.id}"' in html
    assert "Luis Ángel Ruiz" in html
    assert "$ 100.000.000" in html  # the venta's total owed


def test_digitador_registers_a_payment_and_the_first_cuota_is_paid(digitador_client, venta, db):
    html = _pago(digitador_client, venta.id).get_data(as_text=True)
    assert "Pago de $ 5.000.000 registrado." in html
    db.session.expire_all()
    cuotas = db.session.get(Venta, venta.id).cuotas
    assert [c.estado(HOY) for c in cuotas[:2]] == ["Pagada", "Pendiente"]


def test_an_overpayment_is_refused_on_the_valor_field(admin_client, venta, db):
    response = _pago(admin_client, venta.id, valor="100.000.001")
    html = response.get_data(as_text=True)
    errores = [line for line in html.splitlines() if 'data-campo="valor"' in line]
    assert errores and "supera lo que falta por pagar" in errores[0]
    assert db.session.scalars(db.select(Pago)).first() is None


@pytest.mark.parametrize(
    ("campo", "datos", "mensaje"),
    [
        ("observaciones", {"observaciones": "x" * 501}, "No puede tener más de 500 caracteres."),
        ("fecha", {"fecha": "2000-01-01"}, "El pago no puede ser anterior a la venta"),
    ],
)
def test_a_refused_payment_says_why_on_its_field(admin_client, venta, db, campo, datos, mensaje):
    html = _pago(admin_client, venta.id, **datos).get_data(as_text=True)
    errores = [line for line in html.splitlines() if f'data-campo="{campo}"' in line]
    assert errores and mensaje in errores[0]
    assert db.session.scalars(db.select(Pago)).first() is None


def test_a_missing_venta_is_a_field_message(admin_client, venta, db):
    html = _pago(admin_client, 9999).get_data(as_text=True)
    assert "No existe la operación #9999." in html


def test_admin_corrects_a_payment_and_the_cuotas_follow(admin_client, venta, db):
    _pago(admin_client, venta.id, valor="8000000")
    pago = db.session.scalars(db.select(Pago)).one()
    html = admin_client.post(
        f"/admin/pagos/edit/?id={pago.id}",
        data={
            "id_venta": str(venta.id),
            "fecha": HOY.isoformat(),
            "valor": "5000000",
            "id_medio_pago": "1",
            "referencia": "TRX-100",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Pago corregido" in html
    db.session.expire_all()
    assert db.session.get(Pago, pago.id).valor == Decimal("5000000.00")
    assert db.session.get(Venta, venta.id).cuotas[1].valor_pagado == 0


def test_digitador_cannot_correct_a_payment(digitador_client, venta, db):
    _pago(digitador_client, venta.id)
    pago = db.session.scalars(db.select(Pago)).one()
    assert digitador_client.get(f"/admin/pagos/edit/?id={pago.id}").status_code == 403


def test_admin_deletes_a_payment_and_the_rest_are_reapplied(admin_client, venta, db):
    _pago(admin_client, venta.id, valor="3000000", fecha=(HOY - timedelta(days=1)).isoformat())
    _pago(admin_client, venta.id, valor="4000000", referencia="TRX-200")
    primero = db.session.scalars(db.select(Pago).order_by(Pago.fecha)).first().id
    admin_client.post("/admin/pagos/delete/", data={"id": str(primero)})
    db.session.expire_all()
    assert db.session.get(Pago, primero) is None
    cuotas = db.session.get(Venta, venta.id).cuotas
    assert cuotas[0].valor_pagado == Decimal("4000000.00")


def test_digitador_cannot_delete_a_payment(digitador_client, venta, db):
    _pago(digitador_client, venta.id)
    pago = db.session.scalars(db.select(Pago)).one()
    digitador_client.post("/admin/pagos/delete/", data={"id": str(pago.id)})
    db.session.expire_all()
    assert db.session.get(Pago, pago.id) is not None


def test_a_payment_on_an_annulled_venta_is_refused(admin_client, venta, db):
    servicio_ventas.anular_operacion(venta)
    db.session.commit()
    html = _pago(admin_client, venta.id).get_data(as_text=True)
    assert "no admite pagos" in html


@pytest.mark.parametrize(
    ("query", "visible"),
    [
        ("", True),
        ("flt0_5=80808080", True),
        ("flt0_5=1", False),
        ("flt0_3=2", True),
        ("flt0_3=1", False),
        (f"flt0_1={(HOY - timedelta(days=1)).isoformat()}", True),
        (f"flt0_1={HOY.isoformat()}", False),
    ],
)
def test_list_filters(admin_client, venta, db, query, visible):
    servicio_pagos.registrar_pago(
        venta, fecha=HOY, valor=Decimal("1000000"), id_medio_pago=2, referencia="REF-XYZ"
    )
    db.session.commit()
    html = admin_client.get(f"/admin/pagos/?{query}").get_data(as_text=True)
    assert ("REF-XYZ" in html) is visible


def test_list_filter_by_proyecto(admin_client, venta, db):
    servicio_pagos.registrar_pago(
        venta, fecha=HOY, valor=Decimal("1000000"), id_medio_pago=2, referencia="REF-XYZ"
    )
    db.session.commit()
    proyecto_id = venta.apartamento.torre.id_proyecto
    assert "REF-XYZ" in admin_client.get(f"/admin/pagos/?flt0_4={proyecto_id}").get_data(
        as_text=True
    )
    assert "REF-XYZ" not in admin_client.get(f"/admin/pagos/?flt0_4={proyecto_id + 1}").get_data(
        as_text=True
    )


def test_the_accounting_export_has_venta_and_client_in_each_row(admin_client, venta, db):
    servicio_pagos.registrar_pago(venta, fecha=HOY, valor=Decimal("1000000"), id_medio_pago=2)
    db.session.commit()
    body = admin_client.get("/admin/pagos/export/csv/", buffered=True).get_data(as_text=True)
    fila = body.splitlines()[1]
    assert "80808080" in fila and "Luis Ángel Ruiz" in fila and "Altos del Parque" in fila


def _exportar(admin_client, kind: str, query: str = "") -> bytes:
    return admin_client.get(f"/admin/pagos/export/{kind}/?{query}", buffered=True).get_data()


def test_the_export_writes_each_payment_with_its_operation(admin_client, venta, db):
    servicio_pagos.registrar_pago(
        venta,
        fecha=HOY - timedelta(days=1),
        valor=Decimal("1500000.50"),
        id_medio_pago=2,
        referencia="=HYPERLINK(1)",  # a formula typed as a reference
        observaciones="Consignación, sede Niquía",
    )
    servicio_pagos.registrar_pago(venta, fecha=HOY, valor=Decimal("1000000"), id_medio_pago=1)
    db.session.commit()
    rapida = _exportar(admin_client, "csv")
    filtrada = _exportar(admin_client, "csv", "flt0_3=1")  # medio de pago: Efectivo
    filas = rapida.decode("utf-8-sig").splitlines()
    assert len(filas) == 3 and len(filtrada.decode("utf-8-sig").splitlines()) == 2
    assert "'=HYPERLINK(1)" in filas[2] and "1500000.50" in filas[2]
    assert "Venta" in filas[2] and "Torre B - 201" in filas[2]


def test_the_xlsx_export_keeps_amounts_as_numbers(admin_client, venta, db):
    servicio_pagos.registrar_pago(venta, fecha=HOY, valor=Decimal("1500000.50"), id_medio_pago=2)
    db.session.commit()
    hoja = load_workbook(io.BytesIO(_exportar(admin_client, "xlsx"))).active
    encabezados = [c.value for c in hoja[1]]
    fila = dict(zip(encabezados, [c.value for c in hoja[2]], strict=True))
    assert fila["Valor"] == 1500000.5  # a number the accountant can sum
    assert isinstance(fila["Número"], int)
    assert fila["Nombre del cliente"] == "Luis Ángel Ruiz"


# -- what the form shows -------------------------------------------------------


def _paginas(admin_client, venta, db) -> dict[str, str]:
    pago = servicio_pagos.registrar_pago(
        venta, fecha=HOY, valor=Decimal("5000000"), id_medio_pago=2
    )
    db.session.commit()
    urls = {
        "lista": "/admin/pagos/",
        "nuevo": "/admin/pagos/new/",
        "desde_venta": f"/admin/pagos/new/?id_venta={venta.id}",
        "corregir": f"/admin/pagos/edit/?id={pago.id}",
    }
    return {clave: admin_client.get(url).get_data(as_text=True) for clave, url in urls.items()}


def test_each_page_has_exactly_one_h1(admin_client, venta, db):
    cuentas = {
        clave: html.count("<h1") for clave, html in _paginas(admin_client, venta, db).items()
    }
    assert cuentas == {"lista": 1, "nuevo": 1, "desde_venta": 1, "corregir": 1}


def test_the_forms_focus_their_first_field_and_label_every_field(admin_client, venta, db):
    paginas = _paginas(admin_client, venta, db)
    for clave in ("nuevo", "desde_venta", "corregir"):
        formularios = [f for f in etiquetas(paginas[clave], "form") if f.get("method") == "post"]
        assert any("data-focus-first" in f for f in formularios), clave
        assert campos_sin_label(paginas[clave]) == [], clave


def test_the_amount_is_a_text_box_shown_with_thousands_dots(admin_client, venta, db):
    valor = por_id(_paginas(admin_client, venta, db)["corregir"], "input")["valor"]
    assert (valor["type"], valor["inputmode"], valor["value"]) == ("text", "decimal", "5.000.000")


@pytest.mark.parametrize("escrito", ["5.000.000", "5000000", "5000000.00", "5.000.000,00"])
def test_the_amount_is_read_as_typed(admin_client, venta, db, escrito):
    _pago(admin_client, venta.id, valor=escrito)
    assert db.session.scalars(db.select(Pago.valor)).one() == Decimal("5000000.00")


def test_from_a_venta_the_number_is_fixed_and_focus_goes_to_the_payment(admin_client, venta, db):
    paginas = _paginas(admin_client, venta, db)
    assert "readonly" in por_id(paginas["desde_venta"], "input")["id_venta"]
    assert "readonly" not in por_id(paginas["nuevo"], "input")["id_venta"]


# -- choosing the operation: autocomplete, never a drop-down --------------------------------
def _operaciones(client, q):
    return client.get("/admin/autocomplete/operaciones/", query_string={"q": q}).get_json()


@pytest.mark.parametrize("q", ["80808080", "8080", "luis angel", "Ruiz"])
def test_the_operation_is_found_by_its_clients_documento_or_name(digitador_client, venta, q):
    data = _operaciones(digitador_client, q)
    assert [item["id"] for item in data] == [venta.id]
    assert data[0]["text"] == (
        f"Venta #{venta.id} — Luis Ángel Ruiz (80808080) — Altos del Parque - Torre B - Apto 201"
    )


@pytest.mark.parametrize("escrito", ["{id}", "#{id}", " #{id} "])
def test_the_operation_is_found_by_its_number(digitador_client, venta, escrito):
    data = _operaciones(digitador_client, escrito.format(id=venta.id))
    assert [item["id"] for item in data] == [venta.id]


def test_annulled_operations_are_not_offered(digitador_client, venta, db):
    servicio_ventas.anular_operacion(venta, motivo="Desistimiento")
    db.session.commit()
    assert _operaciones(digitador_client, "80808080") == []
    assert _operaciones(digitador_client, f"#{venta.id}") == []


@pytest.mark.parametrize("q", ["", "zzz", "#", "#99999999999"])
def test_nothing_matching_gives_an_empty_list(digitador_client, venta, q):
    assert _operaciones(digitador_client, q) == []


def test_the_new_payment_form_offers_the_operation_search(digitador_client, venta):
    html = digitador_client.get("/admin/pagos/new/").get_data(as_text=True)
    assert 'data-url="/admin/autocomplete/operaciones/"' in html
    assert 'data-destino="id_venta"' in html
    assert "id_venta" not in por_id(html, "select")  # never a drop-down of operations
    assert por_id(html, "input")["id_venta"]["type"] == "number"  # the no-JavaScript path
    # Coming from the venta's page, the operation is settled: no search box.
    html = digitador_client.get(f"/admin/pagos/new/?id_venta={venta.id}").get_data(as_text=True)
    assert "autocomplete/operaciones" not in html


def test_operation_search_requires_login(client):
    assert client.get("/admin/autocomplete/operaciones/?q=1").status_code == 401
