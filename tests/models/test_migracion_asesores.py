"""Migration 0015: each existing operation goes to the user who recorded it, as the
bitácora says (by username or API token); the rest stay "Sin asesor"."""

import flask_migrate
import pytest
from sqlalchemy import text

from admin_app import config, create_app
from admin_app.extensions import db as _db

ANTES = "0014"
FECHAS = "'2026-01-01', '2026-01-01', 1"


@pytest.fixture
def app_0010(tmp_path, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the backfill's SQL is the same on PostgreSQL; this builds a SQLite file")
    app = create_app(config.TestConfig(f"sqlite:///{tmp_path / 'antes.sqlite3'}"))
    with app.app_context():
        flask_migrate.upgrade(revision=ANTES)
        with _db.engine.connect() as conn:
            # Only the rows this test needs: keys off while they go in.
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
            for id_usuario, username in ((1, "ana"), (2, "beto")):
                conn.execute(
                    text(
                        "INSERT INTO usuarios (id, username, nombre_completo, rol, password_hash,"
                        f" activo, created_at, updated_at, version) VALUES (:i, :u, :u,"
                        f" 'digitador', 'x', 1, {FECHAS})"
                    ),
                    {"i": id_usuario, "u": username},
                )
            conn.execute(
                text(
                    "INSERT INTO api_tokens (id, id_usuario, nombre, token_hash, prefijo,"
                    " created_at) VALUES (1, 2, 't', 'h', 'abcd1234', '2026-01-01')"
                )
            )
            for id_venta in (1, 2, 3):
                conn.execute(
                    text(
                        "INSERT INTO ventas (id, tipo_operacion, estado_operacion,"
                        " documento_cliente, id_apartamento, fecha, valor_total,"
                        " valor_separacion, fecha_limite_separacion, tasa_interes_anual,"
                        " created_at, updated_at, version) VALUES (:i, 'separacion', 'vigente',"
                        f" 'C', :i, '2026-01-01', 100, 10, '2026-01-20', 0, {FECHAS})"
                    ),
                    {"i": id_venta},
                )
            for registro, actor in (("1", "ana"), ("2", "token:abcd1234"), ("3", "comando:x")):
                conn.execute(
                    text(
                        "INSERT INTO bitacora (fecha, actor, origen, accion, tabla, registro,"
                        " cambios) VALUES ('2026-01-01', :a, 'admin', 'crear', 'ventas', :r,"
                        " '{}')"
                    ),
                    {"a": actor, "r": registro},
                )
            conn.commit()
        _db.engine.dispose()
        yield app
        _db.session.remove()
        _db.engine.dispose()


def test_existing_operations_go_to_who_recorded_them(app_0010):
    with app_0010.app_context():
        flask_migrate.upgrade(revision="0015")  # this migration (later ones need real units)
        with _db.engine.connect() as conn:
            asesores = dict(conn.execute(text("SELECT id, id_asesor FROM ventas")).all())
            indices = set(
                conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars()
            )
    assert asesores == {1: 1, 2: 2, 3: None}  # by name, by token, "Sin asesor"
    # Rebuilding usuarios keeps the index SQLite cannot reflect.
    assert "uq_usuarios_username_lower" in indices
