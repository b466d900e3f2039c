"""Engine settings: busy timeout from the config, planner statistics kept fresh on SQLite."""

import sqlite3

import pytest
from sqlalchemy import create_engine, text

from admin_app import config, create_app, database
from admin_app.database import sqlite_optimize, write_if_possible
from admin_app.extensions import db as _db
from admin_app.models import Sesion


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'stats.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, tipo INTEGER)"))
        connection.execute(text("CREATE INDEX ix_t_tipo ON t (tipo)"))
        connection.execute(
            text("INSERT INTO t (tipo) VALUES (:tipo)"), [{"tipo": n % 7} for n in range(2000)]
        )
    yield engine
    engine.dispose()


def _stats(engine) -> list[str]:
    with engine.connect() as connection:
        exists = connection.execute(
            text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        ).scalar()
        if not exists:
            return []
        return list(connection.execute(text("SELECT DISTINCT tbl FROM sqlite_stat1")).scalars())


def test_a_table_loaded_without_analyze_gets_statistics_as_connections_return(
    app, sqlite_engine, monkeypatch
):
    monkeypatch.setattr(database, "FIRST_OPTIMIZE_AFTER_S", 0)
    monkeypatch.setattr(database, "OPTIMIZE_EVERY_S", 0)
    sqlite_engine.dispose()
    assert _stats(sqlite_engine) == []
    with sqlite_engine.connect() as connection:  # a page that reads it
        connection.execute(text("SELECT count(*) FROM t WHERE tipo = 3")).scalar()
    assert _stats(sqlite_engine) == ["t"]


def test_a_closing_connection_refreshes_statistics(app, sqlite_engine):
    with sqlite_engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM t WHERE tipo = 3")).scalar()
    assert _stats(sqlite_engine) == []  # not yet: the connection opened just now
    sqlite_engine.dispose()
    assert _stats(sqlite_engine) == ["t"]


def test_optimize_is_skipped_while_another_writer_holds_the_lock(tmp_path):
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, tipo INTEGER)")
    holder.execute("CREATE INDEX ix_t_tipo ON t (tipo)")
    holder.executemany("INSERT INTO t (tipo) VALUES (?)", [(n % 7,) for n in range(500)])
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=30)
    try:
        other.execute("SELECT count(*) FROM t WHERE tipo = 3").fetchone()
        sqlite_optimize(other)  # returns at once instead of waiting 30 s
        assert other.execute("PRAGMA busy_timeout").fetchone()[0] == 30000
    finally:
        holder.rollback()
        holder.close()
        other.close()


def test_busy_timeout_comes_from_the_config(app, tmp_path):
    cfg = config.TestConfig(f"sqlite:///{tmp_path / 'timeout.sqlite3'}")
    cfg.SQLITE_BUSY_TIMEOUT_MS = 1234
    other = create_app(cfg)
    with other.app_context(), _db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
        _db.engine.dispose()


def test_an_opportunistic_write_leaves_the_busy_timeout_as_it_was(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's busy timeout")
    assert write_if_possible(Sesion.__table__.delete().where(Sesion.id == -1))
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
