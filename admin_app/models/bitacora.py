"""The audit log: who changed what, when, from what to what."""

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class Bitacora(db.Model):
    __tablename__ = "bitacora"
    __table_args__ = (Index("ix_bitacora_tabla_registro_fecha", "tabla", "registro", "fecha"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fecha: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=utcnow, index=True
    )
    # Who: a username, "token:<prefijo>" or "comando:<nombre>"; kept as text
    # so an entry outlives any change to the users table.
    actor: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    origen: Mapped[str] = mapped_column(String(20), nullable=False)  # admin, api, comando
    accion: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    tabla: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    registro: Mapped[str] = mapped_column(String(60), nullable=False)
    cambios: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
