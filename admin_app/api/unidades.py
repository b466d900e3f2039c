"""/api/locales and /api/parqueaderos: the units beside the apartments, with their
price history. Deleting one with operations is a 409."""

from flask import url_for
from sqlalchemy import select

from ..extensions import db
from ..models import HistorialPrecio, Local, Parqueadero, Torre
from ..services import locales as servicio_locales
from ..services import parqueaderos as servicio_parqueaderos
from . import api_bp
from .auth import admin_only
from .openapi import DELETED, ETAG, LOCATION, alt_errors
from .pagination import PaginaQuerySchema, page_of, paginate
from .resources import etag, get_or_404, row
from .schemas.base import one
from .schemas.historial_precios import HistorialPrecioSchema
from .schemas.unidades import (
    LocalCambiosSchema,
    LocalesQuerySchema,
    LocalNuevoSchema,
    LocalSchema,
    ParqueaderoCambiosSchema,
    ParqueaderoNuevoSchema,
    ParqueaderoSchema,
    ParqueaderosQuerySchema,
)

TAG = "Unidades"


def local_or_404(id_local: int) -> Local:
    return get_or_404(Local, id_local, "Local no encontrado")


def parqueadero_or_404(id_parqueadero: int) -> Parqueadero:
    return get_or_404(Parqueadero, id_parqueadero, "Parqueadero no encontrado")


def _historial(columna, ident: int, query: dict):
    stmt = select(HistorialPrecio).where(columna == ident)
    return paginate(stmt.order_by(HistorialPrecio.fecha.desc(), HistorialPrecio.id.desc()), query)


# --- locales -----------------------------------------------------------------------


@api_bp.get("/locales")
@api_bp.arguments(LocalesQuerySchema, location="query")
@api_bp.response(200, page_of(LocalSchema), description="Una página de locales.")
def locales_lista(query: dict):
    """Locales comerciales"""
    stmt = select(Local)
    if "proyecto" in query:
        stmt = stmt.where(Local.id_proyecto == query["proyecto"])
    if "torre" in query:
        stmt = stmt.where(Local.id_torre == query["torre"])
    if query.get("estado"):
        stmt = stmt.where(Local.id_estado_inmueble == query["estado"])
    return paginate(stmt.order_by(Local.id), query)


@api_bp.get("/locales/<int:id_local>")
@row(local_or_404)
@api_bp.response(200, one(LocalSchema), description="El local.", headers=ETAG)
def local_detalle(local: Local):
    """Un local"""
    return {"data": local}, etag(local)


@api_bp.post("/locales")
@api_bp.arguments(LocalNuevoSchema)
@api_bp.response(201, one(LocalSchema), description="Creado.", headers={**LOCATION, **ETAG})
def local_crear(datos: dict):
    """Crear un local

    El precio es área × valor del m², redondeado al peso. Número repetido en la torre
    (o en el proyecto, fuera de las torres): 422 en `numero`.
    """
    local = servicio_locales.crear_local(servicio_locales.DatosLocal(**_local(datos)))
    db.session.commit()
    location = url_for(".local_detalle", id_local=local.id)
    return {"data": local}, {"Location": location, **etag(local)}


def _local(datos: dict, local: Local | None = None) -> dict:
    actual = (
        {
            "id_proyecto": local.id_proyecto,
            "id_torre": local.id_torre,
            "numero": local.numero,
            "area_m2": local.area_m2,
            "valor_m2": local.valor_m2,
        }
        if local is not None
        else {"id_proyecto": None, "id_torre": None}
    )
    if local is not None and "id_torre" in datos and "id_proyecto" not in datos:
        actual["id_proyecto"] = None  # the new torre's project
    return {**actual, **datos}


@api_bp.patch("/locales/<int:id_local>")
@row(local_or_404, if_match="El local")
@alt_errors(409)
@api_bp.arguments(LocalCambiosSchema)
@api_bp.response(200, one(LocalSchema), description="Actualizado.", headers=ETAG)
def local_modificar(local: Local, datos: dict):
    """Cambiar un local

    El precio no cambia mientras una operación vigente lo tenga (422 en `precio`).
    """
    servicio_locales.actualizar_local(local, servicio_locales.DatosLocal(**_local(datos, local)))
    db.session.commit()
    return {"data": local}, etag(local)


@api_bp.delete("/locales/<int:id_local>")
@admin_only
@row(local_or_404, if_match="El local")
@alt_errors(403, 409)
@DELETED
def local_eliminar(local: Local):
    """Eliminar un local (solo admin)

    409 si tiene operaciones (ventas o separaciones, en cualquier estado).
    """
    servicio_locales.eliminar_local(local)
    db.session.commit()
    return "", 204


