"""Cached row counts of the admin lists, shared by every worker (when there is no Redis)."""

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime


class ConteoCache(db.Model):
    __tablename__ = "conteos_cache"

    clave: Mapped[str] = mapped_column(String(200), primary_key=True)
    valor: Mapped[int] = mapped_column(BigInteger, nullable=False)
    calculado_en: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
