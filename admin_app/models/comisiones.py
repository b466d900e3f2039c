"""Políticas de comisión, comisiones, liquidaciones and metas (DOMAIN.md, Part 2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, Index, Integer, Numeric, String, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Money, TimestampMixin, VersionedMixin, restrict_fk
from .inmuebles import Proyecto
from .usuarios import Usuario
from .ventas import Venta


class TipoComision:
    PROPIA = "propia"
    EQUIPO = "equipo"
    ALL = (PROPIA, EQUIPO)
    LABELS = {PROPIA: "Propia", EQUIPO: "Equipo"}


class EstadoComision:
    CAUSADA = "causada"
    LIQUIDADA = "liquidada"
    PAGADA = "pagada"
    ANULADA = "anulada"
    ALL = (CAUSADA, LIQUIDADA, PAGADA, ANULADA)
    LABELS = {CAUSADA: "Causada", LIQUIDADA: "Liquidada", PAGADA: "Pagada", ANULADA: "Anulada"}


class EstadoLiquidacion:
    LIQUIDADA = "liquidada"
    PAGADA = "pagada"
    ALL = (LIQUIDADA, PAGADA)
    LABELS = {LIQUIDADA: "Liquidada", PAGADA: "Pagada"}


class TipoMeta:
    VALOR = "valor"
    UNIDADES = "unidades"
    RECAUDO = "recaudo"
    ALL = (UNIDADES, VALOR, RECAUDO)
    LABELS = {UNIDADES: "Unidades", VALOR: "Valor vendido", RECAUDO: "Recaudo"}


class PoliticaComision(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "politicas_comision"
    __table_args__ = (
        CheckConstraint("tipo IN ('propia', 'equipo')", name="tipo_valido"),
        CheckConstraint("porcentaje >= 0 AND porcentaje <= 100", name="porcentaje_rango"),
        CheckConstraint(
            "vigente_hasta IS NULL OR vigente_hasta >= vigente_desde", name="vigencia_ordenada"
        ),
        Index("ix_politicas_comision_clave", "id_usuario", "id_proyecto", "tipo", "vigente_desde"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_proyecto: Mapped[int] = restrict_fk("proyectos.id", nullable=False)
    id_usuario: Mapped[int] = restrict_fk("usuarios.id", nullable=False)
    tipo: Mapped[str] = mapped_column(String(10), nullable=False)
    porcentaje: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    vigente_desde: Mapped[date] = mapped_column(Date, nullable=False)
    vigente_hasta: Mapped[date | None] = mapped_column(Date)

    proyecto: Mapped[Proyecto] = relationship(lazy="joined")
    usuario: Mapped[Usuario] = relationship(lazy="joined")

    def __str__(self) -> str:
        return f"Política #{self.id}"


class Liquidacion(TimestampMixin, VersionedMixin, db.Model):
    """A settlement: causadas approved together; later paid with a date and reference."""

    __tablename__ = "liquidaciones"
    __table_args__ = (
        CheckConstraint("estado IN ('liquidada', 'pagada')", name="estado_valido"),
        CheckConstraint(
            "estado = 'liquidada' OR (fecha_pago IS NOT NULL AND referencia IS NOT NULL)",
            name="pagada_con_fecha_y_referencia",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    numero: Mapped[str] = mapped_column(String(20), nullable=False, unique=True)
    fecha: Mapped[date] = mapped_column(Date, nullable=False)
    estado: Mapped[str] = mapped_column(String(10), nullable=False, default="liquidada")
    total: Mapped[Money] = mapped_column(nullable=False)
    fecha_pago: Mapped[date | None] = mapped_column(Date)
    referencia: Mapped[str | None] = mapped_column(String(60))
    id_usuario: Mapped[int] = restrict_fk("usuarios.id", nullable=False)

    usuario: Mapped[Usuario] = relationship(lazy="joined")
    comisiones: Mapped[list[Comision]] = relationship(
        back_populates="liquidacion", order_by="Comision.id", passive_deletes="all"
    )

    @property
    def estado_label(self) -> str:
        return EstadoLiquidacion.LABELS.get(self.estado, self.estado)

    def __str__(self) -> str:
        return f"Liquidación {self.numero}"


class Comision(TimestampMixin, VersionedMixin, db.Model):
    """What one beneficiary earns on one venta (propia or equipo), or an adjustment
    to it once it was liquidated (es_ajuste: the difference, maybe negative)."""

    __tablename__ = "comisiones"
    __table_args__ = (
        CheckConstraint("tipo IN ('propia', 'equipo')", name="tipo_valido"),
        CheckConstraint(
            "estado IN ('causada', 'liquidada', 'pagada', 'anulada')", name="estado_valido"
        ),
        CheckConstraint("porcentaje >= 0 AND porcentaje <= 100", name="porcentaje_rango"),
        CheckConstraint(
            "estado = 'causada' OR estado = 'anulada' OR id_liquidacion IS NOT NULL",
            name="liquidada_con_liquidacion",
        ),
        # One commission per (operation, beneficiary, tipo); adjustments come on top.
        Index(
            "uq_comisiones_venta_beneficiario_tipo",
            "id_venta",
            "id_usuario",
            "tipo",
            unique=True,
            sqlite_where=text("es_ajuste = 0"),
            postgresql_where=text("es_ajuste = false"),
        ),
        # The report (a period, maybe one beneficiary) read from the index alone.
        Index(
            "ix_comisiones_usuario_fecha", "id_usuario", "fecha", "id_proyecto", "estado", "valor"
        ),
        Index("ix_comisiones_fecha", "fecha", "id_usuario", "id_proyecto", "estado", "valor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_venta: Mapped[int] = restrict_fk("ventas.id", nullable=False)
    id_usuario: Mapped[int] = restrict_fk("usuarios.id", nullable=False)
    id_proyecto: Mapped[int] = restrict_fk("proyectos.id", nullable=False)
    id_politica: Mapped[int | None] = restrict_fk("politicas_comision.id")
    id_liquidacion: Mapped[int | None] = restrict_fk("liquidaciones.id")
    tipo: Mapped[str] = mapped_column(String(10), nullable=False)
    es_ajuste: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    estado: Mapped[str] = mapped_column(String(10), nullable=False, default="causada")
    # The day it was earned (the venta's date; an adjustment's, the day it was made).
    fecha: Mapped[date] = mapped_column(Date, nullable=False)
    base: Mapped[Money] = mapped_column(nullable=False)
    porcentaje: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    valor: Mapped[Money] = mapped_column(nullable=False)

    venta: Mapped[Venta] = relationship(lazy="joined")
    usuario: Mapped[Usuario] = relationship(lazy="joined")
    proyecto: Mapped[Proyecto] = relationship(lazy="joined")
    liquidacion: Mapped[Liquidacion | None] = relationship(back_populates="comisiones")

    @property
    def estado_label(self) -> str:
        return EstadoComision.LABELS.get(self.estado, self.estado)

    def __str__(self) -> str:
        return f"Comisión #{self.id}"


class Meta(TimestampMixin, VersionedMixin, db.Model):
    """A monthly goal: a project (null: all) and a user (null: the whole team)."""

    __tablename__ = "metas"
    __table_args__ = (
        CheckConstraint("tipo IN ('valor', 'unidades', 'recaudo')", name="tipo_valido"),
        CheckConstraint("meta > 0", name="meta_positiva"),
        CheckConstraint("mes >= 1 AND mes <= 12", name="mes_rango"),
        CheckConstraint("anio >= 2000 AND anio <= 2200", name="anio_rango"),
        Index("ix_metas_periodo", "anio", "mes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_proyecto: Mapped[int | None] = restrict_fk("proyectos.id")
    id_usuario: Mapped[int | None] = restrict_fk("usuarios.id")
    anio: Mapped[int] = mapped_column(Integer, nullable=False)
    mes: Mapped[int] = mapped_column(Integer, nullable=False)
    tipo: Mapped[str] = mapped_column(String(10), nullable=False)
    meta: Mapped[Decimal] = mapped_column(Numeric(18, 2), nullable=False)

    proyecto: Mapped[Proyecto | None] = relationship(lazy="joined")
    usuario: Mapped[Usuario | None] = relationship(lazy="joined")

    @property
    def tipo_label(self) -> str:
        return TipoMeta.LABELS.get(self.tipo, self.tipo)

    def __str__(self) -> str:
        return f"Meta #{self.id}"


# Unique per (proyecto, usuario, año, mes, tipo), null standing for "all" (0 here):
# PostgreSQL would let two rows with the same nulls through a plain unique index.
Index(
    "uq_metas_clave",
    func.coalesce(Meta.id_proyecto, 0),
    func.coalesce(Meta.id_usuario, 0),
    Meta.anio,
    Meta.mes,
    Meta.tipo,
    unique=True,
)
