"""The demo's separations, sales, plans and payments (through the services)."""

import random
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from ..extensions import db
from ..formatting import today_bogota
from ..models import (
    Apartamento,
    Cliente,
    EstadoOperacion,
    Local,
    Parqueadero,
    TipoOperacion,
    Venta,
)
from ..services.pagos import registrar_pago
from ..services.ventas import (
    DatosOperacion,
    anular_operacion,
    convertir_separacion,
    crear_operacion,
)

SEPARACION = Decimal("5000000.00")
TASAS = (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), Decimal("9.50"), Decimal("12.00"))
FORMAS_PAGO = (1, 2, 2, 2, 3, 4)  # Crédito Hipotecario is the usual one
MEDIOS_PAGO = (1, 2, 2, 2, 3, 5)


def load_demo_operations(
    rng: random.Random,
    clientes: list[Cliente],
    apartamentos: list[Apartamento],
    hoy: date | None = None,
    parqueaderos: list[Parqueadero] = (),
    locales: list[Local] = (),
) -> str:
    """About 60 operations on the given inventory, with payments up to `hoy`; every
    fourth venta takes a parqueadero adicional of its project, and two locales sell."""
    hoy = hoy or today_bogota()
    libres: dict[int, list[Parqueadero]] = {}
    for parqueadero in parqueaderos:
        if parqueadero.id_apartamento is None and parqueadero.id_tipo_parqueadero == 1:
            libres.setdefault(parqueadero.torre.id_proyecto, []).append(parqueadero)
    disponibles = list(apartamentos)
    rng.shuffle(disponibles)
    compradores = rng.sample(clientes, k=min(len(clientes), 70))
    pagos = 0
    for numero in range(min(60, len(disponibles), len(compradores))):
        apartamento, cliente = disponibles[numero], compradores[numero]
        if numero < 20:
            venta = _separacion(rng, cliente, apartamento, hoy)
            pagos += _pagar(rng, venta, hoy, completo=True)
        elif numero < 26:
            venta = _separacion(rng, cliente, apartamento, hoy, dias_atras=rng.randint(5, 20))
            pagos += _pagar(rng, venta, hoy, completo=True)
            convertir_separacion(
                venta,
                fecha=hoy - timedelta(days=rng.randint(0, 3)),
                **_terminos(rng, venta.valor_total),
            )
            pagos += _pagar(rng, venta, hoy)
        else:
            dias = rng.randint(30, 450)
            del_proyecto = libres.get(apartamento.torre.id_proyecto) or []
            adicionales = [del_proyecto.pop()] if numero % 4 == 0 and del_proyecto else []
            precio = apartamento.precio + sum((p.precio for p in adicionales), Decimal(0))
            venta = crear_operacion(
                DatosOperacion(
                    tipo_operacion=TipoOperacion.VENTA,
                    documento_cliente=cliente.documento,
                    id_apartamento=apartamento.id,
                    adicionales=[p.id for p in adicionales],
                    fecha=hoy - timedelta(days=dias),
                    valor_separacion=rng.choice((SEPARACION, SEPARACION, Decimal("0.00"))),
                    **_terminos(rng, precio),
                )
            )
            pagos += _pagar(rng, venta, hoy)
            if numero >= 57:
                anular_operacion(venta, "Desistimiento del comprador (datos de demostración).")
    for local, cliente in zip(locales[:2], compradores[-2:], strict=False):
        venta = crear_operacion(
            DatosOperacion(
                tipo_operacion=TipoOperacion.VENTA,
                documento_cliente=cliente.documento,
                id_local=local.id,
                fecha=hoy - timedelta(days=rng.randint(30, 200)),
                **_terminos(rng, local.precio),
            )
        )
        pagos += _pagar(rng, venta, hoy)
    db.session.commit()

    conteo = dict(
        db.session.execute(
            db.select(Venta.tipo_operacion, db.func.count(Venta.id))
            .where(Venta.estado_operacion != EstadoOperacion.ANULADA)
            .group_by(Venta.tipo_operacion)
        ).all()
    )
    return (
        f", {conteo.get(TipoOperacion.VENTA, 0)} ventas,"
        f" {conteo.get(TipoOperacion.SEPARACION, 0)} separaciones, {pagos} pagos"
    )


def _terminos(rng: random.Random, precio: Decimal) -> dict:
    porcentaje = Decimal(rng.choice((30, 30, 35, 40, 50)))
    return dict(
        id_forma_pago=rng.choice(FORMAS_PAGO),
        cuota_inicial=(precio * porcentaje / 100).quantize(Decimal("1E3"), rounding=ROUND_CEILING),
        plazo_cuota_inicial_meses=rng.choice((6, 12, 18, 24, 36)),
        tasa_interes_anual=rng.choice(TASAS),
    )


def _separacion(
    rng: random.Random, cliente: Cliente, apartamento: Apartamento, hoy: date, dias_atras=None
) -> Venta:
    fecha = hoy - timedelta(days=dias_atras if dias_atras is not None else rng.randint(0, 10))
    return crear_operacion(
        DatosOperacion(
            tipo_operacion=TipoOperacion.SEPARACION,
            documento_cliente=cliente.documento,
            id_apartamento=apartamento.id,
            fecha=fecha,
            valor_separacion=SEPARACION,
            # Always still open today, so the daily lapse leaves the demo intact.
            fecha_limite_separacion=fecha + timedelta(days=30),
        )
    )


def _pagar(rng: random.Random, venta: Venta, hoy: date, completo: bool = False) -> int:
    """Pay the cuotas already due: most in full on time, some partly, some not at all
    (so the demo shows Pagada, Parcial and Vencida cuotas)."""
    vencidas = [c for c in venta.cuotas if c.fecha_vencimiento <= hoy and c.valor_pagado < c.valor]
    if completo:
        hasta = len(vencidas)
    else:
        hasta = rng.choice((len(vencidas), len(vencidas), max(len(vencidas) - 2, 0)))
    pagos = 0
    for cuota in vencidas[:hasta]:
        valor = cuota.valor - cuota.valor_pagado
        if not completo and rng.random() < 0.1:
            valor = (valor / 2).quantize(Decimal("1"))
        registrar_pago(
            venta,
            fecha=min(cuota.fecha_vencimiento + timedelta(days=rng.randint(0, 5)), hoy),
            valor=valor,
            id_medio_pago=rng.choice(MEDIOS_PAGO),
            referencia=f"DEMO-{venta.id}-{cuota.numero}",
        )
        pagos += 1
    al_dia = all(c.valor_pagado >= c.valor for c in venta.cuotas if c.fecha_vencimiento <= hoy)
    por_vencer = [c for c in venta.cuotas if c.fecha_vencimiento > hoy and c.valor >= 3]
    if not completo and al_dia and por_vencer and rng.random() < 0.4:
        # An advance on the next cuota: it shows as Parcial until it falls due.
        registrar_pago(
            venta,
            fecha=hoy,
            valor=(por_vencer[0].valor / 3).quantize(Decimal("1")),
            id_medio_pago=rng.choice(MEDIOS_PAGO),
            referencia=f"DEMO-{venta.id}-{por_vencer[0].numero}-ABONO",
        )
        pagos += 1
    return pagos
