import random

import pytest
from sqlalchemy import func, select

from admin_app.demo.operaciones import load_demo_operations
from admin_app.formatting import today_bogota
from admin_app.models import Cuota, Pago, Venta
from tests import factories


@pytest.mark.slow
def test_demo_operations_cover_every_state_through_the_services(db):
    apartamentos = [factories.apartamento() for _ in range(62)]
    clientes = [factories.cliente() for _ in range(70)]
    resumen = load_demo_operations(random.Random(7), clientes, apartamentos)

    operaciones = dict(
        db.session.execute(
            select(Venta.estado_operacion, func.count(Venta.id)).group_by(Venta.estado_operacion)
        ).all()
    )
    assert sum(operaciones.values()) == 60
    assert operaciones["anulada"] == 3
    pagos = db.session.scalar(select(func.count(Pago.id)))
    assert resumen.endswith(f", 20 separaciones, {pagos} pagos")
    hoy = today_bogota()
    estados = {c.estado(hoy) for c in db.session.scalars(select(Cuota))}
    assert estados == {"Pagada", "Parcial", "Pendiente", "Vencida"}
    pagado = db.session.scalar(select(func.sum(Cuota.valor_pagado)))
    assert pagado == db.session.scalar(select(func.sum(Pago.valor)))
