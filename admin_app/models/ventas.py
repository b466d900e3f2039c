"""Ventas y separaciones, their plan de amortización (cuotas) and pagos."""

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
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Money, TimestampMixin, VersionedMixin, restrict_fk
from .catalogos import FormaPago, MedioPago
from .clientes import Cliente
from .inmuebles import Apartamento, Local, Parqueadero, Proyecto, Torre
from .planes import TerminosPlanMixin
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


class RolUnidad:
    """What a unit is in its operation (operacion_unidades.rol)."""

    PRINCIPAL = "principal"
    ADICIONAL = "adicional"
    INCLUIDO = "incluido"
    ALL = (PRINCIPAL, ADICIONAL, INCLUIDO)
    LABELS = {PRINCIPAL: "Principal", ADICIONAL: "Adicional", INCLUIDO: "Incluido"}


UNA_UNIDAD = (
    "(CASE WHEN id_apartamento IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN id_local IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN id_parqueadero IS NULL THEN 0 ELSE 1 END) = 1"
)


class ConceptoCuota:
    SEPARACION = "Separación"
    CUOTA_INICIAL = "Cuota inicial"
    SALDO_FINAL = "Saldo final"
    ALL = (SEPARACION, CUOTA_INICIAL, SALDO_FINAL)


def _proyecto_de_la_unidad(context) -> int | None:
    """ventas.id_proyecto when an insert does not give it: the main unit's project."""
    valores = context.get_current_parameters()
    if valores.get("id_apartamento") is not None:
        consulta = (
            select(Torre.id_proyecto)
            .join(Apartamento, Apartamento.id_torre == Torre.id)
            .where(Apartamento.id == valores["id_apartamento"])
        )
    elif valores.get("id_local") is not None:
        consulta = select(Local.id_proyecto).where(Local.id == valores["id_local"])
    elif valores.get("id_parqueadero") is not None:
        consulta = (
            select(Torre.id_proyecto)
            .join(Parqueadero, Parqueadero.id_torre == Torre.id)
            .where(Parqueadero.id == valores["id_parqueadero"])
        )
    else:
        return None
    return context.connection.scalar(consulta)


