"""Recibos de caja: one per payment, numbered without gaps, kept when the payment goes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Money, TimestampMixin, UTCDateTime, restrict_fk
from .clientes import Cliente
from .ventas import Pago, Venta


class Consecutivo(db.Model):
    """A gapless counter per kind of document (`recibo_caja`): the next number is
    taken by one UPDATE in the transaction that issues the document, so a
    rollback gives it back and two transactions at once wait for each other."""

    __tablename__ = "consecutivos"
    __table_args__ = (CheckConstraint("ultimo >= 0", name="ultimo_no_negativo"),)

    nombre: Mapped[str] = mapped_column(String(40), primary_key=True)
    ultimo: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class ReciboCaja(TimestampMixin, db.Model):
    """The receipt of one payment, as it was issued (and as corrected since):
    the number is never reused; deleting the payment marks it annulled."""

    __tablename__ = "recibos_caja"
    __table_args__ = (
        CheckConstraint("numero >= 1", name="numero_positivo"),
        CheckConstraint("valor > 0", name="valor_positivo"),
        CheckConstraint("id_pago IS NOT NULL OR anulado_en IS NOT NULL", name="con_pago_o_anulado"),
        # One receipt per live payment; annulled receipts have no payment.
        Index(
            "uq_recibos_caja_pago",
            "id_pago",
            unique=True,
            sqlite_where=text("id_pago IS NOT NULL"),
            postgresql_where=text("id_pago IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    numero: Mapped[int] = mapped_column(BigInteger, nullable=False, unique=True)
    id_pago: Mapped[int | None] = restrict_fk("pagos.id")
    id_venta: Mapped[int] = restrict_fk("ventas.id", nullable=False)
    documento_cliente: Mapped[str] = restrict_fk("clientes.documento", nullable=False)
    fecha: Mapped[date] = mapped_column(Date, nullable=False)
    valor: Mapped[Money] = mapped_column(nullable=False)
    medio_pago: Mapped[str] = mapped_column(String(80), nullable=False)
    referencia: Mapped[str | None] = mapped_column(String(60))
    anulado_en: Mapped[datetime | None] = mapped_column(UTCDateTime())

    pago: Mapped[Pago | None] = relationship()
    venta: Mapped[Venta] = relationship()
    cliente: Mapped[Cliente] = relationship()

    @property
    def anulado(self) -> bool:
        return self.anulado_en is not None

    def __str__(self) -> str:
        return f"Recibo de caja N.° {self.numero}"
