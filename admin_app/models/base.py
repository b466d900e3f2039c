"""Column helpers shared by every model."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from sqlalchemy import DateTime, ForeignKey, Numeric, TypeDecorator
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A moment: stored in UTC, read back as an aware UTC datetime on every
    database (SQLite keeps no offset; PostgreSQL answers in its session's zone).
    The DDL is DateTime(timezone=True)'s, so migrations see no change."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return _as_utc(value)  # a naive value is taken as UTC, as utcnow() writes

    def process_result_value(self, value, dialect):
        return _as_utc(value)


def _as_utc(value):
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


# Money is exact: Numeric(18, 2), never float.
Money = Annotated[Decimal, mapped_column(Numeric(18, 2))]


def restrict_fk(target: str, **kwargs):
    """A foreign key that refuses to delete a referenced row (on SQLite too)."""
    return mapped_column(
        ForeignKey(target, ondelete="RESTRICT", onupdate="RESTRICT"), index=True, **kwargs
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, nullable=False, index=True
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


class VersionedMixin:
    """An optimistic-lock counter: SQLAlchemy refuses an UPDATE whose
    version is stale, and forms carry the version the user saw."""

    version: Mapped[int] = mapped_column(nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}
