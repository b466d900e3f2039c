"""ScaleListMixin on a simple view: cached and capped counts, deferred-join pages."""

import re
from datetime import UTC, datetime

import pytest
import redis
from sqlalchemy import event

from admin_app import config, create_app
from admin_app.admin.base import SecureModelView
from admin_app.admin.scale import ScaleListMixin
from admin_app.extensions import db as _db
from admin_app.models import Cliente, ConteoCache
from admin_app.search import filtrar_clientes
from tests import factories
from tests.conftest import CsrfClient, login

REDIS_URL = "redis://127.0.0.1:6379/15"


class ClientesEscalaView(ScaleListMixin, SecureModelView):
    column_list = ("documento", "nombre")
    column_searchable_list = ("documento",)
    column_sortable_list = ("documento", "nombre")
    page_size = 2
    page_size_options = (2,)
    count_cap = 3
    exact_count_limit = 4  # the five clientes below make a "long" list

    def _apply_search(self, query, count_query, joins, count_joins, search):
        return filtrar_clientes(query, search), filtrar_clientes(count_query, search), joins, {}


@pytest.fixture(scope="module")
def scale_app(app):
    # A second app on the same database, so a test view can be added before its first request.
    other = create_app(config.TestConfig(app.config["SQLALCHEMY_DATABASE_URI"]))
    other.config["REDIS_URL"] = None
    admin = other.extensions["backoffice_admin"]
    admin.add_view(ClientesEscalaView(Cliente, _db, name="Escala", endpoint="escala"))
    other.test_client_class = CsrfClient
    yield other
    with other.app_context():
        _db.engine.dispose()


@pytest.fixture
def scale_client(scale_app, admin_user):
    client = scale_app.test_client()
    assert login(client, "admin").status_code == 302
    return client


@pytest.fixture
def clientes(db):
    documentos = ["1000000001", "1000000002", "1000000003", "1000000004", "1000000005"]
    for documento in documentos:
        factories.cliente(documento, nombre=f"José Pérez {documento[-1]}")
    db.session.commit()
    return documentos


def _shown(html: str) -> list[str]:
    found = re.findall(r"\b100000000\d\b", html.split("</thead>", 1)[-1])
    return list(dict.fromkeys(found))  # each row names its key several times


def _list_count(html: str) -> str:
    return re.search(r"Listado \(([^)]*)\)", html).group(1)


def test_first_view_counts_exactly(db, scale_client, clientes):
    html = scale_client.get("/admin/escala/").get_data(as_text=True)
    assert _list_count(html) == "5"


def test_total_count_is_cached_in_the_database_and_said_so(db, scale_client, clientes):
    scale_client.get("/admin/escala/")
    factories.cliente("1000000009")
    db.session.commit()
    html = scale_client.get("/admin/escala/").get_data(as_text=True)
    assert re.fullmatch(r"5, contados hace \d+ s", _list_count(html))
    assert db.session.get(ConteoCache, "escala:total").valor == 5


def test_short_list_is_counted_exactly_at_once_and_not_cached(db, scale_client, clientes):
    ClientesEscalaView.exact_count_limit = 10
    client = scale_client
    try:
        assert _list_count(client.get("/admin/escala/").get_data(as_text=True)) == "5"
        factories.cliente("1000000009")
        db.session.commit()
        html = client.get("/admin/escala/").get_data(as_text=True)
    finally:
        ClientesEscalaView.exact_count_limit = 4
    assert _list_count(html) == "6"
    assert db.session.get(ConteoCache, "escala:total") is None


def test_aged_count_is_never_below_the_rows_shown(db, scale_client, clientes):
    scale_client.get("/admin/escala/")  # caches 5
    for documento in ("1000000006", "1000000007", "1000000008"):
        factories.cliente(documento)
    db.session.commit()
    html = scale_client.get("/admin/escala/?page=3").get_data(as_text=True)
    assert _list_count(html) == "8"


