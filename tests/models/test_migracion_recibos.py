"""Migration 0016: the payments already recorded get their recibos de caja, numbered
in the order they came, and the counter goes on from there."""

from datetime import date
from decimal import Decimal

import flask_migrate
import pytest
from sqlalchemy import select, text

from admin_app import config, create_app
from admin_app.extensions import db as _db
from admin_app.models import Consecutivo, ReciboCaja
from admin_app.services.pagos import registrar_pago
from admin_app.services.ventas import crear_operacion
from tests import factories
from tests.services.conftest import datos_venta


@pytest.fixture
def app_aparte(tmp_path, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the downgrade and upgrade run on a database of their own (SQLite)")
    app = create_app(config.TestConfig(f"sqlite:///{tmp_path / 'recibos.sqlite3'}"))
    with app.app_context():
        flask_migrate.upgrade()  # the migrations seed the catalogs
        yield app
        _db.session.remove()
        _db.engine.dispose()


def test_existing_payments_are_numbered_by_the_migration(app_aparte):
    venta = crear_operacion(datos_venta(factories.cliente(), factories.apartamento()))
    for valor in ("1000000.00", "2000000.00", "3000000.00"):
        registrar_pago(venta, fecha=date(2026, 2, 1), valor=Decimal(valor), id_medio_pago=2)
    _db.session.commit()
    id_venta = venta.id
    # As before 0016: payments without receipts.
    _db.session.execute(text("DELETE FROM recibos_caja"))
    _db.session.execute(text("DELETE FROM consecutivos"))
    _db.session.commit()
    _db.session.remove()
    flask_migrate.downgrade(revision="0015")
    flask_migrate.upgrade()

    recibos = _db.session.execute(
        select(ReciboCaja.numero, ReciboCaja.valor, ReciboCaja.medio_pago).order_by(
            ReciboCaja.numero
        )
    ).all()
    assert recibos == [
        (1, Decimal("1000000.00"), "Transferencia"),
        (2, Decimal("2000000.00"), "Transferencia"),
        (3, Decimal("3000000.00"), "Transferencia"),
    ]
    assert _db.session.get(Consecutivo, "recibo_caja").ultimo == 3

    from admin_app.models import Venta

    nuevo = registrar_pago(
        _db.session.get(Venta, id_venta),
        fecha=date(2026, 3, 1),
        valor=Decimal("500000.00"),
        id_medio_pago=1,
    )
    _db.session.commit()
    assert _db.session.scalar(select(ReciboCaja.numero).where(ReciboCaja.id_pago == nuevo.id)) == 4
