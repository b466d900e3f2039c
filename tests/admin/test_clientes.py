"""Clientes through the real admin pages: forms, validation, search, inline records, deletes."""

import re

import pytest

from admin_app.models import Cliente
from tests import factories

NATURAL, JURIDICA = "1", "2"
CC, NIT, CE, PA, OTRO = "1", "2", "3", "4", "5"


def _datos(**overrides) -> dict:
    datos = {
        "documento": "1020304050",
        "nombre": "José Álvarez",
        "id_tipo_cliente": NATURAL,
        "id_tipo_documento": CC,
        "direccion": "Calle 10 # 43-12, Medellín",
        "telefono": "+57 300 123 4567",
        "correo": "jose@example.com",
    }
    datos.update(overrides)
    return datos


def _crear(client, url="/admin/clientes/new/", **overrides):
    return client.post(url, data=_datos(**overrides))


def _field_errors(html: str) -> str:
    return " ".join(re.findall(r'class="invalid-feedback">(.*?)</ul>', html, re.S))


def _clientes(db) -> list[str]:
    return sorted(db.session.scalars(db.select(Cliente.documento)))


# -- creating -------------------------------------------------------------------------


@pytest.mark.parametrize("client_fixture", ["admin_client", "digitador_client"])
def test_each_role_creates_a_client_and_sees_it_in_the_list(request, db, client_fixture):
    client = request.getfixturevalue(client_fixture)
    assert _crear(client).status_code == 302
    html = client.get("/admin/clientes/").get_data(as_text=True)
    assert "1020304050" in html and "José Álvarez" in html and "Persona Natural" in html


@pytest.mark.parametrize(
    ("tipo_cliente", "tipo_documento", "documento", "guardado"),
    [
        (JURIDICA, NIT, "900123456-8", "900123456-8"),
        (JURIDICA, NIT, "900.123.456-8", "900123456-8"),
        (JURIDICA, NIT, "890903938-8", "890903938-8"),
        (NATURAL, CC, " 1.020.304.050 ", "1020304050"),
        (NATURAL, CC, "123", "123"),
        (NATURAL, CE, "e1234567", "E1234567"),
        (NATURAL, PA, "ab-123-456", "AB-123-456"),
        (NATURAL, OTRO, "x-99", "X-99"),
    ],
)
def test_valid_documents_are_saved_normalized(
    admin_client, db, tipo_cliente, tipo_documento, documento, guardado
):
    response = _crear(
        admin_client,
        documento=documento,
        id_tipo_cliente=tipo_cliente,
        id_tipo_documento=tipo_documento,
    )
    assert response.status_code == 302, _field_errors(response.get_data(as_text=True))
    assert _clientes(db) == [guardado]


@pytest.mark.parametrize(
    ("cambios", "mensaje"),
    [
        ({"documento": ""}, "Este campo es obligatorio."),
        ({"documento": "1" * 41}, "No puede tener más de 40 caracteres."),
        (
            {"documento": "900123456-7", "id_tipo_cliente": JURIDICA, "id_tipo_documento": NIT},
            "El dígito de verificación del NIT no corresponde",
        ),
        (
            {"documento": "90012345", "id_tipo_cliente": JURIDICA, "id_tipo_documento": NIT},
            "9 dígitos más el dígito de verificación",
        ),
        ({"documento": "12"}, "entre 3 y 10 dígitos"),
        ({"documento": "12345678901"}, "entre 3 y 10 dígitos"),
        ({"documento": "12AB45"}, "solo puede tener dígitos"),
        ({"documento": "E1", "id_tipo_documento": CE}, "entre 3 y 15 letras o dígitos"),
        ({"documento": "AB 12345", "id_tipo_documento": PA}, "letras, dígitos o guiones"),
        ({"nombre": "   "}, "Este campo es obligatorio."),
        ({"nombre": "N" * 151}, "No puede tener más de 150 caracteres."),
        ({"direccion": "D" * 201}, "No puede tener más de 200 caracteres."),
        ({"telefono": "1" * 31}, "No puede tener más de 30 caracteres."),
        ({"telefono": "llamar en la tarde"}, "Escriba un teléfono válido"),
        ({"correo": "jose@"}, "Escriba un correo electrónico válido."),
        ({"correo": "j" * 140 + "@example.com"}, "No puede tener más de 150 caracteres."),
        ({"id_tipo_cliente": ""}, "Seleccione el tipo de cliente."),
        ({"id_tipo_documento": "77"}, "Seleccione un tipo de documento de la lista."),
        ({"id_tipo_cliente": JURIDICA}, "La cédula de ciudadanía identifica a una Persona Natural"),
        (
            {"documento": "900123456-8", "id_tipo_documento": NIT},
            "Un NIT identifica a una Persona Jurídica",
        ),
    ],
)
def test_each_validation_error_is_shown_on_its_field(admin_client, db, cambios, mensaje):
    response = _crear(admin_client, **cambios)
    assert response.status_code == 200
    assert mensaje in _field_errors(response.get_data(as_text=True))
    assert _clientes(db) == []


