"""Proyectos, torres and apartamentos: what the business sells."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Money, TimestampMixin, UTCDateTime, VersionedMixin, restrict_fk, utcnow
from .catalogos import EstadoInmueble, TipoParqueadero

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
    # Quotes: how many days one is valid by default, and the fixed clauses its PDF prints.
    dias_validez_cotizacion: Mapped[int] = mapped_column(
        Integer, nullable=False, default=7, server_default="7"
    )
    clausulas_cotizacion: Mapped[str | None] = mapped_column(String(4000))

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


class Local(TimestampMixin, VersionedMixin, db.Model):
    """A commercial unit, in a torre or (id_torre null) outside the towers of its project."""

    __tablename__ = "locales"
    __table_args__ = (
        # A number is unique within its torre, or within the project for
        # locales outside the towers: two partial indexes, one per case.
        Index(
            "uq_locales_torre_numero",
            "id_torre",
            "numero",
            unique=True,
            sqlite_where=text("id_torre IS NOT NULL"),
            postgresql_where=text("id_torre IS NOT NULL"),
        ),
        Index(
            "uq_locales_proyecto_numero",
            "id_proyecto",
            "numero",
            unique=True,
            sqlite_where=text("id_torre IS NULL"),
            postgresql_where=text("id_torre IS NULL"),
        ),
        Index("ix_locales_proyecto_estado", "id_proyecto", "id_estado_inmueble"),
        CheckConstraint("area_m2 > 0", name="area_positiva"),
        CheckConstraint("valor_m2 > 0", name="valor_m2_positivo"),
        CheckConstraint("precio > 0", name="precio_positivo"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_proyecto: Mapped[int] = restrict_fk("proyectos.id", nullable=False)
    id_torre: Mapped[int | None] = restrict_fk("torres.id")
    numero: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    area_m2: Mapped[Decimal] = mapped_column(Numeric(8, 2), nullable=False)
    valor_m2: Mapped[Money] = mapped_column(nullable=False)
    # round(area_m2 × valor_m2) to the peso while Disponible; frozen by an operation.
    precio: Mapped[Money] = mapped_column(nullable=False, index=True)
    id_estado_inmueble: Mapped[int] = restrict_fk("estados_inmueble.id", nullable=False)
    documento_cliente: Mapped[str | None] = restrict_fk("clientes.documento")

    proyecto: Mapped[Proyecto] = relationship(lazy="joined")
    torre: Mapped[Torre | None] = relationship(lazy="joined")
    estado: Mapped[EstadoInmueble] = relationship(lazy="joined")
    propietario: Mapped[Cliente | None] = relationship()

    def __str__(self) -> str:
        lugar = self.torre if self.torre is not None else self.proyecto.nombre
        return f"{lugar} - Local {self.numero}"


class Parqueadero(TimestampMixin, VersionedMixin, db.Model):
    """A parking space or storage room; with id_apartamento it is *incluido* in that apartment."""

    __tablename__ = "parqueaderos"
    __table_args__ = (
        UniqueConstraint("id_torre", "numero"),
        Index("ix_parqueaderos_torre_estado", "id_torre", "id_estado_inmueble"),
        CheckConstraint("precio >= 0", name="precio_no_negativo"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_torre: Mapped[int] = restrict_fk("torres.id", nullable=False)
    numero: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    id_tipo_parqueadero: Mapped[int] = restrict_fk("tipos_parqueadero.id", nullable=False)
    precio: Mapped[Money] = mapped_column(nullable=False, index=True)
    id_estado_inmueble: Mapped[int] = restrict_fk("estados_inmueble.id", nullable=False)
    id_apartamento: Mapped[int | None] = restrict_fk("apartamentos.id")
    documento_cliente: Mapped[str | None] = restrict_fk("clientes.documento")

    torre: Mapped[Torre] = relationship(lazy="joined")
    tipo: Mapped[TipoParqueadero] = relationship(lazy="joined")
    estado: Mapped[EstadoInmueble] = relationship(lazy="joined")
    apartamento: Mapped[Apartamento | None] = relationship()
    propietario: Mapped[Cliente | None] = relationship()

    @property
    def incluido(self) -> bool:
        return self.id_apartamento is not None

    def __str__(self) -> str:
        return f"{self.torre} - {self.tipo.nombre} {self.numero}"


class MotivoPrecio:
    """Why a unit's price changed (historial_precios.motivo)."""

    POLITICA = "politica"
    TIPO = "tipo"
    PRIMA = "prima"
    MANUAL = "manual"
    ALL = (POLITICA, TIPO, PRIMA, MANUAL)
    LABELS = {
        POLITICA: "Política de precio",
        TIPO: "Tipo de apartamento",
        PRIMA: "Prima de altura",
        MANUAL: "Manual",
    }


class HistorialPrecio(db.Model):
    """One price change of one unit: exactly one of the three unit keys is set."""

    __tablename__ = "historial_precios"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN id_apartamento IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN id_local IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN id_parqueadero IS NULL THEN 0 ELSE 1 END) = 1",
            name="una_unidad",
        ),
        CheckConstraint("motivo IN ('politica', 'tipo', 'prima', 'manual')", name="motivo_valido"),
        CheckConstraint("precio_despues >= 0", name="precio_despues_no_negativo"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_apartamento: Mapped[int | None] = restrict_fk("apartamentos.id")
    id_local: Mapped[int | None] = restrict_fk("locales.id")
    id_parqueadero: Mapped[int | None] = restrict_fk("parqueaderos.id")
    precio_antes: Mapped[Money | None] = mapped_column()
    precio_despues: Mapped[Money] = mapped_column(nullable=False)
    motivo: Mapped[str] = mapped_column(String(12), nullable=False)
    # What moved it, in words: "Política «Escalón 2» (+2 %)", "Tipo «A» valor m² ...".
    detalle: Mapped[str | None] = mapped_column(String(300))
    # Null when the daily job repriced it.
    id_usuario: Mapped[int | None] = restrict_fk("usuarios.id")
    fecha: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=utcnow, index=True
    )

    @property
    def motivo_label(self) -> str:
        return MotivoPrecio.LABELS.get(self.motivo, self.motivo)
