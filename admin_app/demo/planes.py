"""The demo's planes de pago (three per project) and a few quotes, through the services."""

import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from ..formatting import today_bogota
from ..models import Apartamento, Cliente, Proyecto
from ..services.cotizaciones import crear_cotizacion
from ..services.planes_pago import crear_plan

PLANES = (
    dict(
        nombre="Mensual 24 meses",
        tipo="mensual",
        valor_separacion=Decimal("5000000"),
        porcentaje_cuota_inicial=Decimal("30"),
        plazo_meses=24,
    ),
    dict(
        nombre="Contado con descuento",
        tipo="contado",
        valor_separacion=Decimal("10000000"),
        porcentaje_cuota_inicial=Decimal("100"),
        plazo_meses=2,
        descuento_tipo="porcentaje",
        descuento_valor=Decimal("5"),
        descuento_sobre="total",
        beneficio="Escrituración a cargo de la constructora",
    ),
    dict(
        nombre="Trimestral 36 meses",
        tipo="diferido",
        valor_separacion=Decimal("5000000"),
        porcentaje_cuota_inicial=Decimal("40"),
        plazo_meses=36,
        frecuencia_meses=3,
        descuento_tipo="valor",
        descuento_valor=Decimal("3000000"),
        descuento_sobre="cuota_inicial",
    ),
)
CLAUSULAS = (
    "Los precios están expresados en pesos colombianos e incluyen el parqueadero asignado. "
    "La separación se formaliza con el pago del valor de separación y la firma de la promesa "
    "de compraventa. Las áreas son aproximadas."
)


def load_demo_planes(rng: random.Random) -> str:
    hoy = today_bogota()
    proyectos = list(db.session.scalars(select(Proyecto).order_by(Proyecto.id)))
    planes = []
    for proyecto in proyectos:
        proyecto.clausulas_cotizacion = CLAUSULAS
        for datos in PLANES:
            planes.append(crear_plan({"id_proyecto": proyecto.id, **datos}))
    disponibles = list(
        db.session.scalars(
            select(Apartamento).where(Apartamento.id_estado_inmueble == 1).order_by(Apartamento.id)
        )
    )
    clientes = list(db.session.scalars(select(Cliente).order_by(Cliente.documento).limit(20)))
    cotizaciones = 0
    for n, apartamento in enumerate(rng.sample(disponibles, min(8, len(disponibles)))):
        del_proyecto = [p for p in planes if p.id_proyecto == apartamento.torre.id_proyecto]
        datos = {"id_plan_pago": rng.choice(del_proyecto).id, "id_apartamento": apartamento.id}
        if n % 3 == 2:
            datos["prospecto"] = {"nombre": "Carolina Restrepo", "telefono": "+57 310 555 1234"}
        else:
            datos["documento_cliente"] = rng.choice(clientes).documento
        if n == 0:  # one already expired
            datos["fecha"] = hoy - timedelta(days=20)
        crear_cotizacion(datos)
        cotizaciones += 1
    db.session.commit()
    return f", {len(planes)} planes de pago, {cotizaciones} cotizaciones"
