"""The JSON API under /api: flask-smorest routes, one schema per resource."""

import sys

from flask_smorest import Blueprint

from ..extensions import csrf


class ApiBlueprint(Blueprint):
    """Each route module names its operations' tag in the spec once, as `TAG`."""

    def add_url_rule(self, rule, endpoint=None, view_func=None, *args, tags=None, **options):
        tags = tags or [sys.modules[view_func.__module__].TAG]
        super().add_url_rule(rule, endpoint, view_func, *args, tags=tags, **options)


api_bp = ApiBlueprint("api", __name__, url_prefix="/api")
# The API authenticates with bearer tokens, not cookies: CSRF does not apply.
csrf.exempt(api_bp)

# auth first: its hook authenticates every request before the parser's hook looks at it.
from . import auth  # noqa: E402, F401, I001
from .parser import Parser  # noqa: E402

api_bp.ARGUMENTS_PARSER = Parser()

# One module per resource; importing them registers their routes and handlers.
from . import (  # noqa: E402, F401
    asesores,
    avisos,
    catalogos,
    clientes,
    comisiones,
    cotizaciones,
    documentos,
    errors,
    inventario,
    metas,
    pagos,
    planes_pago,
    precios,
    reportes,
    unidades,
    ventas,
)
from .openapi import init_api  # noqa: E402, F401
