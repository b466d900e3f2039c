"""/api/ventas: ventas and separaciones, their conversion, annulment and plan."""

from flask import g, url_for
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Apartamento, Local, Parqueadero, Torre, Venta
from ..services import ventas as servicio
from ..services.errors import ServiceError
from . import api_bp
from .openapi import ETAG, LOCATION, alt_errors
from .pagination import page_of, paginate
from .resources import etag, get_or_404, row
from .schemas.base import one
from .schemas.ventas import (
    AnulacionSchema,
    ConversionSchema,
    PlanSchema,
    VentaDetalleSchema,
    VentaNuevaSchema,
    VentaSchema,
    VentasQuerySchema,
)

TAG = "Ventas"
DETALLE = one(VentaDetalleSchema)


def venta_or_404(id_venta: int) -> Venta:
    return get_or_404(Venta, id_venta, "Venta no encontrada")


@api_bp.get("/ventas")
@api_bp.arguments(VentasQuerySchema, location="query")
@api_bp.response(200, page_of(VentaSchema), description="Una página de operaciones.")
def ventas_lista(query: dict):
    """Ventas y separaciones"""
    stmt = db.select(Venta).options(selectinload(Venta.unidades))
    documento = (query.get("documento_cliente") or "").strip()
    if documento:
        stmt = stmt.where(Venta.documento_cliente == documento.upper())
    for campo in ("tipo_operacion", "estado_operacion"):
        if campo in query:
            stmt = stmt.where(getattr(Venta, campo) == query[campo])
    if "id_proyecto" in query:
        del_proyecto = (
            db.select(Apartamento.id)
            .join(Torre, Apartamento.id_torre == Torre.id)
            .where(Torre.id_proyecto == query["id_proyecto"])
        )
        locales = db.select(Local.id).where(Local.id_proyecto == query["id_proyecto"])
        parqueaderos = (
            db.select(Parqueadero.id)
            .join(Torre, Parqueadero.id_torre == Torre.id)
            .where(Torre.id_proyecto == query["id_proyecto"])
        )
        stmt = stmt.where(
            or_(
                Venta.id_apartamento.in_(del_proyecto),
                Venta.id_local.in_(locales),
                Venta.id_parqueadero.in_(parqueaderos),
            )
        )
    if "fecha_desde" in query:
        stmt = stmt.where(Venta.fecha >= query["fecha_desde"])
    if "fecha_hasta" in query:
        stmt = stmt.where(Venta.fecha <= query["fecha_hasta"])
    filtros = {"tipo_operacion", "estado_operacion", "id_proyecto", "fecha_desde", "fecha_hasta"}
    filtrada = bool(documento or query.keys() & filtros)
    return paginate(
        stmt.order_by(Venta.fecha.desc(), Venta.id.desc()),
        query,
        total_compartido=None if filtrada else "api:ventas:total",
    )


@api_bp.get("/ventas/<int:id_venta>")
@row(venta_or_404)
@api_bp.response(200, DETALLE, description="La venta.", headers=ETAG)
def venta_detalle(venta: Venta):
    """Una venta con su cliente, sus unidades y totales"""
    return {"data": venta}, etag(venta)


@api_bp.post("/ventas")
@alt_errors(409)
@api_bp.arguments(VentaNuevaSchema)
@api_bp.response(
    201, DETALLE, description="Creada, con su plan de pagos.", headers={**LOCATION, **ETAG}
)
def venta_crear(datos: dict):
    """Crear una venta o una separación

    Una unidad principal (`id_apartamento`, `id_local` o `id_parqueadero`, exactamente
    una) y parqueaderos `adicionales` del mismo proyecto; los parqueaderos incluidos en
    el apartamento van con él. Aplica todas las reglas del negocio (cuota inicial
    mínima, plazos, valor mínimo de separación...). 422 en el campo que falla (un
    adicional de otro proyecto, un parqueadero solo para quien no tiene unidad en el
    proyecto); 409 si alguna unidad no está Disponible.
    """
    venta = servicio.crear_operacion(
        servicio.DatosOperacion(
            **{**datos, "adicionales": datos.get("adicionales") or []}, usuario=g.api_user
        )
    )
    db.session.commit()
    return {"data": venta}, {
        "Location": url_for(".venta_detalle", id_venta=venta.id),
        **etag(venta),
    }


@api_bp.post("/ventas/<int:id_venta>/convertir")
@row(venta_or_404, if_match="La operación")
@alt_errors(409)
@api_bp.arguments(ConversionSchema)
@api_bp.response(200, DETALLE, description="La venta.", headers=ETAG)
def venta_convertir(venta: Venta, datos: dict):
    """Convertir una separación vigente en venta

    La separación se vuelve venta (el mismo registro): su cuota de separación y sus
    pagos se conservan como cuota 1.
    """
    servicio.convertir_separacion(venta, **datos)
    db.session.commit()
    return {"data": venta}, etag(venta)


@api_bp.post("/ventas/<int:id_venta>/anular")
@row(venta_or_404, if_match="La operación")
@alt_errors(409)
@api_bp.arguments(AnulacionSchema, required=False)
@api_bp.response(200, DETALLE, description="La operación anulada.", headers=ETAG)
def venta_anular(venta: Venta, datos: dict):
    """Anular una operación vigente

    Libera el apartamento; la operación y sus pagos se conservan.
    """
    try:
        servicio.anular_operacion(venta, datos.get("motivo"))
    except ServiceError as exc:
        # The service names the column; the API calls it `motivo`.
        if "motivo_anulacion" in exc.errors:
            exc.errors["motivo"] = exc.errors.pop("motivo_anulacion")
        raise
    db.session.commit()
    return {"data": venta}, etag(venta)


@api_bp.get("/ventas/<int:id_venta>/plan")
@row(venta_or_404)
@api_bp.response(200, one(PlanSchema), description="Las cuotas y los totales.")
def venta_plan(venta: Venta):
    """Plan de amortización"""
    return {"data": venta}
