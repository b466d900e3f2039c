"""Database engine settings that models alone cannot express."""

import logging
import re
import sqlite3
import time

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import Pool

from .extensions import db

log = logging.getLogger(__name__)

# A write a read makes in passing (a session's last-seen time, a token's last
# use, a shared count) waits this long for a lock, then is skipped: a page
# must not wait the whole busy timeout behind an import.
OPPORTUNISTIC_TIMEOUT_MS = 200
# SQLite's planner statistics: PRAGMA optimize analyses the tables this
# connection has queried whose statistics are missing or far off (a table
# loaded by plain SQL, never analysed). It runs when a pooled connection goes
# back to the pool a minute after it opened, then hourly, and when it closes.
FIRST_OPTIMIZE_AFTER_S = 60
OPTIMIZE_EVERY_S = 3600
ANALYSIS_LIMIT = 1000  # rows ANALYZE samples per index: milliseconds even at 1M rows

MAX_INT = 2**31 - 1  # the largest value of an INTEGER column (ids among them)
_CLAVE_ENTERA = re.compile(r"[0-9]{1,10}")

_installed = False


def clave_entera(valor) -> int | None:
    """An id typed in a URL as the INTEGER it names, or None: `abc`, `1e3`, `-1`,
    `1,2`, an emoji or a value past MAX_INT name no row (and would make the
    database fail instead of answering "not found")."""
    if not isinstance(valor, str) or not _CLAVE_ENTERA.fullmatch(valor):
        return None
    numero = int(valor)
    return numero if numero <= MAX_INT else None


def configure_engine(app: Flask) -> None:
    """Engine options by backend: SQLite's busy timeout, PostgreSQL's connect and lock timeouts.

    pool_pre_ping makes the first request after a PostgreSQL restart work:
    a dead pooled connection is replaced before use instead of failing it."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", True)
    connect_args = dict(options.get("connect_args") or {})
    if url.startswith("sqlite"):
        connect_args.setdefault("timeout", app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000)
    elif url.startswith("postgresql"):
        connect_args.setdefault("connect_timeout", app.config["DATABASE_CONNECT_TIMEOUT_S"])
        # A write stuck behind another transaction's row lock ends as "busy", as on SQLite.
        lock_timeout = int(app.config["DATABASE_LOCK_TIMEOUT_MS"])
        connect_args.setdefault("options", f"-c lock_timeout={lock_timeout}")
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def install_sqlite_pragmas() -> None:
    """Every SQLite connection enforces foreign keys, uses WAL and keeps its statistics fresh.

    The busy timeout comes from the engine (configure_engine: SQLITE_BUSY_TIMEOUT_MS)."""
    global _installed
    if _installed:
        return
    _installed = True

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection, record) -> None:
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        # WAL lets readers go on while one writer writes; memory databases keep "memory".
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        cursor.close()
        record.info["optimize_at"] = time.monotonic() + FIRST_OPTIMIZE_AFTER_S

    @event.listens_for(Pool, "checkin")
    def _on_checkin(dbapi_connection, record) -> None:
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        if time.monotonic() >= record.info.get("optimize_at", 0):  # the cheap guard
            record.info["optimize_at"] = time.monotonic() + OPTIMIZE_EVERY_S
            sqlite_optimize(dbapi_connection)

    @event.listens_for(Pool, "close")
    def _on_close(dbapi_connection, _record) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            sqlite_optimize(dbapi_connection)


def sqlite_optimize(dbapi_connection: sqlite3.Connection) -> None:
    """PRAGMA optimize without waiting: skipped when another writer holds the lock."""
    try:
        if dbapi_connection.in_transaction:
            return
        cursor = dbapi_connection.cursor()
        previous = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            # 0x10002: also the tables this connection did not read (SQLite >= 3.46).
            cursor.execute("PRAGMA optimize = 0x10002")
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")
            cursor.close()
    except sqlite3.Error as exc:  # locked, read-only, full, closed: next time
        log.info("PRAGMA optimize skipped: %s", exc)


def write_if_possible(*statements) -> bool:
    """Run `statements` in a short transaction of their own, or skip them.

    For the writes a read makes in passing: they wait at most
    OPPORTUNISTIC_TIMEOUT_MS for a lock and give up quietly on any
    operational failure (locked, disk full, connection lost). The caller's
    session is untouched. Returns whether they were written."""
    ms = OPPORTUNISTIC_TIMEOUT_MS
    try:
        with db.engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            previous = None
            if sqlite:
                previous = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {ms}")
                connection.commit()  # closes the (empty) transaction the PRAGMAs began
            try:
                with connection.begin():
                    if not sqlite:
                        connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{ms}ms'")
                    for statement in statements:
                        connection.execute(statement)
            finally:
                if previous is not None:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(previous)}")
                    connection.commit()
        return True
    except OperationalError as exc:
        log.info("Opportunistic write skipped: %s", exc.orig or exc)
        return False


def is_sqlite(session_or_engine) -> bool:
    bind = getattr(session_or_engine, "bind", None) or session_or_engine.get_bind()
    return bind.dialect.name == "sqlite"
