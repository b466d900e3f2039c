"""Error pages: HTML for people, JSON under /api; never a traceback or SQL.

A database that is locked, down or full is not a bug: it gets a Spanish 503
(507 when the disk is full) with Retry-After, and a form's submitted values
come back on the page, ready to be sent again.
"""

import logging
import sqlite3

from flask import Flask, abort, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db

log = logging.getLogger(__name__)

SPANISH_TITLES = {
    400: "Solicitud inválida",
    401: "Autenticación requerida",
    403: "Acceso denegado",
    404: "Página no encontrada",
    405: "Método no permitido",
    409: "Conflicto",
    412: "El registro cambió",
    413: "Archivo demasiado grande",
    414: "Dirección demasiado larga",
    415: "Tipo de contenido no soportado",
    422: "Datos inválidos",
    429: "Demasiadas solicitudes",
    500: "Error interno",
}
SPANISH_TEXT = {
    400: "La solicitud no es válida. Si envió un formulario, recárguelo e intente de nuevo.",
    403: "Su usuario no tiene permiso para esta acción.",
    404: "La página o el registro que busca no existe.",
    405: "Esta dirección no acepta ese método.",
    413: "El archivo supera el tamaño máximo permitido.",
    414: "La dirección es demasiado larga. Vuelva a la página anterior y acorte la búsqueda "
    "o los filtros.",
    500: "Ocurrió un error inesperado. El equipo técnico fue notificado; intente de nuevo.",
}


BUSY = "busy"  # locked by another writer, or the pool exhausted
DOWN = "down"  # the server does not answer, or dropped the connection
FULL = "full"  # no space left for the write
FAULT_STATUS = {BUSY: 503, DOWN: 503, FULL: 507}
FAULT_TITLE = {
    BUSY: "Base de datos no disponible",
    DOWN: "Base de datos no disponible",
    FULL: "No hay espacio para guardar",
}
MENSAJE_OCUPADA = "La base de datos está ocupada o no responde; intente de nuevo en unos segundos."
MENSAJE_SIN_ESPACIO = "No hay espacio para guardar; avise al administrador."
FAULT_TEXT = {BUSY: MENSAJE_OCUPADA, DOWN: MENSAJE_OCUPADA, FULL: MENSAJE_SIN_ESPACIO}
RETRY_AFTER_S = 5
# Longest URL answered: gunicorn's default limit, which now lets up to 8190 through.
MAX_URL = 4094
# Values never written back into a page.
_SECRET_FIELDS = ("password", "contrasena", "contraseña")

_SQLITE_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
# PostgreSQL SQLSTATEs: lock or statement timeout, deadlock, serialization, too many clients.
_PG_BUSY = {"55P03", "57014", "40P01", "40001", "53300", "53200"}
_PG_DOWN_PREFIXES = ("08", "57P")  # connection exceptions; shutdown, crash, starting up


def db_fault_kind(exc: BaseException) -> str | None:
    """BUSY, DOWN or FULL when `exc` says the database cannot serve now; None for a bug."""
    if isinstance(exc, PoolTimeoutError):
        return BUSY
    if not isinstance(exc, DBAPIError):
        return None
    if exc.connection_invalidated:
        return DOWN
    orig = exc.orig
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        message = str(orig).lower()
        if code == _SQLITE_FULL or "disk is full" in message:
            return FULL
        if code in _SQLITE_BUSY_CODES or "locked" in message or "busy" in message:
            return BUSY
        if code == _SQLITE_CANTOPEN or "unable to open" in message:
            return DOWN
        return None
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate == "53100":
        return FULL
    if sqlstate in _PG_BUSY:
        return BUSY
    if sqlstate and sqlstate.startswith(_PG_DOWN_PREFIXES):
        return DOWN
    # psycopg raises OperationalError without a SQLSTATE when it cannot connect at all.
    if sqlstate is None and type(orig).__name__ == "OperationalError":
        return DOWN
    return None


def db_fault_message(exc: BaseException) -> str:
    """What a form says when its save met a database fault (busy by default)."""
    return FAULT_TEXT.get(db_fault_kind(exc) or BUSY)


def _submitted_fields() -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, value in request.form.items(multi=True)
        if not any(secret in name.lower() for secret in _SECRET_FIELDS)
    ]


def db_fault_response(kind: str):
    code = FAULT_STATUS[kind]
    text = FAULT_TEXT[kind]
    headers = {"Retry-After": str(RETRY_AFTER_S)} if code == 503 else {}
    if wants_json():
        response = jsonify({"message": text, "errors": {}})
        response.status_code = code
        response.headers.update(headers)
        return response
    fields = _submitted_fields() if request.method == "POST" else []
    page = render_template(
        "fallo_bd.html",
        title=FAULT_TITLE[kind],
        text=text,
        fields=fields,
        had_files=bool(request.files),
        multipart=request.mimetype == "multipart/form-data",
        retry_url=request.full_path.rstrip("?"),
    )
    return page, code, headers


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def init_error_handlers(app: Flask) -> None:
    @app.before_request
    def _url_demasiado_larga():
        # gunicorn.conf.py lets longer request lines through so that this page, not
        # gunicorn's English one, answers them.
        if len(request.environ.get("RAW_URI") or request.full_path) > MAX_URL:
            abort(414)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = exc.code or 500
        if code >= 500:
            db.session.rollback()
        title = SPANISH_TITLES.get(code, exc.name)
        text = getattr(exc, "texto", None) or SPANISH_TEXT.get(code, title)
        if code == 400 and "CSRF" in (exc.description or ""):
            text = (
                "El formulario expiró o no es válido (CSRF). Recargue la página e intente de nuevo."
            )
        # Keep what the exception says in headers (Allow on 405, WWW-Authenticate on 401).
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        if wants_json():
            response = jsonify({"message": text, "errors": {}})
            response.status_code = code
            response.headers.update(headers)
            return response
        try:
            page = render_template("error.html", code=code, title=title, text=text)
            return page, code, headers
        except Exception:  # noqa: BLE001
            # Refused before routing (an untrusted Host): no URLs can be built.
            return f"{title}. {text}", code, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        _rollback()
        kind = db_fault_kind(exc)
        if kind is not None:
            log.warning("Database %s on %s %s: %s", kind, request.method, request.path, exc)
            return db_fault_response(kind)
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return _http_error(InternalServerError())


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001
        # The connection is gone: the pool replaces it on the next checkout.
        log.info("Rollback failed after a database fault", exc_info=True)
