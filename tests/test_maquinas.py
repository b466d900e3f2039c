"""Several machines behind a load balancer: the README's promise, tried with real processes.

Two app processes (gunicorn) stand for two machines: each has its own copy of
the code, so its own working and instance folders, and they share only the
DATABASE_URL, REDIS_URL and SECRET_KEY. With PostgreSQL (TEST_DATABASE_URL)
and Redis at 127.0.0.1:6379, as in CI, they use a database of their own
(<test database>_maquinas, dropped afterwards) and Redis database 5, and a
third process, `flask worker`, runs the import's jobs. Without them, the same
steps run on one SQLite file with the jobs in the web processes' threads,
which is what a single machine with several workers does.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.admin.test_importar import MALA, csv_bytes

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/5"
PASSWORD = "clave-de-maquinas-2026"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FILAS = 1500


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Maquina:
    """One machine: a copy of the app in its own folder, serving on its own port."""

    def __init__(self, base: Path, nombre: str, env: dict) -> None:
        self.folder = base / nombre
        self.folder.mkdir()
        for item in ("admin_app", "migrations", "wsgi.py"):
            origen = ROOT / item
            if origen.is_dir():
                shutil.copytree(
                    origen, self.folder / item, ignore=shutil.ignore_patterns("__pycache__")
                )
            else:
                shutil.copy(origen, self.folder / item)
        self.env = {**env, "PYTHONPATH": str(self.folder)}
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(self.folder / "proceso.log", "wb")  # noqa: SIM115 - closed in parar()
        self.procesos: list[subprocess.Popen] = []

    def flask(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own flask, fixed arguments
            [str(BIN / "flask"), *args],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def iniciar(self, *args: str) -> subprocess.Popen:
        proceso = subprocess.Popen(  # noqa: S603 - our own gunicorn and flask
            args, cwd=self.folder, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.procesos.append(proceso)
        return proceso

    def servir(self) -> None:
        self.iniciar(
            str(BIN / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--timeout",
            "120",
            "wsgi:app",
        )
        limite = time.monotonic() + 90
        while time.monotonic() < limite:
            try:
                if requests.get(f"{self.url}/login", timeout=10).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        raise AssertionError(self.registro())

    def registro(self) -> str:
        self.log.flush()
        return (self.folder / "proceso.log").read_text(errors="replace")[-3000:]

    def parar(self) -> None:
        for proceso in self.procesos:
            if proceso.poll() is None:
                proceso.send_signal(signal.SIGTERM)
        for proceso in self.procesos:
            try:
                proceso.wait(20)
            except subprocess.TimeoutExpired:
                proceso.kill()
                proceso.wait()
        self.log.close()


@pytest.fixture(scope="module")
def entorno(tmp_path_factory):
    """(env, con_worker): PostgreSQL + Redis + worker when the test setup has them."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql") and _redis_answers():
        nombre = f"{make_url(url).database}_maquinas"
        servidor = sa.create_engine(
            make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT"
        )
        with servidor.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{nombre}"'))
        cache = redis.Redis.from_url(REDIS_URL)
        for clave in cache.scan_iter("conteos:*"):
            cache.delete(clave)
        database_url = make_url(url).set(database=nombre).render_as_string(hide_password=False)
        yield {"DATABASE_URL": database_url, "REDIS_URL": REDIS_URL}, True
        with servidor.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE)'))
        servidor.dispose()
    else:
        carpeta = tmp_path_factory.mktemp("sqlite")
        yield (
            {"DATABASE_URL": f"sqlite:///{carpeta / 'compartida.sqlite3'}", "REDIS_URL": ""},
            False,
        )


@pytest.fixture(scope="module")
def maquinas(tmp_path_factory, entorno):
    tmp_path = tmp_path_factory.mktemp("maquinas")
    compartido, con_worker = entorno
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TEST_DATABASE_URL", "FLASK_", "PYTEST"))
    }
    env.update(compartido, SECRET_KEY="clave-compartida-por-las-maquinas", FLASK_APP="wsgi")
    a, b = Maquina(tmp_path, "maquina_a", env), Maquina(tmp_path, "maquina_b", env)
    try:
        a.flask("db", "upgrade")  # once per release, from one machine
        a.flask("users", "create", "ana", "--role", "admin", "--password", PASSWORD)
        b.flask("users", "create", "beto", "--role", "digitador", "--password", PASSWORD)
        a.servir()
        b.servir()
        yield a, b, b.iniciar(str(BIN / "flask"), "worker") if con_worker else None
    finally:
        a.parar()
        b.parar()


def _csrf(session: requests.Session, url: str) -> str:
    return CSRF.search(session.get(url, timeout=10).text).group(1)


