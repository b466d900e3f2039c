"""The login log: every success and failure, with IP, browser and time; kept a year."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class MotivoAcceso:
    EXITO = "exito"
    CREDENCIALES = "credenciales"
    INACTIVO = "inactivo"
    BLOQUEADO = "bloqueado"
    ALL = (EXITO, CREDENCIALES, INACTIVO, BLOQUEADO)
    LABELS = {
        EXITO: "Ingreso correcto",
        CREDENCIALES: "Usuario o contraseña incorrectos",
        INACTIVO: "Usuario inactivo",
        BLOQUEADO: "Bloqueado por intentos fallidos",
    }


class RegistroAcceso(db.Model):
    __tablename__ = "registro_accesos"
    __table_args__ = (Index("ix_registro_accesos_username_fecha", "username", "fecha"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fecha: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=utcnow, index=True
    )
    # What was typed (a failure may name no user); the user when it exists.
    username: Mapped[str] = mapped_column(String(60), nullable=False)
    id_usuario: Mapped[int | None] = mapped_column(
        ForeignKey("usuarios.id", ondelete="SET NULL"), index=True
    )
    exito: Mapped[bool] = mapped_column(Boolean, nullable=False)
    motivo: Mapped[str] = mapped_column(String(20), nullable=False)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    @property
    def motivo_label(self) -> str:
        return MotivoAcceso.LABELS.get(self.motivo, self.motivo)
