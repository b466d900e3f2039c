from admin_app.auth.passwords import verify_password
from admin_app.models import Usuario


def test_users_create_with_password_option(app, db):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "maria", "--role", "admin", "--password", "una-clave-larga-9"]
    )
    assert result.exit_code == 0, result.output
    usuario = db.session.scalars(db.select(Usuario).filter_by(username="maria")).one()
    assert usuario.rol == "admin"
    assert verify_password(usuario.password_hash, "una-clave-larga-9")
    assert usuario.password_hash != "una-clave-larga-9"


def test_users_create_asks_for_the_password(app, db):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "pedro"], input="otra-clave-larga-8\notra-clave-larga-8\n"
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalars(db.select(Usuario).filter_by(username="pedro")).one().rol == (
        "digitador"
    )


def test_users_create_refuses_a_short_or_common_password(app, db):
    for password in ("corta", "contrasena123"):
        result = app.test_cli_runner().invoke(
            args=["users", "create", "luis", "--password", password]
        )
        assert result.exit_code != 0
    assert db.session.scalars(db.select(Usuario).filter_by(username="luis")).first() is None


def test_users_create_refuses_a_duplicate(app, db):
    args = ["users", "create", "ana", "--password", "una-clave-larga-9"]
    assert app.test_cli_runner().invoke(args=args).exit_code == 0
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    assert "ya existe" in result.output


def test_users_create_refuses_a_username_that_differs_only_in_case(app, db):
    args = ["users", "create", "admin2", "--password", "una-clave-larga-9"]
    assert app.test_cli_runner().invoke(args=args).exit_code == 0
    result = app.test_cli_runner().invoke(
        args=["users", "create", "Admin2", "--password", "una-clave-larga-9"]
    )
    assert result.exit_code != 0
    assert "ya existe" in result.output
    assert db.session.scalar(db.select(db.func.count(Usuario.id)).filter_by(username="Admin2")) == 0
