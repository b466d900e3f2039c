"""The API's field types: what JSON (or a query string) may hold, in Spanish messages.

Limits come from the model's columns (`Texto(Cliente.nombre)` documents its
String(150)); the business rules stay in the services.
"""

import re
from datetime import UTC, date
from decimal import Decimal

from marshmallow import ValidationError, fields, validate

from ...database import MAX_INT
from ...limites import demasiado_largo

CENTAVOS = Decimal("0.01")
NUL = "No puede contener el carácter nulo."
_DIGITOS = re.compile(r"[+-]?\d{1,12}")
_DINERO = re.compile(r"-?\d+(\.\d+)?")
_FECHA = re.compile(r"\d{4}-\d{2}-\d{2}")


def _longitud(columna) -> dict:
    length = getattr(columna.type, "length", None) if columna is not None else None
    return {"maxLength": length} if length else {}


class Texto(fields.String):
    """Text; `columna` gives its length, documented and checked (before any service
    sees a 5 MB body)."""

    default_error_messages = {"invalid": "Debe ser un texto."}

    def __init__(self, columna=None, **kwargs) -> None:
        self.columna = columna
        kwargs["metadata"] = {**_longitud(columna), **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in value:
            raise ValidationError(NUL)
        if self.columna is not None and (largo := demasiado_largo(value, self.columna)):
            raise ValidationError(largo)
        return value


class Documento(Texto):
    """A document number: text, or the number JSON clients send for it."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        return super()._deserialize(value, attr, data, **kwargs)


class Entero(fields.Integer):
    """A JSON integer (2.0 counts) from `minimo` to the database's INTEGER maximum."""

    default_error_messages = {"invalid": "Debe ser un número entero."}

    def __init__(self, minimo: int = 1, maximo: int = MAX_INT, **kwargs) -> None:
        self.rango = f"Debe ser un número entero entre {minimo} y {maximo}."
        rango = validate.Range(minimo, maximo, error=self.rango)
        super().__init__(validate=rango, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return value


class EnteroEnTexto(Entero):
    """An integer in a query string: digits only, one message for any wrong value."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not _DIGITOS.fullmatch(value.strip()):
            raise ValidationError(self.rango)
        return int(value)


class Dinero(fields.String):
    """Money (or a percentage) as text with two decimals, "250000000.00".

    In: that text or an integer, at most two decimals, within the column's
    Numeric(p, s) or `maximo`; no exponents, NaN or Infinity."""

    FORMATO = 'Debe ser un valor en texto con dos decimales, ej. "250000000.00".'
    LUGARES = CENTAVOS
    DECIMALES = "Admite como máximo dos decimales."

    def __init__(self, columna=None, *, maximo: Decimal | None = None, **kwargs) -> None:
        if maximo is None and columna is not None:
            precision, scale = columna.type.precision, columna.type.scale
            maximo = Decimal(10) ** (precision - scale) - Decimal(10) ** -scale
        self.maximo = maximo
        # Answers always carry two decimals; requests may send fewer (or an integer).
        pattern = r"^-?[0-9]+\.[0-9]{2}$"
        if maximo is not None:
            pattern = rf"^[0-9]{{1,{len(str(int(maximo)))}}}(\.[0-9]{{1,2}})?$"
        metadata = {"pattern": pattern, "example": "250000000.00", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{Decimal(value).quantize(self.LUGARES):f}"

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and _DINERO.fullmatch(value.strip()):
            value = Decimal(value.strip())
        elif isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        elif not isinstance(value, Decimal):
            raise ValidationError(self.FORMATO)
        if not value.is_finite() or abs(value) > self.maximo:
            raise ValidationError(f"El valor debe estar entre -{self.maximo} y {self.maximo}.")
        if value != value.quantize(self.LUGARES):
            raise ValidationError(self.DECIMALES)
        return value.quantize(self.LUGARES)


class Porcentaje(Dinero):
    """A percentage from 0 to 100 as text with up to four decimals, "2.5000"."""

    FORMATO = 'Debe ser un porcentaje en texto entre 0 y 100, ej. "2.5000".'
    LUGARES = Decimal("0.0001")
    DECIMALES = "Admite como máximo cuatro decimales."

    def __init__(self, **kwargs) -> None:
        metadata = {"example": "2.5000", **kwargs.pop("metadata", {})}
        super().__init__(maximo=Decimal(100), metadata=metadata, **kwargs)
        self.metadata["pattern"] = r"^[0-9]{1,3}(\.[0-9]{1,4})?$"

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if value < 0:
            raise ValidationError("El porcentaje debe estar entre 0 y 100.")
        return value


class Booleano(fields.Boolean):
    """JSON true or false, nothing else ("sí", 1 and "true" are refused)."""

    default_error_messages = {"invalid": "Debe ser true o false."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Fecha(fields.Date):
    """An ISO 8601 date, "2026-11-25"."""

    def __init__(self, **kwargs) -> None:
        super().__init__(metadata={"example": "2026-11-25", **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not _FECHA.fullmatch(value.strip()):
            raise ValidationError('Debe ser una fecha ISO 8601 (AAAA-MM-DD), ej. "2026-11-25".')
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError("La fecha no existe en el calendario.") from None


class Instante(fields.DateTime):
    """A moment in UTC with its offset, 2026-11-25T15:30:00+00:00."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return value.astimezone(UTC).isoformat()  # UTCDateTime columns are always aware


class Calculado(fields.Nested):
    """A nested answer computed from the row by `funcion`, not read from an attribute."""

    def __init__(self, schema, funcion, **kwargs) -> None:
        super().__init__(schema, **kwargs)
        self.funcion = funcion

    def get_value(self, obj, attr, accessor=None, default=None):
        return self.funcion(obj)
