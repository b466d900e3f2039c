"""Ventas y separaciones, their plan de amortización (cuotas) and pagos."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Money, TimestampMixin, VersionedMixin, restrict_fk
from .catalogos import FormaPago, MedioPago
from .clientes import Cliente
from .inmuebles import Apartamento
from .usuarios import Usuario


class TipoOperacion:
    VENTA = "venta"
    SEPARACION = "separacion"
    ALL = (VENTA, SEPARACION)
    LABELS = {VENTA: "Venta", SEPARACION: "Separación"}


class EstadoOperacion:
    VIGENTE = "vigente"
    CONVERTIDA = "convertida"
    CADUCADA = "caducada"
    ANULADA = "anulada"
    ALL = (VIGENTE, CONVERTIDA, CADUCADA, ANULADA)
    LABELS = {
        VIGENTE: "Vigente",
        CONVERTIDA: "Convertida",
        CADUCADA: "Caducada",
        ANULADA: "Anulada",
    }


class ConceptoCuota:
    SEPARACION = "Separación"
    CUOTA_INICIAL = "Cuota inicial"
    SALDO_FINAL = "Saldo final"
    ALL = (SEPARACION, CUOTA_INICIAL, SALDO_FINAL)


class Venta(TimestampMixin, VersionedMixin, db.Model):
    """A sale or a separation (reservation); one table, told apart by tipo_operacion."""

    __tablename__ = "ventas"
    __table_args__ = (
        CheckConstraint("tipo_operacion IN ('venta', 'separacion')", name="tipo_operacion_valido"),
        CheckConstraint(
            "estado_operacion IN ('vigente', 'convertida', 'caducada', 'anulada')",
            name="estado_operacion_valido",
        ),
        CheckConstraint("valor_total > 0", name="valor_total_positivo"),
        CheckConstraint("valor_separacion >= 0", name="valor_separacion_no_negativo"),
        CheckConstraint(
            "cuota_inicial IS NULL OR (cuota_inicial >= valor_separacion"
            " AND cuota_inicial <= valor_total)",
            name="cuota_inicial_rango",
        ),
        CheckConstraint(
            "plazo_cuota_inicial_meses IS NULL OR plazo_cuota_inicial_meses >= 1",
            name="plazo_positivo",
        ),
        CheckConstraint("tasa_interes_anual >= 0 AND tasa_interes_anual <= 100", name="tasa_rango"),
        CheckConstraint(
            "tipo_operacion = 'separacion' OR (cuota_inicial IS NOT NULL"
            " AND plazo_cuota_inicial_meses IS NOT NULL AND id_forma_pago IS NOT NULL)",
            name="venta_completa",
        ),
        CheckConstraint(
            "tipo_operacion = 'venta' OR fecha_limite_separacion IS NOT NULL",
            name="separacion_con_fecha_limite",
        ),
        # The last line against selling one apartment twice: one vigente
        # operation per apartment, whatever the application checked before.
        Index(
            "uq_ventas_apartamento_vigente",
            "id_apartamento",
            unique=True,
            sqlite_where=text("estado_operacion = 'vigente'"),
            postgresql_where=text("estado_operacion = 'vigente'"),
        ),
        Index("ix_ventas_estado_fecha_limite", "estado_operacion", "fecha_limite_separacion"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tipo_operacion: Mapped[str] = mapped_column(String(12), nullable=False, index=True)
    estado_operacion: Mapped[str] = mapped_column(
        String(12), nullable=False, default=EstadoOperacion.VIGENTE, index=True
    )
    documento_cliente: Mapped[str] = restrict_fk("clientes.documento", nullable=False)
    id_apartamento: Mapped[int] = restrict_fk("apartamentos.id", nullable=False)
    id_forma_pago: Mapped[int | None] = restrict_fk("formas_pago.id")
    fecha: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    # When the operation began as a separation: the day it was made (its
    # "Separación" cuota falls due then); `fecha` is then the day of the sale.
    fecha_separacion: Mapped[date | None] = mapped_column(Date)
    valor_total: Mapped[Money] = mapped_column(nullable=False)
    valor_separacion: Mapped[Money] = mapped_column(nullable=False, default=Decimal("0.00"))
    fecha_limite_separacion: Mapped[date | None] = mapped_column(Date)
    cuota_inicial: Mapped[Money | None] = mapped_column()
    plazo_cuota_inicial_meses: Mapped[int | None] = mapped_column(Integer)
    tasa_interes_anual: Mapped[Decimal] = mapped_column(
        Numeric(6, 2), nullable=False, default=Decimal("0.00")
    )
    observaciones: Mapped[str | None] = mapped_column(String(300))
    motivo_anulacion: Mapped[str | None] = mapped_column(String(300))
    # Who sold it (services/asesores.py); null only for old operations nobody claimed.
    id_asesor: Mapped[int | None] = restrict_fk("usuarios.id")

    cliente: Mapped[Cliente] = relationship(back_populates="ventas", lazy="joined")
    apartamento: Mapped[Apartamento] = relationship(back_populates="ventas", lazy="joined")
    forma_pago: Mapped[FormaPago | None] = relationship(lazy="joined")
    asesor: Mapped[Usuario | None] = relationship(lazy="select")
    cuotas: Mapped[list[Cuota]] = relationship(
        back_populates="venta", order_by="Cuota.numero", cascade="all, delete-orphan"
    )
    pagos: Mapped[list[Pago]] = relationship(
        back_populates="venta", order_by="(Pago.fecha, Pago.id)", passive_deletes="all"
    )

    @property
    def es_separacion(self) -> bool:
        return self.tipo_operacion == TipoOperacion.SEPARACION

    @property
    def tipo_label(self) -> str:
        return TipoOperacion.LABELS.get(self.tipo_operacion, self.tipo_operacion)

    @property
    def estado_label(self) -> str:
        return EstadoOperacion.LABELS.get(self.estado_operacion, self.estado_operacion)

    def __str__(self) -> str:
        return f"{self.tipo_label} #{self.id}"


class Cuota(db.Model):
    """One installment of a venta's plan de amortización."""

    __tablename__ = "cuotas"
    __table_args__ = (
        UniqueConstraint("id_venta", "numero"),
        CheckConstraint(
            "concepto IN ('Separación', 'Cuota inicial', 'Saldo final')", name="concepto_valido"
        ),
        CheckConstraint("valor = capital + interes", name="valor_es_capital_mas_interes"),
        CheckConstraint("capital >= 0 AND interes >= 0 AND saldo >= 0", name="no_negativos"),
        CheckConstraint("valor_pagado >= 0 AND valor_pagado <= valor", name="valor_pagado_rango"),
        # By due date, covering what the dashboard sums for a month: the
        # month's cuotas are scattered over the table, read from the index alone.
        Index("ix_cuotas_vencimiento", "fecha_vencimiento", "id_venta", "valor", "valor_pagado"),
        # Only unpaid cuotas, by due date: the dashboard's overdue list walks
        # it from the oldest without stepping over a million paid ones.
        Index(
            "ix_cuotas_pendientes",
            "fecha_vencimiento",
            "id",
            sqlite_where=text("valor_pagado < valor"),
            postgresql_where=text("valor_pagado < valor"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_venta: Mapped[int] = restrict_fk("ventas.id", nullable=False)
    numero: Mapped[int] = mapped_column(Integer, nullable=False)
    concepto: Mapped[str] = mapped_column(String(20), nullable=False)
    fecha_vencimiento: Mapped[date] = mapped_column(Date, nullable=False)
    valor: Mapped[Money] = mapped_column(nullable=False)
    capital: Mapped[Money] = mapped_column(nullable=False)
    interes: Mapped[Money] = mapped_column(nullable=False, default=Decimal("0.00"))
    saldo: Mapped[Money] = mapped_column(nullable=False)
    valor_pagado: Mapped[Money] = mapped_column(nullable=False, default=Decimal("0.00"))

    venta: Mapped[Venta] = relationship(back_populates="cuotas")

    def estado(self, hoy: date) -> str:
        """Pendiente, Parcial, Pagada or Vencida, from the amounts and today's date."""
        if self.valor_pagado >= self.valor:
            return "Pagada"
        if self.fecha_vencimiento < hoy:
            return "Vencida"
        if self.valor_pagado > 0:
            return "Parcial"
        return "Pendiente"

    @property
    def pendiente(self) -> Decimal:
        return self.valor - self.valor_pagado


class Pago(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "pagos"
    __table_args__ = (CheckConstraint("valor > 0", name="valor_positivo"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_venta: Mapped[int] = restrict_fk("ventas.id", nullable=False)
    fecha: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    valor: Mapped[Money] = mapped_column(nullable=False)
    id_medio_pago: Mapped[int] = restrict_fk("medios_pago.id", nullable=False)
    referencia: Mapped[str | None] = mapped_column(String(60), index=True)
    observaciones: Mapped[str | None] = mapped_column(String(500))

    venta: Mapped[Venta] = relationship(back_populates="pagos", lazy="joined")
    medio_pago: Mapped[MedioPago] = relationship(lazy="joined")
    aplicaciones: Mapped[list[AplicacionPago]] = relationship(
        back_populates="pago", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return f"Pago #{self.id}"


class AplicacionPago(db.Model):
    """How much of one pago went to one cuota (oldest unpaid cuotas first)."""

    __tablename__ = "pagos_cuotas"
    __table_args__ = (
        UniqueConstraint("id_pago", "id_cuota"),
        CheckConstraint("valor > 0", name="valor_positivo"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_pago: Mapped[int] = restrict_fk("pagos.id", nullable=False)
    id_cuota: Mapped[int] = restrict_fk("cuotas.id", nullable=False)
    valor: Mapped[Money] = mapped_column(nullable=False)

    pago: Mapped[Pago] = relationship(back_populates="aplicaciones")
    cuota: Mapped[Cuota] = relationship()
