"""Pagos: list and register them under /api/ventas/{id}/pagos; read or delete /api/pagos/{id}."""

from flask import url_for
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Pago, Venta
from ..services import pagos as servicio
from . import api_bp
from .auth import admin_only
from .openapi import DELETED, ETAG, LOCATION, alt_errors
from .pagination import PaginaQuerySchema, page_of, paginate
from .resources import etag, get_or_404, row
from .schemas.base import one
from .schemas.pagos import PagoNuevoSchema, PagoSchema
from .ventas import venta_or_404

TAG = "Pagos"


def pago_or_404(id_pago: int) -> Pago:
    return get_or_404(Pago, id_pago, "Pago no encontrado")


# Pagination is read before the venta (a bad page is a 422 even for an unknown one).
@api_bp.get("/ventas/<int:id_venta>/pagos")
@api_bp.arguments(PaginaQuerySchema, location="query")
@row(venta_or_404)
@api_bp.response(200, page_of(PagoSchema), description="Una página de pagos.")
def venta_pagos(venta: Venta, query: dict):
    """Pagos de una venta"""
    stmt = (
        db.select(Pago)
        .where(Pago.id_venta == venta.id)
        .options(selectinload(Pago.aplicaciones))
        .order_by(Pago.fecha, Pago.id)
    )
    return paginate(stmt, query)


@api_bp.post("/ventas/<int:id_venta>/pagos")
@row(venta_or_404)
@alt_errors(409, 412)
@api_bp.arguments(PagoNuevoSchema)
@api_bp.response(201, one(PagoSchema), description="Registrado.", headers={**LOCATION, **ETAG})
def venta_pago_crear(venta: Venta, datos: dict):
    """Registrar un pago

    Se aplica a las cuotas más antiguas sin pagar. Un pago mayor que lo pendiente
    es un 422 en `valor`; una operación anulada o caducada, 409.
    """
    pago = servicio.registrar_pago(venta, **datos)
    db.session.commit()
    return {"data": pago}, {"Location": url_for(".pago_detalle", id_pago=pago.id), **etag(pago)}


@api_bp.get("/pagos/<int:id_pago>")
@row(pago_or_404)
@api_bp.response(200, one(PagoSchema), description="El pago.", headers=ETAG)
def pago_detalle(pago: Pago):
    """Un pago"""
    return {"data": pago}, etag(pago)


@api_bp.delete("/pagos/<int:id_pago>")
@admin_only
@row(pago_or_404, if_match="El pago")
@alt_errors(403)
@DELETED
def pago_eliminar(pago: Pago):
    """Eliminar un pago (solo admin)

    Los demás pagos de la venta se vuelven a aplicar a las cuotas.
    """
    servicio.eliminar_pago(pago)
    db.session.commit()
    return "", 204
