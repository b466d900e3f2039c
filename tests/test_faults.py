"""Database faults: locked, down, restarted, full. A clear Spanish message, nothing lost.

A second app on the test database has short timeouts (SQLITE_BUSY_TIMEOUT_MS,
DATABASE_LOCK_TIMEOUT_MS), so a lock held by another connection outlasts them
in a second or two.
"""

import contextlib
import re
import sqlite3
import time
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import create_engine, event, text

from admin_app import config, create_app
from admin_app.extensions import db as _db
from admin_app.models import ApiToken, Cliente, Sesion
from admin_app.models.base import utcnow
from tests import factories
from tests.api.conftest import ApiClient, issue_token
from tests.conftest import PASSWORD, CsrfClient, login, make_user

BUSY_MS = 2000
OCUPADA = "La base de datos está ocupada o no responde; intente de nuevo en unos segundos."
SIN_ESPACIO = "No hay espacio para guardar; avise al administrador."
NUEVO = {
    "documento": "1020304050",
    "nombre": "José Álvarez",
    "id_tipo_cliente": "1",
    "id_tipo_documento": "1",
    "direccion": "Calle 10 # 43-12",
}


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


@pytest.fixture(scope="module")
def fault_app(app):
    cfg = config.TestConfig(app.config["SQLALCHEMY_DATABASE_URI"])
    cfg.SQLITE_BUSY_TIMEOUT_MS = BUSY_MS
    cfg.DATABASE_LOCK_TIMEOUT_MS = BUSY_MS
    other = create_app(cfg)
    other.test_client_class = CsrfClient
    yield other
    with other.app_context():
        _db.engine.dispose()


@pytest.fixture
def url(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"]


@pytest.fixture
def fault_client(fault_app, admin_user):
    client = fault_app.test_client()
    assert login(client, "admin").status_code == 302
    # The next page would write the session's last-seen time.
    for sesion in _db.session.scalars(_db.select(Sesion)):
        sesion.last_seen_at = utcnow() - timedelta(minutes=5)
    _db.session.commit()
    return client


@pytest.fixture
def fault_api(fault_app, db):
    return ApiClient(fault_app.test_client(), issue_token(make_user("api-fallos", "admin")))


@pytest.fixture
def api(app, db):
    return ApiClient(app.test_client(), issue_token(make_user("api-digitador", "digitador")))


@contextlib.contextmanager
def writer_holds_the_database(url: str):
    """Another connection in the middle of a write: SQLite's whole database;
    on PostgreSQL the rows of clientes, sesiones and api_tokens, and the keys
    the tests then insert."""
    if _is_sqlite(url):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            connection.rollback()
            connection.close()
        return
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            for table in ("clientes", "sesiones", "api_tokens"):
                connection.execute(text(f"SELECT 1 FROM {table} FOR UPDATE"))
            # A new row with this key waits for the holder too.
            connection.execute(
                text(
                    "INSERT INTO clientes (documento, nombre, nombre_busqueda, id_tipo_cliente,"
                    " id_tipo_documento, version, created_at, updated_at) VALUES"
                    " ('1020304050', 'x', 'x', 1, 1, 1, now(), now())"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO medios_pago (nombre, version, created_at, updated_at)"
                    " VALUES ('Criptomoneda', 1, now(), now())"
                )
            )
            yield
            connection.rollback()
    finally:
        engine.dispose()


def _timed(call):
    start = time.monotonic()
    response = call()
    return response, time.monotonic() - start


def _hidden(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))


# -- a lock held longer than the busy timeout ------------------------------------------
def test_pages_read_while_a_writer_holds_the_lock(db, url, fault_client, fault_api):
    factories.cliente("1000000001", nombre="Ana Ruiz")
    db.session.commit()
    fault_client.get("/admin/clientes/")  # templates compiled before the clock starts
    for sesion in db.session.scalars(db.select(Sesion)):
        sesion.last_seen_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    with writer_holds_the_database(url):
        page, page_s = _timed(lambda: fault_client.get("/admin/clientes/"))
        api, api_s = _timed(lambda: fault_api.get("/api/clientes"))
    assert (page.status_code, api.status_code) == (200, 200)
    assert "Ana Ruiz" in page.get_data(as_text=True)
    assert api.get_json()["meta"]["total"] == 1
    # The skipped writes waited a fraction of the busy timeout, not all of it.
    assert page_s < BUSY_MS / 2000 and api_s < BUSY_MS / 2000


