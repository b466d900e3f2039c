"""The dashboard's project and period filters, sales velocity and months of inventory."""

from datetime import date
from decimal import Decimal as D

from admin_app.services import tablero
from admin_app.services.pagos import registrar_pago
from admin_app.services.ventas import crear_operacion
from tests import factories
from tests.services.conftest import datos_venta

HOY = date(2026, 6, 15)


def _proyecto_con_ventas(nombre: str, ventas: int, libres: int):
    proyecto = factories.proyecto(nombre=nombre)
    torre = factories.torre(proyecto)
    hechas = []
    for n in range(ventas):
        apto = factories.apartamento(torre)
        hechas.append(
            crear_operacion(datos_venta(factories.cliente(), apto, fecha=date(2026, 1 + n, 10)))
        )
    for _ in range(libres):
        factories.apartamento(torre)
    return proyecto, hechas


def test_velocity_and_months_of_inventory_per_project(db):
    norte, _ = _proyecto_con_ventas("Norte", ventas=3, libres=9)
    sur, _ = _proyecto_con_ventas("Sur", ventas=1, libres=2)

    todos = tablero.velocidad_de_ventas(HOY, 6)
    solo_norte = tablero.velocidad_de_ventas(HOY, 6, id_proyecto=norte.id)

    assert (todos.vendidas, todos.disponibles, todos.por_mes) == (4, 11, D("0.7"))
    assert todos.meses_de_inventario == D("16.5")  # 11 units / (4 / 6 per month)
    assert (solo_norte.vendidas, solo_norte.disponibles) == (3, 9)
    assert solo_norte.meses_de_inventario == D("18.0")
    assert tablero.velocidad_de_ventas(HOY, 3, id_proyecto=sur.id).meses_de_inventario is None


def test_every_dashboard_figure_honours_the_project_filter(db):
    norte, ventas_norte = _proyecto_con_ventas("Norte", ventas=2, libres=1)
    _proyecto_con_ventas("Sur", ventas=1, libres=0)
    registrar_pago(ventas_norte[0], fecha=date(2026, 6, 1), valor=D("1000000.00"), id_medio_pago=1)

    inventario = tablero.inventario_por_proyecto(norte.id)
    meses = tablero.operaciones_por_mes(HOY, 6, id_proyecto=norte.id)
    recaudo = tablero.recaudo_del_mes(HOY, id_proyecto=norte.id)
    vencidas = tablero.cuotas_vencidas(HOY, id_proyecto=norte.id)

    assert [p.proyecto for p in inventario.proyectos] == ["Norte"]
    assert sum(m.ventas for m in meses) == 2
    assert sum(m.ventas for m in tablero.operaciones_por_mes(HOY, 6)) == 3
    assert recaudo.recaudado == D("1000000.00")
    assert {c.id_venta for c in vencidas} <= {v.id for v in ventas_norte}
    assert tablero.recaudo_del_mes(HOY, inicio=date(2026, 1, 1)).recaudado == D("1000000.00")
