"""Users: one place for creation, the password policy, uniqueness and revocation."""

import pytest
from sqlalchemy.exc import IntegrityError

from admin_app.models import Rol, Usuario
from admin_app.services import usuarios
from admin_app.services.errors import ValidationFailed


def test_crear_usuario_hashes_the_password(db):
    usuario = usuarios.crear_usuario("  marta ", "una-clave-larga-9", rol=Rol.ADMIN)
    assert usuario.username == "marta"
    assert usuario.nombre_completo == "marta"
    assert usuario.password_hash.startswith("scrypt:")


@pytest.mark.parametrize("otro", ["Marta", "MARTA", " marta"])
def test_a_username_is_unique_regardless_of_case(db, otro):
    usuarios.crear_usuario("marta", "una-clave-larga-9")
    with pytest.raises(ValidationFailed) as exc:
        usuarios.crear_usuario(otro, "una-clave-larga-9")
    assert "ya existe" in exc.value.errors["username"][0]


def test_the_database_refuses_a_username_that_differs_only_in_case(db):
    usuarios.crear_usuario("marta", "una-clave-larga-9")
    db.session.add(Usuario(username="MARTA", nombre_completo="M", password_hash="x"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    ("contrasena", "mensaje"),
    [
        (None, "contraseña inicial"),
        ("corta", "al menos 10 caracteres"),
        ("contrasena123", "demasiado común"),
        ("marta-segura-42", "nombre de usuario"),
    ],
)
def test_a_new_user_needs_a_password_that_follows_the_policy(db, contrasena, mensaje):
    with pytest.raises(ValidationFailed) as exc:
        usuarios.crear_usuario("marta", contrasena)
    assert mensaje in " ".join(exc.value.errors[usuarios.CAMPO_CONTRASENA])


def test_crear_admin_inicial_only_when_there_are_no_users(db):
    username, contrasena = usuarios.crear_admin_inicial()
    assert username == "admin" and len(contrasena) == 16
    assert db.session.scalars(db.select(Usuario)).one().rol == Rol.ADMIN
    assert usuarios.crear_admin_inicial() is None
