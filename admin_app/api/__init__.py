"""The JSON API under /api."""

from flask import Blueprint

from ..extensions import csrf

api_bp = Blueprint("api", __name__, url_prefix="/api")
# The API authenticates with bearer tokens, not cookies: CSRF does not apply.
csrf.exempt(api_bp)

# One module per resource; importing them registers their routes and handlers.
from . import (  # noqa: E402, F401
    auth,
    catalogos,
    clientes,
    errors,
    inventario,
    openapi,
    pagos,
    params,
    ventas,
)
