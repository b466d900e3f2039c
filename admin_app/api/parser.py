"""Reading requests: the JSON body (415, 400) and every failing field in one 422.

flask-smorest validates with webargs; this parser reads numbers as Decimal
(money is exact), refuses NaN and Infinity, and answers in our error shape.
"""

import json
from decimal import Decimal

from flask import request
from webargs import core
from webargs.flaskparser import FlaskParser

from . import api_bp
from .errors import MESSAGES, ApiError
from .schemas.fields import NUL


def _reject_constant(name: str):
    raise ValueError(name)


class Parser(FlaskParser):
    def load_json(self, req, schema):
        raw = req.get_data(cache=True)
        if getattr(schema, "optional", False) and not raw.strip():
            return core.missing
        if req.mimetype != "application/json" and not req.mimetype.endswith("+json"):
            raise ApiError(415)
        try:
            body = json.loads(raw.decode(), parse_float=Decimal, parse_constant=_reject_constant)
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise ApiError(400, "El cuerpo no es un JSON válido.") from None
        if not isinstance(body, dict):
            raise ApiError(400, "El cuerpo debe ser un objeto JSON ({...}).")
        return body

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        (errors,) = error.messages.values()  # webargs files them under their location
        raise ApiError(422, MESSAGES[422], planos(errors))


def planos(errors, prefijo: str = "") -> dict[str, list[str]]:
    """Field -> messages, one level: a nested object's or a list's fields are named
    with dots (`prospecto.correo`, `filtros.proyecto`, `ids.0`), as the documented
    error shape says."""
    if isinstance(errors, list):
        return {prefijo: [str(e) for e in errors]}
    resultado: dict[str, list[str]] = {}
    for campo, mensajes in errors.items():
        nombre = f"{prefijo}.{campo}" if prefijo else str(campo)
        if isinstance(mensajes, dict):
            resultado.update(planos(mensajes, nombre))
        else:
            resultado.setdefault(nombre, []).extend(
                str(m) for m in (mensajes if isinstance(mensajes, list) else [mensajes])
            )
    return resultado


@api_bp.before_request
def reject_nul_characters():
    """No database stores a NUL character in text (PostgreSQL refuses it): say so early."""
    if any("\x00" in str(value) for value in (request.view_args or {}).values()):
        raise ApiError(404)
    errors = {
        key.replace("\x00", ""): [NUL]
        for key, value in request.args.items(multi=True)
        if "\x00" in value or "\x00" in key
    }
    if errors:
        raise ApiError(422, MESSAGES[422], errors)
