"""/api/proyectos and /api/apartamentos (read-only): what the sales website shows."""

from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Apartamento, Proyecto, Torre
from . import api_bp
from .pagination import PaginaQuerySchema, page_of, paginate
from .resources import get_or_404, row
from .schemas.base import one
from .schemas.inventario import ApartamentoSchema, ApartamentosQuerySchema, ProyectoSchema

TAG = "Inventario"


@api_bp.get("/proyectos")
@api_bp.arguments(PaginaQuerySchema, location="query")
@api_bp.response(200, page_of(ProyectoSchema), description="Una página de proyectos.")
def proyectos_lista(query: dict):
    """Proyectos con sus reglas de venta y torres"""
    stmt = db.select(Proyecto).options(selectinload(Proyecto.torres)).order_by(Proyecto.nombre)
    return paginate(stmt, query)


@api_bp.get("/proyectos/<int:id_proyecto>")
@row(lambda id_proyecto: get_or_404(Proyecto, id_proyecto, "Proyecto no encontrado"))
@api_bp.response(200, one(ProyectoSchema), description="El proyecto.")
def proyecto_detalle(proyecto: Proyecto):
    """Un proyecto"""
    return {"data": proyecto}


@api_bp.get("/apartamentos")
@api_bp.arguments(ApartamentosQuerySchema, location="query")
@api_bp.response(200, page_of(ApartamentoSchema), description="Una página de apartamentos.")
def apartamentos_lista(query: dict):
    """Apartamentos (lo que el sitio de ventas muestra)"""
    stmt = db.select(Apartamento)
    if query.get("id_proyecto"):
        stmt = stmt.join(Torre, Apartamento.id_torre == Torre.id).where(
            Torre.id_proyecto == query["id_proyecto"]
        )
    if query.get("id_torre"):
        stmt = stmt.where(Apartamento.id_torre == query["id_torre"])
    if query.get("estado"):
        stmt = stmt.where(Apartamento.id_estado_inmueble == query["estado"])
    if query.get("precio_min") is not None:
        stmt = stmt.where(Apartamento.precio >= query["precio_min"])
    if query.get("precio_max") is not None:
        stmt = stmt.where(Apartamento.precio <= query["precio_max"])
    return paginate(stmt.order_by(Apartamento.id), query)


@api_bp.get("/apartamentos/<int:id_apartamento>")
@row(lambda id_apartamento: get_or_404(Apartamento, id_apartamento, "Apartamento no encontrado"))
@api_bp.response(200, one(ApartamentoSchema), description="El apartamento.")
def apartamento_detalle(apartamento: Apartamento):
    """Un apartamento"""
    return {"data": apartamento}
