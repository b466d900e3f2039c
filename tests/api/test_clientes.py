import re
from decimal import Decimal

import pytest

from admin_app import conteos
from admin_app.models import Cliente
from tests import factories

NUEVO = {
    "documento": "1020304050",
    "nombre": "María Gómez",
    "id_tipo_cliente": 1,
    "id_tipo_documento": 1,
    "direccion": "Calle 10 # 43-12",
    "telefono": "+57 300 123 4567",
    "correo": "maria@example.com",
}
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$")


def _commit(db, *objs):
    db.session.commit()
    return objs[0] if len(objs) == 1 else objs


# -- list --------------------------------------------------------------------------------
def test_list_is_paginated_with_meta_total(api, db):
    for _ in range(3):
        factories.cliente()
    db.session.commit()
    body = api.get("/api/clientes?page=2&per_page=2").get_json()
    assert body["meta"] == {
        "page": 2,
        "per_page": 2,
        "total": 3,
        "total_exacto": True,
        "siguiente": None,
    }
    assert len(body["data"]) == 1


def test_every_page_holds_the_next_rows_in_order(api, db):
    documentos = sorted(factories.cliente().documento for _ in range(7))
    db.session.commit()
    pages = [api.get(f"/api/clientes?page={n}&per_page=2").get_json() for n in (1, 2, 3, 4, 5)]
    assert [c["documento"] for p in pages for c in p["data"]] == documentos
    assert [len(p["data"]) for p in pages] == [2, 2, 2, 1, 0]


def test_the_cursor_walks_the_whole_list_in_order(api, db):
    documentos = sorted(factories.cliente().documento for _ in range(7))
    db.session.commit()
    vistos, url = [], "/api/clientes?per_page=3"
    for _ in range(5):
        body = api.get(url).get_json()
        vistos += [c["documento"] for c in body["data"]]
        assert body["meta"]["total"] == 7
        if body["meta"]["siguiente"] is None:
            break
        url = f"/api/clientes?per_page=3&despues_de={body['meta']['siguiente']}"
    assert vistos == documentos


def test_the_cursor_keeps_the_filters(api, db):
    factories.cliente(documento="10000001")
    juridicas = sorted(factories.cliente(juridica=True).documento for _ in range(3))
    db.session.commit()
    body = api.get(f"/api/clientes?id_tipo_cliente=2&despues_de={juridicas[0]}").get_json()
    assert [c["documento"] for c in body["data"]] == juridicas[1:]


@pytest.mark.parametrize(
    ("query", "mensaje"),
    [
        ("page=2&despues_de=100", "Use page o despues_de, no los dos."),
        ("despues_de=" + "9" * 41, "Debe ser un documento (hasta 40 caracteres)."),
    ],
)
def test_a_bad_cursor_is_a_422_on_its_field(api, query, mensaje):
    response = api.get(f"/api/clientes?{query}")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"despues_de": [mensaje]}


def test_list_defaults_to_50_per_page(api):
    meta = api.get("/api/clientes").get_json()["meta"]
    assert meta == {"page": 1, "per_page": 50, "total": 0, "total_exacto": True, "siguiente": None}


def test_unfiltered_total_beyond_the_exact_limit_is_shared_and_says_so(api, db, monkeypatch):
    monkeypatch.setattr(conteos, "LIMITE_EXACTO", 0)  # as if the table held 100,001 rows
    factories.cliente()
    db.session.commit()
    assert api.get("/api/clientes").get_json()["meta"]["total"] == 1
    factories.cliente()
    db.session.commit()

    # A page of one row, so the shared count (1) is not below the rows shown.
    cached = api.get("/api/clientes?per_page=1").get_json()["meta"]
    assert cached["total"] == 1  # the shared count, not a COUNT(*) of the table
    assert cached["total_exacto"] is False
    assert 0 <= cached["total_contado_hace_s"] < 60
    # A filtered list is always counted exactly.
    filtered = api.get("/api/clientes?id_tipo_cliente=1").get_json()["meta"]
    assert filtered["total_exacto"] is True

    db.session.execute(db.text("UPDATE conteos_cache SET calculado_en = '2000-01-01 00:00:00'"))
    db.session.commit()
    recounted = api.get("/api/clientes").get_json()["meta"]
    assert recounted["total"] == 2
    assert recounted["total_exacto"] is True


@pytest.mark.parametrize("query", ["per_page=101", "per_page=0", "page=0", "page=x"])
def test_list_refuses_bad_pagination(api, query):
    response = api.get(f"/api/clientes?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in response.get_json()["errors"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [("10203", ["1020304050"]), ("gomez", ["1020304050"]), ("lopez", ["900123456-8"])],
)
def test_list_searches_by_document_prefix_or_name_words(api, db, q, expected):
    factories.cliente("1020304050", nombre="María Gómez")
    factories.cliente("900123456-8", juridica=True, nombre="Constructora López S.A.S.")
    db.session.commit()
    body = api.get(f"/api/clientes?q={q}").get_json()
    assert [c["documento"] for c in body["data"]] == expected


