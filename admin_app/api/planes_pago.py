"""/api/planes_pago: a project's plans de pago, and the simulation of one."""

from flask import g, url_for

from ..extensions import db
from ..formatting import today_bogota
from ..models import PlanPago
from ..services import planes_pago as servicio
from . import api_bp
from .auth import admin_only, requiere
from .openapi import DELETED, ETAG, LOCATION, alt_errors
from .pagination import page_of, paginate
from .resources import etag, get_or_404, row
from .schemas.base import one
from .schemas.planes import (
    PlanesQuerySchema,
    PlanPagoCambiosSchema,
    PlanPagoNuevoSchema,
    PlanPagoSchema,
    SimulacionSchema,
    SimularSchema,
)

TAG = "Planes de pago"


def plan_or_404(id_plan_pago: int) -> PlanPago:
    return get_or_404(PlanPago, id_plan_pago, "Plan de pago no encontrado")


@api_bp.get("/planes_pago")
@api_bp.arguments(PlanesQuerySchema, location="query")
@api_bp.response(200, page_of(PlanPagoSchema), description="Una página de planes.")
def planes_lista(query: dict):
    """Planes de pago (de un proyecto con `proyecto`)"""
    stmt = db.select(PlanPago)
    if "proyecto" in query:
        stmt = stmt.where(PlanPago.id_proyecto == query["proyecto"])
    if query.get("activo") is not None:
        stmt = stmt.where(PlanPago.activo == query["activo"])
    return paginate(stmt.order_by(PlanPago.id_proyecto, PlanPago.nombre, PlanPago.id), query)


@api_bp.get("/planes_pago/<int:id_plan_pago>")
@row(plan_or_404)
@api_bp.response(200, one(PlanPagoSchema), description="El plan.", headers=ETAG)
def plan_detalle(plan: PlanPago):
    """Un plan de pago"""
    return {"data": plan}, etag(plan)


@api_bp.post("/planes_pago")
@admin_only
@alt_errors(403, 409)
@api_bp.arguments(PlanPagoNuevoSchema)
@api_bp.response(201, one(PlanPagoSchema), description="Creado.", headers={**LOCATION, **ETAG})
def plan_crear(datos: dict):
    """Crear un plan de pago (solo admin)

    422 con el campo: porcentajes que no suman 100, plazo mayor que el máximo del
    proyecto, frecuencia que no divide el plazo... 409 en `activo` si el proyecto ya
    tiene 10 planes activos.
    """
    plan = servicio.crear_plan(datos)
    db.session.commit()
    return {"data": plan}, {
        "Location": url_for(".plan_detalle", id_plan_pago=plan.id),
        **etag(plan),
    }


@api_bp.patch("/planes_pago/<int:id_plan_pago>")
@admin_only
@row(plan_or_404, if_match="El plan")
@alt_errors(403, 409)
@api_bp.arguments(PlanPagoCambiosSchema)
@api_bp.response(200, one(PlanPagoSchema), description="Actualizado.", headers=ETAG)
def plan_modificar(plan: PlanPago, datos: dict):
    """Cambiar un plan de pago (solo admin)

    Las operaciones y cotizaciones hechas con él conservan sus condiciones.
    """
    servicio.actualizar_plan(plan, datos)
    db.session.commit()
    return {"data": plan}, etag(plan)


@api_bp.delete("/planes_pago/<int:id_plan_pago>")
@admin_only
@row(plan_or_404, if_match="El plan")
@alt_errors(403, 409)
@DELETED
def plan_eliminar(plan: PlanPago):
    """Eliminar un plan sin uso (solo admin); uno en uso se desactiva"""
    servicio.eliminar_plan(plan)
    db.session.commit()
    return "", 204


@api_bp.post("/planes_pago/<int:id_plan_pago>/simular")
@requiere("planes_pago:ver")  # computes, saves nothing: whoever may see the plans
@row(plan_or_404)
@api_bp.arguments(SimularSchema)
@api_bp.response(200, one(SimulacionSchema), description="El resumen y las cuotas.")
def plan_simular(plan: PlanPago, datos: dict):
    """Simular un plan: resumen económico y cuotas (no guarda nada)

    Con unidades (`id_apartamento` | `id_local` | `id_parqueadero`, `adicionales`) a
    sus precios de hoy, o con un `precio_bruto`.
    """
    fecha = datos.pop("fecha", None) or today_bogota()
    simulacion = servicio.simular(plan, fecha=fecha, usuario=g.api_user, **datos)
    unidades = []
    if simulacion.unidades is not None:
        unidades = [
            {
                "clase": u.clase,
                "id": u.unidad.id,
                "descripcion": str(u.unidad),
                "rol": u.rol,
                "precio": u.precio,
            }
            for u in simulacion.unidades.lista
        ]
    return {
        "data": {
            "id_plan_pago": plan.id,
            "fecha": fecha,
            "resumen": simulacion.resumen,
            "cuotas": simulacion.cuotas,
            "unidades": unidades,
        }
    }
