"""Server-side login sessions: the cookie holds a random token, the database
holds its hash, so any worker can check it and revoke it at once."""

import secrets
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import update

from ..database import write_if_possible
from ..extensions import db
from ..models import Sesion, Usuario
from ..models.base import utcnow
from .tokens import hash_token

# Writing last_seen_at on every request would make each page a write; and the
# write a read makes is skipped, not waited for, when the database is locked.
TOUCH_EVERY = timedelta(minutes=1)


def open_session(usuario: Usuario) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(
        Sesion(token_hash=hash_token(token), id_usuario=usuario.id, ip=request.remote_addr)
    )
    db.session.commit()
    usuario.session_token = token
    return token


def load_session_user(token: str) -> Usuario | None:
    """The user of a live session, or None when it ended, idled out or was revoked."""
    sesion = db.session.scalar(db.select(Sesion).where(Sesion.token_hash == hash_token(token)))
    if sesion is None or sesion.revoked_at is not None or not sesion.usuario.activo:
        return None
    now = utcnow()
    idle = current_app.config["SESSION_IDLE_TIMEOUT"]
    absolute = current_app.config["SESSION_ABSOLUTE_TIMEOUT"]
    if now - sesion.last_seen_at > idle or now - sesion.created_at > absolute:
        # Expired whether or not the mark is written now.
        write_if_possible(update(Sesion).where(Sesion.id == sesion.id).values(revoked_at=now))
        return None
    touch = now - sesion.last_seen_at > TOUCH_EVERY
    if touch and write_if_possible(
        update(Sesion).where(Sesion.id == sesion.id).values(last_seen_at=now)
    ):
        db.session.expire(sesion, ["last_seen_at"])
    usuario = sesion.usuario
    usuario.session_token = token
    return usuario


def revoke_session(token: str) -> None:
    db.session.execute(
        update(Sesion)
        .where(Sesion.token_hash == hash_token(token), Sesion.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_user_sessions(id_usuario: int) -> None:
    """Logout everywhere: on deactivation and on a password change."""
    db.session.execute(
        update(Sesion)
        .where(Sesion.id_usuario == id_usuario, Sesion.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
