"""/api/clientes: the Clients API of docs/dominio.md."""

from flask import request, url_for

from ..extensions import db
from ..models import Apartamento, Cliente, Venta
from ..search import filtrar_clientes
from ..security import is_safe_path
from ..services import clientes as servicio
from ..services.errors import ValidationFailed
from . import api_bp, serializers
from .auth import admin_only
from .errors import ApiError
from .params import (
    Campos,
    check_if_match,
    entero,
    etag,
    json_body,
    paginate,
    pagination,
    query_int,
)

CAMPOS_CREAR = (*servicio.CAMPOS, "redirect")
CAMPOS_ACTUALIZAR = servicio.CAMPOS
OBLIGATORIOS_PUT = ("nombre", "id_tipo_cliente", "id_tipo_documento")
NO_ENCONTRADO = "Cliente no encontrado"


def _cliente_or_404(documento: str) -> Cliente:
    cliente = db.session.get(Cliente, documento)
    if cliente is None and documento.strip().upper() != documento:
        cliente = db.session.get(Cliente, documento.strip().upper())
    if cliente is None:
        raise ApiError(404, NO_ENCONTRADO)
    return cliente


def _respuesta(cliente: Cliente, status: int = 200, meta: dict | None = None):
    body = {"data": serializers.cliente(cliente)}
    if meta:
        body["meta"] = meta
    headers = {"ETag": etag(cliente.version)}
    if status == 201:
        headers["Location"] = url_for(".cliente_detalle", documento=cliente.documento)
    return body, status, headers


def _tipos(body: dict, campos: Campos) -> None:
    """JSON types the service would coerce: ids must be integers here."""
    for campo in ("id_tipo_cliente", "id_tipo_documento"):
        if body.get(campo) is not None and entero(body, campo, campos) is None:
            body.pop(campo)


def _validar(body: dict, campos: Campos, cliente: Cliente | None = None) -> None:
    """Every failing field in one 422: our type checks and the service's rules."""
    try:
        servicio.validar_datos_cliente(body, cliente=cliente)
    except ValidationFailed as exc:
        campos.merge(exc.errors)
    campos.raise_if_any()


@api_bp.get("/clientes")
def clientes_lista():
    campos = Campos()
    page, per_page = pagination(campos)
    id_tipo_cliente = query_int("id_tipo_cliente", campos)
    id_tipo_documento = query_int("id_tipo_documento", campos)
    despues_de = request.args.get("despues_de") or None
    if despues_de is not None and page != 1:
        campos.add("despues_de", "Use page o despues_de, no los dos.")
    elif despues_de is not None and (len(despues_de) > 40 or "\x00" in despues_de):
        campos.add("despues_de", "Debe ser un documento (hasta 40 caracteres).")
    campos.raise_if_any()
    busqueda = request.args.get("q")
    stmt = filtrar_clientes(db.select(Cliente), busqueda)
    if id_tipo_cliente:
        stmt = stmt.where(Cliente.id_tipo_cliente == id_tipo_cliente)
    if id_tipo_documento:
        stmt = stmt.where(Cliente.id_tipo_documento == id_tipo_documento)
    filtrada = bool((busqueda or "").strip() or id_tipo_cliente or id_tipo_documento)
    return paginate(
        stmt.order_by(Cliente.documento),
        page,
        per_page,
        serializers.cliente,
        total_compartido=None if filtrada else "api:clientes:total",
        cursor=Cliente.documento,
        despues_de=despues_de,
    )


@api_bp.get("/clientes/<documento>")
def cliente_detalle(documento: str):
    return _respuesta(_cliente_or_404(documento))


@api_bp.post("/clientes")
def cliente_crear():
    campos = Campos()
    body = json_body(CAMPOS_CREAR, campos)
    redirect = body.pop("redirect", None)
    if redirect is not None and not is_safe_path(redirect):
        campos.add("redirect", "Solo se admite una ruta de este sitio, ej. /admin/cliente/.")
    _tipos(body, campos)
    _validar(body, campos)
    cliente = servicio.crear_cliente(body)
    db.session.commit()
    return _respuesta(cliente, 201, {"redirect": redirect} if redirect else None)


def _actualizar(documento: str, *, completo: bool):
    cliente = _cliente_or_404(documento)
    check_if_match(cliente.version, "El cliente")
    campos = Campos()
    body = json_body(CAMPOS_ACTUALIZAR, campos)
    if completo:
        for campo in OBLIGATORIOS_PUT:
            if campo not in body:
                campos.add(campo, "Este campo es obligatorio.")
        for campo in servicio.CAMPOS_EDITABLES:
            body.setdefault(campo, None)  # PUT replaces: an omitted optional field is cleared
    _tipos(body, campos)
    _validar(body, campos, cliente)
    servicio.actualizar_cliente(cliente, body)
    db.session.commit()
    return _respuesta(cliente)


@api_bp.put("/clientes/<documento>")
def cliente_reemplazar(documento: str):
    return _actualizar(documento, completo=True)


@api_bp.patch("/clientes/<documento>")
def cliente_modificar(documento: str):
    return _actualizar(documento, completo=False)


@api_bp.delete("/clientes/<documento>")
@admin_only
def cliente_eliminar(documento: str):
    cliente = _cliente_or_404(documento)
    check_if_match(cliente.version, "El cliente")
    servicio.eliminar_cliente(cliente)
    db.session.commit()
    return "", 204


@api_bp.get("/clientes/<documento>/ventas")
def cliente_ventas(documento: str):
    campos = Campos()
    page, per_page = pagination(campos)
    campos.raise_if_any()
    cliente = _cliente_or_404(documento)
    stmt = (
        db.select(Venta)
        .where(Venta.documento_cliente == cliente.documento)
        .order_by(Venta.fecha.desc(), Venta.id.desc())
    )
    return paginate(stmt, page, per_page, serializers.venta)


@api_bp.get("/clientes/<documento>/apartamentos")
def cliente_apartamentos(documento: str):
    campos = Campos()
    page, per_page = pagination(campos)
    campos.raise_if_any()
    cliente = _cliente_or_404(documento)
    stmt = (
        db.select(Apartamento)
        .where(Apartamento.documento_cliente == cliente.documento)
        .order_by(Apartamento.id)
    )
    return paginate(stmt, page, per_page, serializers.apartamento)
