"""Server-Timing on every response: how long the app took, and how much of it
the database, as the benchmark reads them (`app;dur=12.3, db;dur=1.4`)."""

import time

from flask import Flask, g, has_app_context
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _statement_started(conn, cursor, statement, parameters, context, executemany) -> None:
    if context is not None:
        context.timing_started = time.perf_counter()


def _statement_ended(conn, cursor, statement, parameters, context, executemany) -> None:
    started = getattr(context, "timing_started", None)
    # Only statements of a timed request count (not those of a CLI command).
    if started is not None and has_app_context() and "request_started" in g:
        g.sql_seconds = g.get("sql_seconds", 0.0) + time.perf_counter() - started


def init_timing(app: Flask) -> None:
    # Listeners on the Engine class see every engine; added once per process.
    if not event.contains(Engine, "before_cursor_execute", _statement_started):
        event.listen(Engine, "before_cursor_execute", _statement_started)
        event.listen(Engine, "after_cursor_execute", _statement_ended)

    @app.before_request
    def _start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _add_server_timing(response):
        started = g.get("request_started")
        if started is not None:
            elapsed_ms = (time.perf_counter() - started) * 1000
            sql_ms = g.get("sql_seconds", 0.0) * 1000
            response.headers["Server-Timing"] = f"app;dur={elapsed_ms:.1f}, db;dur={sql_ms:.1f}"
        return response
