"""flask bench-data's commercial part: asesores in teams, every operation attributed,
the commissions the ventas earned, settlements that add up, a year of goals."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from admin_app.models import Comision, Liquidacion, Meta, Usuario, Venta
from admin_app.services import comisiones as servicio
from admin_app.services.metas import cumplimiento

SIZES = ["--clientes", "300", "--apartamentos", "40", "--ventas", "60"]
SIZES += ["--cuotas-por-venta", "6", "--pagos", "150"]


@pytest.fixture
def generated(app, db):
    result = app.test_cli_runner().invoke(args=["bench-data", *SIZES])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


def test_asesores_lead_by_directors_sell_every_operation(db, generated):
    asesores = db.session.scalars(select(Usuario).where(Usuario.rol == "asesor")).all()
    assert len(asesores) == 10
    assert all(a.director is not None and a.director.rol == "director_comercial" for a in asesores)
    sin_asesor = select(func.count(Venta.id)).where(Venta.id_asesor.is_(None))
    assert db.session.scalar(sin_asesor) == 0


def test_each_venta_earned_its_commissions_at_the_policy_rate(db, generated):
    ventas = db.session.scalars(select(Venta).where(Venta.tipo_operacion == "venta")).all()
    filas = db.session.scalars(select(Comision)).all()
    assert len(filas) == 2 * len(ventas)  # the asesor's and his director's
    for fila in filas:
        assert fila.valor == servicio.valor_comision(fila.base, fila.porcentaje)
        assert (fila.estado == "anulada") == (fila.venta.estado_operacion == "anulada")


def test_settlements_add_up_to_their_commissions(db, generated):
    for liquidacion in db.session.scalars(select(Liquidacion)):
        total = sum((c.valor for c in liquidacion.comisiones), Decimal("0.00"))
        assert liquidacion.total == total
        assert {c.estado for c in liquidacion.comisiones} <= {liquidacion.estado}


def test_a_year_of_goals_to_measure(db, generated):
    meta = db.session.scalars(select(Meta).order_by(Meta.anio.desc(), Meta.mes.desc())).first()
    filas = cumplimiento(meta.anio, meta.mes)
    assert len(filas) == 3 * (1 + 1 + 10)  # the team, the director, the asesores
