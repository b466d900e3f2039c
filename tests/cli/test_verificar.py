"""flask verificar: clean data passes; each money rule broken by a direct SQL update is named."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import inspect, text

from admin_app.demo import load_demo_data
from admin_app.services.pagos import registrar_pago
from admin_app.services.ventas import DatosOperacion, crear_operacion
from tests import factories


def _verificar(app):
    return app.test_cli_runner().invoke(args=["verificar"])


@pytest.fixture
def operaciones(db):
    """A venta with two payments (one spread over two cuotas) and a separación with its deposit."""
    venta = crear_operacion(
        DatosOperacion(
            tipo_operacion="venta",
            documento_cliente=factories.cliente().documento,
            id_apartamento=factories.apartamento().id,
            fecha=date(2026, 1, 31),
            valor_separacion=D("5000000.00"),
            id_forma_pago=2,
            cuota_inicial=D("75000000.00"),
            plazo_cuota_inicial_meses=12,
        )
    )
    registrar_pago(venta, fecha=date(2026, 2, 1), valor=D("5000000.00"), id_medio_pago=1)
    registrar_pago(venta, fecha=date(2026, 3, 1), valor=D("9000000.00"), id_medio_pago=2)
    separacion = crear_operacion(
        DatosOperacion(
            tipo_operacion="separacion",
            documento_cliente=factories.cliente().documento,
            id_apartamento=factories.apartamento().id,
            fecha=date(2026, 11, 1),
            valor_separacion=D("5000000.00"),
            fecha_limite_separacion=date(2026, 11, 30),
        )
    )
    registrar_pago(separacion, fecha=date(2026, 11, 2), valor=D("2000000.00"), id_medio_pago=1)
    db.session.commit()
    return venta.id, separacion.id


def test_demo_data_passes(app, db):
    load_demo_data()
    result = _verificar(app)
    assert result.exit_code == 0, result.output
    assert "Sin violaciones" in result.output


def test_clean_operations_pass(app, db, operaciones):
    result = _verificar(app)
    assert result.exit_code == 0, result.output
    assert "Sin violaciones: 2 operaciones revisadas." in result.output


def _sql(db, statement: str, **params) -> None:
    # Plain SQL sees money as stored: integer centavos on SQLite, pesos on PostgreSQL.
    unidad = 100 if db.engine.dialect.name == "sqlite" else 1
    pesos = {
        "centavo": D("0.01"),
        "uno": 1,
        "mil": 1000,
        "noventa_y_nueve_millones": 99_000_000,
    }
    # SQLite takes whole centavos as int; PostgreSQL takes the Decimal pesos.
    params.update({n: v * unidad if unidad == 1 else int(v * unidad) for n, v in pesos.items()})
    db.session.execute(text(statement), params)
    db.session.commit()


BROKEN = {
    "pagos_aplicaciones_cuotas": (
        "UPDATE pagos SET valor = valor + :mil WHERE id = (SELECT min(id) FROM pagos)",
        "Operación #{venta}: los pagos ($ 14.001.000,00), lo aplicado a cuotas "
        "($ 14.000.000,00) y lo pagado en sus cuotas ($ 14.000.000,00) no coinciden",
    ),
    "cuota_sobrepagada": (
        "UPDATE pagos_cuotas SET valor = valor + :noventa_y_nueve_millones"
        " WHERE id = (SELECT min(id) FROM pagos_cuotas)",
        "Operación #{venta}: la cuota 1 vale $ 5.000.000,00 y tiene pagado $ 5.000.000,00 "
        "(aplicado $ 104.000.000,00)",
    ),
    "capital_plan": (
        "UPDATE ventas SET valor_total = valor_total + :uno WHERE id = :venta",
        "Operación #{venta}: el capital del plan ($ 250.000.000,00) no es el valor total "
        "($ 250.000.001,00)",
    ),
    "aplicacion_otra_operacion": (
        "UPDATE pagos_cuotas SET id_cuota = (SELECT min(id) FROM cuotas WHERE id_venta = :sep)"
        " WHERE id = (SELECT max(id) FROM pagos_cuotas WHERE id_pago IN"
        " (SELECT id FROM pagos WHERE id_venta = :venta))",
        "Operación #{venta}: el pago #2 aplica",
    ),
    "proyecto_operacion": (
        "UPDATE ventas SET id_proyecto = (SELECT max(id) FROM proyectos) + 0 * :uno"
        " WHERE id = :venta",
        "Operación #{venta}: dice proyecto #",
    ),
    "estado_apartamento": (
        "UPDATE apartamentos SET documento_cliente = NULL"
        " WHERE id = (SELECT id_apartamento FROM ventas WHERE id = :venta)",
        "(operación #{venta}): está Vendido, sin propietario; debería estar Vendido, "
        "propiedad del comprador",
    ),
}


@pytest.mark.parametrize("regla", sorted(BROKEN))
def test_each_broken_rule_is_named_and_fails(app, db, operaciones, regla):
    venta, separacion = operaciones
    statement, line = BROKEN[regla]
    _sql(db, statement, venta=venta, sep=separacion)
    result = _verificar(app)
    assert result.exit_code == 1
    assert line.format(venta=venta) in result.output
    assert f"[{regla}]" in result.output


def test_a_lapsed_sale_still_owning_its_apartment_is_reported(app, db, operaciones):
    venta, _ = operaciones
    _sql(db, "UPDATE ventas SET estado_operacion = 'anulada' WHERE id = :venta", venta=venta)
    result = _verificar(app)
    assert result.exit_code == 1
    assert "está Vendido, propietario" in result.output
    assert "sin operación vigente" in result.output


def test_two_vigente_operations_on_one_apartment_are_reported(app, db, operaciones):
    venta, separacion = operaciones
    # The partial unique index refuses this; drop it inside the test's transaction
    # (opened by a write first: SQLite's driver runs DDL outside one otherwise).
    db.session.execute(text("UPDATE ventas SET version = version WHERE id = :v"), {"v": venta})
    db.session.execute(text("DROP INDEX uq_ventas_apartamento_vigente"))
    db.session.execute(
        text(
            "UPDATE ventas SET id_apartamento = (SELECT id_apartamento FROM ventas WHERE id = :v)"
            " WHERE id = :s"
        ),
        {"v": venta, "s": separacion},
    )
    try:
        result = _verificar(app)
    finally:
        db.session.rollback()
    assert result.exit_code == 1
    assert "tiene 2 operaciones vigentes" in result.output
    assert "[una_vigente_por_apartamento]" in result.output
    indexes = {ix["name"] for ix in inspect(db.engine).get_indexes("ventas")}
    assert "uq_ventas_apartamento_vigente" in indexes


def test_a_single_centavo_of_difference_is_a_violation(app, db, operaciones):
    venta, separacion = operaciones
    _sql(
        db, "UPDATE ventas SET valor_total = valor_total + :centavo WHERE id = :venta", venta=venta
    )
    result = _verificar(app)
    assert result.exit_code == 1
    assert (
        f"Operación #{venta}: el capital del plan ($ 250.000.000,00) no es el valor total "
        "($ 250.000.000,01)" in result.output
    )
