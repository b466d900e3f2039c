"""The login log: one row per login attempt (success or failure), and its pruning.

The IP is `request.remote_addr`, which honours PROXY_FIX_HOPS (security.py: the
X-Forwarded-For of that many trusted proxies); the row goes in the same commit
as what the login writes anyway (the session, or the failure count)."""

from datetime import timedelta

from flask import request
from sqlalchemy import delete

from ..extensions import db
from ..models import MotivoAcceso, RegistroAcceso, Usuario
from ..models.base import utcnow

CONSERVAR = timedelta(days=365)


def registrar_acceso(username: str, usuario: Usuario | None, motivo: str) -> None:
    """Add the row (the caller commits)."""
    db.session.add(
        RegistroAcceso(
            fecha=utcnow(),
            username=(username or "")[:60],
            id_usuario=usuario.id if usuario is not None else None,
            exito=motivo == MotivoAcceso.EXITO,
            motivo=motivo,
            ip=(request.remote_addr or "")[:64] or None,
            user_agent=(request.user_agent.string or "")[:300] or None,
        )
    )


def podar_accesos(ahora=None) -> int:
    """Delete the rows older than a year; returns how many."""
    limite = (ahora or utcnow()) - CONSERVAR
    resultado = db.session.execute(delete(RegistroAcceso).where(RegistroAcceso.fecha < limite))
    return resultado.rowcount or 0
