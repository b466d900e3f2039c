"""Client search that an index serves, at a million rows and more.

`filtrar_clientes(stmt, q)` narrows a Select (or a legacy Query) over
Cliente:

- a term with a digit and no spaces is a documento: exact or prefix match on
  the stored form, served by a btree (the primary key on SQLite, a
  varchar_pattern_ops index on PostgreSQL, migration 0002). "1.020.304" finds
  1020304050; "9001234568" also finds the NIT 900123456-8;
- anything else is a name: every word must start a word of the folded name
  (accents and case do not matter: "jose" finds José, "PEREZ" finds Pérez),
  served by FTS5 on SQLite and a GIN full-text index on PostgreSQL.

SQLite keeps its FTS5 index in step through triggers; after restoring rows by
other means, `flask reindexar --fts` rebuilds it. Only the app fills
nombre_busqueda: after writing names by plain SQL, `flask reindexar` puts it
right (reindexar_nombres).
"""

import re
import sqlite3

from flask import g, has_request_context
from sqlalchemy import and_, bindparam, event, func, literal_column, or_, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from .extensions import db
from .models import Cliente
from .text import escape_like, fold

_WORD = re.compile(r"\w+")
# A token of FTS5's unicode61 tokenizer: a run of letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
# From this many matches on, a name search walks the list's own index in its
# order, testing each row, and stops at the page: with "jose" or "maria"
# (~80,000 of 1M clients) a page of 20 is found within a few hundred rows,
# where the word index would hand over every match to be read and sorted.
# Below it, the word index finds the few matches faster than any walk.
COMUN = 5_000
# The count a searched list reads (admin.scale.ScaleListMixin.count_cap + 1):
# es_comun asks for it too, so the list reads the word index once.
TOPE_CONTEO = 10_001
_DOCUMENTO_NOISE = re.compile(r"[\s.]")


def es_documento(q: str) -> bool:
    term = q.strip()
    return any(ch.isdigit() for ch in term) and not any(ch.isspace() for ch in term)


def palabras(q: str) -> list[str]:
    """The words of a name query, folded as nombre_busqueda is."""
    return _WORD.findall(fold(q))


def filtrar_clientes(stmt, q: str | None, en_orden: bool = False):
    """`stmt` with only the clientes that match `q` (unchanged when q is blank).

    `en_orden`: the caller orders by an indexed column and takes a page (LIMIT);
    a name common enough (COMUN matches) is then tested row by row while that
    index is walked, which stops at the page instead of sorting every match.
    The count of a list must not ask for it (it would walk until its cap)."""
    q = (q or "").strip()
    if not q:
        return stmt
    if es_documento(q):
        return stmt.filter(condicion_documento(q))
    words = palabras(q)
    if not words:
        return stmt.filter(Cliente.documento == q.upper())
    if en_orden and es_comun(words):
        return stmt.filter(condicion_nombre_fila(words))
    return stmt.filter(condicion_nombre(words))


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _prefijos_documento(q: str) -> list[str]:
    compact = _DOCUMENTO_NOISE.sub("", q.upper())
    prefixes = [compact]
    if compact.isdigit() and len(compact) == 10:
        prefixes.append(f"{compact[:9]}-{compact[9]}")  # a NIT typed without its hyphen
    return prefixes


def _prefijo(prefix: str) -> ColumnElement[bool]:
    column = Cliente.documento
    if _dialect() == "postgresql":
        return column.like(f"{escape_like(prefix)}%", escape="\\")
    # SQLite's LIKE ignores case and so cannot use the binary primary key;
    # a range on it can, and equals a prefix match under binary collation.
    return and_(column >= prefix, column < prefix + "\U0010ffff")


def condicion_documento(q: str) -> ColumnElement[bool]:
    return or_(*(_prefijo(prefix) for prefix in _prefijos_documento(q)))


def condicion_nombre(words: list[str]) -> ColumnElement[bool]:
    if _dialect() == "postgresql":
        # The expression must be the indexed one, character for character.
        tsquery = _tsquery(words)
        vector = func.to_tsvector(literal_column("'simple'::regconfig"), Cliente.nombre_busqueda)
        query = func.to_tsquery(literal_column("'simple'::regconfig"), tsquery)
        return vector.op("@@")(query)
    match = _fts_match(words)
    matching = text("SELECT rowid FROM clientes_fts WHERE clientes_fts MATCH :fts_match")
    matching = matching.bindparams(fts_match=match).columns(literal_column("rowid"))
    return literal_column("clientes.rowid").in_(matching)


def _fts_match(words: list[str]) -> str:
    return " ".join(f'"{word}"*' for word in words)


def _tsquery(words: list[str]) -> str:
    return " & ".join(f"{word}:*" for word in words)


def es_comun(words: list[str]) -> bool:
    """Whether at least COMUN clients match (contar_nombre)."""
    if _dialect() == "sqlite" and any(not _TOKEN.fullmatch(word) for word in words):
        return False  # the row test knows plain words only
    return contar_nombre(words) >= COMUN


def contar_nombre(words: list[str], tope: int = TOPE_CONTEO) -> int:
    """How many clients match the name words, counted through the word index up to
    `tope`. The index hands over a common word's matches all at once (FTS5 merges a
    prefix's terms, GIN builds its bitmap), whatever the LIMIT: so this is read once
    per request, and serves both es_comun and the list's capped count."""
    memo = g.setdefault("conteos_nombre", {}) if has_request_context() else {}
    clave = (tuple(words), tope)
    if clave not in memo:
        memo[clave] = _contar_nombre(words, tope)
    return memo[clave]


