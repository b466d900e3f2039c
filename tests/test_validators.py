"""The shared validators, on plain values and on WTForms fields."""

import pytest
from wtforms import Form, StringField
from wtforms.validators import ValidationError

from admin_app.validators import Correo, DocumentoValido, LongitudMaxima, Obligatorio, Telefono


@pytest.mark.parametrize(
    ("codigo", "valor", "guardado"),
    [
        ("NIT", "900123456-8", "900123456-8"),
        ("NIT", "900.123.456-8", "900123456-8"),
        ("NIT", " 9001234568 ", "900123456-8"),
        ("NIT", "890903938-8", "890903938-8"),
        ("NIT", "800.197.268-4", "800197268-4"),
        ("CC", "1020304050", "1020304050"),
        ("CC", "1.020.304.050", "1020304050"),
        ("CC", "123", "123"),
        ("CE", "e12345", "E12345"),
        ("CE", "123456789012345", "123456789012345"),
        ("PA", "ab-123456", "AB-123456"),
        ("OTRO", "X-1-2", "X-1-2"),
    ],
)
def test_valid_documents_are_stored_normalized(codigo, valor, guardado):
    assert DocumentoValido().check(valor, codigo) == guardado


@pytest.mark.parametrize(
    ("codigo", "valor", "mensaje"),
    [
        ("NIT", "900123456-7", "dígito de verificación"),
        ("NIT", "90012345-6", "9 dígitos"),
        ("NIT", "900A23456-8", "solo puede tener dígitos"),
        ("CC", "12", "entre 3 y 10 dígitos"),
        ("CC", "12345678901", "entre 3 y 10 dígitos"),
        ("CC", "12A45", "solo puede tener dígitos"),
        ("CE", "E1", "entre 3 y 15"),
        ("CE", "E-12345", "entre 3 y 15"),
        ("PA", "AB 123", "letras, dígitos o guiones"),
        ("PA", "A" * 21, "entre 3 y 20"),
        ("CC", "   ", "obligatorio"),
    ],
)
def test_invalid_documents_say_why(codigo, valor, mensaje):
    with pytest.raises(ValidationError, match=mensaje):
        DocumentoValido().check(valor, codigo)


@pytest.mark.parametrize(
    ("valor", "guardado"),
    [
        ("3001234567", "3001234567"),
        ("+57 300 123 4567", "+57 300 123 4567"),
        ("(604) 444-5555", "(604) 444-5555"),
        ("604 444 5555 ext. 123", "604 444 5555 ext. 123"),
        ("4445555 Ext 12", "4445555 Ext 12"),
        ("  601   2345678 ", "601 2345678"),
        ("", None),
    ],
)
def test_plausible_phones_are_accepted(valor, guardado):
    assert Telefono().check(valor) == guardado


@pytest.mark.parametrize(
    "valor", ["123", "300-ABC-4567", "300.123.4567", "30012345678901234", "+57 300 +123", "ext. 12"]
)
def test_implausible_phones_are_refused(valor):
    with pytest.raises(ValidationError, match="teléfono válido"):
        Telefono().check(valor)


@pytest.mark.parametrize(
    ("valor", "guardado"),
    [("ana@example.com", "ana@example.com"), (" Ana@EXAMPLE.com ", "Ana@example.com"), ("", None)],
)
def test_emails_are_normalized(valor, guardado):
    assert Correo().check(valor) == guardado


@pytest.mark.parametrize("valor", ["ana", "ana@", "ana@example", "ana @example.com", "a@@b.co"])
def test_invalid_emails_are_refused(valor):
    with pytest.raises(ValidationError, match="correo electrónico válido"):
        Correo().check(valor)


def test_required_and_max_length_messages_land_on_the_field():
    class F(Form):
        nombre = StringField(validators=[Obligatorio(), LongitudMaxima(5)])
        apodo = StringField(validators=[LongitudMaxima(5)])

    form = F(data={"nombre": "  ", "apodo": "demasiado"})
    assert not form.validate()
    assert form.errors == {
        "nombre": ["Este campo es obligatorio."],
        "apodo": ["No puede tener más de 5 caracteres."],
    }


def test_document_validator_reads_the_tipo_from_the_form():
    class F(Form):
        codigo = StringField()
        documento = StringField(validators=[DocumentoValido(lambda form: form.codigo.data)])

    form = F(data={"codigo": "NIT", "documento": "900123456-7"})
    assert not form.validate()
    assert "dígito de verificación" in form.errors["documento"][0]
