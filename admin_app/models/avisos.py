"""The outbox of email notices: each one written in the transaction of its cause,
sent after the commit, retried with backoff, every attempt logged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, UTCDateTime, restrict_fk, utcnow


class EstadoAviso:
    PENDIENTE = "pendiente"  # waiting for its next attempt
    ENVIANDO = "enviando"  # claimed by one sender
    ENVIADO = "enviado"
    FALLIDO = "fallido"  # gave up after the last attempt; an admin may resend
    ALL = (PENDIENTE, ENVIANDO, ENVIADO, FALLIDO)
    LABELS = {
        PENDIENTE: "Pendiente",
        ENVIANDO: "Enviando",
        ENVIADO: "Enviado",
        FALLIDO: "Fallido",
    }


class TipoAviso:
    OPERACION_CLIENTE = "operacion_cliente"
    OPERACION_ASESOR = "operacion_asesor"
    CUOTA_POR_VENCER = "cuota_por_vencer"
    SEPARACION_POR_CADUCAR = "separacion_por_caducar"
    RESUMEN_CARTERA = "resumen_cartera"
    ALL = (
        OPERACION_CLIENTE,
        OPERACION_ASESOR,
        CUOTA_POR_VENCER,
        SEPARACION_POR_CADUCAR,
        RESUMEN_CARTERA,
    )
    LABELS = {
        OPERACION_CLIENTE: "Operación registrada (cliente)",
        OPERACION_ASESOR: "Operación registrada (asesor)",
        CUOTA_POR_VENCER: "Cuota por vencer",
        SEPARACION_POR_CADUCAR: "Separación por caducar",
        RESUMEN_CARTERA: "Resumen semanal de cartera",
    }


class Aviso(TimestampMixin, db.Model):
    __tablename__ = "avisos"
    __table_args__ = (
        CheckConstraint(
            "estado IN ('pendiente', 'enviando', 'enviado', 'fallido')", name="estado_valido"
        ),
        CheckConstraint("intentos >= 0", name="intentos_no_negativos"),
        # What the sender walks: the pending ones whose time has come.
        Index("ix_avisos_estado_proximo", "estado", "proximo_intento"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tipo: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    # One notice per cause and recipient: queuing the same reminder twice adds nothing.
    clave: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    destinatario: Mapped[str] = mapped_column(String(150), nullable=False)
    asunto: Mapped[str] = mapped_column(String(200), nullable=False)
    texto: Mapped[str] = mapped_column(Text, nullable=False)
    html: Mapped[str] = mapped_column(Text, nullable=False)
    estado: Mapped[str] = mapped_column(String(12), nullable=False, default=EstadoAviso.PENDIENTE)
    intentos: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    proximo_intento: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    enviado_en: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ultimo_error: Mapped[str | None] = mapped_column(String(500))
    id_venta: Mapped[int | None] = restrict_fk("ventas.id")

    intentos_envio: Mapped[list[IntentoAviso]] = relationship(
        back_populates="aviso", order_by="IntentoAviso.id", cascade="all, delete-orphan"
    )

    @property
    def estado_label(self) -> str:
        return EstadoAviso.LABELS.get(self.estado, self.estado)

    @property
    def tipo_label(self) -> str:
        return TipoAviso.LABELS.get(self.tipo, self.tipo)

    def __str__(self) -> str:
        return f"Aviso #{self.id}"


class IntentoAviso(db.Model):
    """One attempt to send a notice: when, and the server's error if it failed."""

    __tablename__ = "avisos_intentos"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_aviso: Mapped[int] = mapped_column(
        ForeignKey("avisos.id", ondelete="CASCADE"), nullable=False, index=True
    )
    fecha: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    exito: Mapped[bool] = mapped_column(nullable=False)
    error: Mapped[str | None] = mapped_column(String(500))

    aviso: Mapped[Aviso] = relationship(back_populates="intentos_envio")