def _contar_nombre(words: list[str], tope: int) -> int:
    if _dialect() == "postgresql":
        if _estimar_nombre(_tsquery(words)) >= 2 * tope:
            # "maria": the planner estimates 56,160 matches in 0.7 ms, where counting
            # up to the cap builds GIN's bitmap of all 57,608 (13.4 ms). An estimate of
            # twice the cap answers "at least the cap" (estimates err by far less).
            return tope
        sql = text(
            "SELECT count(*) FROM (SELECT 1 FROM clientes WHERE to_tsvector('simple'::regconfig,"
            " nombre_busqueda) @@ to_tsquery('simple'::regconfig, :q) LIMIT :n) AS t"
        )
        enteras, prefijos = " & ".join(words), _tsquery(words)
    else:
        sql = text(
            "SELECT count(*) FROM (SELECT 1 FROM clientes_fts WHERE clientes_fts MATCH :q LIMIT :n)"
        )
        enteras = " ".join(f'"{word}"' for word in words)
        prefijos = _fts_match(words)
    if all(_TOKEN.fullmatch(word) for word in words):
        # The whole words first: a prefix ("maria"* is maria, mariana...) makes the
        # index merge every term's matches before the LIMIT counts (FTS5: ~20 ms for
        # "maria"; GIN: 90 ms for maria:* against 12 ms for maria). Whole-word
        # matches are prefix matches too: once they reach the cap, that is the answer.
        cuantas = db.session.scalar(sql, {"q": enteras, "n": tope})
        if cuantas >= tope:
            return cuantas
    return db.session.scalar(sql, {"q": prefijos, "n": tope})


def _estimar_nombre(tsquery: str) -> float:
    """PostgreSQL's planner estimate of the clients matching a tsquery."""
    plan = db.session.scalar(
        text(
            "EXPLAIN (FORMAT JSON) SELECT 1 FROM clientes WHERE to_tsvector('simple'::regconfig,"
            " nombre_busqueda) @@ to_tsquery('simple'::regconfig, :q)"
        ),
        {"q": tsquery},
    )
    return plan[0]["Plan"]["Plan Rows"]


def condicion_nombre_fila(words: list[str]) -> ColumnElement[bool]:
    """condicion_nombre, tested on each row rather than through the word index."""
    if _dialect() == "postgresql":
        # The same test, on an expression the GIN index does not cover (|| '').
        vector = func.to_tsvector(
            literal_column("'simple'::regconfig"), Cliente.nombre_busqueda.concat("")
        )
        query = func.to_tsquery(literal_column("'simple'::regconfig"), _tsquery(words))
        return vector.op("@@")(query)
    return func.coincide_nombre(Cliente.nombre_busqueda, " ".join(words)) == 1


def coincide_nombre(nombre_busqueda: str | None, words: str) -> int:
    """1 when every word starts a token of the folded name (as the FTS5 index
    matches `"word"*`): SQLite's row test, registered on each connection."""
    if not nombre_busqueda:
        return 0
    tokens = _TOKEN.findall(nombre_busqueda)
    return int(all(any(t.startswith(w) for t in tokens) for w in words.split(" ")))


@event.listens_for(Engine, "connect")
def _registrar_funciones(dbapi_connection, _record) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("coincide_nombre", 2, coincide_nombre, deterministic=True)


def reindexar_nombres(lote: int = 5000, solo_revisar: bool = False) -> int:
    """Set nombre_busqueda = fold(nombre) where it is not; returns how many rows were off.

    The app keeps nombre_busqueda itself (Cliente's @validates); rows written
    by plain SQL (a data migration, a DBA's fix) are put right here. The
    folding cannot be written in SQL identically on SQLite (it has no Unicode
    normalisation), so it runs in Python, by keyset batches of `lote` rows,
    each its own short transaction. No version bump and no bitácora entry: the
    column is derived. SQLite's FTS index follows through its triggers."""
    tabla = Cliente.__table__
    cambiar = (
        update(tabla)
        .where(tabla.c.documento == bindparam("clave"))
        .values(nombre_busqueda=bindparam("plegado"))
    )
    ultimo, desajustados = "", 0
    while True:
        filas = db.session.execute(
            select(tabla.c.documento, tabla.c.nombre, tabla.c.nombre_busqueda)
            .where(tabla.c.documento > ultimo)
            .order_by(tabla.c.documento)
            .limit(lote)
        ).all()
        if not filas:
            break
        ultimo = filas[-1][0]
        cambios = [
            {"clave": documento, "plegado": fold(nombre)}
            for documento, nombre, actual in filas
            if fold(nombre) != actual
        ]
        desajustados += len(cambios)
        if cambios and not solo_revisar:
            db.session.execute(cambiar, cambios)
        db.session.commit()
    return desajustados


def reconstruir_indice_sqlite() -> bool:
    """Rebuild SQLite's FTS5 index from clientes (after restoring rows by other means)."""
    if _dialect() != "sqlite":
        return False
    db.session.execute(text("INSERT INTO clientes_fts(clientes_fts) VALUES ('rebuild')"))
    db.session.commit()
    return True
