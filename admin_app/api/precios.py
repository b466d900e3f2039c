"""/api/tipos_apartamento, /api/politicas_precio, a project's prices and the
price preview, and an apartment's price history (docs/dominio.md, "Precios")."""

from dataclasses import replace

from flask import url_for
from marshmallow import ValidationError

from ..extensions import db
from ..models import Apartamento, HistorialPrecio, PoliticaPrecio, Proyecto, TipoApartamento
from ..services import precios as servicio
from ..services.errors import NotFound, ValidationFailed
from . import api_bp
from .auth import admin_only
from .inventario import proyecto_or_404
from .openapi import DELETED, ETAG, LOCATION, alt_errors
from .pagination import PaginaQuerySchema, page_of, paginate
from .resources import etag, get_or_404, guardar_con_reintento, row
from .schemas.base import one
from .schemas.fields import EnteroEnTexto
from .schemas.historial_precios import HistorialPrecioSchema
from .schemas.precios import (
    PoliticaPrecioCambiosSchema,
    PoliticaPrecioCompletoSchema,
    PoliticaPrecioNuevaSchema,
    PoliticaPrecioSchema,
    PreciosProyectoSchema,
    TipoApartamentoCambiosSchema,
    TipoApartamentoCompletoSchema,
    TipoApartamentoNuevoSchema,
    TipoApartamentoSchema,
    VistaPreviaRespuestaSchema,
    VistaPreviaSchema,
)

TAG = "Precios"


def tipo_or_404(id_tipo: int) -> TipoApartamento:
    return get_or_404(TipoApartamento, id_tipo, "Tipo de apartamento no encontrado")


def politica_or_404(id_politica: int) -> PoliticaPrecio:
    return get_or_404(PoliticaPrecio, id_politica, "Política de precio no encontrada")


def _guardar(fila, datos: dict, guardar, buscar):
    """Apply `datos` and save through `guardar` (resources.guardar_con_reintento)."""

    def aplicar(actual) -> None:
        for campo, valor in datos.items():
            setattr(actual, campo, valor)
        guardar(actual)

    return guardar_con_reintento(fila, aplicar, buscar)


# --- tipos de apartamento ------------------------------------------------------------


class TiposQuerySchema(PaginaQuerySchema):
    id_proyecto = EnteroEnTexto(metadata={"description": "Solo de este proyecto."})


@api_bp.get("/tipos_apartamento")
@api_bp.arguments(TiposQuerySchema, location="query")
@api_bp.response(200, page_of(TipoApartamentoSchema), description="Una página de tipos.")
def tipos_lista(query: dict):
    """Tipos de apartamento"""
    stmt = db.select(TipoApartamento)
    if query.get("id_proyecto"):
        stmt = stmt.where(TipoApartamento.id_proyecto == query["id_proyecto"])
    return paginate(stmt.order_by(TipoApartamento.id_proyecto, TipoApartamento.nombre), query)


@api_bp.get("/tipos_apartamento/<int:id_tipo>")
@row(tipo_or_404)
@api_bp.response(200, one(TipoApartamentoSchema), description="El tipo.", headers=ETAG)
def tipo_detalle(tipo: TipoApartamento):
    """Un tipo de apartamento"""
    return {"data": tipo}, etag(tipo)


@api_bp.post("/tipos_apartamento")
@admin_only
@alt_errors(403)
@api_bp.arguments(TipoApartamentoNuevoSchema)
@api_bp.response(
    201, one(TipoApartamentoSchema), description="Creado.", headers={**LOCATION, **ETAG}
)
def tipo_crear(datos: dict):
    """Crear un tipo de apartamento (solo admin)

    Área construida, área privada y valor del m² mayores que 0; el nombre es único en
    el proyecto (422 en `nombre`).
    """
    tipo = servicio.guardar_tipo(TipoApartamento(**datos))
    db.session.commit()
    return {"data": tipo}, {
        "Location": url_for(".tipo_detalle", id_tipo=tipo.id),
        **etag(tipo),
    }


