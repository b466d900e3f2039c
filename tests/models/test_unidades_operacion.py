"""Migration 0012 and the database's own guarantees for the units of operations:
exactly one unit per row and one main unit per venta (CHECKs), one vigente
operation per unit of every kind (partial unique indexes), existing operations
backfilled; the CHECKs survive the rebuild of ventas on SQLite."""

from decimal import Decimal

import flask_migrate
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from admin_app import config, create_app
from admin_app.extensions import db as _db
from admin_app.models import OperacionUnidad
from tests import factories


def _fila(venta, **unidad) -> OperacionUnidad:
    return OperacionUnidad(venta=venta, rol="adicional", precio=Decimal("1"), **unidad)


def test_a_row_names_exactly_one_unit(db):
    venta = factories.separacion_directa()
    db.session.add(_fila(venta))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_a_venta_has_exactly_one_main_unit(db):
    venta = factories.separacion_directa()
    db.session.flush()
    with pytest.raises(IntegrityError):
        db.session.execute(
            text("UPDATE ventas SET id_apartamento = NULL WHERE id = :id"), {"id": venta.id}
        )


def test_an_included_unit_has_no_price(db):
    venta = factories.separacion_directa()
    parqueadero = factories.parqueadero(venta.apartamento.torre)
    db.session.add(
        OperacionUnidad(venta=venta, id_parqueadero=parqueadero.id, rol="incluido", precio=1)
    )
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_one_vigente_operation_per_parking_in_the_database(db):
    primera = factories.separacion_directa()
    parqueadero = factories.parqueadero(primera.apartamento.torre)
    db.session.add(_fila(primera, id_parqueadero=parqueadero.id))
    db.session.flush()
    segunda = factories.separacion_directa()
    db.session.add(_fila(segunda, id_parqueadero=parqueadero.id))
    with pytest.raises(IntegrityError) as error:
        db.session.flush()
    assert "parqueadero" in str(error.value.orig)


def test_a_lapsed_row_does_not_hold_the_unit(db):
    primera = factories.separacion_directa()
    parqueadero = factories.parqueadero(primera.apartamento.torre)
    db.session.add(_fila(primera, id_parqueadero=parqueadero.id, vigente=False))
    segunda = factories.separacion_directa()
    db.session.add(_fila(segunda, id_parqueadero=parqueadero.id))
    db.session.flush()


@pytest.fixture
def app_0011(tmp_path, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("The rebuild of ventas is SQLite's; PostgreSQL runs the same upgrade")
    app = create_app(config.TestConfig(f"sqlite:///{tmp_path / 'antes.sqlite3'}"))
    with app.app_context():
        flask_migrate.upgrade(revision="0011")
        with _db.engine.begin() as conn:
            for sql in (
                "INSERT INTO proyectos (id, nombre, ciudad, porcentaje_cuota_inicial_min,"
                " valor_min_separacion, plazo_max_cuota_inicial_meses,"
                " plazo_max_separacion_dias, activo, created_at, updated_at, version)"
                " VALUES (1, 'P', 'Cali', 30, 500000000, 36, 30, 1, '2026-01-01', '2026-01-01', 1)",
                "INSERT INTO torres (id, id_proyecto, nombre, created_at, updated_at, version)"
                " VALUES (1, 1, 'T', '2026-01-01', '2026-01-01', 1)",
                "INSERT INTO clientes (documento, nombre, nombre_busqueda, id_tipo_cliente,"
                " id_tipo_documento, created_at, updated_at, version)"
                " VALUES ('1020304050', 'Ana', 'ana', 1, 1, '2026-01-01', '2026-01-01', 1)",
            ):
                conn.execute(text(sql))
            for n, estado in ((1, "vigente"), (2, "anulada")):
                conn.execute(
                    text(
                        "INSERT INTO apartamentos (id, id_torre, numero, piso, area_m2,"
                        " habitaciones, banos, precio, id_estado_inmueble, created_at,"
                        " updated_at, version) VALUES (:n, 1, :n, 1, 60, 2, 2, 25000000000,"
                        " 1, '2026-01-01', '2026-01-01', 1)"
                    ),
                    {"n": n},
                )
                conn.execute(
                    text(
                        "INSERT INTO ventas (id, tipo_operacion, estado_operacion,"
                        " documento_cliente, id_apartamento, fecha, valor_total,"
                        " valor_separacion, fecha_limite_separacion, tasa_interes_anual,"
                        " created_at, updated_at, version) VALUES (:n, 'separacion', :estado,"
                        " '1020304050', :n, '2026-11-01', 25000000000, 500000000,"
                        " '2026-11-20', 0, '2026-01-01', '2026-01-01', 1)"
                    ),
                    {"n": n, "estado": estado},
                )
        yield app
        _db.session.remove()
        _db.engine.dispose()


def test_upgrade_backfills_one_main_unit_per_operation_and_keeps_the_checks(app_0011):
    with app_0011.app_context():
        flask_migrate.upgrade()
        filas = _db.session.execute(
            text(
                "SELECT id_venta, id_apartamento, rol, precio, vigente"
                " FROM operacion_unidades ORDER BY id_venta"
            )
        ).all()
        assert [tuple(f) for f in filas] == [
            (1, 1, "principal", 25000000000, 1),
            (2, 2, "principal", 25000000000, 0),
        ]
        assert _db.session.execute(text("PRAGMA foreign_key_check")).all() == []
        esquema = _db.session.scalar(
            text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ventas'")
        )
        for nombre in ("ck_ventas_una_unidad_principal", "ck_ventas_cuota_inicial_rango"):
            assert nombre in esquema
        indices = _db.session.scalars(
            text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ventas'")
        ).all()
        assert "uq_ventas_apartamento_vigente" in indices
        with pytest.raises(IntegrityError):
            _db.session.execute(
                text(
                    "INSERT INTO operacion_unidades (id_venta, id_apartamento, rol, precio,"
                    " vigente) VALUES (2, 1, 'principal', 1, 1)"
                )
            )
        _db.session.rollback()
        flask_migrate.downgrade(revision="0011")
        columnas = [
            fila[1] for fila in _db.session.execute(text("PRAGMA table_info(ventas)")).all()
        ]
        assert "id_local" not in columnas
        assert _db.session.scalar(text("SELECT count(*) FROM ventas")) == 2
