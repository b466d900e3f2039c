"""Look-alike or hostile document numbers and invisible names through the API: a 422
on the field, nothing saved (the rule itself is covered in tests/test_identidad.py)."""

import pytest

from admin_app.models import Cliente
from tests import factories
from tests.api.test_clientes import NUEVO


def test_full_width_copy_of_an_existing_client_is_a_duplicate_in_the_api(api, db):
    factories.cliente("12345678")
    db.session.commit()
    response = api.post("/api/clientes", json={**NUEVO, "documento": "１２３４５６７８"})
    assert response.status_code == 422
    assert "documento" in response.get_json()["errors"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Cliente)) == 1


@pytest.mark.parametrize("documento", ["²²²²²²²²²-²", "١٢٣٤٥٦٧٨", "\x00123"])
def test_hostile_documents_are_a_422_on_the_field_in_the_api(api, db, documento):
    response = api.post("/api/clientes", json={**NUEVO, "documento": documento})
    assert response.status_code == 422
    assert "documento" in response.get_json()["errors"]


@pytest.mark.parametrize("nombre", ["\u200b", "Ana\x07"])
def test_invisible_names_are_a_422_on_the_field_in_the_api(api, db, nombre):
    response = api.post("/api/clientes", json={**NUEVO, "nombre": nombre})
    assert response.status_code == 422
    assert "nombre" in response.get_json()["errors"]
