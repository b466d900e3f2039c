"""API clients per role: a test client that sends a bearer token with every request."""

import pytest
from flask.testing import FlaskClient

from admin_app.api.auth import crear_token
from admin_app.extensions import db as _db
from admin_app.models import Rol, Usuario
from tests.conftest import make_user


def issue_token(usuario: Usuario, nombre: str = "pruebas") -> str:
    """A committed token for `usuario`; returns the secret."""
    _token, secreto = crear_token(usuario, nombre)
    _db.session.commit()
    return secreto


class ApiClient:
    """A plain Flask test client (no cookies, no CSRF form fields) with
    `Authorization: Bearer <token>` on every call."""

    def __init__(self, client, token: str | None) -> None:
        # The app's test_client_class may be the CSRF client, which adds a form body to POSTs.
        self.client = FlaskClient(client.application, client.application.response_class)
        self.token = token

    def _headers(self, headers: dict | None) -> dict:
        merged = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        merged.update(headers or {})
        return merged

    def open(self, method: str, url: str, headers: dict | None = None, **kwargs):
        return self.client.open(url, method=method, headers=self._headers(headers), **kwargs)

    def get(self, url, **kwargs):
        return self.open("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.open("POST", url, **kwargs)

    def put(self, url, **kwargs):
        return self.open("PUT", url, **kwargs)

    def patch(self, url, **kwargs):
        return self.open("PATCH", url, **kwargs)

    def delete(self, url, **kwargs):
        return self.open("DELETE", url, **kwargs)


@pytest.fixture
def admin_api(app, db):
    return ApiClient(app.test_client(), issue_token(make_user("api-admin", Rol.ADMIN)))


@pytest.fixture
def api(app, db):
    """A digitador's token: everything but deletions."""
    return ApiClient(app.test_client(), issue_token(make_user("api-digitador", Rol.DIGITADOR)))


@pytest.fixture
def anonymous_api(app, db):
    return ApiClient(app.test_client(), None)
