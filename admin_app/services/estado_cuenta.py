"""Where a venta stands: each cuota's estado and the totals paid, pending and overdue."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..models import Cuota, Venta

CERO = Decimal("0.00")
VENCIDA = "Vencida"


def estado_cuota(cuota: Cuota, hoy: date) -> str:
    """Pendiente, Parcial, Pagada or Vencida (the model owns the rule)."""
    return cuota.estado(hoy)


@dataclass
class ResumenVenta:
    total: Decimal
    pagado: Decimal
    pendiente: Decimal
    vencido: Decimal  # due before today and not yet paid
    cuotas_vencidas: int


def resumen_venta(venta: Venta, hoy: date) -> ResumenVenta:
    cuotas = list(venta.cuotas)
    total = sum((c.valor for c in cuotas), CERO)
    pagado = sum((c.valor_pagado for c in cuotas), CERO)
    vencidas = [c for c in cuotas if c.estado(hoy) == VENCIDA]
    return ResumenVenta(
        total=total,
        pagado=pagado,
        pendiente=total - pagado,
        vencido=sum((c.valor - c.valor_pagado for c in vencidas), CERO),
        cuotas_vencidas=len(vencidas),
    )
