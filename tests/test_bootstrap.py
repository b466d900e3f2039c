"""`make run`'s steps work from an empty folder, and a second run changes nothing."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def fresh_checkout(tmp_path):
    for name in ("admin_app", "migrations"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("wsgi.py", ".env.example"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def _bootstrap(folder: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-m", "admin_app.bootstrap"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_make_run_setup_from_an_empty_folder(fresh_checkout):
    first = _bootstrap(fresh_checkout)
    assert first.returncode == 0, first.stderr
    assert "http://127.0.0.1:5000/admin/" in first.stdout
    assert "Usuario: admin" in first.stdout

    env_file = (fresh_checkout / ".env").read_text()
    secret = next(line for line in env_file.splitlines() if line.startswith("SECRET_KEY="))
    assert len(secret) > len("SECRET_KEY=") + 40

    database = fresh_checkout / "instance" / "backoffice.sqlite3"
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM clientes").fetchone()[0] == 300
        assert conn.execute("SELECT count(*) FROM apartamentos").fetchone()[0] == 120
        assert conn.execute("SELECT count(*) FROM usuarios").fetchone()[0] == 1
        ventas = conn.execute("SELECT count(*) FROM ventas").fetchone()[0]

    second = _bootstrap(fresh_checkout)
    assert second.returncode == 0, second.stderr
    assert "Usuario: admin" not in second.stdout
    assert (fresh_checkout / ".env").read_text() == env_file
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM clientes").fetchone()[0] == 300
        assert conn.execute("SELECT count(*) FROM ventas").fetchone()[0] == ventas
        assert conn.execute("SELECT count(*) FROM usuarios").fetchone()[0] == 1
