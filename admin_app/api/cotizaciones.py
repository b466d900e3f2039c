"""/api/cotizaciones: quotes, their PDF, their conversion into an operation."""

from flask import g, make_response, url_for
from sqlalchemy import or_

from ..extensions import db
from ..formatting import today_bogota
from ..models import Cotizacion
from ..pdf.cotizacion import pdf_cotizacion
from ..services import cotizaciones as servicio
from . import api_bp
from .auth import requiere
from .openapi import ETAG, LOCATION, alt_errors
from .pagination import page_of, paginate
from .resources import etag, get_or_404, row
from .schemas.base import one
from .schemas.planes import (
    ConvertirSchema,
    CotizacionDetalleSchema,
    CotizacionesQuerySchema,
    CotizacionNuevaSchema,
    CotizacionSchema,
)
from .schemas.ventas import VentaDetalleSchema

TAG = "Cotizaciones"
DETALLE = one(CotizacionDetalleSchema)


def cotizacion_or_404(id_cotizacion: int) -> Cotizacion:
    return get_or_404(Cotizacion, id_cotizacion, "Cotización no encontrada")


def filtrar(stmt, query: dict, hoy):
    """The list's filters, shared with the admin list: proyecto, asesor, cliente, estado."""
    if "id_proyecto" in query:
        stmt = stmt.where(Cotizacion.id_proyecto == query["id_proyecto"])
    if "id_usuario" in query:
        stmt = stmt.where(Cotizacion.id_usuario == query["id_usuario"])
    documento = (query.get("documento_cliente") or "").strip()
    if documento:
        stmt = stmt.where(Cotizacion.documento_cliente == documento.upper())
    estado = query.get("estado")
    if estado == "convertida":
        stmt = stmt.where(Cotizacion.id_venta.is_not(None))
    elif estado == "vigente":
        stmt = stmt.where(Cotizacion.id_venta.is_(None), Cotizacion.valida_hasta >= hoy)
    elif estado == "vencida":
        stmt = stmt.where(Cotizacion.id_venta.is_(None), Cotizacion.valida_hasta < hoy)
    texto = (query.get("q") or "").strip()
    if texto:
        condiciones = [
            Cotizacion.documento_cliente == texto.upper(),
            Cotizacion.prospecto_nombre.ilike(f"%{texto}%"),
        ]
        if texto.isdigit() and len(texto) < 10:
            condiciones.append(Cotizacion.numero == int(texto))
        stmt = stmt.where(or_(*condiciones))
    return stmt


@api_bp.get("/cotizaciones")
@api_bp.arguments(CotizacionesQuerySchema, location="query")
@api_bp.response(200, page_of(CotizacionSchema), description="Una página de cotizaciones.")
def cotizaciones_lista(query: dict):
    """Cotizaciones (filtros: proyecto, asesor, cliente, estado; búsqueda `q`)"""
    stmt = filtrar(db.select(Cotizacion), query, today_bogota())
    return paginate(stmt.order_by(Cotizacion.id.desc()), query)


@api_bp.get("/cotizaciones/<int:id_cotizacion>")
@row(cotizacion_or_404)
@api_bp.response(200, DETALLE, description="La cotización.", headers=ETAG)
def cotizacion_detalle(cotizacion: Cotizacion):
    """Una cotización con su resumen y sus cuotas"""
    return {"data": cotizacion}, etag(cotizacion)


@api_bp.post("/cotizaciones")
@alt_errors(409)
@api_bp.arguments(CotizacionNuevaSchema)
@api_bp.response(201, DETALLE, description="Creada.", headers={**LOCATION, **ETAG})
def cotizacion_crear(datos: dict):
    """Crear una cotización

    Las unidades a su precio de hoy, el plan de pago y el cliente (`documento_cliente`)
    o un prospecto. 409 si una unidad no está Disponible.
    """
    cotizacion = servicio.crear_cotizacion(datos, g.api_user)
    db.session.commit()
    return {"data": cotizacion}, {
        "Location": url_for(".cotizacion_detalle", id_cotizacion=cotizacion.id),
        **etag(cotizacion),
    }


@api_bp.get("/cotizaciones/<int:id_cotizacion>/pdf")
@row(cotizacion_or_404)
@api_bp.alt_response(
    200,
    schema={"type": "string", "format": "binary"},
    content_type="application/pdf",
    description="La cotización en PDF.",
    success=True,
)
def cotizacion_pdf(cotizacion: Cotizacion):
    """La cotización en PDF"""
    response = make_response(pdf_cotizacion(cotizacion, today_bogota()))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'inline; filename="cotizacion_{cotizacion.numero}.pdf"'
    )
    return response


@api_bp.post("/cotizaciones/<int:id_cotizacion>/convertir")
@requiere("ventas:crear")  # it makes a separación or a venta
@row(cotizacion_or_404, if_match="La cotización")
@alt_errors(409)
@api_bp.arguments(ConvertirSchema)
@api_bp.response(201, one(VentaDetalleSchema), description="La operación creada.", headers=LOCATION)
def cotizacion_convertir(cotizacion: Cotizacion, datos: dict):
    """Convertir una cotización vigente en separación o venta

    A los precios y el plan cotizados. 409 si venció, ya se convirtió o una unidad
    ya no está Disponible; no se crea nada.
    """
    venta = servicio.convertir_cotizacion(cotizacion, usuario=g.api_user, **datos)
    db.session.commit()
    return {"data": venta}, {"Location": url_for(".venta_detalle", id_venta=venta.id)}


@api_bp.post("/cotizaciones/<int:id_cotizacion>/copiar")
@row(cotizacion_or_404)
@alt_errors(409)
@api_bp.response(201, DETALLE, description="La copia.", headers={**LOCATION, **ETAG})
def cotizacion_copiar(cotizacion: Cotizacion):
    """Copiar una cotización (p. ej. vencida) en una nueva a los precios de hoy"""
    copia = servicio.copiar_cotizacion(cotizacion, g.api_user)
    db.session.commit()
    return {"data": copia}, {
        "Location": url_for(".cotizacion_detalle", id_cotizacion=copia.id),
        **etag(copia),
    }
