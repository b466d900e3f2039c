"""Form fields for the numbers and dates people type, checked at the door.

Money, decimals, integers and dates are read as Colombians write them
(`250.000.000`, `1.234,50`, `12,5 %`, `25/11/2026`) and refused, with a Spanish
message on the field that states its real bounds, when they are no number
(`NaN`, `Infinity`, `1e400`, exponents), have more decimals than the column
keeps, or fall outside what the column and the business allow. A refused value
is never passed on: the field's data is None and the page shows what was typed.
"""

import re
from decimal import Decimal, InvalidOperation

from flask_admin.form import BaseForm
from flask_wtf import FlaskForm
from wtforms import DateField, Field
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import NumberInput, TextInput

from ..entradas import MENSAJE_NULO, NULO
from ..formatting import format_date, format_number
from ..limites import (  # noqa: F401 (the forms import the bounds from here too)
    ANIOS_ADELANTE,
    FECHA_MINIMA,
    PLAZO_MAXIMO_CUOTA_INICIAL_MESES,
    PLAZO_MAXIMO_SEPARACION_DIAS,
    fecha_maxima,
)
from ..models.base import DINERO_MAXIMO

# Longer than any amount, with its dots and a "$": refused before parsing.
LARGO_MAXIMO = 40
# An INTEGER column (PostgreSQL's int4) holds this much.
ENTERO_MAXIMO = 2_147_483_647
FORMATOS_FECHA = ["%Y-%m-%d", "%d/%m/%Y"]

FECHA_INVALIDA = "Escriba una fecha válida (dd/mm/aaaa)."
ENTERO_INVALIDO = "Escriba un número entero."
TASA_INVALIDA = "Escriba la tasa en porcentaje, por ejemplo 12,5."
DINERO_INVALIDO = "Escriba un valor en pesos, por ejemplo 250.000.000."
NUMERO_INVALIDO = "Escriba un número, por ejemplo 72,5."

# "250.000.000" (dots for thousands) vs "250000000.50" (a decimal point).
# ASCII digits only: Decimal() and int() also read Arabic-Indic or full-width ones.
_MILES = re.compile(r"[1-9][0-9]{0,2}(\.[0-9]{3})+")
# What is left once thousands dots are gone: digits, one decimal point, a sign.
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_ENTERO = re.compile(r"[+-]?[0-9]+")


def parse_decimal(texto: str) -> Decimal:
    """`1.234,50`, `1234.50`, `250.000.000` or `12,5` -> Decimal; ValueError otherwise.
    Only digits, one decimal separator and a leading minus: no exponents, no
    NaN or Infinity, nothing a float would round."""
    limpio = "".join(texto.split())  # spaces, tabs, non-breaking spaces
    if len(limpio) > LARGO_MAXIMO:
        raise ValueError(texto)
    if "," in limpio:
        limpio = limpio.replace(".", "").replace(",", ".")
    elif _MILES.fullmatch(limpio.lstrip("-")):
        limpio = limpio.replace(".", "")
    if not _DECIMAL.fullmatch(limpio):
        raise ValueError(texto)
    return Decimal(limpio)


def parse_dinero(texto: str) -> Decimal:
    """`$ 250.000.000`, `250000000`, `1.234,50` or `1234.50` -> Decimal; ValueError otherwise."""
    return parse_decimal(texto.replace("$", ""))


def parse_entero(texto: str) -> int:
    """`36`, ` 36 ` -> 36; ValueError for anything else (decimals, exponents, words)."""
    limpio = texto.strip()
    if len(limpio) > LARGO_MAXIMO or not _ENTERO.fullmatch(limpio):
        raise ValueError(texto)
    return int(limpio)


def decimales(valor: Decimal) -> int:
    """Decimals that matter: `1,50` has one. (No normalize(): it rounds past 28 digits.)"""
    _signo, digitos, exponente = valor.as_tuple()
    if not isinstance(exponente, int):
        return 0
    while exponente < 0 and digitos and digitos[-1] == 0:
        digitos, exponente = digitos[:-1], exponente + 1
    return max(0, -exponente)


def _corto(valor: Decimal) -> str:
    """`100`, `0,5` or `9.999.999.999.999.999,99`: decimals only when there are some."""
    return format_number(valor, min(decimales(Decimal(valor)), 2))


def formato_dinero(valor: Decimal) -> str:
    """How a clerk types it back: `250.000.000`, or `250.000.000,50` with cents."""
    centavos = valor.quantize(Decimal("0.01")) % 1
    return format_number(valor, 2 if centavos else 0)


