"""Migration 0007 on SQLite: every stored amount becomes its exact centavos."""

from decimal import Decimal

import flask_migrate
import pytest
from sqlalchemy import select, text

from admin_app import config, create_app
from admin_app.extensions import db as _db
from admin_app.models import Apartamento, Proyecto

# (precio as the old float column held it, the amount it was)
PRECIOS = [
    (339949121.99, "339949121.99"),
    (0.1 + 0.2, "0.30"),
    (1234.565, "1234.57"),  # three decimals: half up
    (250000000.01, "250000000.01"),
    (123456789012.34, "123456789012.34"),
    ("5000000.5", "5000000.50"),
    (9999999999999999.99, "10000000000000000.00"),  # the float it became, as pages showed it
]


@pytest.fixture
def app_0006(tmp_path, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL keeps Numeric(18, 2): 0007 does nothing there")
    app = create_app(config.TestConfig(f"sqlite:///{tmp_path / 'antes.sqlite3'}"))
    with app.app_context():
        flask_migrate.upgrade(revision="0006")
        with _db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO proyectos (id, nombre, ciudad, porcentaje_cuota_inicial_min,"
                    " valor_min_separacion, plazo_max_cuota_inicial_meses,"
                    " plazo_max_separacion_dias, activo, created_at, updated_at, version)"
                    " VALUES (1, 'P', 'Cali', 30, 5000000.5, 36, 30, 1, '2026-01-01',"
                    " '2026-01-01', 1)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO torres (id, id_proyecto, nombre, created_at, updated_at, version)"
                    " VALUES (1, 1, 'T', '2026-01-01', '2026-01-01', 1)"
                )
            )
            for numero, (precio, _esperado) in enumerate(PRECIOS, start=1):
                conn.execute(
                    text(
                        "INSERT INTO apartamentos (id, id_torre, numero, piso, area_m2,"
                        " habitaciones, banos, precio, id_estado_inmueble, created_at,"
                        " updated_at, version) VALUES (:n, 1, :n, 1, 60, 2, 2, :precio, 1,"
                        " '2026-01-01', '2026-01-01', 1)"
                    ),
                    {"n": numero, "precio": precio},
                )
        yield app
        _db.session.remove()
        _db.engine.dispose()


def test_upgrade_keeps_every_amount_to_the_centavo(app_0006):
    with app_0006.app_context():
        flask_migrate.upgrade()
        precios = _db.session.scalars(select(Apartamento.precio).order_by(Apartamento.id)).all()
        assert precios == [Decimal(esperado) for _p, esperado in PRECIOS]
        assert _db.session.scalar(select(Proyecto.valor_min_separacion)) == Decimal("5000000.50")
        tipos = _db.session.execute(text("SELECT DISTINCT typeof(precio) FROM apartamentos"))
        assert tipos.scalars().all() == ["integer"]
        assert _db.session.execute(text("PRAGMA foreign_key_check")).all() == []


def test_upgrade_refuses_an_infinite_amount_and_changes_nothing(app_0006):
    with app_0006.app_context():
        with _db.engine.begin() as conn:
            conn.execute(text("UPDATE apartamentos SET precio = 1e400 WHERE id = 2"))
        with pytest.raises(SystemExit):  # Flask-Migrate logs the error and exits
            flask_migrate.upgrade()
        _db.session.remove()
        with _db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0006"
            precio = conn.execute(text("SELECT precio FROM apartamentos WHERE id = 1")).scalar()
        assert precio == 339949121.99
