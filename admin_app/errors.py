"""Error pages: HTML for people, JSON under /api; never a traceback or SQL."""

import logging

from flask import Flask, jsonify, render_template, request
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
    500: "Ocurrió un error inesperado. El equipo técnico fue notificado; intente de nuevo.",
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def init_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = exc.code or 500
        if code >= 500:
            db.session.rollback()
        title = SPANISH_TITLES.get(code, exc.name)
        text = SPANISH_TEXT.get(code, title)
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
        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return _http_error(InternalServerError())
