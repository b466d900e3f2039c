"""Identity that cannot be confused: document numbers and names, in every door that takes them.

Look-alike digits (full-width, superscript) are the digits people meant, so they
cannot make a second client; anything else outside ASCII is refused, never
transformed; names need something visible. Checked on the rule itself (for every
text hypothesis can think of), then through the admin form, the API and the import.
"""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admin_app.documentos import DocumentoInvalido, normalize_documento
from admin_app.models import Cliente
from admin_app.validators import TextoVisible
from tests import factories
from tests.admin.test_clientes import _crear, _field_errors

PATRONES = {
    "CC": r"[0-9]{3,10}",
    "NIT": r"[0-9]{9}-[0-9]",
    "CE": r"[A-Z0-9]{3,15}",
    "PA": r"[A-Z0-9-]{3,20}",
    "OTRO": r"[A-Z0-9-]{3,20}",
}


@pytest.mark.parametrize(
    ("codigo", "escrito", "guardado"),
    [
        ("CC", "１２３４５６７８", "12345678"),  # full-width
        ("CC", "¹²³⁴⁵⁶⁷⁸", "12345678"),  # superscript
        ("NIT", "９００１２３４５６-８", "900123456-8"),
        ("CE", "ｅ１２３４５", "E12345"),
    ],
)
def test_look_alike_digits_are_the_digits_people_meant(codigo, escrito, guardado):
    assert normalize_documento(codigo, escrito) == guardado


@pytest.mark.parametrize(
    ("codigo", "escrito"),
    [
        ("CC", "١٢٣٤٥٦٧٨"),  # Arabic-Indic digits
        ("CE", "STRAßE1"),  # upper() would make it STRASSE1
        ("PA", "ÁB12345"),
        ("NIT", "²²²²²²²²²-²X"),
        ("CC", "123\u200b456"),  # zero-width space
        ("CC", "123\x00456"),
    ],
)
def test_other_characters_are_refused_not_transformed(codigo, escrito):
    with pytest.raises(DocumentoInvalido):
        normalize_documento(codigo, escrito)


@given(codigo=st.sampled_from(sorted(PATRONES)), texto=st.text(max_size=45))
def test_a_stored_document_is_always_plain_ascii_of_its_type(codigo, texto):
    try:
        guardado = normalize_documento(codigo, texto)
    except DocumentoInvalido:
        return
    assert re.fullmatch(PATRONES[codigo], guardado), guardado


@pytest.mark.parametrize("nombre", ["\u200b", "\u200b\u200c", "\u2060", "Ana\x00", "Ana\x07Gómez"])
def test_invisible_or_control_characters_are_refused_in_names(nombre):
    with pytest.raises(ValueError):
        TextoVisible().check(nombre)


@pytest.mark.parametrize("nombre", ["María José Ñáñez", "O'Connor-Smith", "李小龙", "Ana 👩"])
def test_real_names_are_kept_as_typed(nombre):
    assert TextoVisible().check(nombre) == nombre


def test_full_width_copy_is_a_duplicate_in_the_admin_form(admin_client, db):
    factories.cliente("12345678")
    db.session.commit()
    response = _crear(admin_client, documento="１２３４５６７８")
    assert response.status_code == 200
    assert "Ya existe un cliente con este documento" in _field_errors(
        response.get_data(as_text=True)
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(Cliente)) == 1


def test_zero_width_name_is_a_field_error_in_the_admin_form(admin_client, db):
    response = _crear(admin_client, nombre="\u200b\u200b")
    assert response.status_code == 200
    assert "visible" in _field_errors(response.get_data(as_text=True))
    assert db.session.get(Cliente, "1020304050") is None
