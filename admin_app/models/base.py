"""Column helpers shared by every model."""

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from sqlalchemy import BigInteger, DateTime, ForeignKey, Numeric
from sqlalchemy.orm import Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator


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


CENTAVO = Decimal("0.01")
# The largest amount Numeric(18, 2) holds; forms and the API refuse anything beyond.
DINERO_MAXIMO = Decimal("9999999999999999.99")


class Dinero(TypeDecorator):
    """Pesos to the centavo, exact on both databases: Numeric(18, 2) on PostgreSQL;
    integer centavos (BIGINT) on SQLite, whose NUMERIC is a float (a SUM of pagos
    gave 339949121.99999994). Python sees a Decimal with 2 places either way, and
    SQL sums, differences and comparisons with amounts (`precio > 5` binds 500
    centavos) stay exact. SQL that multiplies money by a plain number, or turns
    it into text, or a raw SQL literal, must know that SQLite holds centavos:
    do those in Python."""

    impl = Numeric(18, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(18, 2))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        valor = a_centavos(value)
        if dialect.name == "sqlite":
            if abs(valor) > DINERO_MAXIMO:  # PostgreSQL's Numeric(18, 2) refuses it too
                raise ValueError(f"Valor fuera del rango de Numeric(18, 2): {valor}")
            return int(valor.scaleb(2))
        return valor

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return a_centavos(Decimal(value).scaleb(-2))
        return a_centavos(value)

    @property
    def python_type(self):
        return Decimal


def a_centavos(valor) -> Decimal:
    """`valor` as pesos with exactly 2 places (half up, as PostgreSQL rounds)."""
    if not isinstance(valor, Decimal):
        valor = Decimal(str(valor)) if isinstance(valor, float) else Decimal(valor)
    if not valor.is_finite():
        raise ValueError(f"Valor de dinero no finito: {valor}")
    return valor.quantize(CENTAVO, rounding=ROUND_HALF_UP)


# Money is exact: Numeric(18, 2) on PostgreSQL, integer centavos on SQLite; never float.
Money = Annotated[Decimal, mapped_column(Dinero())]


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
