"""Reusable WTForms validators with Spanish messages.

Each class works on a form field (``validator(form, field)``) and on a plain
value (``validator.check(value)``, which returns the normalized value or raises
``ValidationError``), so the admin forms, the services and the API share one
implementation of every rule.
"""

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from wtforms.validators import StopValidation, ValidationError

from .documentos import DocumentoInvalido, normalize_documento


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Obligatorio:
    """The field must have a value; blank text counts as missing."""

    field_flags = {"required": True}

    def __init__(self, message: str = "Este campo es obligatorio.") -> None:
        self.message = message

    def check(self, value):
        if is_blank(value):
            raise ValidationError(self.message)
        return value.strip() if isinstance(value, str) else value

    def __call__(self, form, field) -> None:
        try:
            self.check(field.data)
        except ValidationError as exc:
            field.errors[:] = []
            raise StopValidation(str(exc)) from None


class LongitudMaxima:
    """At most `maximo` characters once surrounding spaces are trimmed."""

    def __init__(self, maximo: int, message: str | None = None) -> None:
        self.maximo = maximo
        self.message = message or f"No puede tener más de {maximo} caracteres."

    def check(self, value):
        if isinstance(value, str) and len(value.strip()) > self.maximo:
            raise ValidationError(self.message)
        return value

    def __call__(self, form, field) -> None:
        self.check(field.data)


class TextoVisible:
    """One-line text a person can read: no control or invisible characters (NUL,
    zero-width spaces, unassigned code points), and when given, something visible."""

    def __init__(
        self,
        message: str = "Tiene caracteres de control o invisibles; escríbalo de nuevo.",
        vacio: str = "Debe tener al menos una letra, un dígito o un signo visible.",
    ) -> None:
        self.message = message
        self.vacio = vacio

    def check(self, value):
        if not isinstance(value, str) or value == "":
            return value
        categorias = {unicodedata.category(ch) for ch in value}
        if categorias & {"Cc", "Cf", "Co", "Cs", "Cn"}:
            raise ValidationError(self.message)
        if all(c.startswith("Z") for c in categorias):
            raise ValidationError(self.vacio)
        return value

    def __call__(self, form, field) -> None:
        self.check(field.data)


# Digits, spaces, hyphens and parentheses, an optional leading "+", and an
# optional extension: "+57 (604) 444-5555 ext. 123".
_TELEFONO = re.compile(r"\+?[\d\s()\-]+?(?:\s*(?:ext\.?|extensi[oó]n|x)\s*\d{1,6})?", re.IGNORECASE)
_EXTENSION = re.compile(r"(?:ext\.?|extensi[oó]n|x)\s*\d{1,6}$", re.IGNORECASE)


class Telefono:
    """A plausible phone number: 7 to 15 digits before any extension."""

    def __init__(
        self,
        message: str = (
            "Escriba un teléfono válido: de 7 a 15 dígitos, con espacios, +, guiones, "
            "paréntesis y extensión opcionales (ej. +57 (604) 444-5555 ext. 123)."
        ),
    ) -> None:
        self.message = message

    def check(self, value):
        if is_blank(value):
            return None
        text = re.sub(r"\s+", " ", value.strip())
        if not _TELEFONO.fullmatch(text):
            raise ValidationError(self.message)
        main = _EXTENSION.sub("", text)
        digits = re.sub(r"\D", "", main)
        if not 7 <= len(digits) <= 15:
            raise ValidationError(self.message)
        return text

    def __call__(self, form, field) -> None:
        self.check(field.data)


class Correo:
    """A syntactically valid address per email-validator (no network); returns it normalized."""

    def __init__(self, message: str = "Escriba un correo electrónico válido.") -> None:
        self.message = message

    def check(self, value):
        if is_blank(value):
            return None
        try:
            return validate_email(value.strip(), check_deliverability=False).normalized
        except EmailNotValidError:
            raise ValidationError(self.message) from None

    def __call__(self, form, field) -> None:
        self.check(field.data)


class DocumentoValido:
    """The document number fits its tipo de documento (docs/dominio.md rules, NIT check digit).

    ``check(valor, codigo_tipo)`` returns the stored form (trimmed, upper-cased,
    NIT as 900123456-8). On a form, ``codigo_tipo`` reads the selected tipo's
    code from the form (a callable taking the form), since that is another field.
    """

    def __init__(self, codigo_tipo=None) -> None:
        self.codigo_tipo = codigo_tipo

    def check(self, value, codigo_tipo: str | None) -> str:
        try:
            return normalize_documento(codigo_tipo, value)
        except DocumentoInvalido as exc:
            raise ValidationError(str(exc)) from None

    def __call__(self, form, field) -> None:
        codigo = self.codigo_tipo(form) if self.codigo_tipo else None
        if codigo:
            self.check(field.data, codigo)