def test_skipped_passing_writes_are_made_on_a_later_read(db, fault_client, fault_api, url):
    with writer_holds_the_database(url):
        fault_api.get("/api/catalogos")
    db.session.expire_all()
    assert db.session.scalars(db.select(ApiToken)).one().last_used_at is None
    fault_api.get("/api/catalogos")
    db.session.expire_all()
    assert db.session.scalars(db.select(ApiToken)).one().last_used_at is not None


def test_a_form_saved_while_locked_comes_back_with_what_was_typed(db, url, fault_client):
    with writer_holds_the_database(url):
        response = fault_client.post("/admin/medios_pago/new/", data={"nombre": "Criptomoneda"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert OCUPADA in html and 'value="Criptomoneda"' in html
    assert (
        fault_client.post("/admin/medios_pago/new/", data={"nombre": "Criptomoneda"}).status_code
        == 302
    )


def test_the_client_form_saved_while_locked_keeps_what_was_typed(db, url, fault_client):
    with writer_holds_the_database(url):
        response = fault_client.post("/admin/clientes/new/", data=NUEVO)
    html = response.get_data(as_text=True)
    assert response.status_code == 200  # the form again, with its values and the reason
    assert OCUPADA in html and 'value="José Álvarez"' in html
    db.session.expire_all()
    assert db.session.get(Cliente, "1020304050") is None
    assert fault_client.post("/admin/clientes/new/", data=NUEVO).status_code == 302
    db.session.expire_all()
    assert db.session.get(Cliente, "1020304050").nombre == "José Álvarez"


def test_a_write_outside_a_form_while_locked_is_a_503_page_that_can_resend_it(
    db, url, fault_client
):
    # A bulk action commits outside the form's save: the page keeps what was sent.
    documento = factories.cliente().documento
    db.session.commit()
    accion = {"action": "delete", "rowid": documento}
    with writer_holds_the_database(url):
        response = fault_client.post("/admin/clientes/action/", data=accion)
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert OCUPADA in html and "Intentar de nuevo" in html
    hidden = _hidden(html)
    assert hidden["rowid"] == documento and "csrf_token" in hidden
    db.session.expire_all()
    assert db.session.get(Cliente, documento) is not None
    # Sending the page's form again, once the lock is gone, does it.
    retry = fault_client.post("/admin/clientes/action/", data=hidden, csrf=False)
    assert retry.status_code == 302
    db.session.expire_all()
    assert db.session.get(Cliente, documento) is None


def test_an_api_write_while_locked_is_a_503_in_the_api_shape(db, url, fault_api):
    body = {k: v for k, v in NUEVO.items() if k != "direccion"}
    body |= {"id_tipo_cliente": 1, "id_tipo_documento": 1}
    with writer_holds_the_database(url):
        response = fault_api.post("/api/clientes", json=body)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json() == {"message": OCUPADA, "errors": {}}


# -- the database does not answer -------------------------------------------------------
@pytest.fixture(scope="module")
def down_app(app, tmp_path_factory):
    if _is_sqlite(app.config["SQLALCHEMY_DATABASE_URI"]):
        missing = tmp_path_factory.mktemp("down") / "no-existe" / "db.sqlite3"
        bad_url = f"sqlite:///{missing}"
    else:
        bad_url = "postgresql+psycopg://postgres@127.0.0.1:1/no_existe"
    other = create_app(config.TestConfig(bad_url))
    other.test_client_class = CsrfClient
    return other


def test_login_while_the_database_is_down_keeps_the_username(down_app):
    client = down_app.test_client()
    token = client.fetch_csrf_token()  # the login page itself needs no database
    response = client.post(
        "/login", data={"username": "ana", "password": "secreta-123", "csrf_token": token}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert OCUPADA in html
    assert _hidden(html)["username"] == "ana"
    assert "secreta-123" not in html


def test_api_while_the_database_is_down_is_a_503(down_app):
    response = down_app.test_client().get("/api/clientes", headers={"Authorization": "Bearer x"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json() == {"message": OCUPADA, "errors": {}}


def test_readyz_fails_and_healthz_answers_while_the_database_is_down(down_app):
    client = down_app.test_client()
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_data(as_text=True) == "unavailable: database\n"


def test_after_a_postgresql_restart_the_next_request_works(db, url, fault_api):
    if _is_sqlite(url):
        pytest.skip("PostgreSQL only: a server restart drops every pooled connection")
    assert fault_api.get("/api/clientes").status_code == 200  # the pool holds a connection
    db.session.close()
    killer = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with killer.connect() as connection:
            killed = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar()
    finally:
        killer.dispose()
    assert killed >= 1
    assert fault_api.get("/api/clientes").status_code == 200


# -- the disk is full --------------------------------------------------------------------
@contextlib.contextmanager
def disk_full(app, when=("INSERT", "UPDATE", "DELETE")):
    """Every write statement (or those starting with `when`) fails as on a full disk."""
    with app.app_context():
        engine = _db.engine
    sqlite = engine.dialect.name == "sqlite"

    # Raised where the driver runs the statement, so SQLAlchemy wraps it as it would a real one.
    def fail(cursor, statement, parameters, context):
        if statement.lstrip().upper().startswith(when):
            if sqlite:
                raise sqlite3.OperationalError("database or disk is full")
            raise psycopg.errors.DiskFull("could not extend file: No space left on device")

    for name in ("do_execute", "do_executemany"):
        event.listen(engine, name, fail)
    try:
        yield
    finally:
        for name in ("do_execute", "do_executemany"):
            event.remove(engine, name, fail)


def test_reading_works_with_a_full_disk(app, db, admin_client, api):
    factories.cliente("1000000001", nombre="Ana Ruiz")
    for sesion in db.session.scalars(db.select(Sesion)):
        sesion.last_seen_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    with disk_full(app):
        page = admin_client.get("/admin/clientes/")
        listed = api.get("/api/clientes")
    assert page.status_code == 200 and "Ana Ruiz" in page.get_data(as_text=True)
    assert listed.status_code == 200 and listed.get_json()["meta"]["total"] == 1


def test_a_form_saved_with_a_full_disk_says_so_and_keeps_the_input(app, db, admin_client):
    with disk_full(app):
        response = admin_client.post("/admin/clientes/new/", data=NUEVO)
        catalogo = admin_client.post("/admin/medios_pago/new/", data={"nombre": "Criptomoneda"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200  # the form again, with its values and the reason
    assert SIN_ESPACIO in html and 'value="José Álvarez"' in html
    assert SIN_ESPACIO in catalogo.get_data(as_text=True)
    assert 'value="Criptomoneda"' in catalogo.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Cliente, "1020304050") is None


def test_an_api_write_with_a_full_disk_is_a_507(app, db, api):
    body = {"documento": "1020304050", "nombre": "José", "id_tipo_cliente": 1}
    body["id_tipo_documento"] = 1
    with disk_full(app):
        response = api.post("/api/clientes", json=body)
    assert response.status_code == 507
    assert response.get_json() == {"message": SIN_ESPACIO, "errors": {}}


def test_nothing_is_half_written_when_the_disk_fills_mid_transaction(app, db, api):
    # The client's row is written; the audit entry in the same transaction is not.
    body = {"documento": "1020304050", "nombre": "José", "id_tipo_cliente": 1}
    body["id_tipo_documento"] = 1
    with disk_full(app, when=("INSERT INTO BITACORA",)):
        response = api.post("/api/clientes", json=body)
    assert response.status_code == 507
    db.session.expire_all()
    assert db.session.get(Cliente, "1020304050") is None


def test_login_with_a_full_disk_says_the_session_cannot_be_saved(app, db, client, admin_user):
    client.fetch_csrf_token()
    with disk_full(app):
        response = client.post("/login", data={"username": "admin", "password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 507
    assert "no hay espacio para guardarla" in html
    assert 'value="admin"' in html
    assert db.session.scalars(db.select(Sesion)).first() is None
