"""/api/asesores: the users who sell, with their director; a venta's asesor."""

from ..auth import permisos
from ..extensions import db
from ..models import Rol, Usuario, Venta
from ..services import asesores as servicio
from . import api_bp
from .auth import requiere
from .errors import ApiError
from .openapi import ETAG, alt_errors
from .pagination import page_of, paginate
from .resources import etag, get_or_404, row
from .schemas.asesores import (
    AsesorCambiosSchema,
    AsesoresQuerySchema,
    AsesorSchema,
    VentaAsesorSchema,
)
from .schemas.base import one
from .schemas.ventas import VentaDetalleSchema

TAG = "Asesores"


def asesor_or_404(id_usuario: int) -> Usuario:
    usuario = get_or_404(Usuario, id_usuario, "Asesor no encontrado")
    if usuario.rol not in Rol.VENDEN:
        raise ApiError(404, "Asesor no encontrado: ese usuario no es asesor ni director.")
    return usuario


@api_bp.get("/asesores")
@api_bp.arguments(AsesoresQuerySchema, location="query")
@api_bp.response(200, page_of(AsesorSchema), description="Una página de asesores.")
def asesores_lista(query: dict):
    """Asesores y directores comerciales, con su director"""
    stmt = servicio.asesores_query()
    if "activo" in query:
        stmt = stmt.where(Usuario.activo.is_(query["activo"]))
    return paginate(stmt.order_by(Usuario.nombre_completo, Usuario.id), query)


@api_bp.patch("/asesores/<int:id_usuario>")
@requiere("usuarios:editar")
@row(asesor_or_404, if_match="El asesor")
@alt_errors(403)
@api_bp.arguments(AsesorCambiosSchema)
@api_bp.response(200, one(AsesorSchema), description="Actualizado.", headers=ETAG)
def asesor_modificar(usuario: Usuario, datos: dict):
    """Cambiar el director de un asesor (solo admin)"""
    servicio.asignar_director(usuario, datos["id_director"])
    db.session.commit()
    return {"data": usuario}, etag(usuario)


def venta_or_404(id_venta: int) -> Venta:
    return get_or_404(Venta, id_venta, "Venta no encontrada")


@api_bp.patch("/ventas/<int:id_venta>", tags=["Ventas"])
@requiere(permisos.ASIGNAR_ASESOR)
@row(venta_or_404, if_match="La operación")
@alt_errors(403, 409)
@api_bp.arguments(VentaAsesorSchema)
@api_bp.response(200, one(VentaDetalleSchema), description="La operación.", headers=ETAG)
def venta_cambiar_asesor(venta: Venta, datos: dict):
    """Cambiar el asesor de una operación

    Solo administradores, gerentes y directores (estos, en su equipo). El motivo es
    obligatorio y queda en la bitácora; sus comisiones causadas pasan al nuevo asesor.
    """
    servicio.cambiar_asesor(venta, datos["id_asesor"], datos["motivo"])
    db.session.commit()
    return {"data": venta}, etag(venta)
