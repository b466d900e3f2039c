"""Helpers to run jobs for real: in a thread of this process, or on RQ with a burst worker."""

import os
import time

import pytest
import redis
from flask import current_app

from admin_app.extensions import db
from admin_app.models import Trabajo

REDIS_URL = "redis://127.0.0.1:6379/5"


def esperar(trabajo_id: int, condicion, segundos: float = 30) -> Trabajo:
    """Poll the job's row (as another machine would) until condicion(trabajo) holds."""
    limite = time.monotonic() + segundos
    while True:
        db.session.expire_all()
        trabajo = db.session.get(Trabajo, trabajo_id)
        if condicion(trabajo):
            return trabajo
        if time.monotonic() > limite:
            raise AssertionError(f"el trabajo quedó {trabajo.estado} / {trabajo.fase}")
        db.session.rollback()
        time.sleep(0.05)


def terminado(trabajo_id: int) -> Trabajo:
    return esperar(trabajo_id, lambda t: not t.activo)


@pytest.fixture
def en_hilo(app, monkeypatch):
    """Jobs run in a thread of the web process: the embedded default, without Redis."""
    monkeypatch.setitem(app.config, "JOBS_INLINE", False)
    monkeypatch.setitem(app.config, "REDIS_URL", None)


@pytest.fixture
def en_rq(app, monkeypatch):
    """Jobs go to RQ on the local Redis (database 5); burst() runs them like `flask worker`."""
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.RedisError:
        pytest.skip("Redis no responde en 127.0.0.1:6379")
    monkeypatch.setitem(app.config, "JOBS_INLINE", False)
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", f"test-{os.getpid()}")
    yield connection
    from admin_app.jobs import cola

    with app.app_context():
        cola(connection).empty()


def burst(connection) -> None:
    from rq import SimpleWorker

    from admin_app.jobs import cola

    with current_app.app_context():
        SimpleWorker([cola(connection)], connection=connection).work(burst=True)
