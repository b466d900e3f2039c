"""Money is stored exactly on both databases: what goes in comes out to the centavo."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.exc import StatementError

from admin_app.formatting import today_bogota
from admin_app.models import Pago, Proyecto
from admin_app.models.base import DINERO_MAXIMO
from admin_app.services.tablero import recaudo_del_mes
from tests import factories

MONTOS = st.integers(min_value=0, max_value=int(DINERO_MAXIMO * 100)).map(
    lambda centavos: Decimal(centavos).scaleb(-2)
)
EN_BASE = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _proyecto(valor: Decimal, nombre: str = "Reserva") -> Proyecto:
    return Proyecto(
        nombre=nombre,
        ciudad="Medellín",
        valor_min_separacion=valor,
        plazo_max_cuota_inicial_meses=36,
        plazo_max_separacion_dias=30,
    )


def _borrar_proyectos(db) -> None:
    db.session.rollback()
    db.session.execute(Proyecto.__table__.delete())
    db.session.commit()


@EN_BASE
@given(valor=MONTOS)
def test_an_amount_comes_back_to_the_centavo(db, valor):
    try:
        db.session.add(_proyecto(valor))
        db.session.commit()
        db.session.expire_all()
        leido = db.session.scalar(select(Proyecto.valor_min_separacion))
        assert leido == valor
        assert leido.as_tuple().exponent == -2
    finally:
        _borrar_proyectos(db)


@EN_BASE
@given(valores=st.lists(MONTOS.map(lambda v: (v / 100).quantize(Decimal("0.01"))), max_size=60))
def test_a_sum_of_amounts_is_exact(db, valores):
    # Each at most a hundredth of the maximum, so the total stays within Numeric(18, 2).
    try:
        db.session.add_all(_proyecto(v, f"P{i}") for i, v in enumerate(valores))
        db.session.commit()
        total = db.session.scalar(select(func.sum(Proyecto.valor_min_separacion)))
        assert (total or Decimal("0.00")) == sum(valores, Decimal("0.00"))
    finally:
        _borrar_proyectos(db)


@pytest.mark.parametrize(
    "valor",
    ["9999999999999999.99", "0.01", "339949121.99", "250000000.01", "0.30"],
)
def test_known_float_traps_are_exact(db, valor):
    db.session.add(_proyecto(Decimal(valor)))
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(select(Proyecto.valor_min_separacion)) == Decimal(valor)


def test_sqlite_stores_integer_centavos(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL keeps Numeric(18, 2)")
    db.session.add(_proyecto(Decimal("250000000.01")))
    db.session.commit()
    tipo, crudo = db.session.execute(
        text("SELECT typeof(valor_min_separacion), valor_min_separacion FROM proyectos")
    ).one()
    assert (tipo, crudo) == ("integer", 25000000001)


def test_comparisons_with_an_amount_are_in_pesos(db):
    db.session.add(_proyecto(Decimal("1000.50")))
    db.session.commit()
    columna = Proyecto.valor_min_separacion
    assert db.session.scalar(select(func.count()).where(columna > Decimal("1000.49"))) == 1
    assert db.session.scalar(select(func.count()).where(columna > Decimal("1000.50"))) == 0
    assert db.session.scalar(select(columna - columna)) == Decimal("0.00")


@pytest.mark.parametrize("valor", [Decimal("Infinity"), Decimal("NaN"), Decimal("1e17")])
def test_no_amount_beyond_the_column_is_written(db, valor):
    db.session.add(_proyecto(valor))
    with pytest.raises(StatementError):
        db.session.commit()
    db.session.rollback()


def test_the_dashboard_sums_payments_to_the_centavo(db):
    hoy = today_bogota()
    venta = factories.separacion_directa(fecha=hoy, fecha_limite_separacion=hoy)
    valores = [Decimal("0.10"), Decimal("0.20"), Decimal("339949121.99"), Decimal("0.01")] * 25
    db.session.add_all(
        Pago(venta=venta, fecha=hoy, valor=valor, id_medio_pago=1) for valor in valores
    )
    db.session.commit()
    assert recaudo_del_mes(hoy).recaudado == sum(valores, Decimal("0.00"))