class CampoDecimal(Field):
    """A decimal number with at most `lugares` decimals between `minimo` and
    `maximo` (`minimo` itself excluded when `minimo_excluido`). A text box, not
    type=number: browsers refuse `5.000.000` in a number input."""

    widget = TextInput()
    invalido = NUMERO_INVALIDO
    lugares = 2

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        minimo=Decimal(0),
        maximo=DINERO_MAXIMO,
        minimo_excluido: bool = False,
        lugares: int | None = None,
        **kwargs,
    ):
        kwargs.pop("places", None)  # Flask-Admin's converter passes one; the field keeps its own
        kwargs.pop("rounding", None)
        render_kw = {
            "inputmode": "decimal",
            "autocomplete": "off",
            **(kwargs.pop("render_kw", None) or {}),
        }
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.minimo = Decimal(minimo)
        self.maximo = Decimal(maximo)
        self.minimo_excluido = minimo_excluido
        if lugares is not None:
            self.lugares = lugares

    def parse(self, texto: str) -> Decimal:
        return parse_decimal(texto)

    def mostrar(self, valor: Decimal) -> str:
        return format_number(valor, self.lugares)

    def rango(self) -> str:
        desde, hasta = _corto(self.minimo), _corto(self.maximo)
        if self.minimo_excluido:
            return f"Escriba un valor mayor que {desde} y hasta {hasta}."
        return f"Escriba un valor entre {desde} y {hasta}."

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            valor = self.parse(str(valuelist[0]))
        except (InvalidOperation, ValueError):
            self.data = None
            raise ValueError(self.invalido) from None
        if decimales(valor) > self.lugares:
            self.data = None
            raise ValueError(f"Use máximo {self.lugares} decimales.")
        fuera = valor > self.maximo or valor < self.minimo
        if fuera or (self.minimo_excluido and valor == self.minimo):
            self.data = None
            raise ValueError(self.rango())
        self.data = valor.quantize(Decimal(1).scaleb(-self.lugares))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return self.mostrar(Decimal(self.data))


class CampoDinero(CampoDecimal):
    """A peso amount, 0 to Numeric(18, 2)'s maximum unless told otherwise;
    accepts the thousands dots and the `$` people type."""

    invalido = DINERO_INVALIDO

    def parse(self, texto: str) -> Decimal:
        return parse_dinero(texto)

    def mostrar(self, valor: Decimal) -> str:
        return formato_dinero(valor)


class CampoTasa(CampoDecimal):
    """A percentage written `12,5`, `12.5` or `12,5 %`, 0 to 100 with 2 decimals;
    shown the Colombian way (`0,00`)."""

    invalido = TASA_INVALIDA

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("maximo", Decimal(100))
        super().__init__(label, validators, **kwargs)

    def parse(self, texto: str) -> Decimal:
        return parse_decimal(texto.replace("%", ""))

    def rango(self) -> str:
        return f"Escriba un porcentaje entre {_corto(self.minimo)} y {_corto(self.maximo)}."


class CampoEntero(Field):
    """A whole number between `minimo` and `maximo` (by default what an INTEGER
    column holds, from 0); `mensaje_rango` words the bounds for the user."""

    widget = NumberInput()

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        minimo: int = 0,
        maximo: int = ENTERO_MAXIMO,
        mensaje_rango: str | None = None,
        **kwargs,
    ):
        super().__init__(label, validators, **kwargs)
        self.minimo, self.maximo = minimo, maximo
        self.mensaje_rango = mensaje_rango or (
            f"Escriba un número entero entre {format_number(minimo, 0)} "
            f"y {format_number(maximo, 0)}."
        )

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            valor = parse_entero(str(valuelist[0]))
        except ValueError:
            self.data = None
            raise ValueError(ENTERO_INVALIDO) from None
        if not self.minimo <= valor <= self.maximo:
            self.data = None
            raise ValueError(self.mensaje_rango)
        self.data = valor

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class CampoFecha(DateField):
    """A business date (dd/mm/aaaa or aaaa-mm-dd) from 2000-01-01 to ten years
    ahead: a sale dated 9998 would run its plan past year 9999."""

    def __init__(self, label=None, validators=None, format=None, **kwargs):
        super().__init__(label, validators, format=format or FORMATOS_FECHA, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and len(" ".join(str(v) for v in valuelist)) > LARGO_MAXIMO:
            self.data = None
            raise ValueError(FECHA_INVALIDA)
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(FECHA_INVALIDA) from None
        if self.data is not None and not FECHA_MINIMA <= self.data <= fecha_maxima():
            self.data = None
            raise ValueError(
                f"Escriba una fecha entre {format_date(FECHA_MINIMA)} "
                f"y {format_date(fecha_maxima())}."
            )


def campo_fecha(label: str, requerida: bool = False) -> CampoFecha:
    validadores = [InputRequired("Indique la fecha.")] if requerida else [Optional()]
    return CampoFecha(label, validators=validadores)


class SinCaracterNulo:
    """Every field of the form refuses a NUL character with a message of its own;
    the other fields keep what was typed. PostgreSQL cannot store it, and SQLite
    would keep it silently."""

    def validate(self, extra_validators=None) -> bool:
        con_nulo = [
            field
            for field in self
            if any(isinstance(v, str) and NULO in v for v in field.raw_data or ())
        ]
        for field in con_nulo:  # the other checks (some query the database) never see it
            if isinstance(field.data, str):
                field.data = field.data.replace(NULO, "")
        valido = super().validate(extra_validators)
        for field in con_nulo:
            field.errors = [*field.errors, MENSAJE_NULO]
        return valido and not con_nulo


class Formulario(SinCaracterNulo, FlaskForm):
    """The base of the admin's own forms."""


class FormularioAdmin(SinCaracterNulo, BaseForm):
    """The base of the forms Flask-Admin builds (SecureModelView.form_base_class)."""
