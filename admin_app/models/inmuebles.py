"""Proyectos, torres and apartamentos: what the business sells."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
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
from .base import Money, TimestampMixin, UTCDateTime, VersionedMixin, restrict_fk, utcnow
from .catalogos import EstadoInmueble, TipoParqueadero

if TYPE_CHECKING:
    from .clientes import Cliente
    from .ventas import Venta


class BloqueoMixin:
    """An admin's block of a unit: why (required), who, when, and until when (optional;
    the daily job lifts it after that day). Null while the unit is not blocked."""

    bloqueo_motivo: Mapped[str | None] = mapped_column(String(300))
    bloqueado_por: Mapped[str | None] = mapped_column(String(150))
    bloqueado_en: Mapped[datetime | None] = mapped_column(UTCDateTime())
    bloqueado_hasta: Mapped[date | None] = mapped_column(Date)


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
        CheckConstraint("prima_altura_base >= 0", name="prima_altura_base_no_negativa"),
        CheckConstraint("prima_altura_incremento >= 0", name="prima_altura_incremento_no_negativo"),
        CheckConstraint("ventas_alcanzadas >= 0", name="ventas_alcanzadas_no_negativas"),
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
    # Prima de altura (docs/dominio.md, "Precios"): from each torre's nivel_inicio_prima up.
    prima_altura_activa: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=text("false")
    )
    prima_altura_base: Mapped[Money] = mapped_column(nullable=False, default=Decimal("0.00"))
    prima_altura_incremento: Mapped[Money] = mapped_column(nullable=False, default=Decimal("0.00"))
    # The most units sold the project ever counted: sales steps reached stay
    # reached when an operation lapses or is annulled (services/precios.py).
    ventas_alcanzadas: Mapped[int] = mapped_column(
        Integer, nullable=False, default=0, server_default=text("0")
    )
    # Quotes: how many days one is valid by default, and the fixed clauses its PDF prints.
    dias_validez_cotizacion: Mapped[int] = mapped_column(
        Integer, nullable=False, default=7, server_default="7"
    )
    clausulas_cotizacion: Mapped[str | None] = mapped_column(String(4000))
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
    __table_args__ = (
        UniqueConstraint("id_proyecto", "nombre"),
        CheckConstraint("nivel_inicio_prima >= 0", name="nivel_inicio_prima_no_negativo"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_proyecto: Mapped[int] = restrict_fk("proyectos.id", nullable=False)
    nombre: Mapped[str] = mapped_column(String(60), nullable=False)
    # The first floor that pays the prima de altura.
    nivel_inicio_prima: Mapped[int] = mapped_column(
        Integer, nullable=False, default=2, server_default=text("2")
    )

    proyecto: Mapped[Proyecto] = relationship(back_populates="torres", lazy="joined")
    apartamentos: Mapped[list[Apartamento]] = relationship(
        back_populates="torre", lazy="raise", passive_deletes="all"
    )

    def __str__(self) -> str:
        return f"{self.proyecto.nombre} - {self.nombre}"


class TipoApartamento(TimestampMixin, VersionedMixin, db.Model):
    """A model of apartment of a project; its valor_estimado is the base price of its apartments."""

    __tablename__ = "tipos_apartamento"
    __table_args__ = (
        UniqueConstraint("id_proyecto", "nombre"),
        CheckConstraint("area_construida > 0", name="area_construida_positiva"),
        CheckConstraint("area_privada > 0", name="area_privada_positiva"),
        CheckConstraint("valor_m2 > 0", name="valor_m2_positivo"),
        CheckConstraint("habitaciones >= 0", name="habitaciones_no_negativas"),
        CheckConstraint("banos >= 0", name="banos_no_negativos"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_proyecto: Mapped[int] = restrict_fk("proyectos.id", nullable=False)
    nombre: Mapped[str] = mapped_column(String(80), nullable=False)
    area_construida: Mapped[Decimal] = mapped_column(Numeric(8, 2), nullable=False)
    area_privada: Mapped[Decimal] = mapped_column(Numeric(8, 2), nullable=False)
    habitaciones: Mapped[int] = mapped_column(Integer, nullable=False)
    banos: Mapped[int] = mapped_column(Integer, nullable=False)
    valor_m2: Mapped[Money] = mapped_column(nullable=False)

    proyecto: Mapped[Proyecto] = relationship(lazy="joined")

    @property
    def valor_estimado(self) -> Decimal:
        return valor_estimado(self.area_construida, self.valor_m2)

    def __str__(self) -> str:
        return f"{self.proyecto.nombre} - {self.nombre}"


def valor_estimado(area_construida: Decimal, valor_m2: Decimal) -> Decimal:
    """ceil(area_construida × valor_m2) to the peso: the one formula of a tipo's price."""
    return (
        (Decimal(area_construida) * Decimal(valor_m2))
        .quantize(Decimal(1), rounding=ROUND_CEILING)
        .quantize(Decimal("0.01"))
    )


