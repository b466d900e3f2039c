"""Estado de cuenta of an operation or a client as of a date: units, the plan with
each cuota's estado, the payments, and the totals paid, pending and overdue.

As of a date, as the books stood that day: only the payments dated on or
before it count, and a cuota's paid part is the applications of those payments
(pagos_cuotas). The estado of each cuota follows `Cuota.estado`'s rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import func, select

from ..extensions import db
from ..models import AplicacionPago, Cliente, Cuota, Pago, Venta
from ..models.documentos import ReciboCaja
from .cartera import EN_PIE

CERO = Decimal("0.00")


@dataclass(frozen=True)
class LineaPlan:
    numero: int
    concepto: str
    fecha_vencimiento: date
    valor: Decimal
    pagado: Decimal
    pendiente: Decimal
    estado: str


@dataclass(frozen=True)
class LineaPago:
    id: int
    fecha: date
    valor: Decimal
    medio_pago: str
    referencia: str | None
    recibo: int | None


@dataclass
class EstadoCuentaVenta:
    id_venta: int
    tipo: str
    estado: str
    en_pie: bool
    fecha_operacion: date
    cliente: str
    documento_cliente: str
    unidades: list[str]
    valor_total: Decimal
    fecha: date
    plan: list[LineaPlan]
    pagos: list[LineaPago]

    @property
    def total(self) -> Decimal:
        return sum((c.valor for c in self.plan), CERO)

    @property
    def pagado(self) -> Decimal:
        return sum((c.pagado for c in self.plan), CERO)

    @property
    def pendiente(self) -> Decimal:
        return self.total - self.pagado

    @property
    def vencido(self) -> Decimal:
        return sum((c.pendiente for c in self.plan if c.estado == "Vencida"), CERO)

    @property
    def cuotas_vencidas(self) -> int:
        return sum(1 for c in self.plan if c.estado == "Vencida")


@dataclass
class EstadoCuentaCliente:
    documento: str
    nombre: str
    fecha: date
    operaciones: list[EstadoCuentaVenta] = field(default_factory=list)

    def _suma(self, atributo: str) -> Decimal:
        return sum((getattr(o, atributo) for o in self.operaciones if o.en_pie), CERO)

    @property
    def total(self) -> Decimal:
        return self._suma("total")

    @property
    def pagado(self) -> Decimal:
        return self._suma("pagado")

    @property
    def pendiente(self) -> Decimal:
        return self._suma("pendiente")

    @property
    def vencido(self) -> Decimal:
        return self._suma("vencido")


def unidad_label(venta: Venta) -> str:
    """Every unit of the operation, the main one first (with its adicionales)."""
    return venta.descripcion_unidades


def estado_cuenta_venta(venta: Venta, fecha: date) -> EstadoCuentaVenta:
    pagado = dict(
        db.session.execute(
            select(AplicacionPago.id_cuota, func.sum(AplicacionPago.valor))
            .join(Pago, Pago.id == AplicacionPago.id_pago)
            .where(Pago.id_venta == venta.id, Pago.fecha <= fecha)
            .group_by(AplicacionPago.id_cuota)
        ).all()
    )
    plan = []
    for cuota in db.session.scalars(
        select(Cuota).where(Cuota.id_venta == venta.id).order_by(Cuota.numero)
    ):
        parte = Decimal(pagado.get(cuota.id, CERO))
        como_estaba = SimpleNamespace(
            valor=cuota.valor, valor_pagado=parte, fecha_vencimiento=cuota.fecha_vencimiento
        )
        plan.append(
            LineaPlan(
                cuota.numero,
                cuota.concepto,
                cuota.fecha_vencimiento,
                cuota.valor,
                parte,
                cuota.valor - parte,
                Cuota.estado(como_estaba, fecha),
            )
        )
    pagos = [
        LineaPago(p.id, p.fecha, p.valor, p.medio_pago.nombre, p.referencia, numero)
        for p, numero in db.session.execute(
            select(Pago, ReciboCaja.numero)
            .outerjoin(ReciboCaja, ReciboCaja.id_pago == Pago.id)
            .where(Pago.id_venta == venta.id, Pago.fecha <= fecha)
            .order_by(Pago.fecha, Pago.id)
        )
    ]
    return EstadoCuentaVenta(
        id_venta=venta.id,
        tipo=venta.tipo_label,
        estado=venta.estado_label,
        en_pie=venta.estado_operacion in EN_PIE,
        fecha_operacion=venta.fecha,
        cliente=venta.cliente.nombre,
        documento_cliente=venta.documento_cliente,
        unidades=[unidad_label(venta)],
        valor_total=venta.valor_total,
        fecha=fecha,
        plan=plan,
        pagos=pagos,
    )


def estado_cuenta_cliente(cliente: Cliente, fecha: date) -> EstadoCuentaCliente:
    """Every operation of the client; the totals count the standing ones."""
    ventas = db.session.scalars(
        select(Venta).where(Venta.documento_cliente == cliente.documento).order_by(Venta.id)
    ).all()
    return EstadoCuentaCliente(
        cliente.documento,
        cliente.nombre,
        fecha,
        [estado_cuenta_venta(venta, fecha) for venta in ventas],
    )
