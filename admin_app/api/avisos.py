"""/api/avisos: the outbox of email notices, newest first (admins only)."""

from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Aviso
from . import api_bp
from .auth import admin_only
from .openapi import alt_errors
from .pagination import page_of, paginate
from .schemas.avisos import AvisoSchema, AvisosQuerySchema

TAG = "Avisos"


@api_bp.get("/avisos")
@admin_only
@api_bp.arguments(AvisosQuerySchema, location="query")
@alt_errors(403)
@api_bp.response(200, page_of(AvisoSchema), description="Una página de avisos.")
def avisos_lista(query: dict):
    """Bandeja de salida de avisos por correo (solo admin)

    Cada aviso con su estado (pendiente, enviando, enviado, fallido), sus intentos y
    el último error del servidor de correo.
    """
    stmt = db.select(Aviso).options(selectinload(Aviso.intentos_envio)).order_by(Aviso.id.desc())
    if query.get("estado"):
        stmt = stmt.where(Aviso.estado == query["estado"])
    return paginate(stmt, query)
