"""Login, roles and sessions."""

from functools import wraps

from flask import Flask, abort, redirect, request, url_for
from flask_login import current_user

from ..extensions import login_manager
from .sessions import load_session_user


def init_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session is the protection
    login_manager.user_loader(load_session_user)

    @login_manager.unauthorized_handler
    def _to_login():
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def admin_required(view):
    """For views only an admin may use; anonymous users go to the login page."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.es_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper
