"""Background jobs (trabajos): their state, progress, files and result, shared by every machine."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .usuarios import Usuario


class EstadoTrabajo:
    EN_COLA = "en_cola"
    EN_CURSO = "en_curso"
    TERMINADO = "terminado"
    FALLIDO = "fallido"
    ALL = (EN_COLA, EN_CURSO, TERMINADO, FALLIDO)
    ACTIVOS = (EN_COLA, EN_CURSO)
    LABELS = {EN_COLA: "En cola", EN_CURSO: "En curso", TERMINADO: "Terminado", FALLIDO: "Falló"}


class Trabajo(db.Model):
    """One job: `funcion` runs it (again on a retry); `intento` tells a retry from a
    stale run, whose late writes are refused."""

    __tablename__ = "trabajos"
    __table_args__ = (
        CheckConstraint(
            "estado IN ('en_cola', 'en_curso', 'terminado', 'fallido')", name="estado_valido"
        ),
        Index("ix_trabajos_usuario_tipo", "id_usuario", "tipo", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tipo: Mapped[str] = mapped_column(String(40), nullable=False)
    funcion: Mapped[str | None] = mapped_column(String(120))
    estado: Mapped[str] = mapped_column(String(20), nullable=False, default=EstadoTrabajo.EN_COLA)
    # The job's own step ("revision", "importacion") and its progress: hechos of total.
    fase: Mapped[str | None] = mapped_column(String(40))
    hechos: Mapped[int] = mapped_column(nullable=False, default=0)
    total: Mapped[int | None] = mapped_column()
    intento: Mapped[int] = mapped_column(nullable=False, default=0)
    parametros: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    resultado: Mapped[dict | None] = mapped_column(JSON)
    # {"mensaje": Spanish text for the user, "reintentable": bool}
    error: Mapped[dict | None] = mapped_column(JSON)
    # The input file and the output file (e.g. the rejected rows), in the database so
    # that any machine can run the job and serve its result.
    nombre_archivo: Mapped[str | None] = mapped_column(String(200))
    entrada: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    salida: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    id_usuario: Mapped[int] = mapped_column(
        ForeignKey("usuarios.id", ondelete="CASCADE"), nullable=False
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    iniciado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    latido_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    terminado_en: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    usuario: Mapped[Usuario] = relationship()

    @property
    def activo(self) -> bool:
        return self.estado in EstadoTrabajo.ACTIVOS

    @property
    def estado_label(self) -> str:
        return EstadoTrabajo.LABELS.get(self.estado, self.estado)

    @property
    def porcentaje(self) -> int:
        if not self.total:
            return 0
        return min(100, int(100 * self.hechos / self.total))
