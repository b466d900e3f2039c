"""/api/proyectos, /api/torres and /api/apartamentos: what the sales website shows,
and the inventory that scripts load (a new project's torres and apartamentos)."""

from flask import url_for
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Apartamento, Proyecto, Torre
from ..services import inventario as servicio
from . import api_bp
from .auth import admin_only, requiere
from .openapi import DELETED, ETAG, LOCATION, alt_errors
from .pagination import PaginaQuerySchema, page_of, paginate
from .resources import etag, get_or_404, guardar_con_reintento, row
from .schemas.base import one
from .schemas.inventario import (
    ApartamentoCambiosSchema,
    ApartamentoNuevoSchema,
    ApartamentoSchema,
    ApartamentosQuerySchema,
    ProyectoCambiosSchema,
    ProyectoNuevoSchema,
    ProyectoSchema,
    TorreCambiosSchema,
    TorreNuevaSchema,
    TorreSchema,
    TorresQuerySchema,
)

TAG = "Inventario"


@api_bp.get("/proyectos")
@api_bp.arguments(PaginaQuerySchema, location="query")
@api_bp.response(200, page_of(ProyectoSchema), description="Una página de proyectos.")
def proyectos_lista(query: dict):
    """Proyectos con sus reglas de venta y torres"""
    stmt = db.select(Proyecto).options(selectinload(Proyecto.torres)).order_by(Proyecto.nombre)
    return paginate(stmt, query)


@api_bp.get("/proyectos/<int:id_proyecto>")
@row(lambda id_proyecto: get_or_404(Proyecto, id_proyecto, "Proyecto no encontrado"))
@api_bp.response(200, one(ProyectoSchema), description="El proyecto.")
def proyecto_detalle(proyecto: Proyecto):
    """Un proyecto"""
    return {"data": proyecto}


@api_bp.get("/apartamentos")
@api_bp.arguments(ApartamentosQuerySchema, location="query")
@api_bp.response(200, page_of(ApartamentoSchema), description="Una página de apartamentos.")
def apartamentos_lista(query: dict):
    """Apartamentos (lo que el sitio de ventas muestra)"""
    stmt = db.select(Apartamento)
    if query.get("id_proyecto"):
        stmt = stmt.join(Torre, Apartamento.id_torre == Torre.id).where(
            Torre.id_proyecto == query["id_proyecto"]
        )
    if query.get("id_torre"):
        stmt = stmt.where(Apartamento.id_torre == query["id_torre"])
    if query.get("estado"):
        stmt = stmt.where(Apartamento.id_estado_inmueble == query["estado"])
    if query.get("precio_min") is not None:
        stmt = stmt.where(Apartamento.precio >= query["precio_min"])
    if query.get("precio_max") is not None:
        stmt = stmt.where(Apartamento.precio <= query["precio_max"])
    return paginate(stmt.order_by(Apartamento.id), query)


@api_bp.get("/apartamentos/<int:id_apartamento>")
@row(lambda id_apartamento: get_or_404(Apartamento, id_apartamento, "Apartamento no encontrado"))
@api_bp.response(200, one(ApartamentoSchema), description="El apartamento.")
def apartamento_detalle(apartamento: Apartamento):
    """Un apartamento"""
    return {"data": apartamento}


# --- writes: the inventory that scripts load -------------------------------------------


def proyecto_or_404(id_proyecto: int) -> Proyecto:
    return get_or_404(Proyecto, id_proyecto, "Proyecto no encontrado")


def torre_or_404(id_torre: int) -> Torre:
    return get_or_404(Torre, id_torre, "Torre no encontrada")


def apartamento_or_404(id_apartamento: int) -> Apartamento:
    return get_or_404(Apartamento, id_apartamento, "Apartamento no encontrado")


def _guardar(fila, datos: dict, guardar, buscar):
    """Apply `datos` and save through `guardar` (resources.guardar_con_reintento)."""

    def aplicar(actual) -> None:
        for campo, valor in datos.items():
            setattr(actual, campo, valor)
        guardar(actual)

    return guardar_con_reintento(fila, aplicar, buscar)


@api_bp.post("/proyectos")
@requiere("catalogos:crear")  # projects and torres are catalogs, as in the admin
@admin_only
@alt_errors(403)
@api_bp.arguments(ProyectoNuevoSchema)
@api_bp.response(201, one(ProyectoSchema), description="Creado.", headers={**LOCATION, **ETAG})
def proyecto_crear(datos: dict):
    """Crear un proyecto (solo admin), con su prima de altura"""
    proyecto = servicio.guardar_proyecto(Proyecto(**datos))
    db.session.commit()
    location = url_for(".proyecto_detalle", id_proyecto=proyecto.id)
    return {"data": proyecto}, {"Location": location, **etag(proyecto)}


@api_bp.patch("/proyectos/<int:id_proyecto>")
@requiere("catalogos:editar")  # projects and torres are catalogs, as in the admin
@admin_only
@row(proyecto_or_404, if_match="El proyecto")
@alt_errors(403)
@api_bp.arguments(ProyectoCambiosSchema)
@api_bp.response(200, one(ProyectoSchema), description="Actualizado.", headers=ETAG)
def proyecto_modificar(proyecto: Proyecto, datos: dict):
    """Cambiar algunos datos de un proyecto (solo admin)

    Un cambio de la prima de altura recalcula los precios de sus apartamentos
    disponibles (vea antes `POST /api/proyectos/{id}/precios/vista_previa`).
    """
    return _guardar(proyecto, datos, servicio.guardar_proyecto, proyecto_or_404)


