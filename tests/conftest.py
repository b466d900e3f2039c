"""Fixtures: one migrated database per run, emptied between tests; clients per role.

SQLite by default (a file, so several connections can race); PostgreSQL when
TEST_DATABASE_URL points at it. Flask-SQLAlchemy 3.1 ignores a session bind, so
the "rollback an outer transaction" recipe would leak rows (#1167): instead each
test starts from empty tables with the seeded catalogs.
"""

import contextvars
import re

import flask_migrate
import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from admin_app import create_app
from admin_app.auth.passwords import hash_password
from admin_app.config import TestConfig
from admin_app.extensions import db as _db
from admin_app.models import Rol, Usuario
from admin_app.models.catalogos import seed_catalogs

PASSWORD = "clave-de-prueba-2026"
_CSRF_INPUT = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)


def _database_url(tmp_path_factory) -> str:
    import os

    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(TestConfig(_database_url(tmp_path_factory)))
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        _db.engine.dispose()


def _empty_tables() -> None:
    # DELETE, not TRUNCATE: on tables this small it is ten times faster on PostgreSQL.
    tables = list(reversed(_db.metadata.sorted_tables))
    for table in tables:
        _db.session.execute(table.delete())
    if _db.engine.dialect.name == "postgresql":
        # Ids start again at 1, as they do on SQLite once a table is empty.
        restarts = ", ".join(
            f"setval(pg_get_serial_sequence('{t.name}', 'id'), 1, false)"
            for t in tables
            if "id" in t.c
        )
        _db.session.execute(text(f"SELECT {restarts}"))
    _db.session.commit()


@pytest.fixture(autouse=True)
def db(app):
    """The database, empty but for the catalogs, inside an app context."""
    with app.app_context():
        _empty_tables()
        seed_catalogs(_db.session)
        if _db.engine.dialect.name == "postgresql":
            # The seed gives explicit ids; move the sequences past them.
            for table in (
                "tipos_cliente",
                "tipos_documento",
                "estados_inmueble",
                "formas_pago",
                "medios_pago",
            ):
                _db.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )
                )
        _db.session.commit()
        yield _db
        _db.session.rollback()
        _db.session.remove()


class CsrfClient(FlaskClient):
    """A test client that sends the CSRF token with every form POST, as a browser would."""

    csrf_token: str | None = None

    def fetch_csrf_token(self) -> str:
        response = self.get("/login")
        if response.status_code == 302:  # logged in: every admin page carries one
            # (the dashboard sends some roles to their own home page)
            response = self.get("/admin/", follow_redirects=True)
        html = response.get_data(as_text=True)
        match = _CSRF_INPUT.search(html)
        assert match, "the login page has no CSRF token"
        self.csrf_token = match.group(1) or match.group(2)
        return self.csrf_token

    def open(self, *args, **kwargs):
        method = kwargs.get("method", "GET").upper()
        send_csrf = kwargs.pop("csrf", True)
        if send_csrf and method in {"POST", "PUT", "PATCH", "DELETE"} and "json" not in kwargs:
            data = kwargs.get("data")
            if data is None or isinstance(data, dict):
                data = dict(data or {})
                if "csrf_token" not in data:
                    data["csrf_token"] = self.csrf_token or self.fetch_csrf_token()
                kwargs["data"] = data
        # Each request gets its own app context (and so its own g and db session),
        # as in production, even while the test holds one open for its own queries.
        # Streamed bodies are read inside that context too, as a WSGI server would.
        kwargs.setdefault("buffered", True)
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = CsrfClient
    return app.test_client()


def make_user(username: str, rol: str, password: str = PASSWORD) -> Usuario:
    usuario = Usuario(
        username=username,
        nombre_completo=username.title(),
        rol=rol,
        password_hash=hash_password(password),
    )
    _db.session.add(usuario)
    _db.session.commit()
    return usuario


def login(client: CsrfClient, username: str, password: str = PASSWORD, next_path: str = ""):
    client.fetch_csrf_token()
    url = f"/login?next={next_path}" if next_path else "/login"
    response = client.post(url, data={"username": username, "password": password})
    # The login issues a fresh session, and with it a fresh CSRF token.
    client.fetch_csrf_token()
    return response


@pytest.fixture
def admin_user(db) -> Usuario:
    return make_user("admin", Rol.ADMIN)


@pytest.fixture
def digitador_user(db) -> Usuario:
    return make_user("digitador", Rol.DIGITADOR)


@pytest.fixture
def admin_client(client, admin_user):
    response = login(client, "admin")
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def digitador_client(app, digitador_user):
    app.test_client_class = CsrfClient
    other = app.test_client()
    response = login(other, "digitador")
    assert response.status_code == 302
    return other
