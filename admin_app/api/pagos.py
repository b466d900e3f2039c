"""Pagos: list and register them under /api/ventas/{id}/pagos; read or delete /api/pagos/{id}."""

from flask import url_for
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Pago
from ..services import pagos as servicio
from . import api_bp, serializers
from .auth import admin_only
from .errors import ApiError
from .params import (
    MAX_INT,
    Campos,
    check_if_match,
    dinero_campo,
    entero,
    etag,
    fecha_campo,
    json_body,
    paginate,
    pagination,
    texto,
)
from .ventas import venta_or_404

CAMPOS_PAGO = ("fecha", "valor", "id_medio_pago", "referencia", "observaciones")


def _pago_or_404(id_pago: int) -> Pago:
    pago = db.session.get(Pago, id_pago) if id_pago <= MAX_INT else None
    if pago is None:
        raise ApiError(404, "Pago no encontrado")
    return pago


def _respuesta(pago: Pago, status: int = 200):
    headers = {"ETag": etag(pago.version)}
    if status == 201:
        headers["Location"] = url_for(".pago_detalle", id_pago=pago.id)
    return {"data": serializers.pago(pago)}, status, headers


@api_bp.get("/ventas/<int:id_venta>/pagos")
def venta_pagos(id_venta: int):
    campos = Campos()
    page, per_page = pagination(campos)
    campos.raise_if_any()
    venta = venta_or_404(id_venta)
    stmt = (
        db.select(Pago)
        .where(Pago.id_venta == venta.id)
        .options(selectinload(Pago.aplicaciones))
        .order_by(Pago.fecha, Pago.id)
    )
    return paginate(stmt, page, per_page, serializers.pago)


@api_bp.post("/ventas/<int:id_venta>/pagos")
def venta_pago_crear(id_venta: int):
    venta = venta_or_404(id_venta)
    campos = Campos()
    body = json_body(CAMPOS_PAGO, campos)
    valores = dict(
        fecha=fecha_campo(body, "fecha", campos),
        valor=dinero_campo(body, "valor", campos),
        id_medio_pago=entero(body, "id_medio_pago", campos),
        referencia=texto(body, "referencia", campos),
        observaciones=texto(body, "observaciones", campos),
    )
    campos.raise_if_any()
    pago = servicio.registrar_pago(venta, **valores)
    db.session.commit()
    return _respuesta(pago, 201)


@api_bp.get("/pagos/<int:id_pago>")
def pago_detalle(id_pago: int):
    return _respuesta(_pago_or_404(id_pago))


@api_bp.delete("/pagos/<int:id_pago>")
@admin_only
def pago_eliminar(id_pago: int):
    pago = _pago_or_404(id_pago)
    check_if_match(pago.version, "El pago")
    servicio.eliminar_pago(pago)
    db.session.commit()
    return "", 204
