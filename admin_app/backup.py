"""Backups of the database while the app keeps serving.

SQLite: the sqlite3 online backup API copies a consistent snapshot page by
page, and copies a backup back into the live file the same way. PostgreSQL:
pg_dump in its custom format, and pg_restore --clean in one transaction.
"""

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime

from flask import current_app
from sqlalchemy.engine import make_url

from .extensions import db
from .formatting import BOGOTA

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(Exception):
    """Spanish message for the operator."""


def backup_dir() -> str:
    folder = current_app.config.get("BACKUP_DIR") or os.path.join(
        current_app.instance_path, "backups"
    )
    os.makedirs(folder, exist_ok=True)
    return folder


def _url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _sqlite_path() -> str:
    path = _url().database
    if not path or path == ":memory:":
        raise BackupError("La base de datos SQLite está en memoria; no hay nada que respaldar.")
    return path


def _pg_args(url) -> tuple[list[str], dict]:
    args = []
    if url.host:
        args += ["-h", url.host]
    if url.port:
        args += ["-p", str(url.port)]
    if url.username:
        args += ["-U", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password  # not on the command line, where ps shows it
    return args, env


def _run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"No se encontró {command[0]}; instale las herramientas de PostgreSQL.")
    # An argument list from our own configuration, no shell.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} falló: {result.stderr.strip()}")


def create_backup() -> str:
    """Write a timestamped backup into backup_dir() and return its path."""
    url = _url()
    stamp = datetime.now(BOGOTA).strftime("%Y%m%d-%H%M%S")
    if url.get_backend_name() == "sqlite":
        source = _sqlite_path()
        target = os.path.join(backup_dir(), f"backoffice-{stamp}.sqlite3")
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)  # consistent snapshot; writers wait only per page batch
        dst.close()
        src.close()
        return target
    if url.get_backend_name() == "postgresql":
        target = os.path.join(backup_dir(), f"backoffice-{stamp}.dump")
        args, env = _pg_args(url)
        _run(["pg_dump", "-Fc", "--no-owner", *args, "-f", target, url.database], env)
        return target
    raise BackupError(f"Motor de base de datos no soportado: {url.get_backend_name()}.")


def restore_backup(path: str) -> None:
    """Replace every row of the live database with the backup at path."""
    if not os.path.isfile(path):
        raise BackupError(f"No existe el archivo {path}.")
    with open(path, "rb") as handle:
        header = handle.read(16)
    url = _url()
    db.session.remove()
    db.engine.dispose()  # no pooled connection keeps the old data or a lock
    if url.get_backend_name() == "sqlite":
        if header != SQLITE_HEADER:
            raise BackupError("El archivo no es un respaldo de SQLite.")
        with sqlite3.connect(path) as src, sqlite3.connect(_sqlite_path()) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        return
    if url.get_backend_name() == "postgresql":
        if not header.startswith(PG_DUMP_HEADER):
            raise BackupError("El archivo no es un respaldo de pg_dump (formato -Fc).")
        args, env = _pg_args(url)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                "-d",
                url.database,
                path,
            ],
            env,
        )
        return
    raise BackupError(f"Motor de base de datos no soportado: {url.get_backend_name()}.")
