import pytest


def test_non_json_body_is_415(api):
    response = api.post("/api/clientes", data="documento=1", content_type="text/plain")
    assert response.status_code == 415
    assert response.get_json()["errors"] == {}


def test_form_body_is_415(api):
    response = api.post("/api/clientes", data={"documento": "1"})
    assert response.status_code == 415


@pytest.mark.parametrize(
    "raw", ["{", "{'a': 1}", '{"a": NaN}', b"\xff\xfe".decode("latin-1"), ""], ids=repr
)
def test_malformed_json_is_400(api, raw):
    response = api.post("/api/clientes", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"message": "El cuerpo no es un JSON válido.", "errors": {}}


@pytest.mark.parametrize("raw", ["[]", "1", '"x"', "null"])
def test_json_that_is_not_an_object_is_400(api, raw):
    response = api.post("/api/clientes", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert "objeto" in response.get_json()["message"]


def test_unknown_url_under_api_is_json_404(api):
    response = api.get("/api/no-existe")
    assert response.status_code == 404
    assert response.is_json and set(response.get_json()) == {"message", "errors"}


def test_wrong_method_is_json_405(api):
    response = api.put("/api/catalogos", json={})
    assert response.status_code == 405
    assert response.is_json


def test_unknown_fields_are_422_naming_them(api):
    response = api.post("/api/ventas", json={"precio": "1.00", "descuento": 3})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["precio"] == ["Campo desconocido: este recurso no lo admite."]
    assert "descuento" in errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_apartamento", "uno"),
        ("id_apartamento", 1.5),
        ("id_apartamento", True),
        ("id_apartamento", 10**30),
        ("fecha", 20261125),
        ("fecha", "25/11/2026"),
        ("fecha", "2026-02-30"),
        ("valor_total", 0.001),
        ("valor_total", "1.005"),
        ("valor_total", "mil"),
        ("valor_total", [1]),
        ("observaciones", {"a": 1}),
        ("tipo_operacion", 3),
    ],
)
def test_json_type_errors_are_422_on_their_field(api, field, value):
    response = api.post("/api/ventas", json={field: value})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_nul_character_in_a_query_is_422(api):
    response = api.get("/api/clientes?q=a%00b")
    assert response.status_code == 422
    assert "q" in response.get_json()["errors"]


def test_nul_character_in_a_body_is_422(api):
    response = api.post(
        "/api/clientes",
        json={"documento": "123\x00", "nombre": "A", "id_tipo_cliente": 1, "id_tipo_documento": 1},
    )
    assert response.status_code == 422
    assert "documento" in response.get_json()["errors"]


def test_spec_is_public(anonymous_api):
    response = anonymous_api.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.")


def test_huge_json_number_is_422_not_500(api):
    response = api.post(
        "/api/ventas", data='{"valor_total": 1e400}', content_type="application/json"
    )
    assert response.status_code == 422
    assert "valor_total" in response.get_json()["errors"]
