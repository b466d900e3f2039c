from datetime import timedelta

import pytest

from admin_app.models import ApiToken, Bitacora, Rol
from admin_app.models.base import utcnow
from tests import factories
from tests.api.conftest import ApiClient, issue_token
from tests.conftest import make_user


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer no-es-un-token"],
    ids=["missing", "empty", "basic", "bearer-without-token", "unknown-token"],
)
def test_request_without_a_valid_token_is_401_with_www_authenticate(client, db, authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = client.get("/api/clientes", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    body = response.get_json()
    assert set(body) == {"message", "errors"} and body["errors"] == {}


def test_revoked_token_is_401(app, db):
    usuario = make_user("sitio", Rol.DIGITADOR)
    api = ApiClient(app.test_client(), issue_token(usuario))
    token = db.session.scalars(db.select(ApiToken)).one()
    token.revoked_at = utcnow()
    db.session.commit()
    response = api.get("/api/catalogos")
    assert response.status_code == 401
    assert "revocado" in response.get_json()["message"]


def test_token_of_an_inactive_user_is_401(app, db):
    usuario = make_user("sitio", Rol.DIGITADOR)
    api = ApiClient(app.test_client(), issue_token(usuario))
    usuario.activo = False
    db.session.commit()
    response = api.get("/api/catalogos")
    assert response.status_code == 401
    assert "inactivo" in response.get_json()["message"]


def test_digitador_token_cannot_delete_a_cliente(api, db):
    cliente = factories.cliente()
    db.session.commit()
    response = api.delete(f"/api/clientes/{cliente.documento}")
    assert response.status_code == 403
    assert response.get_json() == {
        "message": "Solo un administrador puede realizar esta acción.",
        "errors": {},
    }


def test_token_use_is_recorded(api, db):
    assert api.get("/api/catalogos").status_code == 200
    assert db.session.scalars(db.select(ApiToken)).one().last_used_at is not None


def test_last_used_at_is_written_at_most_once_a_minute(api, db):
    api.get("/api/catalogos")
    token = db.session.scalars(db.select(ApiToken)).one()
    first = token.last_used_at
    api.get("/api/catalogos")
    db.session.refresh(token)
    assert token.last_used_at == first
    token.last_used_at = utcnow() - timedelta(minutes=2)
    db.session.commit()
    api.get("/api/catalogos")
    db.session.refresh(token)
    assert token.last_used_at.replace(tzinfo=None) > first.replace(tzinfo=None)


def test_only_the_hash_of_the_token_is_stored(app, db):
    secreto = issue_token(make_user("sitio", Rol.DIGITADOR))
    token = db.session.scalars(db.select(ApiToken)).one()
    assert secreto not in (token.token_hash, token.prefijo)
    assert secreto.startswith(token.prefijo)


def test_changes_through_the_api_are_audited_as_the_token(api, db):
    prefijo = db.session.scalars(db.select(ApiToken)).one().prefijo
    response = api.post(
        "/api/clientes",
        json={
            "documento": "1020304",
            "nombre": "Ana",
            "id_tipo_cliente": 1,
            "id_tipo_documento": 1,
        },
    )
    assert response.status_code == 201
    entrada = db.session.scalars(db.select(Bitacora).where(Bitacora.tabla == "clientes")).one()
    assert (entrada.actor, entrada.origen) == (f"token:{prefijo}", "api")


def test_api_responses_are_not_cached(api):
    assert api.get("/api/catalogos").headers["Cache-Control"] == "no-store"
