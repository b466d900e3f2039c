from datetime import date, timedelta
from decimal import Decimal

import pytest

from admin_app.extensions import db
from admin_app.models import Cuota, Pago, Venta
from admin_app.services import tablero
from tests import factories

HOY = date(2026, 11, 25)
D = Decimal


def _venta(fecha=HOY, estado="vigente", cuotas=(), **overrides) -> Venta:
    """A venta row with the given cuotas: (fecha_vencimiento, valor, valor_pagado)."""
    values = dict(
        tipo_operacion="venta",
        estado_operacion=estado,
        fecha=fecha,
        valor_total=D("250000000.00"),
        valor_separacion=D("0.00"),
        cuota_inicial=D("75000000.00"),
        plazo_cuota_inicial_meses=12,
        id_forma_pago=1,
        cliente=factories.cliente(),
        apartamento=factories.apartamento(),
    )
    values.update(overrides)
    venta = Venta(**values)
    for numero, (vence, valor, pagado) in enumerate(cuotas, start=1):
        venta.cuotas.append(
            Cuota(
                numero=numero,
                concepto="Cuota inicial",
                fecha_vencimiento=vence,
                valor=D(valor),
                capital=D(valor),
                interes=D("0.00"),
                saldo=D("0.00"),
                valor_pagado=D(pagado),
            )
        )
    db.session.add(venta)
    db.session.flush()
    return venta


def test_inventario_counts_apartments_per_project_and_estado(db):
    torre_a = factories.torre(factories.proyecto(nombre="Altos del Río"))
    torre_b = factories.torre(factories.proyecto(nombre="Bosques de Niquía"))
    for estado in (1, 1, 2, 3):
        factories.apartamento(torre_a, id_estado_inmueble=estado)
    factories.apartamento(torre_b, id_estado_inmueble=4)

    inventario = tablero.inventario_por_proyecto()

    assert inventario.estados == ["Disponible", "Separado", "Vendido", "Bloqueado"]
    assert [(p.proyecto, p.por_estado, p.total) for p in inventario.proyectos] == [
        ("Altos del Río", {"Disponible": 2, "Separado": 1, "Vendido": 1, "Bloqueado": 0}, 4),
        ("Bosques de Niquía", {"Disponible": 0, "Separado": 0, "Vendido": 0, "Bloqueado": 1}, 1),
    ]


def test_inventario_is_empty_without_apartments(db):
    assert tablero.inventario_por_proyecto().proyectos == []


def test_operaciones_por_mes_gives_the_last_twelve_months_oldest_first(db):
    meses = tablero.operaciones_por_mes(HOY)

    assert [(m.anio, m.mes) for m in meses][0] == (2025, 12)
    assert [(m.anio, m.mes) for m in meses][-1] == (2026, 11)
    assert [m.etiqueta for m in meses][:2] == ["dic 25", "ene 26"]
    assert all(m.ventas == 0 and m.separaciones == 0 for m in meses)


def test_operaciones_por_mes_counts_sales_by_sale_date_and_separations_by_separation_date(db):
    _venta(fecha=date(2026, 11, 3))
    _venta(fecha=date(2026, 11, 20))
    # A separation made in September and converted (same row) in October.
    _venta(fecha=date(2026, 10, 5), fecha_separacion=date(2026, 9, 28))
    factories.separacion_directa(fecha=date(2026, 11, 10), fecha_separacion=date(2026, 11, 10))

    por_mes = {
        (m.anio, m.mes): (m.ventas, m.separaciones) for m in tablero.operaciones_por_mes(HOY)
    }

    assert por_mes[(2026, 11)] == (2, 1)
    assert por_mes[(2026, 10)] == (1, 0)
    assert por_mes[(2026, 9)] == (0, 1)


@pytest.mark.parametrize(
    "overrides",
    [
        {"estado": "anulada", "fecha": date(2026, 11, 3)},
        {"fecha": date(2025, 11, 30)},  # thirteen months ago
    ],
    ids=["anulada", "older-than-12-months"],
)
def test_operaciones_por_mes_leaves_out(db, overrides):
    _venta(**overrides)

    meses = tablero.operaciones_por_mes(HOY)

    assert sum(m.ventas + m.separaciones for m in meses) == 0