def _login(session: requests.Session, maquina: Maquina, usuario: str, password: str):
    token = _csrf(session, f"{maquina.url}/login")
    return session.post(
        f"{maquina.url}/login",
        data={"username": usuario, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )


def _esperar(session: requests.Session, url: str, segundos: float = 120) -> list[dict]:
    """Follow a job's status until it ends; every status seen, in order."""
    vistos = []
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        estado = session.get(url, timeout=10).json()
        vistos.append(estado)
        if not estado["activo"]:
            return vistos
        time.sleep(0.1)
    raise AssertionError(vistos[-3:])


def _filas(cantidad: int, desde: int) -> list[list[str]]:
    return [
        [str(desde + i), f"Cliente {i}", "Persona Natural", "CC", "", "", ""]
        for i in range(cantidad)
    ]


def _subir(navegador: requests.Session, maquina: Maquina, filas: list) -> requests.Response:
    return navegador.post(
        f"{maquina.url}/admin/importar/",
        data={"csrf_token": _csrf(navegador, f"{maquina.url}/admin/importar/")},
        files={"archivo": ("clientes.csv", csv_bytes(filas), "text/csv")},
        allow_redirects=False,
        timeout=30,
    )


def _listado(session: requests.Session, maquina: Maquina) -> str:
    html = session.get(f"{maquina.url}/admin/clientes/", timeout=30).text
    return re.search(r"Listado \(([\d.]+)", html).group(1)


def test_two_machines_share_sessions_imports_counts_and_locks(maquinas):
    a, b, worker = maquinas
    navegador = requests.Session()

    # A session made on A is used on B.
    assert _login(navegador, a, "ana", PASSWORD).status_code == 302
    inicio_b = navegador.get(f"{b.url}/admin/", allow_redirects=False, timeout=10)
    assert inicio_b.status_code == 200 and "ana" in inicio_b.text

    # An import uploaded through A is checked, confirmed and followed through B.
    subida = _subir(navegador, a, [*_filas(FILAS, 2_000_000), MALA])
    assert subida.status_code == 302, subida.text[-2000:]
    pagina_b = b.url + subida.headers["Location"]
    _esperar(navegador, f"{pagina_b}/estado")
    assert f"Se crearán: <b>{FILAS}</b>" in navegador.get(pagina_b, timeout=10).text

    confirmado = navegador.post(
        f"{pagina_b}/confirmar",
        data={"csrf_token": _csrf(navegador, pagina_b)},
        allow_redirects=False,
        timeout=30,
    )
    assert confirmado.status_code == 302
    vistos = _esperar(navegador, f"{pagina_b}/estado")
    assert vistos[-1]["estado"] == "terminado", vistos[-1]
    assert (vistos[-1]["hechos"], vistos[-1]["total"]) == (FILAS + 1, FILAS + 1)
    assert f"Clientes creados: <b>{FILAS}</b>" in navegador.get(pagina_b, timeout=10).text
    reporte = navegador.get(a.url + subida.headers["Location"] + "/rechazos.csv", timeout=10)
    assert "12AB" in reporte.text and "solo puede tener dígitos" in reporte.text
    if worker:  # the worker ran both steps, not the web processes
        from rq import Queue
        from rq.registry import FinishedJobRegistry

        cola = Queue("backoffice", connection=redis.Redis.from_url(REDIS_URL))
        assert FinishedJobRegistry(queue=cola).count >= 2
        assert "Job OK" in b.registro()

    # The count seen by one holds on the other.
    assert _listado(navegador, a) == _listado(navegador, b) == f"{FILAS:,}".replace(",", ".")

    # A user locked out on A (five failed logins) is locked out on B too.
    intruso = requests.Session()
    for _ in range(5):
        assert _login(intruso, a, "beto", "no-es-la-clave").status_code == 401
    bloqueado = _login(requests.Session(), b, "beto", PASSWORD)
    assert bloqueado.status_code != 302
    assert "Demasiados intentos fallidos" in bloqueado.text


def test_a_worker_killed_mid_import_fails_the_job_and_a_retry_finishes_it_once(maquinas):
    a, b, worker = maquinas
    if worker is None:
        pytest.skip(
            "sin PostgreSQL y Redis no hay `flask worker` que matar; "
            "tests/jobs simula la muerte de un proceso a mitad de importación"
        )
    navegador = requests.Session()
    assert _login(navegador, b, "ana", PASSWORD).status_code == 302
    cantidad = 12_000
    subida = _subir(navegador, b, _filas(cantidad, 3_000_000))
    pagina = a.url + subida.headers["Location"]
    _esperar(navegador, f"{pagina}/estado")
    navegador.post(f"{pagina}/confirmar", data={"csrf_token": _csrf(navegador, pagina)}, timeout=30)

    # The worker dies (SIGKILL: nothing of its own runs) while saving; its open batch is lost.
    limite = time.monotonic() + 120
    while True:
        estado = navegador.get(f"{pagina}/estado", timeout=10).json()
        if estado["fase"] == "guardado" and 0 < estado["hechos"] < cantidad / 2:
            break
        assert estado["activo"] and time.monotonic() < limite, estado
        time.sleep(0.05)
    worker.kill()
    worker.wait()

    # A minute passes without a heartbeat (aged here rather than waited for).
    trabajo_id = int(subida.headers["Location"].rsplit("/", 1)[-1])
    engine = sa.create_engine(a.env["DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE trabajos SET latido_en = latido_en - interval '5 minutes' WHERE id = :id"
            ),
            {"id": trabajo_id},
        )
    html = navegador.get(pagina, timeout=10).text
    assert "se detuvo antes de terminar" in html and "Reintentar" in html

    # Retried from the other machine, on a new worker: it goes on, and no row is written twice.
    a.iniciar(str(BIN / "flask"), "worker")
    navegador.post(
        f"{b.url}{subida.headers['Location']}/reintentar",
        data={"csrf_token": _csrf(navegador, pagina)},
        timeout=30,
    )
    assert _esperar(navegador, f"{pagina}/estado")[-1]["estado"] == "terminado"
    assert f"Clientes creados: <b>{cantidad}</b>" in navegador.get(pagina, timeout=10).text
    with engine.connect() as conn:
        guardados = conn.execute(
            sa.text("SELECT count(*) FROM clientes WHERE documento BETWEEN '3000000' AND '3999999'")
        ).scalar()
    engine.dispose()
    assert guardados == cantidad
