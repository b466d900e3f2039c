"""Login and logout pages."""

from functools import cache

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import OperationalError

from ..errors import FAULT_STATUS, FULL, db_fault_kind
from ..extensions import db
from ..models import MotivoAcceso, Usuario
from ..security import safe_path_or
from . import throttle
from .accesos import registrar_acceso
from .forms import LoginForm
from .passwords import hash_password, verify_password
from .permisos import pagina_de_inicio
from .sessions import open_session, revoke_session

auth_bp = Blueprint("auth", __name__)

BAD_CREDENTIALS = "Usuario o contraseña incorrectos."
LOCKED = "Demasiados intentos fallidos para este usuario. Espere unos minutos e intente de nuevo."
NO_SESSION_FULL = (
    "No se pudo iniciar la sesión: no hay espacio para guardarla en la base de datos. "
    "Avise al administrador."
)
NO_SESSION_BUSY = (
    "No se pudo iniciar la sesión: la base de datos está ocupada o no responde. "
    "Intente de nuevo en unos segundos."
)


@cache
def _dummy_hash() -> str:
    # Checked when the username does not exist, so both paths take about as long.
    return hash_password("contraseña-de-relleno-para-tiempo-constante")


@auth_bp.route("/login", methods=["GET", "POST"])
def login():
    # Without a `next`, each role lands on its own home page (auth/permisos.py).
    pedido = safe_path_or(request.args.get("next"), "")
    if current_user.is_authenticated:
        return redirect(pedido or url_for(pagina_de_inicio(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        if throttle.is_locked(username):
            registrar_acceso(username, None, MotivoAcceso.BLOQUEADO)
            db.session.commit()
            flash(LOCKED, "error")
            return render_template("auth/login.html", form=form), 429
        usuario = db.session.scalar(
            db.select(Usuario).where(db.func.lower(Usuario.username) == username.lower())
        )
        valid = verify_password(
            usuario.password_hash if usuario else _dummy_hash(), form.password.data
        )
        if usuario is None or not valid or not usuario.activo:
            motivo = MotivoAcceso.INACTIVO if valid and usuario else MotivoAcceso.CREDENCIALES
            registrar_acceso(username, usuario, motivo)
            db.session.commit()
            throttle.record_failure(username)
            flash(BAD_CREDENTIALS, "error")
            return render_template("auth/login.html", form=form), 401
        try:
            throttle.reset(username)
            registrar_acceso(username, usuario, MotivoAcceso.EXITO)  # committed with the session
            open_session(usuario)
        except OperationalError as exc:
            # Every session is a row: without it there is no login, so say why.
            kind = db_fault_kind(exc)
            if kind is None:
                raise
            db.session.rollback()
            flash(NO_SESSION_FULL if kind == FULL else NO_SESSION_BUSY, "error")
            return render_template("auth/login.html", form=form), FAULT_STATUS[kind]
        # A fresh cookie and a fresh server-side session: no fixation.
        session.clear()
        session.permanent = True
        login_user(usuario)
        return redirect(pedido or url_for(pagina_de_inicio(usuario)))
    return render_template("auth/login.html", form=form)


@auth_bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated and current_user.session_token:
        revoke_session(current_user.session_token)
        db.session.commit()
    logout_user()
    session.clear()
    flash("Sesión cerrada.", "info")
    return redirect(url_for("auth.login"))
