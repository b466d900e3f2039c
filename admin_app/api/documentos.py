"""Estados de cuenta (JSON, or PDF with `Accept: application/pdf`) and recibos de caja (PDF)."""

from flask import Response, request
from sqlalchemy import select

from ..extensions import db
from ..formatting import today_bogota
from ..limites import fecha_fuera_de_rango
from ..models import Cliente, Pago, Venta
from ..models.documentos import ReciboCaja
from ..pdf import MIMETYPE
from ..pdf.documentos import estado_cuenta_cliente_pdf, estado_cuenta_venta_pdf, recibo_pdf
from ..reportes.estado_cuenta import estado_cuenta_cliente, estado_cuenta_venta
from . import api_bp
from .clientes import cliente_or_404
from .errors import ApiError
from .pagos import pago_or_404
from .resources import row
from .schemas.base import one
from .schemas.documentos import (
    EstadoCuentaClienteSchema,
    EstadoCuentaQuerySchema,
    EstadoCuentaVentaSchema,
)
from .ventas import venta_or_404

TAG = "Documentos"
PDF = {"type": "string", "format": "binary"}
PDF_O_JSON = "Con `Accept: application/pdf`, el mismo estado de cuenta en PDF."


def _fecha(query: dict):
    fecha = query.get("fecha") or today_bogota()
    if fuera := fecha_fuera_de_rango(fecha):
        raise ApiError(422, fuera, {"fecha": [fuera]})
    return fecha


def _quiere_pdf() -> bool:
    return request.accept_mimetypes.best_match(["application/json", MIMETYPE]) == MIMETYPE


def _pdf(contenido: bytes, nombre: str) -> Response:
    return Response(
        contenido,
        mimetype=MIMETYPE,
        headers={"Content-Disposition": f"inline; filename={nombre}"},
    )


@api_bp.get("/ventas/<int:id_venta>/estado_cuenta")
@api_bp.arguments(EstadoCuentaQuerySchema, location="query")
@row(venta_or_404)
@api_bp.alt_response(200, schema=PDF, content_type=MIMETYPE, description=PDF_O_JSON, success=True)
@api_bp.response(200, one(EstadoCuentaVentaSchema), description="El estado de cuenta.")
def venta_estado_cuenta(venta: Venta, query: dict):
    """Estado de cuenta de una operación

    A la fecha de corte: solo cuentan los pagos con fecha hasta ese día.
    """
    estado = estado_cuenta_venta(venta, _fecha(query))
    if _quiere_pdf():
        return _pdf(estado_cuenta_venta_pdf(estado), f"estado_cuenta_{venta.id}.pdf")
    return {"data": estado}


@api_bp.get("/clientes/<documento>/estado_cuenta")
@api_bp.arguments(EstadoCuentaQuerySchema, location="query")
@row(cliente_or_404)
@api_bp.alt_response(200, schema=PDF, content_type=MIMETYPE, description=PDF_O_JSON, success=True)
@api_bp.response(200, one(EstadoCuentaClienteSchema), description="El estado de cuenta.")
def cliente_estado_cuenta(cliente: Cliente, query: dict):
    """Estado de cuenta de un cliente (todas sus operaciones)

    Los totales suman las operaciones vigentes; las anuladas y caducadas se listan.
    """
    estado = estado_cuenta_cliente(cliente, _fecha(query))
    if _quiere_pdf():
        return _pdf(estado_cuenta_cliente_pdf(estado), "estado_cuenta_cliente.pdf")
    return {"data": estado}


@api_bp.get("/pagos/<int:id_pago>/recibo")
@row(pago_or_404)
@api_bp.alt_response(200, schema=PDF, content_type=MIMETYPE, description="El recibo.", success=True)
def pago_recibo(pago: Pago):
    """Recibo de caja de un pago (PDF)

    Numerado sin saltos; el de un pago eliminado sigue existiendo, marcado ANULADO,
    en el listado de recibos del back office.
    """
    recibo = db.session.scalar(select(ReciboCaja).where(ReciboCaja.id_pago == pago.id))
    if recibo is None:
        raise ApiError(404, "Este pago no tiene recibo de caja (fue cargado sin emitirlo).")
    return _pdf(recibo_pdf(recibo), f"recibo_caja_{recibo.numero:06d}.pdf")
