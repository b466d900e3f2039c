"""Usuarios: creation, the password policy and revocation, for the admin's form,
`flask users create` and the first admin of `make run`. Flush, never commit.

A username is unique regardless of case, as login reads it (`Admin` is `admin`);
the unique index on lower(username) holds it in the database too.
"""

import secrets
import string

from sqlalchemy import func, select

from ..auth.passwords import hash_password, password_problems
from ..auth.sessions import revoke_user_sessions
from ..extensions import db
from ..models import Rol, Usuario
from .errors import ValidationFailed

# The form field a password error belongs to.
CAMPO_CONTRASENA = "nueva_contrasena"
USUARIO_DUPLICADO = "Ya existe un usuario con ese nombre."
CONTRASENA_INICIAL = "Escriba una contraseña inicial."


def _usuario_con_nombre(username: str, excepto: Usuario) -> Usuario | None:
    stmt = select(Usuario).where(func.lower(Usuario.username) == username.lower())
    if excepto.id is not None:
        stmt = stmt.where(Usuario.id != excepto.id)
    with db.session.no_autoflush:  # a new user must not find itself, half filled
        return db.session.scalar(stmt.limit(1))


def guardar_usuario(usuario: Usuario, contrasena: str | None = None) -> Usuario:
    """Check and store a new or edited user. A new one needs `contrasena`; on an
    edit, a new password or a deactivation ends every open session of the user."""
    nuevo = usuario.id is None
    usuario.username = (usuario.username or "").strip()
    errores: dict[str, list[str]] = {}
    mensaje = None
    existente = _usuario_con_nombre(usuario.username, usuario) if usuario.username else None
    if existente is not None:
        como = "" if existente.username == usuario.username else f" como «{existente.username}»"
        errores["username"] = [
            f"El usuario {usuario.username} ya existe{como}: "
            "los nombres de usuario no distinguen mayúsculas."
        ]
        mensaje = USUARIO_DUPLICADO
    if nuevo and not contrasena:
        errores[CAMPO_CONTRASENA] = [CONTRASENA_INICIAL]
    elif contrasena:
        problemas = password_problems(contrasena, usuario.username)
        if problemas:
            errores[CAMPO_CONTRASENA] = problemas
            mensaje = "Contraseña no válida."
    if errores:
        raise ValidationFailed(mensaje or next(iter(errores.values()))[0], errores)
    if contrasena:
        usuario.password_hash = hash_password(contrasena)
    if nuevo:
        db.session.add(usuario)
    db.session.flush()
    if not nuevo and (contrasena or not usuario.activo):
        revoke_user_sessions(usuario.id)
    return usuario


def crear_usuario(
    username: str, contrasena: str, *, rol: str = Rol.DIGITADOR, nombre_completo: str | None = None
) -> Usuario:
    username = (username or "").strip()
    usuario = Usuario(username=username, nombre_completo=nombre_completo or username, rol=rol)
    return guardar_usuario(usuario, contrasena)


def contrasena_generada() -> str:
    """16 letters and digits that pass the policy."""
    alfabeto = string.ascii_letters + string.digits
    while True:
        contrasena = "".join(secrets.choice(alfabeto) for _ in range(16))
        if not password_problems(contrasena, "admin"):
            return contrasena


def crear_admin_inicial() -> tuple[str, str] | None:
    """The first admin, with a generated password, when there are no users: (username,
    password) to show once; None when users exist."""
    if db.session.scalar(select(func.count(Usuario.id))):
        return None
    contrasena = contrasena_generada()
    crear_usuario("admin", contrasena, rol=Rol.ADMIN, nombre_completo="Administrador")
    return "admin", contrasena