def _precio_base_por_defecto(context) -> Decimal | None:
    # A row written with its price only (bench, imports, old code): its base is that
    # price. (Flask-Admin calls it without a context for a new form's default.)
    return None if context is None else context.get_current_parameters().get("precio")


class PoliticaPrecio(TimestampMixin, VersionedMixin, db.Model):
    """A price rise of a project: from a sales step (cumulative in `orden`), a date, or both."""

    __tablename__ = "politicas_precio"
    __table_args__ = (
        CheckConstraint(
            "ventas_por_escalon IS NULL OR ventas_por_escalon >= 1",
            name="ventas_por_escalon_positivo",
        ),
        CheckConstraint(
            "porcentaje_aumento >= 0 AND porcentaje_aumento <= 100",
            name="porcentaje_aumento_rango",
        ),
        CheckConstraint(
            "ventas_por_escalon IS NOT NULL OR aplica_desde IS NOT NULL",
            name="alguna_condicion",
        ),
        UniqueConstraint("id_proyecto", "nombre"),
        Index("ix_politicas_precio_proyecto_orden", "id_proyecto", "orden"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_proyecto: Mapped[int] = restrict_fk("proyectos.id", nullable=False)
    nombre: Mapped[str] = mapped_column(String(80), nullable=False)
    orden: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    ventas_por_escalon: Mapped[int | None] = mapped_column(Integer)
    porcentaje_aumento: Mapped[Decimal] = mapped_column(Numeric(8, 4), nullable=False)
    aplica_desde: Mapped[date | None] = mapped_column(Date)
    activa: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    proyecto: Mapped[Proyecto] = relationship(lazy="joined")

    def __str__(self) -> str:
        return self.nombre


class Apartamento(BloqueoMixin, TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "apartamentos"
    __table_args__ = (
        UniqueConstraint("id_torre", "numero"),
        # The dashboard's inventory counts apartments per torre and estado
        # from this index alone, without reading the table.
        Index("ix_apartamentos_torre_estado", "id_torre", "id_estado_inmueble"),
        CheckConstraint("precio > 0", name="precio_positivo"),
        CheckConstraint("precio_base > 0", name="precio_base_positivo"),
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
    # The list price: round((precio_base + prima) × factor) while Disponible
    # (services/precios.py); an operation freezes it.
    precio: Mapped[Money] = mapped_column(nullable=False, index=True)
    id_estado_inmueble: Mapped[int] = restrict_fk("estados_inmueble.id", nullable=False)
    documento_cliente: Mapped[str | None] = restrict_fk("clientes.documento")
    # With a tipo the base is the tipo's valor_estimado, else typed.
    id_tipo_apartamento: Mapped[int | None] = restrict_fk("tipos_apartamento.id")
    precio_base: Mapped[Money] = mapped_column(nullable=False, default=_precio_base_por_defecto)

    torre: Mapped[Torre] = relationship(back_populates="apartamentos", lazy="joined")
    tipo: Mapped[TipoApartamento | None] = relationship()
    estado: Mapped[EstadoInmueble] = relationship(lazy="joined")
    propietario: Mapped[Cliente | None] = relationship(back_populates="apartamentos")
    ventas: Mapped[list[Venta]] = relationship(
        back_populates="apartamento", lazy="raise", passive_deletes="all"
    )

    def __str__(self) -> str:
        return f"{self.torre} - Apto {self.numero}"


class Local(BloqueoMixin, TimestampMixin, VersionedMixin, db.Model):
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


class Parqueadero(BloqueoMixin, TimestampMixin, VersionedMixin, db.Model):
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