class Venta(TerminosPlanMixin, TimestampMixin, VersionedMixin, db.Model):
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
        CheckConstraint(
            "frecuencia_meses IS NULL OR frecuencia_meses >= 1", name="frecuencia_positiva"
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
        # The main unit: an apartamento, a local or a parqueadero sold alone.
        CheckConstraint(UNA_UNIDAD, name="una_unidad_principal"),
        Index("ix_ventas_estado_fecha_limite", "estado_operacion", "fecha_limite_separacion"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tipo_operacion: Mapped[str] = mapped_column(String(12), nullable=False, index=True)
    estado_operacion: Mapped[str] = mapped_column(
        String(12), nullable=False, default=EstadoOperacion.VIGENTE, index=True
    )
    documento_cliente: Mapped[str] = restrict_fk("clientes.documento", nullable=False)
    # The main unit, exactly one of the three; every unit (with the adicionales
    # and incluidos) is in operacion_unidades.
    id_apartamento: Mapped[int | None] = restrict_fk("apartamentos.id")
    id_local: Mapped[int | None] = restrict_fk("locales.id")
    id_parqueadero: Mapped[int | None] = restrict_fk("parqueaderos.id")
    # The project of the main unit, kept on the operation: reports, goals,
    # commissions and the dashboard group by it whatever the unit's kind.
    id_proyecto: Mapped[int] = restrict_fk(
        "proyectos.id", nullable=False, default=_proyecto_de_la_unidad
    )
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
    # The list price of the apartment when the operation was made, the factor of
    # the price policies then in force and their names (services/precios.py).
    precio_lista: Mapped[Money | None] = mapped_column()
    factor_precio: Mapped[Decimal | None] = mapped_column(Numeric(14, 8))
    politicas_aplicadas: Mapped[str | None] = mapped_column(String(300))
    # The plan de pago it took, if any; its terms are copied (TerminosPlanMixin).
    id_plan_pago: Mapped[int | None] = restrict_fk("planes_pago.id")
    # Who sold it (services/asesores.py); null only for old operations nobody claimed.
    id_asesor: Mapped[int | None] = restrict_fk("usuarios.id")

    cliente: Mapped[Cliente] = relationship(back_populates="ventas", lazy="joined")
    apartamento: Mapped[Apartamento | None] = relationship(back_populates="ventas", lazy="joined")
    proyecto: Mapped[Proyecto] = relationship()
    # Loaded when used: most operations sell an apartment (no query for a null key).
    local: Mapped[Local | None] = relationship()
    parqueadero: Mapped[Parqueadero | None] = relationship()
    unidades: Mapped[list[OperacionUnidad]] = relationship(
        back_populates="venta", order_by="OperacionUnidad.id", cascade="all, delete-orphan"
    )
    forma_pago: Mapped[FormaPago | None] = relationship(lazy="joined")
    asesor: Mapped[Usuario | None] = relationship(lazy="select")
    cuotas: Mapped[list[Cuota]] = relationship(
        back_populates="venta", order_by="Cuota.numero", cascade="all, delete-orphan"
    )
    pagos: Mapped[list[Pago]] = relationship(
        back_populates="venta", order_by="(Pago.fecha, Pago.id)", passive_deletes="all"
    )

    @property
    def unidad(self) -> Apartamento | Local | Parqueadero:
        """The main unit."""
        return self.apartamento or self.local or self.parqueadero

    @property
    def adicionales(self) -> list[OperacionUnidad]:
        return [u for u in self.unidades if u.rol == RolUnidad.ADICIONAL]

    @property
    def descripcion_unidades(self) -> str:
        """ "Torre 1 - Apto 101 + Parqueadero P-001 ...": every unit, the main one first."""
        return " + ".join(str(u.unidad) for u in self.unidades) or str(self.unidad)

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


class OperacionUnidad(db.Model):
    """One unit of an operation: its main unit, a parking adicional (sold at its own
    price) or a parking incluido in the apartment (at no price). `vigente` mirrors
    the operation's estado, so a partial unique index per unit kind lets the
    database refuse a second vigente operation on any unit."""

    __tablename__ = "operacion_unidades"
    __table_args__ = (
        CheckConstraint(UNA_UNIDAD, name="una_unidad"),
        CheckConstraint("rol IN ('principal', 'adicional', 'incluido')", name="rol_valido"),
        CheckConstraint("precio >= 0", name="precio_no_negativo"),
        CheckConstraint("rol <> 'incluido' OR precio = 0", name="incluido_sin_precio"),
        Index(
            "uq_operacion_unidades_apartamento_vigente",
            "id_apartamento",
            unique=True,
            sqlite_where=text("vigente"),
            postgresql_where=text("vigente"),
        ),
        Index(
            "uq_operacion_unidades_local_vigente",
            "id_local",
            unique=True,
            sqlite_where=text("vigente"),
            postgresql_where=text("vigente"),
        ),
        Index(
            "uq_operacion_unidades_parqueadero_vigente",
            "id_parqueadero",
            unique=True,
            sqlite_where=text("vigente"),
            postgresql_where=text("vigente"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_venta: Mapped[int] = restrict_fk("ventas.id", nullable=False)
    id_apartamento: Mapped[int | None] = restrict_fk("apartamentos.id")
    id_local: Mapped[int | None] = restrict_fk("locales.id")
    id_parqueadero: Mapped[int | None] = restrict_fk("parqueaderos.id")
    rol: Mapped[str] = mapped_column(String(10), nullable=False)
    # The unit's price when the operation was made (incluido: 0).
    precio: Mapped[Money] = mapped_column(nullable=False)
    vigente: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    venta: Mapped[Venta] = relationship(back_populates="unidades")
    apartamento: Mapped[Apartamento | None] = relationship()
    local: Mapped[Local | None] = relationship()
    parqueadero: Mapped[Parqueadero | None] = relationship()

    @property
    def unidad(self) -> Apartamento | Local | Parqueadero:
        return self.apartamento or self.local or self.parqueadero

    @property
    def rol_label(self) -> str:
        return RolUnidad.LABELS.get(self.rol, self.rol)


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
