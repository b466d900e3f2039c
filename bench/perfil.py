"""Where a page's time goes: `python -m bench.perfil URL [URL...]`.

In process, with Flask's test client (no gunicorn, no network): logs in as a
user of the chosen role (created in the database the first time, as
`perfil-<role>`), requests each URL once to warm up and then --repeat times,
and prints per request: the total and this process's CPU time (steadier on a
busy machine), the SQL (time and statements, from
SQLAlchemy's cursor events), the Jinja templates (render_template from start
to end, SQL run from inside them included and also shown apart), Flask-Admin's
`is_accessible` checks and `url_for` calls (count and time), and then the
functions with the most cumulative time over --repeat more requests under
cProfile. The database is bench/run.py's (--db, --size) or --database-url.
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from functools import wraps

from bench.run import SIZES, database_url

PASSWORD = "perfil-rendimiento-2026"  # noqa: S105 - a throwaway local user
SECRET_KEY = "bench-secret-key-not-for-production"  # noqa: S105
TOP = 15
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Counter:
    calls: int = 0
    seconds: float = 0.0

    def add(self, seconds: float) -> None:
        self.calls += 1
        self.seconds += seconds


@dataclass
class Measures:
    """What one request spent, filled by the hooks below."""

    total: float = 0.0
    cpu: float = 0.0  # this process's CPU time: steadier than the total on a busy machine
    sql: Counter = field(default_factory=Counter)
    sql_in_templates: Counter = field(default_factory=Counter)
    templates: Counter = field(default_factory=Counter)
    is_accessible: Counter = field(default_factory=Counter)
    url_for: Counter = field(default_factory=Counter)


class Probe:
    """Hooks on the engine, the templates, the admin views and url_for."""

    def __init__(self) -> None:
        self.current = Measures()
        self._statement_started: list[float] = []
        self._template_started: list[float] = []

    def timed(self, counter_name: str, function):
        @wraps(function)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                getattr(self.current, counter_name).add(time.perf_counter() - started)

        return wrapper

    def before_cursor_execute(self, *args) -> None:
        self._statement_started.append(time.perf_counter())

    def after_cursor_execute(self, *args) -> None:
        elapsed = time.perf_counter() - self._statement_started.pop()
        self.current.sql.add(elapsed)
        if self._template_started:
            self.current.sql_in_templates.add(elapsed)

    def before_render(self, sender, **extra) -> None:
        self._template_started.append(time.perf_counter())

    def rendered(self, sender, **extra) -> None:
        elapsed = time.perf_counter() - self._template_started.pop()
        if not self._template_started:  # a template rendered from another counts once
            self.current.templates.add(elapsed)


def make_app(url: str):
    os.environ.setdefault("SECRET_KEY", SECRET_KEY)
    from admin_app import create_app
    from admin_app.config import Config

    config = Config()
    config.SQLALCHEMY_DATABASE_URI = url
    return create_app(config)


def ensure_user(app, role: str) -> str:
    from admin_app.auth.passwords import hash_password
    from admin_app.extensions import db
    from admin_app.models import Usuario

    username = f"perfil-{role}"
    with app.app_context():
        usuario = db.session.scalar(db.select(Usuario).where(Usuario.username == username))
        if usuario is None:
            db.session.add(
                Usuario(
                    username=username,
                    nombre_completo=f"Perfil {role}",
                    rol=role,
                    password_hash=hash_password(PASSWORD),
                )
            )
            db.session.commit()
        db.session.remove()
    return username


def login(app, username: str):
    client = app.test_client()
    token = _CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise SystemExit(f"no se pudo iniciar sesión como {username} ({response.status_code})")
    return client


def install(app, probe: Probe) -> None:
    from flask import before_render_template, template_rendered
    from sqlalchemy import event

    from admin_app.extensions import db

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", probe.before_cursor_execute)
    event.listen(engine, "after_cursor_execute", probe.after_cursor_execute)
    before_render_template.connect(probe.before_render, app)
    template_rendered.connect(probe.rendered, app)
    # flask.url_for calls current_app.url_for; templates call the global.
    app.url_for = probe.timed("url_for", app.url_for)
    app.jinja_env.globals["url_for"] = app.url_for
    for admin in app.extensions.get("admin", []):
        for view in admin._views:
            view.is_accessible = probe.timed("is_accessible", view.is_accessible)


def measure(client, probe: Probe, url: str, repeat: int) -> tuple[int, list[Measures]]:
    status = client.get(url).status_code  # warm-up: caches, first connection, imports
    runs = []
    for _ in range(repeat):
        probe.current = Measures()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        response.get_data()
        probe.current.total = time.perf_counter() - started
        probe.current.cpu = time.process_time() - cpu_started
        status = response.status_code
        runs.append(probe.current)
    return status, runs


def profile(client, probe: Probe, url: str, repeat: int) -> str:
    probe.current = Measures()  # these requests are not measured twice
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(url).get_data()
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
    rows = [
        (ct, tt, nc, f"{_short(path)}:{line}({name})")
        for (path, line, name), (_cc, nc, tt, ct, _callers) in stats.items()
        if not path.endswith(_CLIENT_FRAMES)
    ]
    lines = []
    for title, key in (("acumulado", lambda row: row[0]), ("propio", lambda row: row[1])):
        lines.append(
            f"Las {TOP} funciones con más tiempo {title} (cProfile, {repeat} peticiones más;"
        )
        lines.append("  ms y llamadas por petición)   acumulado  propio  llamadas  función")
        for ct, tt, nc, where in sorted(rows, key=key, reverse=True)[:TOP]:
            ms, own = ct * 1000 / repeat, tt * 1000 / repeat
            lines.append(f"  {ms:9.2f} {own:7.2f} {nc / repeat:9g}  {where}")
    return "\n".join(lines)


# The test client's own frames would top every list; they are not the app's time.
_CLIENT_FRAMES = ("werkzeug/test.py", "flask/testing.py", "bench/perfil.py", "~")


def _short(path: str) -> str:
    for marker in ("site-packages/", "/admin_app/"):
        if marker in path:
            return ("admin_app/" if marker == "/admin_app/" else "") + path.split(marker, 1)[1]
    return os.path.basename(path)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def report(url: str, status: int, runs: list[Measures], profile_text: str, role: str) -> str:
    n = len(runs)
    totals = sorted(run.total for run in runs)

    def per_request(name: str) -> tuple[float, float]:
        return (
            sum(getattr(run, name).calls for run in runs) / n,
            sum(getattr(run, name).seconds for run in runs) / n,
        )

    sql_calls, sql_s = per_request("sql")
    _, sql_tpl_s = per_request("sql_in_templates")
    tpl_calls, tpl_s = per_request("templates")
    acc_calls, acc_s = per_request("is_accessible")
    url_calls, url_s = per_request("url_for")
    mean = statistics.fmean(totals)
    rest = mean - sql_s - (tpl_s - sql_tpl_s)
    lines = [
        f"== {url}  (HTTP {status}, {n} peticiones, rol {role}) ==",
        f"Total por petición: p50 {_ms(statistics.median(totals))}, media {_ms(mean)},"
        f" mín {_ms(totals[0])}, máx {_ms(totals[-1])}",
        f"CPU de este proceso por petición: p50 {_ms(statistics.median(run.cpu for run in runs))}",
        f"SQL: {_ms(sql_s)} en {sql_calls:g} sentencias ({100 * sql_s / mean:.0f} %)",
        f"Plantillas Jinja: {_ms(tpl_s)} en {tpl_calls:g} render_template"
        f" (de ellos SQL {_ms(sql_tpl_s)}; {100 * tpl_s / mean:.0f} %)",
        f"is_accessible: {acc_calls:g} llamadas, {_ms(acc_s)}",
        f"url_for: {url_calls:g} llamadas, {_ms(url_s)}",
        f"Resto (Python fuera de SQL y plantillas): {_ms(rest)}",
        profile_text.rstrip(),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+", metavar="URL", help="p. ej. /admin/clientes/")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--size", choices=tuple(SIZES), default="small")
    parser.add_argument("--database-url", help="otra base (en vez de --db y --size)")
    parser.add_argument("--role", choices=("admin", "digitador"), default="admin")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat debe ser al menos 1")

    url = args.database_url or database_url(args.db, args.size)
    app = make_app(url)
    client = login(app, ensure_user(app, args.role))
    probe = Probe()
    install(app, probe)
    print(f"Base: {re.sub(r'//[^@/]*@', '//', url)}\n")
    for page in args.urls:
        status, runs = measure(client, probe, page, args.repeat)
        print(report(page, status, runs, profile(client, probe, page, args.repeat), args.role))
    from admin_app.extensions import db

    with app.app_context():
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
