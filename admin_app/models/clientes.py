"""Clientes: natural persons and companies, keyed by their document number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Index, String, func, literal_column, true
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from ..text import fold
from .base import TimestampMixin, VersionedMixin, restrict_fk
from .catalogos import TipoCliente, TipoDocumento

if TYPE_CHECKING:
    from .inmuebles import Apartamento
    from .ventas import Venta


class Cliente(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "clientes"

    # docs/dominio.md: the document number is the key, a string, never updated.
    documento: Mapped[str] = mapped_column(String(40), primary_key=True)
    nombre: Mapped[str] = mapped_column(String(150), nullable=False, index=True)
    # The name folded (lower case, no accents) for search; kept by @validates.
    nombre_busqueda: Mapped[str] = mapped_column(String(150), nullable=False, index=True)
    id_tipo_cliente: Mapped[int] = restrict_fk("tipos_cliente.id", nullable=False)
    id_tipo_documento: Mapped[int] = restrict_fk("tipos_documento.id", nullable=False)
    direccion: Mapped[str | None] = mapped_column(String(200))
    telefono: Mapped[str | None] = mapped_column(String(30), index=True)
    correo: Mapped[str | None] = mapped_column(String(150), index=True)
    # Reminders (cuotas, separations) only while True; transaction emails always go.
    recibir_recordatorios: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=true()
    )

    tipo_cliente: Mapped[TipoCliente] = relationship(lazy="joined", innerjoin="unnested")
    tipo_documento: Mapped[TipoDocumento] = relationship(lazy="joined", innerjoin="unnested")
    # Write-only: a client may have many operations; never load them all by accident.
    ventas: Mapped[list[Venta]] = relationship(
        back_populates="cliente", lazy="raise", passive_deletes="all"
    )
    apartamentos: Mapped[list[Apartamento]] = relationship(
        back_populates="propietario", lazy="raise", passive_deletes="all"
    )

    @validates("nombre")
    def _keep_search_name(self, _key: str, value: str) -> str:
        self.nombre_busqueda = fold(value)
        return value

    def __str__(self) -> str:
        return f"{self.nombre} ({self.documento})"


# Search indexes that exist on PostgreSQL only (migration 0002; SQLite uses an
# FTS5 table instead); `info` tells migrations/env.py to compare them there only.
_SOLO_POSTGRESQL = {"dialect": "postgresql"}
_clientes = Cliente.__table__
Index(
    "ix_clientes_nombre_busqueda_fts",
    func.to_tsvector(literal_column("'simple'::regconfig"), _clientes.c.nombre_busqueda),
    postgresql_using="gin",
    _table=_clientes,
    info=_SOLO_POSTGRESQL,
).ddl_if(dialect="postgresql")
Index(
    "ix_clientes_documento_patron",
    _clientes.c.documento,
    postgresql_ops={"documento": "varchar_pattern_ops"},
    info=_SOLO_POSTGRESQL,
).ddl_if(dialect="postgresql")
# The list's default order (newest first) with the key: deep pages walk this
# index alone (index-only scan) before reading the page's rows.
Index("ix_clientes_created_at_documento", _clientes.c.created_at, _clientes.c.documento)
# The filter by tipo de cliente in the list's default order: the index serves the
# filter and the order together, so the planner takes it with or without
# statistics (SQLite's PRAGMA optimize samples 1,000 rows and took two tipos
# for a thousand: the filter then sorted 100,000 matches, 110 ms instead of 9).
Index(
    "ix_clientes_tipo_created_at",
    _clientes.c.id_tipo_cliente,
    _clientes.c.created_at,
    _clientes.c.documento,
)
