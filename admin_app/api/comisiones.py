"""/api/politicas_comision, /api/comisiones and /api/liquidaciones."""

from flask import g, url_for
from sqlalchemy import select

from ..extensions import db
from ..models import Comision, Liquidacion, PoliticaComision
from ..services import comisiones as servicio
from . import api_bp
from .auth import requiere
from .openapi import DELETED, ETAG, LOCATION, alt_errors
from .pagination import page_of, paginate
from .resources import etag, get_or_404, row
from .schemas.base import one
from .schemas.comisiones import (
    ComisionesQuerySchema,
    ComisionSchema,
    LiquidacionNuevaSchema,
    LiquidacionSchema,
    PagoLiquidacionSchema,
    PoliticaCambiosSchema,
    PoliticaNuevaSchema,
    PoliticaSchema,
    PoliticasQuerySchema,
)

TAG = "Comisiones"


def politica_or_404(id_politica: int) -> PoliticaComision:
    return get_or_404(PoliticaComision, id_politica, "Política de comisión no encontrada")


def liquidacion_or_404(id_liquidacion: int) -> Liquidacion:
    return get_or_404(Liquidacion, id_liquidacion, "Liquidación no encontrada")


@api_bp.get("/politicas_comision")
@requiere("politicas_comision:ver")
@api_bp.arguments(PoliticasQuerySchema, location="query")
@api_bp.response(200, page_of(PoliticaSchema), description="Una página de políticas.")
def politicas_lista(query: dict):
    """Políticas de comisión"""
    stmt = select(PoliticaComision)
    for campo in ("id_usuario", "id_proyecto"):
        if campo in query:
            stmt = stmt.where(getattr(PoliticaComision, campo) == query[campo])
    return paginate(stmt.order_by(PoliticaComision.id), query)


@api_bp.get("/politicas_comision/<int:id_politica>")
@requiere("politicas_comision:ver")
@row(politica_or_404)
@api_bp.response(200, one(PoliticaSchema), description="La política.", headers=ETAG)
def politica_detalle(politica: PoliticaComision):
    """Una política de comisión"""
    return {"data": politica}, etag(politica)


@api_bp.post("/politicas_comision")
@requiere("politicas_comision:crear")
@alt_errors(403, 409)
@api_bp.arguments(PoliticaNuevaSchema)
@api_bp.response(201, one(PoliticaSchema), description="Creada.", headers={**LOCATION, **ETAG})
def politica_crear(datos: dict):
    """Crear una política de comisión

    Su vigencia no puede cruzarse con la de otra del mismo proyecto, usuario y tipo (409).
    """
    politica = servicio.guardar_politica(servicio.DatosPolitica(**_completos(datos)))
    db.session.commit()
    return {"data": politica}, {
        "Location": url_for(".politica_detalle", id_politica=politica.id),
        **etag(politica),
    }


def _completos(datos: dict, politica: PoliticaComision | None = None) -> dict:
    campos = ("id_proyecto", "id_usuario", "tipo", "porcentaje", "vigente_desde", "vigente_hasta")
    actuales = {c: getattr(politica, c) for c in campos} if politica else {"vigente_hasta": None}
    return {**actuales, **datos}


@api_bp.patch("/politicas_comision/<int:id_politica>")
@requiere("politicas_comision:editar")
@row(politica_or_404, if_match="La política")
@alt_errors(403, 409)
@api_bp.arguments(PoliticaCambiosSchema)
@api_bp.response(200, one(PoliticaSchema), description="Actualizada.", headers=ETAG)
def politica_modificar(politica: PoliticaComision, datos: dict):
    """Cambiar una política de comisión

    Las comisiones ya causadas conservan su porcentaje.
    """
    servicio.guardar_politica(servicio.DatosPolitica(**_completos(datos, politica)), politica)
    db.session.commit()
    return {"data": politica}, etag(politica)


@api_bp.delete("/politicas_comision/<int:id_politica>")
@requiere("politicas_comision:eliminar")
@row(politica_or_404, if_match="La política")
@alt_errors(403, 409)
@DELETED
def politica_eliminar(politica: PoliticaComision):
    """Eliminar una política sin comisiones (solo admin)"""
    servicio.eliminar_politica(politica)
    db.session.commit()
    return "", 204


@api_bp.get("/comisiones")
@requiere("comisiones:ver")
@alt_errors(403)
@api_bp.arguments(ComisionesQuerySchema, location="query")
@api_bp.response(200, page_of(ComisionSchema), description="Una página de comisiones.")
def comisiones_lista(query: dict):
    """Comisiones

    Un asesor ve solo las suyas (pedir las de otro: 403); un director, las suyas y
    las de su equipo.
    """
    usuario = g.api_user
    servicio.exigir_visible(usuario, query.get("beneficiario"))
    filtros = servicio.Filtros(
        beneficiario=query.get("beneficiario"),
        proyecto=query.get("proyecto"),
        estado=query.get("estado"),
        desde=query.get("desde"),
        hasta=query.get("hasta"),
        visibles=servicio.visibles(usuario),
    )
    stmt = servicio.filtrar(select(Comision), filtros)
    return paginate(stmt.order_by(Comision.fecha.desc(), Comision.id.desc()), query)


@api_bp.get("/liquidaciones/<int:id_liquidacion>")
@requiere("liquidaciones:ver")
@row(liquidacion_or_404)
@api_bp.response(200, one(LiquidacionSchema), description="La liquidación.", headers=ETAG)
def liquidacion_detalle(liquidacion: Liquidacion):
    """Una liquidación"""
    return {"data": liquidacion}, etag(liquidacion)


@api_bp.post("/liquidaciones")
@requiere("liquidaciones:crear")
@alt_errors(403, 409)
@api_bp.arguments(LiquidacionNuevaSchema)
@api_bp.response(
    201, one(LiquidacionSchema), description="Liquidada.", headers={**LOCATION, **ETAG}
)
def liquidacion_crear(datos: dict):
    """Liquidar comisiones causadas (admin o gerente)

    Por `ids` o por `filtros` (beneficiario, proyecto, desde, hasta). La liquidación
    nace liquidada, con número, fecha y total. Si otra persona liquidó alguna a la
    vez: 409 y no se liquida nada.
    """
    filtros = None
    if "filtros" in datos:
        filtros = servicio.Filtros(**datos["filtros"])
    liquidacion = servicio.liquidar(
        ids=datos.get("ids"), filtros=filtros, fecha=datos.get("fecha"), usuario=g.api_user
    )
    db.session.commit()
    return {"data": liquidacion}, {
        "Location": url_for(".liquidacion_detalle", id_liquidacion=liquidacion.id),
        **etag(liquidacion),
    }


@api_bp.post("/liquidaciones/<int:id_liquidacion>/pagar")
@requiere("liquidaciones:editar")
@row(liquidacion_or_404)
@alt_errors(403, 409)
@api_bp.arguments(PagoLiquidacionSchema)
@api_bp.response(200, one(LiquidacionSchema), description="Pagada.", headers=ETAG)
def liquidacion_pagar(liquidacion: Liquidacion, datos: dict):
    """Marcar pagada una liquidación y sus comisiones

    Con la fecha y la referencia del pago. Pagarla otra vez: 409.
    """
    servicio.pagar(liquidacion, datos["fecha"], datos["referencia"])
    db.session.commit()
    db.session.refresh(liquidacion)
    return {"data": liquidacion}, etag(liquidacion)
