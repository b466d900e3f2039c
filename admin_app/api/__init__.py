"""The JSON API under /api."""

from flask import Blueprint

from ..extensions import csrf

api_bp = Blueprint("api", __name__, url_prefix="/api")
# The API authenticates with bearer tokens, not cookies: CSRF does not apply.
csrf.exempt(api_bp)