@api_bp.get("/locales/<int:id_local>/historial_precios")
@api_bp.arguments(PaginaQuerySchema, location="query")
@row(local_or_404)
@api_bp.response(200, page_of(HistorialPrecioSchema), description="Cambios de precio.")
def local_historial_precios(local: Local, query: dict):
    """Historial de precios de un local"""
    return _historial(HistorialPrecio.id_local, local.id, query)


# --- parqueaderos ---------------------------------------------------------------------


@api_bp.get("/parqueaderos")
@api_bp.arguments(ParqueaderosQuerySchema, location="query")
@api_bp.response(200, page_of(ParqueaderoSchema), description="Una página de parqueaderos.")
def parqueaderos_lista(query: dict):
    """Parqueaderos y depósitos"""
    stmt = select(Parqueadero)
    if "proyecto" in query:
        stmt = stmt.join(Torre, Parqueadero.id_torre == Torre.id).where(
            Torre.id_proyecto == query["proyecto"]
        )
    if "torre" in query:
        stmt = stmt.where(Parqueadero.id_torre == query["torre"])
    if query.get("estado"):
        stmt = stmt.where(Parqueadero.id_estado_inmueble == query["estado"])
    if "tipo" in query:
        stmt = stmt.where(Parqueadero.id_tipo_parqueadero == query["tipo"])
    return paginate(stmt.order_by(Parqueadero.id), query)


@api_bp.get("/parqueaderos/<int:id_parqueadero>")
@row(parqueadero_or_404)
@api_bp.response(200, one(ParqueaderoSchema), description="El parqueadero.", headers=ETAG)
def parqueadero_detalle(parqueadero: Parqueadero):
    """Un parqueadero"""
    return {"data": parqueadero}, etag(parqueadero)


def _parqueadero(datos: dict, parqueadero: Parqueadero | None = None) -> dict:
    actual = (
        {
            "id_torre": parqueadero.id_torre,
            "numero": parqueadero.numero,
            "id_tipo_parqueadero": parqueadero.id_tipo_parqueadero,
            "precio": parqueadero.precio,
            "id_apartamento": parqueadero.id_apartamento,
        }
        if parqueadero is not None
        else {}
    )
    return {**actual, **datos}


@api_bp.post("/parqueaderos")
@api_bp.arguments(ParqueaderoNuevoSchema)
@api_bp.response(201, one(ParqueaderoSchema), description="Creado.", headers={**LOCATION, **ETAG})
def parqueadero_crear(datos: dict):
    """Crear un parqueadero

    Número repetido en la torre: 422 en `numero`. Con `id_apartamento` queda incluido
    en ese apartamento (se vende con él, sin precio propio).
    """
    parqueadero = servicio_parqueaderos.crear_parqueadero(
        servicio_parqueaderos.DatosParqueadero(**_parqueadero(datos))
    )
    db.session.commit()
    location = url_for(".parqueadero_detalle", id_parqueadero=parqueadero.id)
    return {"data": parqueadero}, {"Location": location, **etag(parqueadero)}


@api_bp.patch("/parqueaderos/<int:id_parqueadero>")
@row(parqueadero_or_404, if_match="El parqueadero")
@alt_errors(409)
@api_bp.arguments(ParqueaderoCambiosSchema)
@api_bp.response(200, one(ParqueaderoSchema), description="Actualizado.", headers=ETAG)
def parqueadero_modificar(parqueadero: Parqueadero, datos: dict):
    """Cambiar un parqueadero"""
    servicio_parqueaderos.actualizar_parqueadero(
        parqueadero, servicio_parqueaderos.DatosParqueadero(**_parqueadero(datos, parqueadero))
    )
    db.session.commit()
    return {"data": parqueadero}, etag(parqueadero)


@api_bp.delete("/parqueaderos/<int:id_parqueadero>")
@admin_only
@row(parqueadero_or_404, if_match="El parqueadero")
@alt_errors(403, 409)
@DELETED
def parqueadero_eliminar(parqueadero: Parqueadero):
    """Eliminar un parqueadero (solo admin)

    409 si tiene operaciones (ventas o separaciones, en cualquier estado).
    """
    servicio_parqueaderos.eliminar_parqueadero(parqueadero)
    db.session.commit()
    return "", 204


@api_bp.get("/parqueaderos/<int:id_parqueadero>/historial_precios")
@api_bp.arguments(PaginaQuerySchema, location="query")
@row(parqueadero_or_404)
@api_bp.response(200, page_of(HistorialPrecioSchema), description="Cambios de precio.")
def parqueadero_historial_precios(parqueadero: Parqueadero, query: dict):
    """Historial de precios de un parqueadero"""
    return _historial(HistorialPrecio.id_parqueadero, parqueadero.id, query)
