"""/api/proyectos and /api/apartamentos (read-only): what the sales website shows."""

from flask import request
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Apartamento, EstadoInmueble, Proyecto, Torre
from . import api_bp, serializers
from .errors import ApiError
from .params import MAX_INT, Campos, paginate, pagination, query_int, query_money


@api_bp.get("/proyectos")
def proyectos_lista():
    campos = Campos()
    page, per_page = pagination(campos)
    campos.raise_if_any()
    stmt = db.select(Proyecto).options(selectinload(Proyecto.torres)).order_by(Proyecto.nombre)
    return paginate(stmt, page, per_page, serializers.proyecto)


@api_bp.get("/proyectos/<int:id_proyecto>")
def proyecto_detalle(id_proyecto: int):
    proyecto = db.session.get(Proyecto, id_proyecto) if id_proyecto <= MAX_INT else None
    if proyecto is None:
        raise ApiError(404, "Proyecto no encontrado")
    return {"data": serializers.proyecto(proyecto)}


def _estado(campos: Campos) -> int | None:
    """The `estado` filter by name (Disponible, Separado...), regardless of case."""
    nombre = (request.args.get("estado") or "").strip()
    if not nombre:
        return None
    estado = db.session.scalar(
        db.select(EstadoInmueble).where(func.lower(EstadoInmueble.nombre) == nombre.lower())
    )
    if estado is None:
        nombres = db.session.scalars(db.select(EstadoInmueble.nombre).order_by(EstadoInmueble.id))
        campos.add("estado", "Debe ser uno de: " + ", ".join(nombres) + ".")
        return None
    return estado.id


@api_bp.get("/apartamentos")
def apartamentos_lista():
    campos = Campos()
    page, per_page = pagination(campos)
    id_proyecto = query_int("id_proyecto", campos)
    id_torre = query_int("id_torre", campos)
    id_estado = _estado(campos)
    precio_min = query_money("precio_min", campos)
    precio_max = query_money("precio_max", campos)
    campos.raise_if_any()
    stmt = db.select(Apartamento)
    if id_proyecto:
        stmt = stmt.join(Torre, Apartamento.id_torre == Torre.id).where(
            Torre.id_proyecto == id_proyecto
        )
    if id_torre:
        stmt = stmt.where(Apartamento.id_torre == id_torre)
    if id_estado:
        stmt = stmt.where(Apartamento.id_estado_inmueble == id_estado)
    if precio_min is not None:
        stmt = stmt.where(Apartamento.precio >= precio_min)
    if precio_max is not None:
        stmt = stmt.where(Apartamento.precio <= precio_max)
    return paginate(stmt.order_by(Apartamento.id), page, per_page, serializers.apartamento)


@api_bp.get("/apartamentos/<int:id_apartamento>")
def apartamento_detalle(id_apartamento: int):
    apartamento = db.session.get(Apartamento, id_apartamento) if id_apartamento <= MAX_INT else None
    if apartamento is None:
        raise ApiError(404, "Apartamento no encontrado")
    return {"data": serializers.apartamento(apartamento)}
