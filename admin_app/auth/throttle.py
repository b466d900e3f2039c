"""Failed-login throttling, kept in the database so every worker sees it."""

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import IntentoLogin
from ..models.base import utcnow


def _key(username: str) -> str:
    return username.strip().lower()[:60]


def is_locked(username: str) -> bool:
    intento = db.session.get(IntentoLogin, _key(username))
    if intento is None or intento.bloqueado_hasta is None:
        return False
    return intento.bloqueado_hasta > utcnow()


def record_failure(username: str) -> None:
    """Count a failure; lock the username (existing or not) after too many."""
    key = _key(username)
    for _attempt in range(2):  # a concurrent first failure may insert the row first
        intento = db.session.get(IntentoLogin, key, with_for_update=True)
        if intento is None:
            intento = IntentoLogin(username=key, fallidos=0)
            db.session.add(intento)
        intento.fallidos += 1
        intento.ultimo_fallo = utcnow()
        if intento.fallidos >= current_app.config["LOGIN_MAX_FAILURES"]:
            intento.bloqueado_hasta = utcnow() + current_app.config["LOGIN_LOCK_TIME"]
            intento.fallidos = 0
        try:
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()


def reset(username: str) -> None:
    intento = db.session.get(IntentoLogin, _key(username))
    if intento is not None:
        db.session.delete(intento)
        db.session.commit()
