"""Planes de pago per project, and cotizaciones (quotes) made with them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
from .base import Money, TimestampMixin, VersionedMixin, restrict_fk
from .clientes import Cliente
from .inmuebles import Apartamento, Local, Parqueadero, Proyecto
from .usuarios import Usuario

MAXIMO_PLANES_ACTIVOS = 10


class TipoPlan:
    MENSUAL = "mensual"
    CONTADO = "contado"
    DIFERIDO = "diferido"
    ESPECIAL = "especial"
    ALL = (MENSUAL, CONTADO, DIFERIDO, ESPECIAL)
    LABELS = {MENSUAL: "Mensual", CONTADO: "Contado", DIFERIDO: "Diferido", ESPECIAL: "Especial"}


class TipoDescuento:
    VALOR = "valor"
    PORCENTAJE = "porcentaje"
    ALL = (VALOR, PORCENTAJE)
    LABELS = {VALOR: "Valor fijo (pesos)", PORCENTAJE: "Porcentaje"}


class DescuentoSobre:
    TOTAL = "total"
    CUOTA_INICIAL = "cuota_inicial"
    ALL = (TOTAL, CUOTA_INICIAL)
    LABELS = {TOTAL: "Precio total", CUOTA_INICIAL: "Cuota inicial"}


FRECUENCIAS = (1, 2, 3, 6)


class PlanPago(TimestampMixin, VersionedMixin, db.Model):
    """The terms a project offers: separación, cuota inicial (% and term, every
    frecuencia_meses), % at the deed, a discount and a benefit."""

    __tablename__ = "planes_pago"
    __table_args__ = (
        UniqueConstraint("id_proyecto", "nombre"),
        CheckConstraint(
            "tipo IN ('mensual', 'contado', 'diferido', 'especial')", name="tipo_valido"
        ),
        CheckConstraint("valor_separacion >= 0", name="separacion_no_negativa"),
        CheckConstraint(
            "porcentaje_cuota_inicial >= 0 AND porcentaje_cuota_inicial <= 100",
            name="porcentaje_cuota_inicial_rango",
        ),
        CheckConstraint(
            "porcentaje_cuota_inicial + porcentaje_escritura = 100", name="porcentajes_suman_100"
        ),
        CheckConstraint("plazo_meses >= 1 AND plazo_meses <= 120", name="plazo_rango"),
        CheckConstraint("frecuencia_meses IN (1, 2, 3, 6)", name="frecuencia_valida"),
        CheckConstraint(
            "descuento_tipo IS NULL OR descuento_tipo IN ('valor', 'porcentaje')",
            name="descuento_tipo_valido",
        ),
        CheckConstraint(
            "descuento_sobre IS NULL OR descuento_sobre IN ('total', 'cuota_inicial')",
            name="descuento_sobre_valido",
        ),
        CheckConstraint("descuento_valor >= 0", name="descuento_no_negativo"),
        CheckConstraint("tasa_interes_anual >= 0 AND tasa_interes_anual <= 100", name="tasa_rango"),
        # At most 10 active plans per project, whatever races: an active plan
        # holds one of the project's 10 slots (unique), an inactive one none.
        CheckConstraint(
            "(activo AND ranura IS NOT NULL AND ranura >= 1 AND ranura <= 10)"
            " OR (NOT activo AND ranura IS NULL)",
            name="ranura_de_activo",
        ),
        UniqueConstraint("id_proyecto", "ranura"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_proyecto: Mapped[int] = restrict_fk("proyectos.id", nullable=False)
    nombre: Mapped[str] = mapped_column(String(80), nullable=False)
    tipo: Mapped[str] = mapped_column(String(12), nullable=False)
    valor_separacion: Mapped[Money] = mapped_column(nullable=False, default=Decimal("0.00"))
    porcentaje_cuota_inicial: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    plazo_meses: Mapped[int] = mapped_column(Integer, nullable=False)
    frecuencia_meses: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    porcentaje_escritura: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    descuento_tipo: Mapped[str | None] = mapped_column(String(12))
    # Pesos for a fixed discount, percent for a percentage.
    descuento_valor: Mapped[Decimal] = mapped_column(
        Numeric(18, 2), nullable=False, default=Decimal("0.00")
    )
    descuento_sobre: Mapped[str | None] = mapped_column(String(14))
    tasa_interes_anual: Mapped[Decimal] = mapped_column(
        Numeric(6, 2), nullable=False, default=Decimal("0.00")
    )
    beneficio: Mapped[str | None] = mapped_column(String(300))
    activo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    ranura: Mapped[int | None] = mapped_column(Integer)

    proyecto: Mapped[Proyecto] = relationship(lazy="joined")

    @property
    def tipo_label(self) -> str:
        return TipoPlan.LABELS.get(self.tipo, self.tipo)

    def __str__(self) -> str:
        return f"{self.nombre} ({self.tipo_label})"


class TerminosPlanMixin:
    """The terms of the plan an operation or a quote took, copied when it was made:
    editing the plan later changes neither."""

    plan_nombre: Mapped[str | None] = mapped_column(String(80))
    plan_tipo: Mapped[str | None] = mapped_column(String(12))
    frecuencia_meses: Mapped[int | None] = mapped_column(Integer)
    porcentaje_cuota_inicial: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    porcentaje_escritura: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    descuento_tipo: Mapped[str | None] = mapped_column(String(12))
    descuento_valor: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    descuento_sobre: Mapped[str | None] = mapped_column(String(14))
    plan_beneficio: Mapped[str | None] = mapped_column(String(300))
    # The gross price of the units and the discount the plan gave on it.
    precio_bruto: Mapped[Money | None] = mapped_column()
    descuento: Mapped[Money | None] = mapped_column()


class EstadoCotizacion:
    VIGENTE = "vigente"
    VENCIDA = "vencida"
    CONVERTIDA = "convertida"
    ALL = (VIGENTE, VENCIDA, CONVERTIDA)
    LABELS = {VIGENTE: "Vigente", VENCIDA: "Vencida", CONVERTIDA: "Convertida"}


class Cotizacion(TerminosPlanMixin, TimestampMixin, VersionedMixin, db.Model):
    """A quote: the units at their prices of that day, a plan and what results."""

    __tablename__ = "cotizaciones"
    __table_args__ = (
        CheckConstraint("valida_hasta >= fecha", name="vigencia_valida"),
        CheckConstraint(
            "documento_cliente IS NOT NULL OR prospecto_nombre IS NOT NULL", name="con_cliente"
        ),
        CheckConstraint("valor_total > 0", name="valor_total_positivo"),
        CheckConstraint(
            "cuota_inicial >= valor_separacion AND cuota_inicial <= valor_total",
            name="cuota_inicial_rango",
        ),
        CheckConstraint("plazo_meses >= 1", name="plazo_positivo"),
        UniqueConstraint("id_venta"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    numero: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)
    fecha: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    valida_hasta: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    id_proyecto: Mapped[int] = restrict_fk("proyectos.id", nullable=False)
    documento_cliente: Mapped[str | None] = restrict_fk("clientes.documento")
    prospecto_nombre: Mapped[str | None] = mapped_column(String(150))
    prospecto_telefono: Mapped[str | None] = mapped_column(String(30))
    prospecto_correo: Mapped[str | None] = mapped_column(String(150))
    id_plan_pago: Mapped[int] = restrict_fk("planes_pago.id", nullable=False)
    valor_separacion: Mapped[Money] = mapped_column(nullable=False)
    plazo_meses: Mapped[int] = mapped_column(Integer, nullable=False)
    tasa_interes_anual: Mapped[Decimal] = mapped_column(
        Numeric(6, 2), nullable=False, default=Decimal("0.00")
    )
    valor_total: Mapped[Money] = mapped_column(nullable=False)
    cuota_inicial: Mapped[Money] = mapped_column(nullable=False)
    id_usuario: Mapped[int | None] = restrict_fk("usuarios.id")
    # The operation it became (at most one).
    id_venta: Mapped[int | None] = restrict_fk("ventas.id")

    proyecto: Mapped[Proyecto] = relationship(lazy="joined")
    cliente: Mapped[Cliente | None] = relationship(lazy="joined")
    plan: Mapped[PlanPago] = relationship(lazy="joined")
    usuario: Mapped[Usuario | None] = relationship(lazy="joined")
    unidades: Mapped[list[CotizacionUnidad]] = relationship(
        back_populates="cotizacion",
        order_by="(CotizacionUnidad.rol.desc(), CotizacionUnidad.id)",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    def estado(self, hoy: date) -> str:
        if self.id_venta is not None:
            return EstadoCotizacion.CONVERTIDA
        if self.valida_hasta < hoy:
            return EstadoCotizacion.VENCIDA
        return EstadoCotizacion.VIGENTE

    @property
    def nombre_cliente(self) -> str:
        if self.cliente is not None:
            return self.cliente.nombre
        return self.prospecto_nombre or ""

    @property
    def unidad_principal(self) -> CotizacionUnidad | None:
        return next((u for u in self.unidades if u.rol == RolUnidadCotizacion.PRINCIPAL), None)

    def __str__(self) -> str:
        return f"Cotización N.° {self.numero}"


class RolUnidadCotizacion:
    PRINCIPAL = "principal"
    ADICIONAL = "adicional"
    ALL = (PRINCIPAL, ADICIONAL)


class CotizacionUnidad(db.Model):
    """One unit of a quote, at its price of that day: exactly one of the three keys."""

    __tablename__ = "cotizacion_unidades"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN id_apartamento IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN id_local IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN id_parqueadero IS NULL THEN 0 ELSE 1 END) = 1",
            name="una_unidad",
        ),
        CheckConstraint("rol IN ('principal', 'adicional')", name="rol_valido"),
        CheckConstraint("precio >= 0", name="precio_no_negativo"),
        Index(
            "uq_cotizacion_unidades_principal",
            "id_cotizacion",
            unique=True,
            sqlite_where=text("rol = 'principal'"),
            postgresql_where=text("rol = 'principal'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_cotizacion: Mapped[int] = restrict_fk("cotizaciones.id", nullable=False)
    id_apartamento: Mapped[int | None] = restrict_fk("apartamentos.id")
    id_local: Mapped[int | None] = restrict_fk("locales.id")
    id_parqueadero: Mapped[int | None] = restrict_fk("parqueaderos.id")
    rol: Mapped[str] = mapped_column(String(10), nullable=False)
    precio: Mapped[Money] = mapped_column(nullable=False)

    cotizacion: Mapped[Cotizacion] = relationship(back_populates="unidades")
    apartamento: Mapped[Apartamento | None] = relationship(lazy="joined")
    local: Mapped[Local | None] = relationship(lazy="joined")
    parqueadero: Mapped[Parqueadero | None] = relationship(lazy="joined")

    @property
    def unidad(self):
        return self.apartamento or self.local or self.parqueadero

    @property
    def clase(self) -> str:
        if self.id_apartamento is not None:
            return "Apartamento"
        if self.id_local is not None:
            return "Local"
        return "Parqueadero"

    def __str__(self) -> str:
        return str(self.unidad)
