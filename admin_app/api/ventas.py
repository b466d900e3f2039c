"""/api/ventas: ventas and separaciones, their conversion, annulment and plan."""

from decimal import Decimal

from flask import request, url_for

from ..extensions import db
from ..formatting import today_bogota
from ..models import Apartamento, EstadoOperacion, TipoOperacion, Torre, Venta
from ..services import ventas as servicio
from ..services.errors import ServiceError
from ..services.estado_cuenta import resumen_venta
from . import api_bp, serializers
from .errors import ApiError
from .params import (
    MAX_INT,
    Campos,
    check_if_match,
    dinero_campo,
    entero,
    etag,
    fecha_campo,
    json_body,
    paginate,
    pagination,
    query_choice,
    query_date,
    query_int,
    texto,
)

CAMPOS_VENTA = (
    "tipo_operacion",
    "documento_cliente",
    "id_apartamento",
    "id_forma_pago",
    "fecha",
    "valor_total",
    "valor_separacion",
    "fecha_limite_separacion",
    "cuota_inicial",
    "plazo_cuota_inicial_meses",
    "tasa_interes_anual",
    "observaciones",
)
CAMPOS_CONVERTIR = (
    "cuota_inicial",
    "plazo_cuota_inicial_meses",
    "id_forma_pago",
    "tasa_interes_anual",
    "fecha",
    "valor_total",
)
CERO = servicio.CERO
MAX_TASA = Decimal("100.00")


def venta_or_404(id_venta: int) -> Venta:
    venta = db.session.get(Venta, id_venta) if id_venta <= MAX_INT else None
    if venta is None:
        raise ApiError(404, "Venta no encontrada")
    return venta


def _detalle(venta: Venta, status: int = 200):
    headers = {"ETag": etag(venta.version)}
    if status == 201:
        headers["Location"] = url_for(".venta_detalle", id_venta=venta.id)
    data = serializers.venta_detalle(venta, resumen_venta(venta, today_bogota()))
    return {"data": data}, status, headers


@api_bp.get("/ventas")
def ventas_lista():
    campos = Campos()
    page, per_page = pagination(campos)
    tipo = query_choice("tipo_operacion", TipoOperacion.ALL, campos)
    estado = query_choice("estado_operacion", EstadoOperacion.ALL, campos)
    id_proyecto = query_int("id_proyecto", campos)
    desde = query_date("fecha_desde", campos)
    hasta = query_date("fecha_hasta", campos)
    campos.raise_if_any()
    stmt = db.select(Venta)
    documento = (request.args.get("documento_cliente") or "").strip()
    if documento:
        stmt = stmt.where(Venta.documento_cliente == documento.upper())
    if tipo:
        stmt = stmt.where(Venta.tipo_operacion == tipo)
    if estado:
        stmt = stmt.where(Venta.estado_operacion == estado)
    if id_proyecto:
        del_proyecto = (
            db.select(Apartamento.id)
            .join(Torre, Apartamento.id_torre == Torre.id)
            .where(Torre.id_proyecto == id_proyecto)
        )
        stmt = stmt.where(Venta.id_apartamento.in_(del_proyecto))
    if desde:
        stmt = stmt.where(Venta.fecha >= desde)
    if hasta:
        stmt = stmt.where(Venta.fecha <= hasta)
    stmt = stmt.order_by(Venta.fecha.desc(), Venta.id.desc())
    filtrada = any((documento, tipo, estado, id_proyecto, desde, hasta))
    return paginate(
        stmt,
        page,
        per_page,
        serializers.venta,
        total_compartido=None if filtrada else "api:ventas:total",
    )


@api_bp.get("/ventas/<int:id_venta>")
def venta_detalle(id_venta: int):
    return _detalle(venta_or_404(id_venta))


@api_bp.post("/ventas")
def venta_crear():
    campos = Campos()
    body = json_body(CAMPOS_VENTA, campos)
    tipo = texto(body, "tipo_operacion", campos)
    documento = texto(body, "documento_cliente", campos)
    datos = servicio.DatosOperacion(
        tipo_operacion=tipo,
        documento_cliente=documento.strip().upper() if documento else documento,
        id_apartamento=entero(body, "id_apartamento", campos),
        fecha=fecha_campo(body, "fecha", campos),
        valor_separacion=dinero_campo(body, "valor_separacion", campos) or CERO,
        id_forma_pago=entero(body, "id_forma_pago", campos),
        valor_total=dinero_campo(body, "valor_total", campos),
        fecha_limite_separacion=fecha_campo(body, "fecha_limite_separacion", campos),
        cuota_inicial=dinero_campo(body, "cuota_inicial", campos),
        plazo_cuota_inicial_meses=entero(body, "plazo_cuota_inicial_meses", campos),
        tasa_interes_anual=dinero_campo(body, "tasa_interes_anual", campos, maximo=MAX_TASA)
        or CERO,
        observaciones=texto(body, "observaciones", campos),
    )
    campos.raise_if_any()
    venta = servicio.crear_operacion(datos)
    db.session.commit()
    return _detalle(venta, 201)


@api_bp.post("/ventas/<int:id_venta>/convertir")
def venta_convertir(id_venta: int):
    venta = venta_or_404(id_venta)
    check_if_match(venta.version, "La operación")
    campos = Campos()
    body = json_body(CAMPOS_CONVERTIR, campos)
    valores = dict(
        cuota_inicial=dinero_campo(body, "cuota_inicial", campos),
        plazo_cuota_inicial_meses=entero(body, "plazo_cuota_inicial_meses", campos),
        id_forma_pago=entero(body, "id_forma_pago", campos),
        tasa_interes_anual=dinero_campo(body, "tasa_interes_anual", campos, maximo=MAX_TASA)
        or CERO,
        fecha=fecha_campo(body, "fecha", campos),
        valor_total=dinero_campo(body, "valor_total", campos),
    )
    campos.raise_if_any()
    servicio.convertir_separacion(venta, **valores)
    db.session.commit()
    return _detalle(venta)


@api_bp.post("/ventas/<int:id_venta>/anular")
def venta_anular(id_venta: int):
    venta = venta_or_404(id_venta)
    check_if_match(venta.version, "La operación")
    campos = Campos()
    body = json_body(("motivo",), campos, optional=True)
    motivo = texto(body, "motivo", campos)
    campos.raise_if_any()
    try:
        servicio.anular_operacion(venta, motivo)
    except ServiceError as exc:
        # The service names the column; the API calls it `motivo`.
        if "motivo_anulacion" in exc.errors:
            exc.errors["motivo"] = exc.errors.pop("motivo_anulacion")
        raise
    db.session.commit()
    return _detalle(venta)


@api_bp.get("/ventas/<int:id_venta>/plan")
def venta_plan(id_venta: int):
    venta = venta_or_404(id_venta)
    hoy = today_bogota()
    return {
        "data": {
            "id_venta": venta.id,
            "cuotas": [serializers.cuota(c, hoy) for c in venta.cuotas],
            "totales": serializers.totales(resumen_venta(venta, hoy)),
        }
    }