@api_bp.put("/tipos_apartamento/<int:id_tipo>")
@admin_only
@row(tipo_or_404, if_match="El tipo de apartamento")
@alt_errors(403)
@api_bp.arguments(TipoApartamentoCompletoSchema)
@api_bp.response(200, one(TipoApartamentoSchema), description="Actualizado.", headers=ETAG)
def tipo_reemplazar(tipo: TipoApartamento, datos: dict):
    """Reemplazar un tipo de apartamento (solo admin)

    Sus apartamentos disponibles toman el nuevo valor estimado como precio base y se
    recalcula su precio (vea antes `POST /api/proyectos/{id}/precios/vista_previa`).
    """
    return _guardar(tipo, datos, servicio.guardar_tipo, tipo_or_404)


@api_bp.patch("/tipos_apartamento/<int:id_tipo>")
@admin_only
@row(tipo_or_404, if_match="El tipo de apartamento")
@alt_errors(403)
@api_bp.arguments(TipoApartamentoCambiosSchema)
@api_bp.response(200, one(TipoApartamentoSchema), description="Actualizado.", headers=ETAG)
def tipo_modificar(tipo: TipoApartamento, datos: dict):
    """Cambiar algunos datos de un tipo de apartamento (solo admin)"""
    return _guardar(tipo, datos, servicio.guardar_tipo, tipo_or_404)


@api_bp.delete("/tipos_apartamento/<int:id_tipo>")
@admin_only
@row(tipo_or_404, if_match="El tipo de apartamento")
@alt_errors(403, 409)
@DELETED
def tipo_eliminar(tipo: TipoApartamento):
    """Eliminar un tipo de apartamento (solo admin)

    409 si algún apartamento lo usa: no se elimina nada.
    """
    servicio.eliminar_tipo(tipo)
    db.session.commit()
    return "", 204


# --- políticas de precio ---------------------------------------------------------------


@api_bp.get("/politicas_precio")
@api_bp.arguments(TiposQuerySchema, location="query")
@api_bp.response(200, page_of(PoliticaPrecioSchema), description="Una página de políticas.")
def politicas_lista(query: dict):
    """Políticas de precio, en su orden"""
    stmt = db.select(PoliticaPrecio)
    if query.get("id_proyecto"):
        stmt = stmt.where(PoliticaPrecio.id_proyecto == query["id_proyecto"])
    orden = (PoliticaPrecio.id_proyecto, PoliticaPrecio.orden, PoliticaPrecio.id)
    return paginate(stmt.order_by(*orden), query)


@api_bp.get("/politicas_precio/<int:id_politica>")
@row(politica_or_404)
@api_bp.response(200, one(PoliticaPrecioSchema), description="La política.", headers=ETAG)
def politica_detalle(politica: PoliticaPrecio):
    """Una política de precio"""
    return {"data": politica}, etag(politica)


@api_bp.post("/politicas_precio")
@admin_only
@alt_errors(403)
@api_bp.arguments(PoliticaPrecioNuevaSchema)
@api_bp.response(
    201, one(PoliticaPrecioSchema), description="Creada.", headers={**LOCATION, **ETAG}
)
def politica_crear(datos: dict):
    """Crear una política de precio (solo admin)

    Necesita `ventas_por_escalon`, `aplica_desde` o ambos (422 en los dos si falta);
    `porcentaje_aumento` de 0 a 100 con hasta 4 decimales. Recalcula los precios.
    """
    politica = servicio.guardar_politica(PoliticaPrecio(**datos))
    db.session.commit()
    return {"data": politica}, {
        "Location": url_for(".politica_detalle", id_politica=politica.id),
        **etag(politica),
    }