def test_recaudo_del_mes_compares_payments_with_cuotas_due_this_month(db):
    venta = _venta(
        cuotas=[
            (date(2026, 10, 25), "1000000.00", "1000000.00"),  # last month
            (date(2026, 11, 1), "2000000.00", "2000000.00"),
            (date(2026, 11, 30), "3000000.00", "500000.00"),
            (date(2026, 12, 1), "4000000.00", "0.00"),  # next month
        ]
    )
    _venta(estado="anulada", cuotas=[(date(2026, 11, 10), "9000000.00", "0.00")])
    for fecha, valor in ((date(2026, 10, 31), "1000000.00"), (date(2026, 11, 1), "2500000.00")):
        db.session.add(Pago(venta=venta, fecha=fecha, valor=D(valor), id_medio_pago=1))
    db.session.flush()

    recaudo = tablero.recaudo_del_mes(HOY)

    assert recaudo.recaudado == D("2500000.00")
    assert recaudo.vence == D("5000000.00")
    assert recaudo.vence_pagado == D("2500000.00")
    assert recaudo.porcentaje_pagado == 50


def test_recaudo_del_mes_is_zero_on_an_empty_database(db):
    recaudo = tablero.recaudo_del_mes(HOY)

    assert (recaudo.recaudado, recaudo.vence, recaudo.porcentaje_pagado) == (0, 0, 0)


def test_cuotas_vencidas_lists_unpaid_past_cuotas_of_vigente_operations_oldest_first(db):
    cliente = factories.cliente(nombre="María Ñáñez")
    venta = _venta(
        cliente=cliente,
        cuotas=[
            (date(2026, 9, 25), "1000000.00", "1000000.00"),  # paid
            (date(2026, 10, 25), "1000000.00", "400000.00"),  # partly paid: overdue
            (date(2026, 11, 25), "1000000.00", "0.00"),  # due today: not overdue yet
        ],
    )
    otra = _venta(cuotas=[(date(2026, 8, 1), "2000000.00", "0.00")])
    _venta(estado="anulada", cuotas=[(date(2026, 7, 1), "3000000.00", "0.00")])

    vencidas = tablero.cuotas_vencidas(HOY)

    assert [(c.id_venta, c.numero, c.pendiente, c.dias_vencida) for c in vencidas] == [
        (otra.id, 1, D("2000000.00"), 116),
        (venta.id, 2, D("600000.00"), 31),
    ]
    assert vencidas[1].cliente == "María Ñáñez"
    assert vencidas[1].apartamento.endswith(f"Apto {venta.apartamento.numero}")


def test_cuotas_vencidas_stops_at_the_limit(db):
    _venta(cuotas=[(HOY - timedelta(days=40 - n), "1000.00", "0.00") for n in range(5)])

    vencidas = tablero.cuotas_vencidas(HOY, limite=3)

    assert [c.numero for c in vencidas] == [1, 2, 3]


def test_separaciones_por_caducar_lists_vigente_separations_due_within_a_week(db):
    pronto = factories.separacion_directa(fecha=HOY, fecha_limite_separacion=HOY + timedelta(1))
    hoy = factories.separacion_directa(fecha=HOY, fecha_limite_separacion=HOY)
    factories.separacion_directa(fecha=HOY, fecha_limite_separacion=HOY + timedelta(8))
    factories.separacion_directa(
        fecha=HOY, fecha_limite_separacion=HOY + timedelta(2), estado_operacion="anulada"
    )
    factories.separacion_directa(fecha=HOY, fecha_limite_separacion=HOY - timedelta(1))

    por_caducar = tablero.separaciones_por_caducar(HOY)

    assert [(s.id_venta, s.dias_restantes) for s in por_caducar] == [(hoy.id, 0), (pronto.id, 1)]
    assert por_caducar[0].valor_separacion == D("5000000.00")
