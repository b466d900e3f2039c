"""/api/metas and /api/metas/cumplimiento."""

from flask import g, url_for
from sqlalchemy import select

from ..auth import permisos
from ..extensions import db
from ..models import Meta
from ..services import metas as servicio
from ..services.asesores import equipo_de
from . import api_bp
from .openapi import DELETED, ETAG, LOCATION, alt_errors
from .pagination import page_of, paginate
from .resources import etag, get_or_404, row
from .schemas.base import one
from .schemas.metas import (
    CumplimientoQuerySchema,
    CumplimientoRespuestaSchema,
    MetaCambiosSchema,
    MetaMensualSchema,
    MetaNuevaSchema,
    MetasQuerySchema,
)

TAG = "Metas"
CAMPOS = ("id_proyecto", "id_usuario", "anio", "mes", "tipo", "meta")


def meta_or_404(id_meta: int) -> Meta:
    return get_or_404(Meta, id_meta, "Meta no encontrada")


def usuarios_visibles(usuario) -> list[int] | None:
    """Whose goals `usuario` reads: all, or his own and his team's."""
    if permisos.puede(usuario, permisos.METAS_TODAS) or usuario.es_admin:
        return None
    return [usuario.id, *equipo_de(usuario.id)]


@api_bp.get("/metas")
@api_bp.arguments(MetasQuerySchema, location="query")
@api_bp.response(200, page_of(MetaMensualSchema), description="Una página de metas.")
def metas_lista(query: dict):
    """Metas mensuales"""
    stmt = servicio.metas_visibles(select(Meta), usuarios_visibles(g.api_user))
    for campo in ("anio", "mes", "id_usuario"):
        if campo in query:
            stmt = stmt.where(getattr(Meta, campo) == query[campo])
    return paginate(stmt.order_by(Meta.anio.desc(), Meta.mes.desc(), Meta.id), query)


@api_bp.get("/metas/cumplimiento")
@api_bp.arguments(CumplimientoQuerySchema, location="query")
@api_bp.response(200, CumplimientoRespuestaSchema, description="Cada meta del mes.")
def metas_cumplimiento(query: dict):
    """Cumplimiento de las metas de un mes

    Por meta: la meta, lo real, el porcentaje y la alerta (por debajo del 80 %).
    """
    filas = servicio.cumplimiento(query["anio"], query["mes"], usuarios_visibles(g.api_user))
    return {"anio": query["anio"], "mes": query["mes"], "data": filas}


@api_bp.get("/metas/<int:id_meta>")
@row(meta_or_404)
@api_bp.response(200, one(MetaMensualSchema), description="La meta.", headers=ETAG)
def meta_detalle(meta: Meta):
    """Una meta"""
    return {"data": meta}, etag(meta)


@api_bp.post("/metas")
@alt_errors(403, 409)
@api_bp.arguments(MetaNuevaSchema)
@api_bp.response(201, one(MetaMensualSchema), description="Creada.", headers={**LOCATION, **ETAG})
def meta_crear(datos: dict):
    """Crear una meta

    Única por proyecto, usuario, año, mes y tipo (409 si ya existe).
    """
    datos = {"id_proyecto": None, "id_usuario": None, **datos}
    meta = servicio.guardar_meta(servicio.DatosMeta(**datos))
    db.session.commit()
    return {"data": meta}, {"Location": url_for(".meta_detalle", id_meta=meta.id), **etag(meta)}


@api_bp.patch("/metas/<int:id_meta>")
@row(meta_or_404, if_match="La meta")
@alt_errors(403, 409)
@api_bp.arguments(MetaCambiosSchema)
@api_bp.response(200, one(MetaMensualSchema), description="Actualizada.", headers=ETAG)
def meta_modificar(meta: Meta, datos: dict):
    """Cambiar una meta"""
    actuales = {c: getattr(meta, c) for c in CAMPOS}
    servicio.guardar_meta(servicio.DatosMeta(**{**actuales, **datos}), meta)
    db.session.commit()
    return {"data": meta}, etag(meta)


@api_bp.delete("/metas/<int:id_meta>")
@row(meta_or_404, if_match="La meta")
@alt_errors(403)
@DELETED
def meta_eliminar(meta: Meta):
    """Eliminar una meta (solo admin)"""
    servicio.eliminar_meta(meta)
    db.session.commit()
    return "", 204
