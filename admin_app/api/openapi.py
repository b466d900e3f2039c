"""/api/openapi.json: the OpenAPI 3.0 document, generated from the routes and their schemas.

What every operation shares is added here once (401, 400/415/422 with a body,
404 with a path parameter, 412 with If-Match); tests/api/test_openapi.py checks that every route
is described and fuzzes the API against the document.
"""

from http import HTTPStatus

from apispec import BasePlugin
from flask import Flask, current_app
from flask_smorest import Api as SmorestApi
from marshmallow import Schema, fields
from werkzeug.routing import IntegerConverter, UnicodeConverter

from ..models import Cliente
from . import api_bp
from .schemas.fields import MAX_INT

TAG = "Documentación"
DESCRIPTION = (
    "JSON de entrada y salida (`application/json`). Todo recurso exige "
    "`Authorization: Bearer <token>` salvo esta especificación (`GET /api/openapi.json`, "
    "pública). Los tokens pertenecen a un usuario y tienen su rol; se crean con `flask "
    "api-tokens create USUARIO` (se muestran una vez) y se revocan con `flask api-tokens "
    "revoke PREFIJO`.\n\n"
    'Errores: siempre `{"message": "...", "errors": {"campo": ["..."]}}`, en español. '
    'Dinero: texto con dos decimales (`"250000000.00"`). Fechas: ISO 8601 (`2026-11-25`); '
    "instantes en UTC con desfase. Listas: `page`, `per_page` (máximo 100) y `meta.total` "
    "(en /api/clientes y /api/ventas sin filtros, contado a lo sumo una vez por minuto: "
    "`meta.total_exacto` lo dice). Un campo desconocido en el cuerpo es un 422 que lo "
    "nombra.\n\n"
    "Conflictos de edición: los GET de un cliente, una venta o un pago envían `ETag`; "
    "envíelo en `If-Match` al modificar y recibirá 412 si otro lo cambió antes."
)
ERRORS = {
    400: "JSON mal formado, o el cuerpo no es un objeto.",
    401: "Falta el token, no es válido, fue revocado o su usuario está inactivo. "
    "La respuesta trae `WWW-Authenticate: Bearer`.",
    403: "El rol del token no permite esta acción (solo admin).",
    404: "No existe.",
    409: "Choca con los datos existentes.",
    412: "If-Match no corresponde a la versión actual: alguien cambió el registro. "
    "La respuesta trae el ETag actual.",
    415: "El cuerpo no es application/json.",
    422: "Datos inválidos: `errors` lista todos los campos que fallan (también los "
    "campos desconocidos y los parámetros de consulta inválidos).",
}
ETAG = {
    "ETag": {
        "description": 'Versión del registro ("3"); envíela en If-Match al modificarlo.',
        "schema": {"type": "string"},
    }
}
LOCATION = {
    "Location": {"description": "Dirección del recurso creado.", "schema": {"type": "string"}}
}
_HEADERS = {401: {"WWW-Authenticate": {"schema": {"type": "string"}}}, 412: ETAG}


class ErrorSchema(Schema):
    message = fields.String(required=True, metadata={"description": "Qué pasó, en español."})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={"description": "Campo -> mensajes; vacío cuando el error no es de un campo."},
    )


class Conventions(BasePlugin):
    """Writes once what every operation shares."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def init_spec(self, spec) -> None:
        super().init_spec(spec)
        self.spec = spec

    def path_helper(self, path, operations, parameters, **kwargs):
        # Each operation lists its own path parameters, as clients and the tests read them.
        for operation in operations.values():
            if parameters or "parameters" in operation:
                operation["parameters"] = [*parameters, *operation.get("parameters", [])]
        parameters.clear()

    def operation_helper(self, path, operations, **kwargs):
        for operation in operations.values():
            codes = [401] if operation.get("security") != [] else []
            if "requestBody" in operation:
                codes += [400, 415, 422]
            if "{" in path:
                codes.append(404)
            if any(p.get("name") == "If-Match" for p in operation.get("parameters", [])):
                codes.append(412)
            for code in codes:
                operation["responses"].setdefault(code, HTTPStatus(code).name)
            for tag in operation["tags"]:
                if tag not in self.tags:
                    self.tags.append(tag)
                    self.spec.tag({"name": tag})


class Api(SmorestApi):
    """flask-smorest with our error shape: api/errors.py answers every error (this
    Api registers no handler of its own, which would answer the admin's pages too)."""

    def _register_error_handlers(self) -> None:
        pass

    # Neither flask-smorest's ETag feature nor its pagination header is used.
    def _register_etag_headers(self) -> None:
        pass

    def _register_pagination_header(self) -> None:
        pass

    def _register_responses(self) -> None:
        for code, description in ERRORS.items():
            response = {
                "description": description,
                "content": {"application/json": {"schema": ErrorSchema}},
            }
            if code in _HEADERS:
                response["headers"] = _HEADERS[code]
            self.spec.components.response(HTTPStatus(code).name, response, lazy=True)
        default = {"description": "Cualquier otro error, con la misma forma."}
        default["content"] = {"application/json": {"schema": ErrorSchema}}
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)


def init_api(app: Flask) -> None:
    api = Api(
        app,
        spec_kwargs={
            "title": "API del back office de ventas de apartamentos",
            "version": "1.0.0",
            "openapi_version": "3.0.3",
            "info": {"description": DESCRIPTION},
            "servers": [{"url": "/"}],
            "security": [{"bearerAuth": []}],
            "extra_plugins": [Conventions()],
        },
    )
    api.spec.components.security_scheme(
        "bearerAuth",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "Token creado con `flask api-tokens create USUARIO`.",
        },
    )
    # Ids are INTEGER keys; the only text in a URL is a client's documento.
    api.register_converter(
        IntegerConverter, lambda _c: {"type": "integer", "minimum": 1, "maximum": MAX_INT}
    )
    documento = rf"^[A-Za-z0-9-]{{1,{Cliente.documento.type.length}}}$"
    api.register_converter(UnicodeConverter, lambda _c: {"type": "string", "pattern": documento})
    app.register_blueprint(api_bp)
    api_bp.register_views_in_doc(api, app, api.spec, name=api_bp.name, parameters=None)


def build_spec() -> dict:
    return current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


def alt_errors(*codes: int):
    """Documents the errors a view answers beyond the shared ones (403, 409, 412...)."""

    def decorator(view):
        for code in codes:
            view = api_bp.alt_response(code, response=HTTPStatus(code).name)(view)
        return view

    return decorator


DELETED = api_bp.alt_response(204, description="Eliminado.", success=True)


@api_bp.get("/openapi.json")
@api_bp.doc(security=[])
@api_bp.alt_response(
    200, schema={"type": "object"}, description="La especificación OpenAPI 3.0.", success=True
)
def openapi_spec():
    """Esta especificación

    Pública: es el único recurso que no necesita token.
    """
    return build_spec()