@api_bp.delete("/proyectos/<int:id_proyecto>")
@requiere("catalogos:eliminar")  # projects and torres are catalogs, as in the admin
@admin_only
@row(proyecto_or_404, if_match="El proyecto")
@alt_errors(403, 409)
@DELETED
def proyecto_eliminar(proyecto: Proyecto):
    """Eliminar un proyecto (solo admin); 409 si tiene torres"""
    servicio.eliminar_proyecto(proyecto)
    db.session.commit()
    return "", 204


@api_bp.get("/torres")
@api_bp.arguments(TorresQuerySchema, location="query")
@api_bp.response(200, page_of(TorreSchema), description="Una página de torres.")
def torres_lista(query: dict):
    """Torres"""
    stmt = db.select(Torre)
    if query.get("id_proyecto"):
        stmt = stmt.where(Torre.id_proyecto == query["id_proyecto"])
    return paginate(stmt.order_by(Torre.id_proyecto, Torre.nombre), query)


@api_bp.get("/torres/<int:id_torre>")
@row(torre_or_404)
@api_bp.response(200, one(TorreSchema), description="La torre.", headers=ETAG)
def torre_detalle(torre: Torre):
    """Una torre"""
    return {"data": torre}, etag(torre)


@api_bp.post("/torres")
@requiere("catalogos:crear")  # projects and torres are catalogs, as in the admin
@admin_only
@alt_errors(403)
@api_bp.arguments(TorreNuevaSchema)
@api_bp.response(201, one(TorreSchema), description="Creada.", headers={**LOCATION, **ETAG})
def torre_crear(datos: dict):
    """Crear una torre (solo admin); nivel_inicio_prima por defecto 2"""
    torre = servicio.guardar_torre(Torre(**datos))
    db.session.commit()
    location = url_for(".torre_detalle", id_torre=torre.id)
    return {"data": torre}, {"Location": location, **etag(torre)}


@api_bp.patch("/torres/<int:id_torre>")
@requiere("catalogos:editar")  # projects and torres are catalogs, as in the admin
@admin_only
@row(torre_or_404, if_match="La torre")
@alt_errors(403)
@api_bp.arguments(TorreCambiosSchema)
@api_bp.response(200, one(TorreSchema), description="Actualizada.", headers=ETAG)
def torre_modificar(torre: Torre, datos: dict):
    """Cambiar una torre (solo admin); otro nivel_inicio_prima recalcula los precios"""
    return _guardar(torre, datos, servicio.guardar_torre, torre_or_404)


@api_bp.delete("/torres/<int:id_torre>")
@requiere("catalogos:eliminar")  # projects and torres are catalogs, as in the admin
@admin_only
@row(torre_or_404, if_match="La torre")
@alt_errors(403, 409)
@DELETED
def torre_eliminar(torre: Torre):
    """Eliminar una torre (solo admin); 409 si tiene apartamentos"""
    servicio.eliminar_torre(torre)
    db.session.commit()
    return "", 204


@api_bp.post("/apartamentos")
@alt_errors(409)
@api_bp.arguments(ApartamentoNuevoSchema)
@api_bp.response(
    201, one(ApartamentoSchema), description="Creado, Disponible.", headers={**LOCATION, **ETAG}
)
def apartamento_crear(datos: dict):
    """Crear un apartamento

    Con `id_tipo_apartamento` su precio base es el valor estimado del tipo (que debe
    ser del proyecto de la torre); sin tipo, `precio_base` es obligatorio. El precio
    sale de la base, la prima de altura y las políticas del proyecto. Un número
    repetido en la torre es un 422 en `numero`.
    """
    apartamento = servicio.guardar_apartamento(Apartamento(**datos))
    db.session.commit()
    location = url_for(".apartamento_detalle", id_apartamento=apartamento.id)
    return {"data": apartamento}, {"Location": location, **etag(apartamento)}


@api_bp.patch("/apartamentos/<int:id_apartamento>")
@row(apartamento_or_404, if_match="El apartamento")
@api_bp.arguments(ApartamentoCambiosSchema)
@api_bp.response(200, one(ApartamentoSchema), description="Actualizado.", headers=ETAG)
def apartamento_modificar(apartamento: Apartamento, datos: dict):
    """Cambiar algunos datos de un apartamento

    Piso, tipo o precio base nuevos recalculan su precio mientras esté Disponible
    (queda en su historial de precios); uno con una operación conserva el precio de
    esa operación y su base no cambia (422 en `precio_base`).
    """
    return _guardar(apartamento, datos, servicio.guardar_apartamento, apartamento_or_404)


@api_bp.delete("/apartamentos/<int:id_apartamento>")
@admin_only
@row(apartamento_or_404, if_match="El apartamento")
@alt_errors(403, 409)
@DELETED
def apartamento_eliminar(apartamento: Apartamento):
    """Eliminar un apartamento (solo admin); 409 si tiene ventas o separaciones"""
    servicio.eliminar_apartamento(apartamento)
    db.session.commit()
    return "", 204
