"""Migration 0013 on SQLite: every apartment's base is its price; down and up again."""

from decimal import Decimal

import flask_migrate
import pytest
from sqlalchemy import select, text

from admin_app import config, create_app
from admin_app.extensions import db as _db
from admin_app.models import Apartamento, Proyecto, Torre


@pytest.fixture
def app_0011(tmp_path, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the test suite's PostgreSQL database is already at the head")
    app = create_app(config.TestConfig(f"sqlite:///{tmp_path / 'antes.sqlite3'}"))
    with app.app_context():
        flask_migrate.upgrade(revision="0012")
        with _db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO proyectos (id, nombre, ciudad, porcentaje_cuota_inicial_min,"
                    " valor_min_separacion, plazo_max_cuota_inicial_meses,"
                    " plazo_max_separacion_dias, activo, created_at, updated_at, version)"
                    " VALUES (1, 'P', 'Cali', 30, 500000000, 36, 30, 1, '2026-01-01',"
                    " '2026-01-01', 1)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO torres (id, id_proyecto, nombre, created_at, updated_at, version)"
                    " VALUES (1, 1, 'T', '2026-01-01', '2026-01-01', 1)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO apartamentos (id, id_torre, numero, piso, area_m2,"
                    " habitaciones, banos, precio, id_estado_inmueble, created_at,"
                    " updated_at, version) VALUES (1, 1, '101', 1, 60, 2, 2, 25000000001, 1,"
                    " '2026-01-01', '2026-01-01', 1)"
                )
            )
        yield app
        _db.session.remove()
        _db.engine.dispose()


def test_upgrade_gives_each_apartment_its_price_as_base_and_keeps_the_keys(app_0011):
    with app_0011.app_context():
        flask_migrate.upgrade()
        apto = _db.session.scalars(select(Apartamento)).one()
        assert apto.precio_base == apto.precio == Decimal("250000000.01")
        assert apto.id_tipo_apartamento is None
        assert _db.session.scalar(select(Torre.nivel_inicio_prima)) == 2
        proyecto = _db.session.scalars(select(Proyecto)).one()
        assert proyecto.prima_altura_activa is False
        assert proyecto.prima_altura_base == Decimal("0.00")
        assert proyecto.ventas_alcanzadas == 0
        assert _db.session.execute(text("PRAGMA foreign_key_check")).all() == []
        _db.session.remove()
        flask_migrate.downgrade(revision="0012")
        flask_migrate.upgrade()
        assert _db.session.scalar(select(Apartamento.precio_base)) == Decimal("250000000.01")
