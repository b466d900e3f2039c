"""/api/reportes: cartera por edades, recaudo and calendario de cartera (read-only;
the roles `puede_ver_reportes` allows, else 403)."""

from functools import wraps

from flask import g

from ..extensions import db
from ..formatting import today_bogota
from ..limites import fecha_fuera_de_rango
from ..models import Proyecto
from ..reportes import cartera as servicio
from ..reportes import puede_ver_reportes
from . import api_bp
from .errors import ApiError
from .openapi import alt_errors
from .schemas.base import one
from .schemas.reportes import (
    CalendarioQuerySchema,
    CalendarioSchema,
    CarteraQuerySchema,
    CarteraSchema,
    RecaudoQuerySchema,
    RecaudoSchema,
)

TAG = "Reportes"
MAX_DIAS = 3660


def solo_reportes(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not puede_ver_reportes(g.api_user):
            raise ApiError(403, "Su rol no permite ver los reportes.")
        return view(*args, **kwargs)

    return wrapper


def _invalido(campo: str, mensaje: str) -> ApiError:
    return ApiError(422, mensaje, {campo: [mensaje]})


def _proyecto(query: dict) -> int | None:
    id_proyecto = query.get("proyecto")
    if id_proyecto is not None and db.session.get(Proyecto, id_proyecto) is None:
        raise _invalido("proyecto", "El proyecto no existe.")
    return id_proyecto


def _rango(query: dict) -> tuple:
    desde, hasta = query["desde"], query["hasta"]
    for campo in ("desde", "hasta"):
        if fuera := fecha_fuera_de_rango(query[campo]):
            raise _invalido(campo, fuera)
    if desde > hasta:
        raise _invalido("hasta", "Debe ser igual o posterior a «desde».")
    if (hasta - desde).days > MAX_DIAS:
        raise _invalido("hasta", "El periodo no puede pasar de diez años.")
    return desde, hasta


@api_bp.get("/reportes/cartera")
@solo_reportes
@api_bp.arguments(CarteraQuerySchema, location="query")
@alt_errors(403)
@api_bp.response(200, one(CarteraSchema), description="Cartera por edades.")
def reporte_cartera(query: dict):
    """Cartera por edades a una fecha

    Parte no pagada de las cuotas vencidas de las operaciones vigentes, por días de
    vencida (1-30, 31-60, 61-90, más de 90), contando solo los pagos con fecha hasta
    la de corte; por proyecto o por cliente.
    """
    fecha = query.get("fecha") or today_bogota()
    if fuera := fecha_fuera_de_rango(fecha):
        raise _invalido("fecha", fuera)
    datos = servicio.cartera_por_edades(
        fecha, agrupar=query["agrupar"], id_proyecto=_proyecto(query)
    )
    return {"data": datos}


@api_bp.get("/reportes/recaudo")
@solo_reportes
@api_bp.arguments(RecaudoQuerySchema, location="query")
@alt_errors(403)
@api_bp.response(200, one(RecaudoSchema), description="Recaudo por periodo y medio de pago.")
def reporte_recaudo(query: dict):
    """Recaudo por periodo y medio de pago

    Pagos de las operaciones vigentes entre `desde` y `hasta`, por día, semana
    (de lunes a domingo) o mes, y por proyecto.
    """
    desde, hasta = _rango(query)
    if query["agrupar"] == "dia" and (hasta - desde).days > 366:
        raise _invalido("agrupar", "Por día se consulta a lo sumo un año.")
    datos = servicio.recaudo(desde, hasta, agrupar=query["agrupar"], id_proyecto=_proyecto(query))
    return {"data": datos}


@api_bp.get("/reportes/calendario")
@solo_reportes
@api_bp.arguments(CalendarioQuerySchema, location="query")
@alt_errors(403)
@api_bp.response(200, one(CalendarioSchema), description="Calendario de cartera por mes.")
def reporte_calendario(query: dict):
    """Calendario de cartera

    Por mes de vencimiento (de `desde` a `hasta`, meses completos): lo programado y
    lo que sigue pendiente hoy, por concepto y por proyecto.
    """
    desde, hasta = _rango(query)
    datos = servicio.calendario(desde, hasta, hoy=today_bogota(), id_proyecto=_proyecto(query))
    por_proyecto = {
        p: {"programado": prog, "pendiente": pend} for p, (prog, pend) in datos.por_proyecto.items()
    }
    return {
        "data": {
            "desde": datos.desde,
            "hasta": datos.hasta,
            "conceptos": datos.conceptos,
            "filas": datos.filas,
            "por_proyecto": por_proyecto,
            "total_programado": datos.total_programado,
            "total_pendiente": datos.total_pendiente,
        }
    }