@api_bp.put("/politicas_precio/<int:id_politica>")
@admin_only
@row(politica_or_404, if_match="La política de precio")
@alt_errors(403)
@api_bp.arguments(PoliticaPrecioCompletoSchema)
@api_bp.response(200, one(PoliticaPrecioSchema), description="Actualizada.", headers=ETAG)
def politica_reemplazar(politica: PoliticaPrecio, datos: dict):
    """Reemplazar una política de precio (solo admin)"""
    datos.setdefault("orden", politica.orden)
    return _guardar(politica, datos, servicio.guardar_politica, politica_or_404)


@api_bp.patch("/politicas_precio/<int:id_politica>")
@admin_only
@row(politica_or_404, if_match="La política de precio")
@alt_errors(403)
@api_bp.arguments(PoliticaPrecioCambiosSchema)
@api_bp.response(200, one(PoliticaPrecioSchema), description="Actualizada.", headers=ETAG)
def politica_modificar(politica: PoliticaPrecio, datos: dict):
    """Cambiar algunos datos de una política de precio (solo admin)"""
    return _guardar(politica, datos, servicio.guardar_politica, politica_or_404)


@api_bp.delete("/politicas_precio/<int:id_politica>")
@admin_only
@row(politica_or_404, if_match="La política de precio")
@alt_errors(403)
@DELETED
def politica_eliminar(politica: PoliticaPrecio):
    """Eliminar una política de precio (solo admin)"""
    servicio.eliminar_politica(politica)
    db.session.commit()
    return "", 204


# --- precios de un proyecto y vista previa -------------------------------------------


@api_bp.get("/proyectos/<int:id_proyecto>/precios")
@row(proyecto_or_404)
@api_bp.response(200, PreciosProyectoSchema, description="Cada apartamento disponible.")
def proyecto_precios(proyecto: Proyecto):
    """Precios de los apartamentos disponibles: base, prima, factor y precio"""
    reglas = servicio.reglas_proyecto(proyecto)
    filas = [
        {
            "id_apartamento": unidad.id,
            "apartamento": unidad.etiqueta,
            "piso": unidad.piso,
            "id_tipo_apartamento": unidad.id_tipo,
            "precio_base": d.precio_base,
            "prima": d.prima,
            "factor": f"{d.factor.normalize():f}",
            "precio": d.precio,
            "politicas": [p.etiqueta for p in d.politicas],
        }
        for unidad, d in servicio.precios_proyecto(proyecto)
    ]
    return {"data": filas, "meta": {"total": len(filas), "ventas": reglas.vendidas}}


def _cargar(schema, cambios: dict) -> dict:
    try:
        return schema().load(cambios)
    except ValidationError as exc:
        errores = {f"cambios.{campo}": mensajes for campo, mensajes in exc.messages.items()}
        raise ValidationFailed("Revise los campos marcados.", errores) from None


def _aplicar_en_copia(fila, datos: dict, validar):
    """`fila` with `datos`, validated, then restored: nothing is written."""
    antes = {campo: getattr(fila, campo) for campo in datos}
    with db.session.no_autoflush:
        try:
            for campo, valor in datos.items():
                setattr(fila, campo, valor)
            validar(fila)
            return {campo: getattr(fila, campo) for campo in datos}
        finally:
            for campo, valor in antes.items():
                setattr(fila, campo, valor)
            if fila in db.session and db.session.is_modified(fila):
                db.session.expire(fila)


