"""flask bench-data: a tiny data set that obeys every rule the big one must."""

from decimal import Decimal

import pytest
from sqlalchemy import func, text

from admin_app.documentos import normalize_documento
from admin_app.models import (
    Apartamento,
    AplicacionPago,
    Bitacora,
    Cliente,
    Cuota,
    Local,
    OperacionUnidad,
    Pago,
    Parqueadero,
    Proyecto,
    TipoDocumento,
    Venta,
)
from admin_app.search import filtrar_clientes
from admin_app.text import fold

SIZES = ["--clientes", "300", "--apartamentos", "40", "--ventas", "60"]
SIZES += ["--cuotas-por-venta", "6", "--pagos", "150", "--locales", "20", "--parqueaderos", "80"]
SIZES += ["--cotizaciones", "30"]


def _indexes(db) -> set[str]:
    """Index (and, on SQLite, trigger) names: what the load drops and must restore."""
    if db.engine.dialect.name == "postgresql":
        sql = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')"
    return set(db.session.scalars(text(sql)))


@pytest.fixture
def generated(app, db):
    indexes_before = _indexes(db)
    result = app.test_cli_runner().invoke(args=["bench-data", *SIZES])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return indexes_before


def _count(db, model) -> int:
    return db.session.scalar(db.select(func.count()).select_from(model))


def test_generates_the_requested_sizes(db, generated):
    counts = {m.__tablename__: _count(db, m) for m in (Cliente, Apartamento, Venta, Pago)}
    assert counts == {"clientes": 300, "apartamentos": 40, "ventas": 60, "pagos": 150}
    assert (_count(db, Local), _count(db, Parqueadero), _count(db, OperacionUnidad)) == (
        20,
        80,
        60,
    )


def test_each_client_has_its_creation_in_the_audit_log(db, generated, admin_client):
    cliente = db.session.scalars(db.select(Cliente).limit(1)).one()
    entradas = db.session.scalars(
        db.select(Bitacora).where(Bitacora.tabla == "clientes", Bitacora.accion == "crear")
    ).all()
    assert len(entradas) == 300
    [suya] = [e for e in entradas if e.registro == cliente.documento]
    assert suya.cambios["nombre"] == [None, cliente.nombre]
    # The history page shows it, as it would an entry written by admin_app.audit.
    html = admin_client.get(
        f"/admin/bitacora/registro/?tabla=clientes&registro={cliente.documento}"
    ).get_data(as_text=True)
    assert cliente.nombre in html


def test_documentos_are_valid_for_their_type(db, generated):
    rows = db.session.execute(
        db.select(Cliente.documento, TipoDocumento.codigo).join(Cliente.tipo_documento)
    ).all()
    invalid = [d for d, codigo in rows if normalize_documento(codigo, d) != d]
    assert invalid == []
    assert {codigo for _d, codigo in rows} == {"CC", "NIT", "CE"}


def test_search_names_are_the_folded_names(db, generated):
    rows = db.session.execute(db.select(Cliente.nombre, Cliente.nombre_busqueda)).all()
    assert [n for n, b in rows if fold(n) != b] == []
    assert any(n != b for n, b in rows)  # accents were folded somewhere


def test_generated_clients_are_found_by_name(db, generated):
    cliente = db.session.scalars(db.select(Cliente).limit(1)).one()
    word = cliente.nombre.split()[0].upper()
    found = db.session.scalars(filtrar_clientes(db.select(Cliente.documento), word)).all()
    assert cliente.documento in found


def test_each_plan_sums_to_the_price(db, generated):
    capital = (
        db.select(Cuota.id_venta, func.sum(Cuota.capital).label("capital"))
        .group_by(Cuota.id_venta)
        .subquery()
    )
    rows = db.session.execute(
        db.select(
            Venta.tipo_operacion, Venta.valor_total, Venta.valor_separacion, capital.c.capital
        ).join(capital, capital.c.id_venta == Venta.id)
    ).all()
    wrong = [
        r
        for r in rows
        if Decimal(r.capital)
        != (r.valor_total if r.tipo_operacion == "venta" else r.valor_separacion)
    ]
    assert (len(rows), wrong) == (60, [])