def test_list_filters_by_tipo_cliente(api, db):
    factories.cliente("1020304050")
    factories.cliente("900123456-8", juridica=True)
    db.session.commit()
    body = api.get("/api/clientes?id_tipo_cliente=2").get_json()
    assert [c["documento"] for c in body["data"]] == ["900123456-8"]


# -- read ---------------------------------------------------------------------------------
def test_get_returns_the_cliente_with_its_types_and_etag(api, db):
    cliente = _commit(db, factories.cliente("1020304050", nombre="María Gómez"))
    response = api.get("/api/clientes/1020304050")
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{cliente.version}"'
    data = response.get_json()["data"]
    assert data["tipo_cliente"] == {"id": 1, "nombre": "Persona Natural"}
    assert data["tipo_documento"] == {"id": 1, "codigo": "CC", "nombre": "Cédula de Ciudadanía"}
    assert TIMESTAMP.match(data["created_at"]) and TIMESTAMP.match(data["updated_at"])
    assert set(data) == {
        "documento", "nombre", "id_tipo_cliente", "tipo_cliente", "id_tipo_documento",
        "tipo_documento", "direccion", "telefono", "correo", "created_at", "updated_at",
    }  # fmt: skip


def test_get_unknown_cliente_is_404_with_the_seed_message(api):
    response = api.get("/api/clientes/999")
    assert response.status_code == 404
    assert response.get_json() == {"message": "Cliente no encontrado", "errors": {}}


# -- create -------------------------------------------------------------------------------
def test_create_returns_201_location_and_the_cliente(api, db):
    response = api.post("/api/clientes", json=NUEVO)
    assert response.status_code == 201
    assert response.headers["Location"] == "/api/clientes/1020304050"
    assert response.get_json()["data"]["correo"] == "maria@example.com"
    assert db.session.get(Cliente, "1020304050").nombre == "María Gómez"


def test_create_normalizes_the_nit(api, db):
    body = {**NUEVO, "documento": "900.123.456-8", "id_tipo_cliente": 2, "id_tipo_documento": 2}
    response = api.post("/api/clientes", json=body)
    assert response.status_code == 201
    assert response.get_json()["data"]["documento"] == "900123456-8"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"correo": "maria@"}, "correo"),
        ({"nombre": None}, "nombre"),
        ({"nombre": "   "}, "nombre"),
        ({"id_tipo_cliente": 99}, "id_tipo_cliente"),
        ({"id_tipo_documento": 99}, "id_tipo_documento"),
        ({"id_tipo_documento": None}, "id_tipo_documento"),
        ({"documento": None}, "documento"),
        ({"documento": "12AB"}, "documento"),
        ({"documento": "x" * 41}, "documento"),
        ({"nombre": "n" * 151}, "nombre"),
        ({"direccion": "d" * 201}, "direccion"),
        ({"telefono": "123"}, "telefono"),
        ({"id_tipo_cliente": 2}, "id_tipo_cliente"),  # a CC belongs to a Persona Natural
    ],
)
def test_create_reports_each_seed_error_on_its_field(api, db, change, field):
    response = api.post("/api/clientes", json={**NUEVO, **change})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert db.session.get(Cliente, "1020304050") is None


def test_create_duplicate_documento_is_422_on_documento(api, db):
    _commit(db, factories.cliente("1020304050"))
    response = api.post("/api/clientes", json=NUEVO)
    assert response.status_code == 422
    assert response.get_json()["errors"]["documento"] == [
        "Ya existe un cliente con este documento."
    ]


def test_create_lists_every_failing_field_at_once(api):
    body = {
        "documento": "1",
        "correo": "x",
        "id_tipo_cliente": "uno",
        "id_tipo_documento": 1,
        "extra": 1,
    }
    response = api.post("/api/clientes", json=body)
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {
        "documento", "nombre", "correo", "id_tipo_cliente", "extra",
    }  # fmt: skip


def test_create_returns_a_local_redirect_in_meta(api):
    response = api.post("/api/clientes", json={**NUEVO, "redirect": "/admin/cliente/"})
    assert response.status_code == 201
    assert response.get_json()["meta"] == {"redirect": "/admin/cliente/"}


@pytest.mark.parametrize("redirect", ["https://evil.example/", "//evil.example", "admin", 3])
def test_create_refuses_a_redirect_off_site(api, db, redirect):
    response = api.post("/api/clientes", json={**NUEVO, "redirect": redirect})
    assert response.status_code == 422
    assert "redirect" in response.get_json()["errors"]
    assert db.session.get(Cliente, "1020304050") is None


# -- update -------------------------------------------------------------------------------
def test_put_replaces_every_editable_field(api, db):
    _commit(db, factories.cliente("1020304050", telefono="3001234567"))
    body = {"nombre": "Ana Ruiz", "id_tipo_cliente": 1, "id_tipo_documento": 1}
    response = api.put("/api/clientes/1020304050", json=body)
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert (data["nombre"], data["telefono"]) == ("Ana Ruiz", None)


