"""Users, their server-side sessions, API tokens and login throttling."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, UTCDateTime, VersionedMixin, utcnow


class Rol:
    ADMIN = "admin"
    DIGITADOR = "digitador"
    ASESOR = "asesor"
    DIRECTOR_COMERCIAL = "director_comercial"
    CONTADOR = "contador"
    GERENTE = "gerente"
    ALL = (ADMIN, DIGITADOR, ASESOR, DIRECTOR_COMERCIAL, CONTADOR, GERENTE)
    # Who sells: attributed operations and earns commissions.
    VENDEN = (ASESOR, DIRECTOR_COMERCIAL)
    LABELS = {
        ADMIN: "Administrador",
        DIGITADOR: "Digitador",
        ASESOR: "Asesor",
        DIRECTOR_COMERCIAL: "Director comercial",
        CONTADOR: "Contador",
        GERENTE: "Gerente",
    }


class Usuario(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "usuarios"
    __table_args__ = (
        CheckConstraint(
            "rol IN ('admin', 'digitador', 'asesor', 'director_comercial', 'contador', 'gerente')",
            name="rol_valido",
        ),
        CheckConstraint("id_director IS NULL OR id_director <> id", name="director_no_propio"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), nullable=False, unique=True)
    nombre_completo: Mapped[str] = mapped_column(String(120), nullable=False)
    rol: Mapped[str] = mapped_column(String(20), nullable=False, default=Rol.DIGITADOR)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    activo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # The director_comercial who leads this asesor's team (services/asesores.py). Users
    # are deactivated, not deleted; if one is, his team is left without a director.
    id_director: Mapped[int | None] = mapped_column(
        ForeignKey("usuarios.id", ondelete="SET NULL"), index=True
    )

    director: Mapped[Usuario | None] = relationship(remote_side="Usuario.id", lazy="select")

    # Set by auth at login for Flask-Login's get_id(); never stored.
    session_token = None

    @property
    def es_admin(self) -> bool:
        return self.rol == Rol.ADMIN

    @property
    def rol_label(self) -> str:
        return Rol.LABELS.get(self.rol, self.rol)

    # Flask-Login protocol.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.activo

    def get_id(self) -> str | None:
        return self.session_token

    def __str__(self) -> str:
        return self.username


# Login reads the username regardless of case, so `Admin` and `admin` clash.
Index("uq_usuarios_username_lower", func.lower(Usuario.username), unique=True)


class Sesion(db.Model):
    """A login session, checked on every request so it can be revoked at once."""

    __tablename__ = "sesiones"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    id_usuario: Mapped[int] = mapped_column(
        ForeignKey("usuarios.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ip: Mapped[str | None] = mapped_column(String(64))

    usuario: Mapped[Usuario] = relationship(lazy="joined")


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_usuario: Mapped[int] = mapped_column(
        ForeignKey("usuarios.id", ondelete="CASCADE"), nullable=False, index=True
    )
    nombre: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    # The token is shown once; only its SHA-256 is kept (it is random, not a password).
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    prefijo: Mapped[str] = mapped_column(String(12), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    usuario: Mapped[Usuario] = relationship(lazy="joined")


class IntentoLogin(db.Model):
    """Failed logins per username, shared by every worker."""

    __tablename__ = "intentos_login"

    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    fallidos: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    ultimo_fallo: Mapped[datetime | None] = mapped_column(UTCDateTime())
    bloqueado_hasta: Mapped[datetime | None] = mapped_column(UTCDateTime())
