"""Metas: one per key and month, above zero; cumplimiento counts ventas and pagos."""

from datetime import date
from decimal import Decimal as D

import pytest

from admin_app.models import Rol
from admin_app.services import metas as servicio
from admin_app.services.errors import Conflict, ValidationFailed
from admin_app.services.pagos import registrar_pago
from admin_app.services.ventas import anular_operacion, crear_operacion
from tests import factories
from tests.conftest import make_user

from .conftest import datos_separacion, datos_venta


def meta(tipo="unidades", valor="2", **overrides) -> servicio.DatosMeta:
    datos = dict(anio=2026, mes=1, tipo=tipo, meta=D(valor))
    datos.update(overrides)
    return servicio.DatosMeta(**datos)


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        ("meta", D("0"), "mayor que cero"),
        ("meta", D("-5"), "mayor que cero"),
        ("meta", D("1.5"), "número entero"),
        ("mes", 13, "entre 1 y 12"),
        ("anio", 1999, "entre 2000 y 2200"),
        ("tipo", "otra", "unidades, valor o recaudo"),
    ],
)
def test_a_bad_goal_is_refused_on_its_field(db, campo, valor, mensaje):
    with pytest.raises(ValidationFailed) as exc:
        servicio.guardar_meta(meta(**{campo: valor}))
    assert mensaje in exc.value.errors[campo][0]


@pytest.mark.parametrize("con_usuario", [False, True])
def test_a_goal_is_unique_per_key_and_month(db, con_usuario):
    id_usuario = make_user("asesor", Rol.ASESOR).id if con_usuario else None
    primera = servicio.guardar_meta(meta(id_usuario=id_usuario))
    with pytest.raises(Conflict) as exc:
        servicio.guardar_meta(meta(valor="3", id_usuario=id_usuario))
    assert f"Ya existe la meta #{primera.id} de unidades" in exc.value.errors["tipo"][0]
    servicio.guardar_meta(meta(mes=2, id_usuario=id_usuario))  # another month is another goal


def test_the_database_refuses_a_duplicate_with_nulls_too(db):
    from sqlalchemy.exc import IntegrityError

    from admin_app.models import Meta

    db.session.add(Meta(anio=2026, mes=1, tipo="valor", meta=D("1")))
    db.session.flush()
    db.session.add(Meta(anio=2026, mes=1, tipo="valor", meta=D("2")))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_cumplimiento_counts_ventas_values_and_pagos_of_the_month(db, apto, comprador):
    director = make_user("dir", Rol.DIRECTOR_COMERCIAL)
    asesor = make_user("asesor", Rol.ASESOR)
    asesor.id_director = director.id
    proyecto = apto.torre.proyecto
    venta = crear_operacion(datos_venta(comprador, apto, id_asesor=asesor.id))
    registrar_pago(venta, fecha=date(2026, 1, 31), valor=D("5000000"), id_medio_pago=1)
    otra = crear_operacion(
        datos_venta(factories.cliente(), factories.apartamento(apto.torre), id_asesor=asesor.id)
    )
    anular_operacion(otra, "no cuenta")
    crear_operacion(  # a separation is no venta
        datos_separacion(
            factories.cliente(),
            factories.apartamento(apto.torre),
            id_asesor=asesor.id,
            fecha=date(2026, 1, 10),
            fecha_limite_separacion=date(2026, 1, 30),
        )
    )
    servicio.guardar_meta(meta("unidades", "2", id_usuario=asesor.id))
    servicio.guardar_meta(meta("valor", "200000000", id_usuario=director.id))
    servicio.guardar_meta(meta("recaudo", "10000000", id_proyecto=proyecto.id))
    servicio.guardar_meta(meta("unidades", "1", mes=2))

    filas = {(f.meta.tipo, f.meta.id_usuario): f for f in servicio.cumplimiento(2026, 1)}
    unidades = filas[("unidades", asesor.id)]
    assert (unidades.real, unidades.porcentaje, unidades.alerta) == (D(1), D("50.0"), True)
    valor = filas[("valor", director.id)]  # the director's goal counts his team's sales
    assert (valor.real, valor.porcentaje, valor.alerta) == (D("250000000.00"), D("125.0"), False)
    recaudo = filas[("recaudo", None)]
    assert (recaudo.real, recaudo.porcentaje) == (D("5000000.00"), D("50.0"))
    assert len(filas) == 3


def test_an_asesor_sees_only_his_goals(db):
    asesor = make_user("asesor", Rol.ASESOR)
    servicio.guardar_meta(meta(id_usuario=asesor.id))
    servicio.guardar_meta(meta())
    assert [f.meta.id_usuario for f in servicio.cumplimiento(2026, 1, [asesor.id])] == [asesor.id]


def test_the_trend_covers_twelve_months_ending_at_the_month(db):
    servicio.guardar_meta(meta("unidades", "4", anio=2026, mes=3))
    meses = servicio.tendencia(2026, 3, "unidades")
    assert [(m.anio, m.mes) for m in meses][:2] == [(2025, 4), (2025, 5)]
    assert (meses[-1].anio, meses[-1].mes, meses[-1].meta) == (2026, 3, D("4.00"))
    assert meses[-1].porcentaje == D("0.0")
    assert meses[0].porcentaje is None
