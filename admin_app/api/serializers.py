"""Models -> JSON: keys equal column names, money as "250000000.00", dates ISO,
timestamps in UTC with their offset."""

from datetime import UTC, date, datetime
from decimal import Decimal

from ..models import Apartamento, Cliente, Cuota, Pago, Proyecto, Venta
from ..services.estado_cuenta import ResumenVenta

CENTAVOS = Decimal("0.01")


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value).quantize(CENTAVOS):f}"


def iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat()


def catalogo(obj) -> dict:
    return {"id": obj.id, "nombre": obj.nombre}


def tipo_documento(obj) -> dict:
    return {"id": obj.id, "codigo": obj.codigo, "nombre": obj.nombre}


def cliente(obj: Cliente) -> dict:
    return {
        "documento": obj.documento,
        "nombre": obj.nombre,
        "id_tipo_cliente": obj.id_tipo_cliente,
        "tipo_cliente": catalogo(obj.tipo_cliente),
        "id_tipo_documento": obj.id_tipo_documento,
        "tipo_documento": tipo_documento(obj.tipo_documento),
        "direccion": obj.direccion,
        "telefono": obj.telefono,
        "correo": obj.correo,
        "created_at": timestamp(obj.created_at),
        "updated_at": timestamp(obj.updated_at),
    }


def proyecto(obj: Proyecto) -> dict:
    return {
        "id": obj.id,
        "nombre": obj.nombre,
        "ciudad": obj.ciudad,
        "porcentaje_cuota_inicial_min": money(obj.porcentaje_cuota_inicial_min),
        "valor_min_separacion": money(obj.valor_min_separacion),
        "plazo_max_cuota_inicial_meses": obj.plazo_max_cuota_inicial_meses,
        "plazo_max_separacion_dias": obj.plazo_max_separacion_dias,
        "activo": obj.activo,
        "torres": [{"id": t.id, "nombre": t.nombre} for t in obj.torres],
    }


def apartamento(obj: Apartamento) -> dict:
    torre = obj.torre
    return {
        "id": obj.id,
        "id_torre": obj.id_torre,
        "torre": {"id": torre.id, "nombre": torre.nombre},
        "id_proyecto": torre.id_proyecto,
        "proyecto": {"id": torre.proyecto.id, "nombre": torre.proyecto.nombre},
        "numero": obj.numero,
        "piso": obj.piso,
        "area_m2": money(obj.area_m2),
        "habitaciones": obj.habitaciones,
        "banos": obj.banos,
        "precio": money(obj.precio),
        "id_estado_inmueble": obj.id_estado_inmueble,
        "estado": obj.estado.nombre,
        "documento_cliente": obj.documento_cliente,
    }


def venta(obj: Venta) -> dict:
    return {
        "id": obj.id,
        "tipo_operacion": obj.tipo_operacion,
        "estado_operacion": obj.estado_operacion,
        "documento_cliente": obj.documento_cliente,
        "id_apartamento": obj.id_apartamento,
        "id_forma_pago": obj.id_forma_pago,
        "fecha": iso_date(obj.fecha),
        "fecha_separacion": iso_date(obj.fecha_separacion),
        "valor_total": money(obj.valor_total),
        "valor_separacion": money(obj.valor_separacion),
        "fecha_limite_separacion": iso_date(obj.fecha_limite_separacion),
        "cuota_inicial": money(obj.cuota_inicial),
        "plazo_cuota_inicial_meses": obj.plazo_cuota_inicial_meses,
        "tasa_interes_anual": money(obj.tasa_interes_anual),
        "observaciones": obj.observaciones,
        "motivo_anulacion": obj.motivo_anulacion,
        "created_at": timestamp(obj.created_at),
        "updated_at": timestamp(obj.updated_at),
    }


def totales(resumen: ResumenVenta) -> dict:
    return {
        "total": money(resumen.total),
        "pagado": money(resumen.pagado),
        "pendiente": money(resumen.pendiente),
        "vencido": money(resumen.vencido),
        "cuotas_vencidas": resumen.cuotas_vencidas,
    }


def venta_detalle(obj: Venta, resumen: ResumenVenta) -> dict:
    return {
        **venta(obj),
        "cliente": cliente(obj.cliente),
        "apartamento": apartamento(obj.apartamento),
        "totales": totales(resumen),
    }


def cuota(obj: Cuota, hoy: date) -> dict:
    return {
        "id": obj.id,
        "numero": obj.numero,
        "concepto": obj.concepto,
        "fecha_vencimiento": iso_date(obj.fecha_vencimiento),
        "valor": money(obj.valor),
        "capital": money(obj.capital),
        "interes": money(obj.interes),
        "saldo": money(obj.saldo),
        "valor_pagado": money(obj.valor_pagado),
        "pendiente": money(obj.valor - obj.valor_pagado),
        "estado": obj.estado(hoy),
    }


def pago(obj: Pago) -> dict:
    return {
        "id": obj.id,
        "id_venta": obj.id_venta,
        "fecha": iso_date(obj.fecha),
        "valor": money(obj.valor),
        "id_medio_pago": obj.id_medio_pago,
        "medio_pago": catalogo(obj.medio_pago),
        "referencia": obj.referencia,
        "observaciones": obj.observaciones,
        "aplicaciones": [
            {"id_cuota": a.id_cuota, "valor": money(a.valor)}
            for a in sorted(obj.aplicaciones, key=lambda a: a.id_cuota)
        ],
        "created_at": timestamp(obj.created_at),
        "updated_at": timestamp(obj.updated_at),
    }