def test_put_without_required_fields_is_422(api, db):
    _commit(db, factories.cliente("1020304050"))
    response = api.put("/api/clientes/1020304050", json={"telefono": "3001234567"})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"nombre", "id_tipo_cliente", "id_tipo_documento"}


def test_patch_changes_only_what_is_sent(api, db):
    _commit(db, factories.cliente("1020304050", nombre="Ana", telefono="3001234567"))
    response = api.patch("/api/clientes/1020304050", json={"correo": "ana@example.com"})
    assert response.status_code == 200
    db.session.expire_all()
    cliente = db.session.get(Cliente, "1020304050")
    assert (cliente.nombre, cliente.telefono, cliente.correo) == (
        "Ana",
        "3001234567",
        "ana@example.com",
    )


def test_patch_with_another_documento_is_422_on_documento(api, db):
    _commit(db, factories.cliente("1020304050"))
    response = api.patch("/api/clientes/1020304050", json={"documento": "5555555"})
    assert response.status_code == 422
    assert "documento" in response.get_json()["errors"]
    assert db.session.get(Cliente, "5555555") is None


def test_patch_unknown_cliente_is_404(api):
    assert api.patch("/api/clientes/999", json={"nombre": "X"}).status_code == 404


# -- optimistic locking -------------------------------------------------------------------
def test_patch_with_a_stale_if_match_is_412_and_changes_nothing(api, db):
    _commit(db, factories.cliente("1020304050", nombre="Ana"))
    etag = api.get("/api/clientes/1020304050").headers["ETag"]
    assert (
        api.patch(
            "/api/clientes/1020304050", json={"nombre": "Ana B"}, headers={"If-Match": etag}
        ).status_code
        == 200
    )
    response = api.patch(
        "/api/clientes/1020304050", json={"nombre": "Ana C"}, headers={"If-Match": etag}
    )
    assert response.status_code == 412
    assert set(response.get_json()) == {"message", "errors"}
    assert response.headers["ETag"] != etag
    db.session.expire_all()
    assert db.session.get(Cliente, "1020304050").nombre == "Ana B"


@pytest.mark.parametrize("method", ["put", "delete"])
def test_put_and_delete_check_if_match(admin_api, db, method):
    _commit(db, factories.cliente("1020304050"))
    body = {"nombre": "X", "id_tipo_cliente": 1, "id_tipo_documento": 1}
    kwargs = {"json": body} if method == "put" else {}
    response = getattr(admin_api, method)(
        "/api/clientes/1020304050", headers={"If-Match": '"99"'}, **kwargs
    )
    assert response.status_code == 412
    assert db.session.get(Cliente, "1020304050") is not None


def test_update_returns_the_new_etag(api, db):
    _commit(db, factories.cliente("1020304050"))
    response = api.patch(
        "/api/clientes/1020304050", json={"nombre": "Otro"}, headers={"If-Match": '"1"'}
    )
    assert response.headers["ETag"] == '"2"'


# -- delete -------------------------------------------------------------------------------
def test_admin_deletes_a_cliente_without_operations(admin_api, db):
    _commit(db, factories.cliente("1020304050"))
    response = admin_api.delete("/api/clientes/1020304050")
    assert response.status_code == 204
    assert response.data == b""
    assert db.session.get(Cliente, "1020304050") is None


def test_delete_unknown_cliente_is_404(admin_api):
    assert admin_api.delete("/api/clientes/999").status_code == 404


def test_delete_cliente_with_ventas_is_409_and_keeps_it(admin_api, db):
    cliente = factories.cliente("1020304050")
    factories.separacion_directa(cliente)
    db.session.commit()
    response = admin_api.delete("/api/clientes/1020304050")
    assert response.status_code == 409
    assert "separaci" in response.get_json()["message"]
    assert db.session.get(Cliente, "1020304050") is not None


# -- related -------------------------------------------------------------------------------
def test_ventas_of_a_cliente(api, db):
    cliente = factories.cliente("1020304050")
    venta = factories.separacion_directa(cliente)
    factories.separacion_directa()
    db.session.commit()
    body = api.get("/api/clientes/1020304050/ventas").get_json()
    assert [v["id"] for v in body["data"]] == [venta.id]
    assert body["data"][0]["valor_total"] == "250000000.00"


def test_apartamentos_of_a_cliente(api, db):
    cliente = factories.cliente("1020304050")
    apto = factories.apartamento(documento_cliente=cliente.documento, precio=Decimal("1e8"))
    factories.apartamento()
    db.session.commit()
    body = api.get("/api/clientes/1020304050/apartamentos").get_json()
    assert [a["id"] for a in body["data"]] == [apto.id]
    assert body["data"][0]["precio"] == "100000000.00"


@pytest.mark.parametrize("suffix", ["ventas", "apartamentos"])
def test_related_of_unknown_cliente_is_404(api, suffix):
    assert api.get(f"/api/clientes/999/{suffix}").status_code == 404