def test_payments_agree_with_the_paid_cuotas(db, generated):
    pagado = db.session.scalar(db.select(func.sum(Cuota.valor_pagado)))
    pagos = db.session.scalar(db.select(func.sum(Pago.valor)))
    aplicado = db.session.scalar(db.select(func.sum(AplicacionPago.valor)))
    assert Decimal(pagado) == Decimal(pagos) == Decimal(aplicado)


def test_prices_are_pesos_as_generated(db, generated):
    # The generator draws prices of a few hundred million pesos.
    precio_minimo = db.session.scalar(db.select(func.min(Apartamento.precio)))
    assert Decimal("10000000") <= precio_minimo <= Decimal("1000000000")
    # Every money column reads back as generated: a separación is 5,000,000 pesos.
    assert db.session.scalar(db.select(func.min(Venta.valor_separacion))) == Decimal("5000000")
    capital = db.session.scalar(db.select(func.max(Cuota.capital)))
    assert Decimal("1000000") <= capital <= Decimal("1000000000")


def test_one_vigente_operation_per_sold_apartment(db, generated):
    vigentes = db.session.scalars(
        db.select(Venta).where(Venta.estado_operacion == "vigente", Venta.tipo_operacion == "venta")
    ).all()
    assert vigentes
    assert all(
        v.apartamento.estado.nombre == "Vendido"
        and v.apartamento.documento_cliente == v.documento_cliente
        for v in vigentes
    )


def test_ventas_respect_the_project_rules(db, generated):
    proyecto = db.session.scalars(db.select(Proyecto).limit(1)).one()
    ventas = db.session.scalars(db.select(Venta).where(Venta.tipo_operacion == "venta")).all()
    minimo = proyecto.porcentaje_cuota_inicial_min / 100
    assert all(v.cuota_inicial >= v.valor_total * minimo for v in ventas)
    assert all(v.valor_separacion >= proyecto.valor_min_separacion for v in ventas)


def test_indexes_and_foreign_keys_survive_the_load(db, generated):
    assert _indexes(db) == generated
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []


def test_refuses_a_database_that_has_clients(app, db):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["bench-data", *SIZES]).exit_code == 0
    result = runner.invoke(args=["bench-data", *SIZES])
    assert result.exit_code != 0
    assert "ya tiene clientes" in result.output


def test_quotes_are_generated_with_the_apps_arithmetic(db, generated):
    from admin_app.models import Cotizacion, PlanPago
    from admin_app.services.cotizaciones import cuotas_de

    assert _count(db, Cotizacion) == 30
    assert _count(db, PlanPago) == 4
    for cotizacion in db.session.scalars(db.select(Cotizacion)):
        assert cotizacion.valor_total == cotizacion.precio_bruto - cotizacion.descuento
        assert sum(c.capital for c in cuotas_de(cotizacion)) == cotizacion.valor_total
        assert [u.precio for u in cotizacion.unidades] == [cotizacion.precio_bruto]


def test_every_generated_payment_has_its_receipt_and_the_counter_follows(db, generated):
    from admin_app.models import Consecutivo, ReciboCaja

    recibos = db.session.execute(db.select(ReciboCaja.numero, ReciboCaja.id_pago)).all()
    assert sorted(n for n, _p in recibos) == list(range(1, 151))
    assert {p for _n, p in recibos} == set(db.session.scalars(db.select(Pago.id)))
    assert db.session.get(Consecutivo, "recibo_caja").ultimo == 150


def test_locales_belong_to_their_torres_project_whatever_the_projects_size():
    # The first bench project has 15 torres, the others 5: a local's project is its
    # torre's (a fixed 5 per project put locales in projects that do not exist).
    import random

    from bench.data import TORRES_PROYECTO_GRANDE, _locales_parqueaderos

    filas = {}

    class Cargador:
        def insert(self, tabla, columnas, rows):
            filas[tabla] = [dict(zip(columnas, fila, strict=True)) for fila in rows]
            return len(filas[tabla])

    def proyecto_de(torre: int) -> int:
        grande = TORRES_PROYECTO_GRANDE
        return 1 if torre <= grande else (torre - grande - 1) // 5 + 2

    sizes = {"locales": 40, "parqueaderos": 0}
    _locales_parqueaderos(Cargador(), sizes, random.Random(1), 20, None, proyecto_de)
    assert {(f["id_torre"], f["id_proyecto"]) for f in filas["locales"]} == {
        (t, proyecto_de(t)) for t in range(1, 21)
    }
