"""One error shape for the whole API: {"message": "...", "errors": {"campo": ["..."]}}.

Every HTTPException raised by an API view, every ServiceError and every
constraint the database enforces becomes that JSON; never HTML, never SQL.
Errors raised before routing (unknown URL, wrong method) are turned into the
same shape by admin_app.errors, which answers JSON for any path under /api.
"""

from flask import jsonify
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from ..extensions import db
from ..integrity import describe_integrity_error
from ..services.errors import ServiceError
from . import api_bp

MESSAGES = {
    400: "La solicitud no es válida.",
    401: "Se requiere un token de acceso válido (Authorization: Bearer <token>).",
    403: "Su usuario no tiene permiso para esta acción.",
    404: "El recurso no existe.",
    405: "Esta dirección no acepta ese método.",
    409: "La operación choca con los datos existentes.",
    412: "El registro cambió desde que lo leyó; vuelva a leerlo y repita el cambio.",
    413: "El cuerpo de la solicitud es demasiado grande.",
    414: "La dirección es demasiado larga; acorte los parámetros de la consulta.",
    415: "El cuerpo debe enviarse como JSON (Content-Type: application/json).",
    422: "Revise los campos marcados.",
}
STALE_MESSAGE = MESSAGES[412]
# A duplicate key (documento, a name, a unit's number) is a validation error on its field.
VALIDATION_FIELDS = frozenset({"documento", "nombre", "numero"})


class ApiError(HTTPException):
    """An HTTP error with our JSON body; `headers` are added to the response."""

    def __init__(
        self,
        code: int,
        message: str | None = None,
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message or MESSAGES.get(code, ""))
        self.code = code
        self.message = message or MESSAGES.get(code, "Error.")
        self.errors = errors or {}
        self.extra_headers = headers or {}


def error_response(code: int, message: str, errors: dict | None = None, headers=None):
    response = jsonify({"message": message, "errors": errors or {}})
    response.status_code = code
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


@api_bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    if isinstance(exc, ApiError):
        return error_response(exc.code, exc.message, exc.errors, exc.extra_headers)
    code = exc.code or 500
    headers = {}
    if code == 405:
        headers = dict(exc.get_headers())
        headers.pop("Content-Type", None)
    return error_response(code, MESSAGES.get(code, exc.name), headers=headers)


@api_bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    db.session.rollback()
    return error_response(exc.status, exc.message, exc.errors)


@api_bp.errorhandler(IntegrityError)
def _integrity_error(exc: IntegrityError):
    db.session.rollback()
    field, message = describe_integrity_error(exc)
    code = 422 if field in VALIDATION_FIELDS else 409
    return error_response(code, message, {field: [message]} if field else {})


@api_bp.errorhandler(StaleDataError)
def _stale(exc: StaleDataError):
    # Someone saved the row between our read and our write.
    db.session.rollback()
    return error_response(412, STALE_MESSAGE)


@api_bp.errorhandler(DataError)
def _data_error(exc: DataError):
    # A value the database cannot store (out of range, too long) that no rule caught.
    db.session.rollback()
    return error_response(422, "Un valor no cumple el formato o el rango que admite el sistema.")