def test_stale_cached_count_is_recounted(db, scale_client, clientes):
    scale_client.get("/admin/escala/")
    db.session.get(ConteoCache, "escala:total").calculado_en = datetime(2020, 1, 1, tzinfo=UTC)
    factories.cliente("1000000009")
    db.session.commit()
    html = scale_client.get("/admin/escala/").get_data(as_text=True)
    assert _list_count(html) == "6"


def test_total_count_is_cached_in_redis_when_configured(db, scale_app, scale_client, clientes):
    cache = redis.Redis.from_url(REDIS_URL)
    cache.flushdb()
    scale_app.config["REDIS_URL"] = REDIS_URL
    try:
        scale_client.get("/admin/escala/")
        assert cache.get("conteos:escala:total") is not None
        assert db.session.get(ConteoCache, "escala:total") is None
    finally:
        scale_app.config["REDIS_URL"] = None
        cache.flushdb()


def test_searched_count_stops_at_the_cap(db, scale_client, clientes):
    html = scale_client.get("/admin/escala/?search=10000").get_data(as_text=True)
    assert _list_count(html) == "más de 3"


def test_searched_count_below_the_cap_is_exact(db, scale_client, clientes):
    html = scale_client.get("/admin/escala/?search=1000000004").get_data(as_text=True)
    assert (_list_count(html), _shown(html)) == ("1", ["1000000004"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?page=0", ["1000000001", "1000000002"]),
        ("?page=1", ["1000000003", "1000000004"]),
        ("?page=2", ["1000000005"]),
        ("?page=1&sort=0&desc=1", ["1000000003", "1000000002"]),
        ("?page=3", []),
    ],
)
def test_pages_hold_the_right_rows_in_order(db, scale_client, clientes, query, expected):
    html = scale_client.get(f"/admin/escala/{query}").get_data(as_text=True)
    assert _shown(html) == expected


def test_deep_page_walks_the_offset_over_the_key_only(db, scale_app, scale_client, clientes):
    statements = []
    with scale_app.app_context():
        engine = _db.engine

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        scale_client.get("/admin/escala/?page=2")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    paged = [s for s in statements if "OFFSET" in s and "count(" not in s]
    assert len(paged) == 1
    # The offset walks the key alone, inside the page query: IN (subquery) on
    # SQLite, = any(CAST((SELECT array_agg(...) FROM (subquery)) ...)) on PostgreSQL.
    assert re.search(
        r"\(SELECT clientes\.documento AS documento FROM clientes ORDER BY \S+ LIMIT \S+ OFFSET",
        paged[0],
    )


def test_clientes_list_create_one_list_again_total_is_one_more(db, admin_client, clientes):
    antes = _list_count(admin_client.get("/admin/clientes/").get_data(as_text=True))
    datos = {
        "documento": "1020304050",
        "nombre": "José Álvarez",
        "id_tipo_cliente": "1",
        "id_tipo_documento": "1",
    }
    assert admin_client.post("/admin/clientes/new/", data=datos).status_code == 302
    despues = _list_count(admin_client.get("/admin/clientes/").get_data(as_text=True))
    assert (antes, despues) == ("5", "6")


def test_a_planner_estimate_of_twice_the_cap_says_more_than_the_cap_uncounted(
    db, scale_client, clientes, monkeypatch
):
    # PostgreSQL only (SQLite gives no estimate): "más de 3" from an estimate of 6,
    # without the capped count; an estimate below twice the cap is counted.
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no planner estimate")
    estimados = []
    original = ClientesEscalaView._estimated_rows

    def espia(self, count_query):
        estimados.append(original(self, count_query))
        return 6.0 if len(estimados) == 1 else 1.0

    monkeypatch.setattr(ClientesEscalaView, "_estimated_rows", espia)
    monkeypatch.setattr(ClientesEscalaView, "_count_up_to", lambda *a: pytest.fail("counted"))
    html = scale_client.get("/admin/escala/?search=1000000004").get_data(as_text=True)
    assert _list_count(html) == "más de 3"
    assert estimados[0] >= 0  # PostgreSQL did answer with a number
    monkeypatch.undo()
    html = scale_client.get("/admin/escala/?search=1000000004").get_data(as_text=True)
    assert _list_count(html) == "1"
