"""Proyectos, torres and apartamentos: what the business sells."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Money, TimestampMixin, VersionedMixin, restrict_fk
from .catalogos import EstadoInmueble

if TYPE_CHECKING:
    from .clientes import Cliente
    from .ventas import Venta


class Proyecto(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "proyectos"
    __table_args__ = (
        CheckConstraint(
            "porcentaje_cuota_inicial_min >= 0 AND porcentaje_cuota_inicial_min <= 100",
            name="porcentaje_cuota_inicial_min_rango",
        ),
        CheckConstraint("valor_min_separacion >= 0", name="valor_min_separacion_no_negativo"),
        CheckConstraint(
            "plazo_max_cuota_inicial_meses >= 1", name="plazo_max_cuota_inicial_positivo"
        ),
        CheckConstraint("plazo_max_separacion_dias >= 1", name="plazo_max_separacion_positivo"),
        CheckConstraint(
            "porcentaje_causacion_comision IS NULL"
            " OR (porcentaje_causacion_comision >= 0 AND porcentaje_causacion_comision <= 100)",
            name="porcentaje_causacion_comision_rango",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nombre: Mapped[str] = mapped_column(String(120), nullable=False, unique=True)
    ciudad: Mapped[str] = mapped_column(String(80), nullable=False)
    porcentaje_cuota_inicial_min: Mapped[Decimal] = mapped_column(
        Numeric(5, 2), nullable=False, default=Decimal("30.00")
    )
    valor_min_separacion: Mapped[Money] = mapped_column(nullable=False)
    plazo_max_cuota_inicial_meses: Mapped[int] = mapped_column(Integer, nullable=False)
    plazo_max_separacion_dias: Mapped[int] = mapped_column(Integer, nullable=False)
    activo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Commissions are causadas when the venta is made (null or 0) or once this % of
    # its cuota inicial is collected (services/comisiones.py).
    porcentaje_causacion_comision: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))

    torres: Mapped[list[Torre]] = relationship(
        back_populates="proyecto", order_by="Torre.nombre", passive_deletes="all"
    )

    def __str__(self) -> str:
        return self.nombre


class Torre(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "torres"
    __table_args__ = (UniqueConstraint("id_proyecto", "nombre"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_proyecto: Mapped[int] = restrict_fk("proyectos.id", nullable=False)
    nombre: Mapped[str] = mapped_column(String(60), nullable=False)

    proyecto: Mapped[Proyecto] = relationship(back_populates="torres", lazy="joined")
    apartamentos: Mapped[list[Apartamento]] = relationship(
        back_populates="torre", lazy="raise", passive_deletes="all"
    )

    def __str__(self) -> str:
        return f"{self.proyecto.nombre} - {self.nombre}"


class Apartamento(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "apartamentos"
    __table_args__ = (
        UniqueConstraint("id_torre", "numero"),
        # The dashboard's inventory counts apartments per torre and estado
        # from this index alone, without reading the table.
        Index("ix_apartamentos_torre_estado", "id_torre", "id_estado_inmueble"),
        CheckConstraint("precio > 0", name="precio_positivo"),
        CheckConstraint("area_m2 > 0", name="area_positiva"),
        CheckConstraint("habitaciones >= 0", name="habitaciones_no_negativas"),
        CheckConstraint("banos >= 0", name="banos_no_negativos"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_torre: Mapped[int] = restrict_fk("torres.id", nullable=False)
    numero: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    piso: Mapped[int] = mapped_column(Integer, nullable=False)
    area_m2: Mapped[Decimal] = mapped_column(Numeric(8, 2), nullable=False, index=True)
    habitaciones: Mapped[int] = mapped_column(Integer, nullable=False)
    banos: Mapped[int] = mapped_column(Integer, nullable=False)
    precio: Mapped[Money] = mapped_column(nullable=False, index=True)
    id_estado_inmueble: Mapped[int] = restrict_fk("estados_inmueble.id", nullable=False)
    documento_cliente: Mapped[str | None] = restrict_fk("clientes.documento")

    torre: Mapped[Torre] = relationship(back_populates="apartamentos", lazy="joined")
    estado: Mapped[EstadoInmueble] = relationship(lazy="joined")
    propietario: Mapped[Cliente | None] = relationship(back_populates="apartamentos")
    ventas: Mapped[list[Venta]] = relationship(
        back_populates="apartamento", lazy="raise", passive_deletes="all"
    )

    def __str__(self) -> str:
        return f"{self.torre} - Apto {self.numero}"
