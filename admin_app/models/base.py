"""Column helpers shared by every model."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated

from sqlalchemy import DateTime, ForeignKey, Numeric
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


# Money is exact: Numeric(18, 2), never float.
Money = Annotated[Decimal, mapped_column(Numeric(18, 2))]


def restrict_fk(target: str, **kwargs):
    """A foreign key that refuses to delete a referenced row (on SQLite too)."""
    return mapped_column(
        ForeignKey(target, ondelete="RESTRICT", onupdate="RESTRICT"), index=True, **kwargs
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False, index=True
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False
    )


class VersionedMixin:
    """An optimistic-lock counter: SQLAlchemy refuses an UPDATE whose
    version is stale, and forms carry the version the user saw."""

    version: Mapped[int] = mapped_column(nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}
