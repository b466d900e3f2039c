"""Database engine settings that models alone cannot express."""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

MAX_INT = 2**31 - 1  # the largest value of an INTEGER column (ids among them)

_installed = False


def install_sqlite_pragmas() -> None:
    """Every SQLite connection enforces foreign keys, uses WAL and waits for locks."""
    global _installed
    if _installed:
        return
    _installed = True

    @event.listens_for(Engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        if not isinstance(dbapi_connection, sqlite3.Connection):
            return
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 15000")
        # WAL lets readers go on while one writer writes; memory databases keep "memory".
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()


def is_sqlite(session_or_engine) -> bool:
    bind = getattr(session_or_engine, "bind", None) or session_or_engine.get_bind()
    return bind.dialect.name == "sqlite"
