from admin_app.api.auth import hash_token
from admin_app.models import ApiToken, Rol
from tests.api.conftest import ApiClient
from tests.conftest import make_user


def _create(app, *args):
    return app.test_cli_runner().invoke(args=["api-tokens", "create", *args])


def test_create_prints_the_token_once_and_stores_its_hash(app, db):
    make_user("sitio", Rol.DIGITADOR)
    result = _create(app, "sitio", "--nombre", "Sitio web")
    assert result.exit_code == 0, result.output
    secreto = result.output.strip().splitlines()[-1]
    token = db.session.scalars(db.select(ApiToken)).one()
    assert token.token_hash == hash_token(secreto)
    assert secreto not in token.token_hash
    assert token.nombre == "Sitio web"
    assert ApiClient(app.test_client(), secreto).get("/api/catalogos").status_code == 200


def test_create_for_unknown_user_fails(app, db):
    result = _create(app, "nadie")
    assert result.exit_code != 0
    assert "No existe el usuario nadie" in result.output
    assert db.session.scalars(db.select(ApiToken)).first() is None


def test_revoke_by_prefix_stops_the_token(app, db):
    make_user("sitio", Rol.DIGITADOR)
    secreto = _create(app, "sitio").output.strip().splitlines()[-1]
    prefijo = db.session.scalars(db.select(ApiToken)).one().prefijo
    result = app.test_cli_runner().invoke(args=["api-tokens", "revoke", prefijo])
    assert result.exit_code == 0, result.output
    assert ApiClient(app.test_client(), secreto).get("/api/catalogos").status_code == 401


def test_revoke_by_id(app, db):
    make_user("sitio", Rol.DIGITADOR)
    _create(app, "sitio")
    token = db.session.scalars(db.select(ApiToken)).one()
    result = app.test_cli_runner().invoke(args=["api-tokens", "revoke", str(token.id)])
    assert result.exit_code == 0, result.output
    db.session.refresh(token)
    assert token.revoked_at is not None


def test_revoke_unknown_token_fails(app, db):
    result = app.test_cli_runner().invoke(args=["api-tokens", "revoke", "zzzz"])
    assert result.exit_code != 0


def test_list_shows_prefix_user_and_state_never_the_secret(app, db):
    make_user("sitio", Rol.DIGITADOR)
    secreto = _create(app, "sitio").output.strip().splitlines()[-1]
    result = app.test_cli_runner().invoke(args=["api-tokens", "list"])
    assert result.exit_code == 0
    assert secreto[:8] in result.output and "sitio" in result.output and "activo" in result.output
    assert secreto not in result.output
