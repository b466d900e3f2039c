"""Bearer tokens: every endpoint but the spec needs `Authorization: Bearer <token>`.

A token belongs to a user and acts with that user's role. Only its SHA-256 is
stored (it is random, so a fast hash is enough); `prefijo`, its first
characters, names it in listings and in the audit log.
"""

import secrets
from datetime import timedelta
from functools import wraps

from flask import current_app, g, request
from sqlalchemy import update

from ..auth import permisos
from ..auth.tokens import hash_token
from ..database import write_if_possible
from ..extensions import db
from ..models import ApiToken, Rol, Usuario
from ..models.base import utcnow
from . import api_bp
from .errors import ApiError

PREFIJO_LEN = 8
# last_used_at is a hint for admins, not an access log: one write a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
PUBLIC_ENDPOINTS = frozenset({"api.openapi_spec"})
WWW_AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="api"'}


def crear_token(usuario: Usuario, nombre: str = "") -> tuple[ApiToken, str]:
    """A new token for `usuario`: the row (added, not committed) and the secret, shown once."""
    secreto = secrets.token_urlsafe(32)
    token = ApiToken(
        usuario=usuario,
        nombre=nombre[:80],
        token_hash=hash_token(secreto),
        prefijo=secreto[:PREFIJO_LEN],
    )
    db.session.add(token)
    db.session.flush()
    return token, secreto


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, headers=WWW_AUTHENTICATE)


def _bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if not header:
        raise _unauthorized(
            "Falta el token de acceso: envíe el encabezado Authorization: Bearer <token>."
        )
    if scheme.lower() != "bearer" or not value.strip():
        raise _unauthorized("El encabezado Authorization debe tener la forma: Bearer <token>.")
    return value.strip()


@api_bp.before_request
def authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS or request.method == "OPTIONS":
        return
    secreto = _bearer_token()
    token = db.session.scalar(db.select(ApiToken).where(ApiToken.token_hash == hash_token(secreto)))
    if token is None or token.revoked_at is not None:
        raise _unauthorized("El token de acceso no es válido o fue revocado.")
    if not token.usuario.activo:
        raise _unauthorized("El usuario dueño de este token está inactivo.")
    now = utcnow()
    stale = token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION
    # Skipped, not waited for, while another writer holds the database.
    if stale and write_if_possible(
        update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
    ):
        db.session.expire(token, ["last_used_at"])
    g.api_token = token
    g.api_user = token.usuario
    # Read by admin_app.audit: who acted, and through which door.
    g.actor = f"token:{token.prefijo}"
    g.origen = "api"
    permiso = permiso_del_endpoint(request.endpoint, request.method)
    if permiso is not None and not permisos.puede(token.usuario, permiso):
        if permisos.solo_admin(permiso):
            raise ApiError(403, SOLO_ADMIN)
        raise ApiError(403, NO_PERMITIDO.format(rol=token.usuario.rol_label))


NO_PERMITIDO = "Su rol ({rol}) no permite esta acción."
SOLO_ADMIN = "Solo un administrador puede realizar esta acción."


def permiso_del_endpoint(endpoint: str | None, metodo: str) -> str | None:
    """The permission an API endpoint needs, from the table (auth/permisos.py): its
    own (`requiere`), or its module's area and the method's action."""
    vista = current_app.view_functions.get(endpoint or "")
    if vista is None:
        return None
    propio = getattr(vista, "permiso", None)
    if propio is not None:
        return propio
    area = permisos.MODULOS_API.get(vista.__module__.rsplit(".", 1)[-1])
    accion = permisos.ACCION_DE_METODO.get(metodo)
    return f"{area}:{accion}" if area and accion else None


@api_bp.after_request
def no_store(response):
    # Clients' personal and financial data: never kept by a shared cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def admin_only(view):
    """For endpoints only an admin token may call (deletions)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.api_user.rol != Rol.ADMIN:
            raise ApiError(403, SOLO_ADMIN)
        return view(*args, **kwargs)

    return wrapper


requiere = permisos.requiere