def test_all_problems_are_shown_at_once(admin_client, db):
    html = _crear(admin_client, documento="12", correo="no").get_data(as_text=True)
    errors = _field_errors(html)
    assert "entre 3 y 10 dígitos" in errors and "correo electrónico válido" in errors


def test_a_failed_save_keeps_everything_typed(admin_client, db):
    html = _crear(admin_client, correo="jose@", direccion="Carrera 7 # 8-9").get_data(as_text=True)
    for typed in ('value="1020304050"', 'value="José Álvarez"', 'value="Carrera 7 # 8-9"'):
        assert typed in html
    assert 'value="jose@"' in html
    assert re.search(r'<option selected value="1">', html)


def test_duplicate_documento_is_a_field_error(admin_client, db):
    factories.cliente("1020304050")
    db.session.commit()
    response = _crear(admin_client)
    assert "Ya existe un cliente con este documento." in _field_errors(
        response.get_data(as_text=True)
    )
    assert db.session.get(Cliente, "1020304050").nombre.startswith("José Pérez")


def test_save_and_add_another_opens_a_new_form(admin_client, db):
    response = admin_client.post("/admin/clientes/new/", data={**_datos(), "_add_another": "1"})
    assert response.status_code == 302
    assert "/admin/clientes/new/" in response.headers["Location"]


@pytest.mark.parametrize(
    ("url", "destino"),
    [
        ("/admin/clientes/?search=jose", "/admin/clientes/?search=jose"),
        ("https://evil.example.com/", "/admin/clientes/"),
        ("//evil.example.com/", "/admin/clientes/"),
    ],
)
def test_return_urls_only_lead_to_this_site(admin_client, db, url, destino):
    response = admin_client.post("/admin/clientes/new/", query_string={"url": url}, data=_datos())
    assert response.status_code == 302
    assert response.headers["Location"] == destino


# -- editing --------------------------------------------------------------------------


def test_documento_is_read_only_on_the_edit_form(admin_client, db):
    factories.cliente("1020304050")
    db.session.commit()
    html = admin_client.get("/admin/clientes/edit/?id=1020304050").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="documento"[^>]*readonly', html)


