"""The row a URL names: 404 when there is none, its ETag, and If-Match (412)."""

from functools import wraps

from flask import request
from marshmallow.experimental.context import Context
from sqlalchemy import inspect
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from . import api_bp
from .errors import ApiError
from .schemas.fields import MAX_INT

IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": 'El ETag leído (ej. "3"). Si el registro cambió desde entonces: 412. '
    "Sin este encabezado el cambio se aplica sobre la versión actual.",
}


def get_or_404(model, key, message: str):
    obj = None if isinstance(key, int) and key > MAX_INT else db.session.get(model, key)
    if obj is None:
        raise ApiError(404, message)
    return obj


def etag(obj) -> dict[str, str]:
    return {"ETag": f'"{obj.version}"'}


def check_if_match(obj, what: str) -> None:
    """412 when the client's If-Match names a version other than the current one
    (weak tags too: the version is what we compare). Without If-Match the request
    proceeds; the version column still refuses a write that races another one."""
    if "If-Match" in request.headers and not request.if_match.contains_weak(str(obj.version)):
        raise ApiError(
            412,
            f"{what} cambió desde que lo leyó (versión actual {obj.version}); vuelva a leerlo "
            "y repita el cambio.",
            headers=etag(obj),
        )


def row(find, *, if_match: str | None = None):
    """The view receives the row its URL names (`find` turns the key into it or a
    404) and, with `if_match` (how messages name it), a stale If-Match is a 412:
    both before the body is read. Schemas find the row in their load Context."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            (key,) = kwargs.values()
            obj = find(key)
            if if_match:
                check_if_match(obj, if_match)
            with Context({"row": obj}):
                return view(obj, *args)

        # Manual parameters replace the documented ones: no view with If-Match reads a query.
        return api_bp.doc(parameters=[IF_MATCH])(wrapper) if if_match else wrapper

    return decorator


# Without If-Match a client asks for "the current version, whatever it is": a write
# that raced another one is applied again over the version that won (last write
# wins, each one in the bitácora) instead of a 412 nobody asked for.
INTENTOS_SIN_IF_MATCH = 10


def guardar_con_reintento(fila, aplicar, buscar):
    """`aplicar(fila)` and commit; (body, ETag headers). Without If-Match a raced write
    is applied again to the row read anew by `buscar(clave)`; with it, StaleDataError
    goes up (a 412)."""
    clave = inspect(fila).identity[0]
    for intento in range(1, INTENTOS_SIN_IF_MATCH + 1):
        try:
            aplicar(fila)
            db.session.commit()
            return {"data": fila}, etag(fila)
        except StaleDataError:
            db.session.rollback()
            if "If-Match" in request.headers or intento == INTENTOS_SIN_IF_MATCH:
                raise
            fila = buscar(clave)
