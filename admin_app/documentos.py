"""Document-number rules per tipo de documento (docs/dominio.md), as plain functions.

`normalize_documento(codigo, valor)` returns the stored form or raises
DocumentoInvalido with a Spanish message. WTForms validators and the API wrap it.
"""

import re
import unicodedata

NIT_WEIGHTS = (3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71)


class DocumentoInvalido(ValueError):
    pass


def nit_check_digit(base: str) -> int:
    """DIAN modulo 11: weights 3, 7, 13... applied from the rightmost digit."""
    total = sum(int(d) * w for d, w in zip(reversed(base), NIT_WEIGHTS, strict=False))
    remainder = total % 11
    return remainder if remainder in (0, 1) else 11 - remainder


def format_nit(base: str) -> str:
    return f"{base}-{nit_check_digit(base)}"


def _solo_digitos(text: str) -> bool:
    # str.isdigit() also accepts superscripts and Arabic-Indic digits.
    return re.fullmatch(r"[0-9]+", text) is not None


def _nit(value: str) -> str:
    compact = re.sub(r"[\s.\-]", "", value)
    if not _solo_digitos(compact):
        raise DocumentoInvalido(
            "El NIT solo puede tener dígitos, puntos y guion (ej. 900.123.456-8)."
        )
    if len(compact) != 10:
        raise DocumentoInvalido(
            "El NIT debe tener 9 dígitos más el dígito de verificación (ej. 900123456-8)."
        )
    base, digit = compact[:9], int(compact[9])
    expected = nit_check_digit(base)
    if digit != expected:
        raise DocumentoInvalido(
            f"El dígito de verificación del NIT no corresponde: para {base} es {expected}."
        )
    return f"{base}-{digit}"


def _cc(value: str) -> str:
    compact = re.sub(r"[\s.]", "", value)  # 1.020.304.050 is how people write it
    if not _solo_digitos(compact):
        raise DocumentoInvalido("La cédula de ciudadanía solo puede tener dígitos.")
    if not 3 <= len(compact) <= 10:
        raise DocumentoInvalido("La cédula de ciudadanía debe tener entre 3 y 10 dígitos.")
    return compact


def _ce(value: str) -> str:
    if not re.fullmatch(r"[A-Z0-9]{3,15}", value):
        raise DocumentoInvalido(
            "La cédula de extranjería debe tener entre 3 y 15 letras o dígitos."
        )
    return value


def _pa_otro(value: str) -> str:
    if not re.fullmatch(r"[A-Z0-9-]{3,20}", value):
        raise DocumentoInvalido("El documento debe tener entre 3 y 20 letras, dígitos o guiones.")
    return value


RULES = {"CC": _cc, "NIT": _nit, "CE": _ce, "PA": _pa_otro, "OTRO": _pa_otro}


def normalize_documento(codigo_tipo: str | None, valor: str | None) -> str:
    """The stored form of a document number, or DocumentoInvalido."""
    # NFKC first: full-width "１２３" and superscript "²" are the digits people meant,
    # so they cannot become a second client beside "123". What is still not ASCII
    # after that (Arabic-Indic digits, "ß", accents) is refused, never transformed.
    value = unicodedata.normalize("NFKC", valor or "").strip()
    if not value.isascii():
        raise DocumentoInvalido(
            "El documento solo puede tener dígitos y letras sin tilde (A-Z, 0-9), "
            "puntos, guiones y espacios."
        )
    value = value.upper()
    if not value:
        raise DocumentoInvalido("El documento es obligatorio.")
    if len(value) > 40:
        raise DocumentoInvalido("El documento no puede tener más de 40 caracteres.")
    rule = RULES.get((codigo_tipo or "").upper(), _pa_otro)
    return rule(value)
