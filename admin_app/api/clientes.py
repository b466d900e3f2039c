"""/api/clientes: the Clients API of docs/dominio.md."""

from flask import url_for

from ..extensions import db
from ..models import Apartamento, Cliente, Venta
from ..search import filtrar_clientes
from ..services import clientes as servicio
from . import api_bp
from .auth import admin_only
from .errors import ApiError
from .openapi import DELETED, ETAG, LOCATION, alt_errors
from .pagination import PaginaQuerySchema, page_of, paginate
from .resources import etag, guardar_con_reintento, row
from .schemas.base import one
from .schemas.clientes import (
    ClienteCambiosSchema,
    ClienteCompletoSchema,
    ClienteCreadoSchema,
    ClienteNuevoSchema,
    ClienteSchema,
    ClientesQuerySchema,
)
from .schemas.inventario import ApartamentoSchema
from .schemas.ventas import VentaSchema

TAG = "Clientes"


def cliente_or_404(documento: str) -> Cliente:
    cliente = db.session.get(Cliente, documento)
    if cliente is None and documento.strip().upper() != documento:
        cliente = db.session.get(Cliente, documento.strip().upper())
    if cliente is None:
        raise ApiError(404, "Cliente no encontrado")
    return cliente


@api_bp.get("/clientes")
@api_bp.arguments(ClientesQuerySchema, location="query")
@api_bp.response(200, page_of(ClienteSchema), description="Una página de clientes.")
def clientes_lista(query: dict):
    """Lista de clientes"""
    stmt = filtrar_clientes(db.select(Cliente), query.get("q"))
    tipos = {
        campo: query[campo] for campo in ("id_tipo_cliente", "id_tipo_documento") if campo in query
    }
    for campo, valor in tipos.items():
        stmt = stmt.where(getattr(Cliente, campo) == valor)
    filtrada = bool((query.get("q") or "").strip() or tipos)
    return paginate(
        stmt.order_by(Cliente.documento),
        query,
        total_compartido=None if filtrada else "api:clientes:total",
        cursor=Cliente.documento,
    )


@api_bp.get("/clientes/<documento>")
@row(cliente_or_404)
@api_bp.response(200, one(ClienteSchema), description="El cliente.", headers=ETAG)
def cliente_detalle(cliente: Cliente):
    """Un cliente"""
    return {"data": cliente}, etag(cliente)


@api_bp.post("/clientes")
@api_bp.arguments(ClienteNuevoSchema)
@api_bp.response(201, ClienteCreadoSchema, description="Creado.", headers={**LOCATION, **ETAG})
def cliente_crear(datos: dict):
    """Crear un cliente

    Errores comunes, cada uno un 422 en su campo: documento ya existe
    (`errors.documento`), correo inválido (`errors.correo`), campos obligatorios
    faltantes, tipo de cliente o de documento inexistente. El documento se valida
    según su tipo (CC, NIT con dígito de verificación, CE, PA, OTRO) y se guarda
    normalizado.
    """
    redirect = datos.pop("redirect", None)
    cliente = servicio.crear_cliente(datos)
    db.session.commit()
    location = url_for(".cliente_detalle", documento=cliente.documento)
    body = {"data": cliente, "meta": {"redirect": redirect}} if redirect else {"data": cliente}
    return body, {"Location": location, **etag(cliente)}


def _actualizar(cliente: Cliente, datos: dict):
    return guardar_con_reintento(
        cliente, lambda fila: servicio.actualizar_cliente(fila, datos), cliente_or_404
    )


@api_bp.put("/clientes/<documento>")
@row(cliente_or_404, if_match="El cliente")
@api_bp.arguments(ClienteCompletoSchema)
@api_bp.response(200, one(ClienteSchema), description="Actualizado.", headers=ETAG)
def cliente_reemplazar(cliente: Cliente, datos: dict):
    """Reemplazar los datos de un cliente

    El documento no se puede cambiar: otro valor es un 422 en `documento`.
    """
    return _actualizar(cliente, datos)


@api_bp.patch("/clientes/<documento>")
@row(cliente_or_404, if_match="El cliente")
@api_bp.arguments(ClienteCambiosSchema)
@api_bp.response(200, one(ClienteSchema), description="Actualizado.", headers=ETAG)
def cliente_modificar(cliente: Cliente, datos: dict):
    """Cambiar algunos datos de un cliente"""
    return _actualizar(cliente, datos)


@api_bp.delete("/clientes/<documento>")
@admin_only
@row(cliente_or_404, if_match="El cliente")
@alt_errors(403, 409)
@DELETED
def cliente_eliminar(cliente: Cliente):
    """Eliminar un cliente (solo admin)

    409 si tiene ventas o separaciones (o es dueño de apartamentos): no se elimina nada.
    """
    servicio.eliminar_cliente(cliente)
    db.session.commit()
    return "", 204


# Pagination is read before the cliente (a bad page is a 422 even for an unknown one).
@api_bp.get("/clientes/<documento>/ventas")
@api_bp.arguments(PaginaQuerySchema, location="query")
@row(cliente_or_404)
@api_bp.response(200, page_of(VentaSchema), description="Una página de operaciones.")
def cliente_ventas(cliente: Cliente, query: dict):
    """Ventas y separaciones de un cliente"""
    stmt = db.select(Venta).where(Venta.documento_cliente == cliente.documento)
    return paginate(stmt.order_by(Venta.fecha.desc(), Venta.id.desc()), query)


@api_bp.get("/clientes/<documento>/apartamentos")
@api_bp.arguments(PaginaQuerySchema, location="query")
@row(cliente_or_404)
@api_bp.response(200, page_of(ApartamentoSchema), description="Una página de apartamentos.")
def cliente_apartamentos(cliente: Cliente, query: dict):
    """Apartamentos de los que el cliente es dueño"""
    stmt = db.select(Apartamento).where(Apartamento.documento_cliente == cliente.documento)
    return paginate(stmt.order_by(Apartamento.id), query)