def calcular_vista_previa(proyecto: Proyecto, recurso: str, ident: int | None, cambios: dict):
    """The changes an edit would make, from the API's body (services.precios.vista_previa)."""
    from ..services.catalogos import validar_proyecto
    from .schemas.inventario import ProyectoCambiosSchema

    if recurso == "politica_precio":
        if ident is None:
            fila = PoliticaPrecio(
                id_proyecto=proyecto.id, **_cargar(PoliticaPrecioCompletoSchema, cambios)
            )
            servicio.validar_politica(fila)
            return servicio.vista_previa(proyecto, politica=servicio.Politica.de(fila))
        fila = db.session.get(PoliticaPrecio, ident)
        if fila is None or fila.id_proyecto != proyecto.id:
            raise NotFound.on_field("id", "La política no existe en este proyecto.")
        nuevos = _aplicar_en_copia(
            fila, _cargar(PoliticaPrecioCambiosSchema, cambios), servicio.validar_politica
        )
        politica = replace(servicio.Politica.de(fila), **nuevos)
        return servicio.vista_previa(proyecto, politica=politica)
    if recurso == "tipo_apartamento":
        if ident is None:
            raise ValidationFailed.on_field("id", "Indique el tipo de apartamento que cambia.")
        tipo = db.session.get(TipoApartamento, ident)
        if tipo is None or tipo.id_proyecto != proyecto.id:
            raise NotFound.on_field("id", "El tipo de apartamento no existe en este proyecto.")
        nuevos = _aplicar_en_copia(
            tipo, _cargar(TipoApartamentoCambiosSchema, cambios), servicio.validar_tipo
        )
        area = nuevos.get("area_construida", tipo.area_construida)
        valor = nuevos.get("valor_m2", tipo.valor_m2)
        return servicio.vista_previa(proyecto, tipo=(tipo.id, servicio.valor_estimado(area, valor)))
    if ident is not None and ident != proyecto.id:
        raise ValidationFailed.on_field("id", "Debe ser el proyecto de la dirección.")
    nuevos = _aplicar_en_copia(proyecto, _cargar(ProyectoCambiosSchema, cambios), validar_proyecto)
    prima = servicio.Prima(
        nuevos.get("prima_altura_activa", proyecto.prima_altura_activa),
        nuevos.get("prima_altura_base", proyecto.prima_altura_base),
        nuevos.get("prima_altura_incremento", proyecto.prima_altura_incremento),
    )
    return servicio.vista_previa(proyecto, prima=prima)


@api_bp.post("/proyectos/<int:id_proyecto>/precios/vista_previa")
@row(proyecto_or_404)
@api_bp.arguments(VistaPreviaSchema)
@api_bp.response(200, VistaPreviaRespuestaSchema, description="Lo que cambiaría; nada se guarda.")
def proyecto_vista_previa(proyecto: Proyecto, datos: dict):
    """Vista previa de un cambio de precios

    `recurso`: `politica_precio` (`id` null para una nueva), `tipo_apartamento` o
    `proyecto` (la prima de altura); `cambios`: los campos como en su PUT o PATCH.
    Responde cada apartamento disponible cuyo precio cambiaría; no guarda nada.
    """
    try:
        cambios = calcular_vista_previa(proyecto, datos["recurso"], datos["id"], datos["cambios"])
    finally:
        db.session.rollback()
    filas = [
        {
            "id_apartamento": c.unidad.id,
            "apartamento": c.unidad.etiqueta,
            "precio_antes": c.precio_antes,
            "precio_despues": c.precio_despues,
        }
        for c in cambios
    ]
    return {"data": filas, "meta": {"total": len(filas)}}


# --- historial de precios --------------------------------------------------------------


@api_bp.get("/apartamentos/<int:id_apartamento>/historial_precios")
@api_bp.arguments(PaginaQuerySchema, location="query")
@row(lambda id_apartamento: get_or_404(Apartamento, id_apartamento, "Apartamento no encontrado"))
@api_bp.response(200, page_of(HistorialPrecioSchema), description="Cambios de precio.")
def apartamento_historial_precios(apartamento: Apartamento, query: dict):
    """Historial de precios de un apartamento, el más reciente primero"""
    stmt = db.select(HistorialPrecio).where(HistorialPrecio.id_apartamento == apartamento.id)
    return paginate(stmt.order_by(HistorialPrecio.fecha.desc(), HistorialPrecio.id.desc()), query)
