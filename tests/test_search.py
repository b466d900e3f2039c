"""Client search: accents and case folded, documento exact and prefix, on both databases."""

import pytest
from sqlalchemy import text

from admin_app import search
from admin_app.models import Cliente
from admin_app.search import contar_nombre, filtrar_clientes
from tests import factories


@pytest.fixture
def clientes(db):
    factories.cliente("1020304050", nombre="José Pérez Gómez")
    factories.cliente("1020999999", nombre="María Ñúñez")
    factories.cliente("52123456", nombre="Josefina Álvarez")
    factories.cliente("900123456-8", juridica=True, nombre="Constructora Andina S.A.S.")
    factories.cliente("AB-12345", nombre="Pedro Peña", id_tipo_documento=4)
    db.session.commit()


def _found(db, q) -> list[str]:
    stmt = filtrar_clientes(db.select(Cliente.documento), q).order_by(Cliente.documento)
    return list(db.session.scalars(stmt))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("jose", ["1020304050", "52123456"]),
        ("José", ["1020304050", "52123456"]),
        ("PEREZ", ["1020304050"]),
        ("pérez jose", ["1020304050"]),
        ("nunez", ["1020999999"]),
        ("ÑÚÑEZ", ["1020999999"]),
        ("alvarez", ["52123456"]),
        ("andina", ["900123456-8"]),
        ("gom", ["1020304050"]),
        ("pena", ["AB-12345"]),
        ("rodriguez", []),
    ],
)
def test_name_search_folds_accents_and_case(db, clientes, q, expected):
    assert _found(db, q) == expected


def test_name_search_matches_the_start_of_words_only(db, clientes):
    assert _found(db, "erez") == []


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("1020304050", ["1020304050"]),
        ("1020", ["1020304050", "1020999999"]),
        ("1.020.304.050", ["1020304050"]),
        ("900123456-8", ["900123456-8"]),
        ("900.123.456-8", ["900123456-8"]),
        ("9001234568", ["900123456-8"]),
        ("90012", ["900123456-8"]),
        ("ab-123", ["AB-12345"]),
        ("5212345", ["52123456"]),
        ("777", []),
    ],
)
def test_documento_search_is_exact_or_prefix(db, clientes, q, expected):
    assert _found(db, q) == expected


@pytest.mark.parametrize("q", ["", "   ", None])
def test_blank_query_keeps_every_client(db, clientes, q):
    assert len(_found(db, q)) == 5


@pytest.mark.parametrize("q", ['"', "*", "%", "_", "-", "jose OR", "NEAR(", "1%", "1_"])
def test_query_syntax_characters_are_plain_text(db, clientes, q):
    assert _found(db, q) in ([], ["1020304050", "52123456"])


def test_renamed_client_is_found_by_its_new_name(db, clientes):
    cliente = db.session.get(Cliente, "52123456")
    cliente.nombre = "Lucía Restrepo"
    db.session.commit()
    assert (_found(db, "lucia"), _found(db, "josefina")) == (["52123456"], [])


def test_deleted_client_is_no_longer_found(db, clientes):
    db.session.delete(db.session.get(Cliente, "52123456"))
    db.session.commit()
    assert _found(db, "jose") == ["1020304050"]


def test_search_by_name_uses_an_index(db, clientes):
    stmt = filtrar_clientes(db.select(Cliente.documento), "jose")
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = " ".join(row[0] for row in db.session.execute(text(f"EXPLAIN {compiled}")))
        assert "ix_clientes_nombre_busqueda_fts" in plan
    else:
        rows = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
        plan = " ".join(row[-1] for row in rows)
        assert "clientes_fts VIRTUAL TABLE INDEX" in plan


@pytest.mark.parametrize(
    "q", ["jose", "José", "PEREZ", "pérez jose", "nunez", "andina", "gom", "pena", "erez", "s"]
)
def test_common_name_walked_in_order_finds_the_same_clients(db, clientes, monkeypatch, q):
    # A word common enough is tested row by row while an ordered index is walked.
    monkeypatch.setattr("admin_app.search.COMUN", 1)
    stmt = filtrar_clientes(db.select(Cliente.documento), q, en_orden=True)
    walked = list(db.session.scalars(stmt.order_by(Cliente.documento)))
    assert walked == _found(db, q)
    if walked:
        compiled = str(stmt.compile(db.engine))
        assert "clientes_fts" not in compiled


def test_rare_name_keeps_the_word_index_in_order(db, clientes):
    stmt = filtrar_clientes(db.select(Cliente.documento), "jose", en_orden=True)
    assert "clientes_fts" in str(stmt.compile(db.engine)) or db.engine.dialect.name != "sqlite"
    assert list(db.session.scalars(stmt.order_by(Cliente.documento))) == _found(db, "jose")


@pytest.mark.parametrize(
    ("words", "tope", "expected"),
    [(["jose"], 10, 2), (["jose"], 1, 1), (["perez", "jose"], 10, 1), (["erez"], 10, 0)],
)
def test_name_count_is_capped_and_counts_prefixes(db, clientes, words, tope, expected):
    # "jose" matches José (a whole word) and Josefina (a prefix): both count.
    assert contar_nombre(words, tope) == expected


def test_postgresql_answers_a_common_name_count_from_the_planner_estimate(db, monkeypatch):
    # Counting "maria" up to the cap builds GIN's bitmap of every match; an
    # estimate of twice the cap is answer enough ("at least the cap"), uncounted.
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no planner estimate; its capped count is cheap")
    for numero in range(8):
        factories.cliente(nombre=f"María Prueba {numero}")
    db.session.commit()
    estimado = {"filas": 10.0}
    monkeypatch.setattr(search, "_estimar_nombre", lambda _tsquery: estimado["filas"])
    assert contar_nombre(["maria"], tope=5) == 5  # estimated 10 >= 2 x 5: not counted
    assert contar_nombre(["maria"], tope=6) == 6  # estimated 10 < 12: counted, capped
    estimado["filas"] = 1.0  # an estimate far below the truth: the count still rules
    assert contar_nombre(["maria"], tope=100) == 8


def test_the_planner_estimate_of_a_name_is_a_number(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    assert search._estimar_nombre("maria:*") >= 0