def test_a_crafted_post_cannot_change_the_documento(admin_client, db):
    factories.cliente("1020304050")
    db.session.commit()
    response = admin_client.post(
        "/admin/clientes/edit/?id=1020304050",
        data=_datos(documento="999999", nombre="María Gómez"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert _clientes(db) == ["1020304050"]
    assert db.session.get(Cliente, "1020304050").nombre == "María Gómez"


def test_edit_errors_show_on_the_field(admin_client, db):
    factories.cliente("1020304050")
    db.session.commit()
    response = admin_client.post(
        "/admin/clientes/edit/?id=1020304050", data=_datos(id_tipo_cliente=JURIDICA)
    )
    assert response.status_code == 200
    assert "identifica a una Persona Natural" in _field_errors(response.get_data(as_text=True))


# -- list: search, filters, sort --------------------------------------------------------


@pytest.fixture
def tres_clientes(db):
    factories.cliente("1020304050", nombre="José Álvarez", correo="jose@example.com")
    factories.cliente("1020999", nombre="María Peña", telefono="604 444 5555")
    factories.cliente(juridica=True, documento="900123456-8", nombre="Constructora Ñandú S.A.S.")
    db.session.commit()


def _documentos_listados(client, query: str) -> list[str]:
    """The documentos of the listed rows, in order (every role gets the action checkboxes)."""
    html = client.get(f"/admin/clientes/?{query}").get_data(as_text=True)
    return re.findall(r'name="rowid" class="action-checkbox" value="([^"]+)"', html)


@pytest.mark.parametrize(
    ("search", "esperados"),
    [
        ("1020304050", ["1020304050"]),
        ("1020", ["1020304050", "1020999"]),
        ("jose", ["1020304050"]),
        ("ALVAREZ jo", ["1020304050"]),
        ("pena", ["1020999"]),
        ("nandu", ["900123456-8"]),
        ("900.123", ["900123456-8"]),
        ("jose@example", ["1020304050"]),
        ("604 444", ["1020999"]),
        ("nadie", []),
    ],
)
def test_search_by_documento_name_email_and_phone(
    digitador_client, tres_clientes, search, esperados
):
    found = _documentos_listados(digitador_client, f"search={search}")
    assert sorted(found) == sorted(esperados)


def test_filter_clients_with_and_without_sales(admin_client, db, tres_clientes):
    factories.separacion_directa(db.session.get(Cliente, "1020999"))
    db.session.commit()
    assert _documentos_listados(admin_client, "flt0_ventas_y_separaciones_filtro=con") == [
        "1020999"
    ]
    assert sorted(_documentos_listados(admin_client, "flt0_ventas_y_separaciones_filtro=sin")) == [
        "1020304050",
        "900123456-8",
    ]


def test_filter_by_tipo_de_cliente(admin_client, tres_clientes):
    assert _documentos_listados(admin_client, "flt0_tipo_de_cliente_es=2") == ["900123456-8"]


def test_filter_by_creation_date_range(admin_client, tres_clientes):
    from admin_app.formatting import today_bogota

    hoy = today_bogota().isoformat()
    assert len(_documentos_listados(admin_client, f"flt0_creado_entre={hoy}+to+{hoy}")) == 3
    assert _documentos_listados(admin_client, "flt0_creado_entre=2020-01-01+to+2020-12-31") == []


@pytest.mark.parametrize("columna", range(7))
def test_every_column_sorts(admin_client, tres_clientes, columna):
    asc = _documentos_listados(admin_client, f"sort={columna}")
    desc = _documentos_listados(admin_client, f"sort={columna}&desc=1")
    assert sorted(asc) == sorted(desc) == ["1020304050", "1020999", "900123456-8"]


def test_sort_by_name_orders_the_rows(admin_client, tres_clientes):
    assert _documentos_listados(admin_client, "sort=1") == ["900123456-8", "1020304050", "1020999"]


# -- related records inline ------------------------------------------------------------


@pytest.fixture
def cliente_con_operaciones(db):
    cliente = factories.cliente("1020304050", nombre="José Álvarez")
    otro = factories.cliente("555555")
    venta = factories.separacion_directa(cliente)
    factories.separacion_directa(otro)
    propio = factories.apartamento(numero="801", documento_cliente=cliente.documento)
    factories.apartamento(numero="902", documento_cliente=otro.documento)
    db.session.commit()
    return venta, propio


@pytest.mark.parametrize("page", ["details", "edit"])
def test_inline_lists_show_the_clients_operations_and_apartments(
    admin_client, cliente_con_operaciones, page
):
    venta, propio = cliente_con_operaciones
    html = admin_client.get(f"/admin/clientes/{page}/?id=1020304050").get_data(as_text=True)
    assert html.count('class="operacion"') == 1
    assert f"/admin/ventas/details/?id={venta.id}" in html
    assert "Separación" in html and "Vigente" in html and "$ 250.000.000" in html
    assert html.count('class="apartamento"') == 1
    assert f"/admin/apartamentos/details/?id={propio.id}" in html and "Apto 801" in html
    assert "Apto 902" not in html
    assert (
        "/admin/ventas/new/?documento_cliente=1020304050&amp;tipo_operacion=venta" in html
        and "tipo_operacion=separacion" in html
    )


def test_inline_lists_say_when_there_is_nothing(admin_client, db):
    factories.cliente("1020304050")
    db.session.commit()
    html = admin_client.get("/admin/clientes/details/?id=1020304050").get_data(as_text=True)
    assert "no tiene ventas ni separaciones" in html
    assert "no es propietario de ningún apartamento" in html


# -- deleting ----------------------------------------------------------------------------


def test_delete_of_a_client_with_sales_is_refused(admin_client, db):
    cliente = factories.cliente("1020304050", nombre="José Álvarez")
    factories.separacion_directa(cliente, estado_operacion="caducada")
    db.session.commit()
    response = admin_client.post(
        "/admin/clientes/delete/", data={"id": "1020304050"}, follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "No se puede eliminar a José Álvarez (1020304050): tiene 1 venta o separación." in html
    assert _clientes(db) == ["1020304050"]


def test_delete_of_an_apartment_owner_is_refused(admin_client, db):
    cliente = factories.cliente("1020304050")
    factories.apartamento(documento_cliente=cliente.documento)
    db.session.commit()
    html = admin_client.post(
        "/admin/clientes/delete/", data={"id": "1020304050"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "es propietario de 1 apartamento" in html
    assert _clientes(db) == ["1020304050"]


def test_delete_of_a_client_without_sales_works(admin_client, db):
    factories.cliente("1020304050")
    db.session.commit()
    admin_client.post("/admin/clientes/delete/", data={"id": "1020304050"})
    assert _clientes(db) == []


def test_bulk_delete_keeps_clients_with_sales_and_lists_them(admin_client, db):
    con_venta = factories.cliente("111111", nombre="Ana Ruiz")
    factories.separacion_directa(con_venta, estado_operacion="anulada")
    factories.cliente("222222")
    factories.cliente("333333")
    db.session.commit()
    response = admin_client.post(
        "/admin/clientes/action/",
        data={"action": "delete", "rowid": ["111111", "222222", "333333"]},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Se eliminaron 2 cliente(s)." in html
    assert "No se eliminaron: Ana Ruiz (111111) (tiene 1 venta o separación)." in html
    assert _clientes(db) == ["111111"]


def test_digitador_cannot_delete(digitador_client, db):
    factories.cliente("1020304050")
    db.session.commit()
    digitador_client.post("/admin/clientes/delete/", data={"id": "1020304050"})
    digitador_client.post(
        "/admin/clientes/action/", data={"action": "delete", "rowid": ["1020304050"]}
    )
    assert _clientes(db) == ["1020304050"]
    html = digitador_client.get("/admin/clientes/").get_data(as_text=True)
    assert "/admin/clientes/delete/" not in html


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/clientes/delete/", {"id": "1020304050"}),
        ("/admin/clientes/action/", {"action": "delete", "rowid": ["1020304050"]}),
    ],
)
def test_a_digitadors_refused_delete_says_why(digitador_client, db, url, data):
    factories.cliente("1020304050")
    db.session.commit()
    response = digitador_client.post(url, data={**data, "url": "/admin/clientes/"})
    assert response.status_code == 302
    html = digitador_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "No tiene permiso para eliminar." in html
    assert _clientes(db) == ["1020304050"]
