"""Ventas y separaciones: creating, converting, editing, annulling, lapsing.

Design: a separación and the venta it becomes are THE SAME ROW of `ventas`.
Converting turns tipo_operacion into 'venta' (estado stays 'vigente'),
keeps the separation date in `fecha_separacion`, and keeps the "Separación"
cuota with its payments as cuota 1, so the deposit counts toward the cuota
inicial without copying money between records.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from ..avisos.cola import avisar_operacion
from ..extensions import db
from ..formatting import format_date, today_bogota
from ..integrity import describe_integrity_error
from ..limites import PLAZO_MAXIMO_CUOTA_INICIAL_MESES, fecha_fuera_de_rango
from ..models import (
    Apartamento,
    Cliente,
    Cuota,
    EstadoInmueble,
    EstadoOperacion,
    FormaPago,
    Pago,
    TipoOperacion,
    Venta,
)
from ..models.base import utcnow
from .apartamentos import estados_inmueble, mover_apartamento
from .errors import Conflict, Errores, StaleRecord, ValidationFailed
from .pagos import pesos, reaplicar_pagos
from .plan_pagos import CuotaPlan, generar_plan, plan_separacion

CERO = Decimal("0.00")
TASA_MAXIMA = Decimal("100.00")  # percent a year, as the table's check allows
MENSAJE_CONCURRENCIA = (
    "Otro usuario modificó esta operación al mismo tiempo; recargue la página e intente de nuevo."
)


@dataclass
class DatosOperacion:
    tipo_operacion: str
    documento_cliente: str
    id_apartamento: int
    fecha: date
    valor_separacion: Decimal = CERO
    id_forma_pago: int | None = None
    valor_total: Decimal | None = None  # None: the apartment's price
    fecha_limite_separacion: date | None = None
    cuota_inicial: Decimal | None = None
    plazo_cuota_inicial_meses: int | None = None
    tasa_interes_anual: Decimal = CERO
    observaciones: str | None = None


# --- helpers -----------------------------------------------------------------


def limpiar_documento(documento):
    """A client's documento as typed (spaces around, lower case) -> as stored; other
    values are left for the validation to refuse."""
    return documento.strip().upper() if isinstance(documento, str) else documento


def reglas_proyecto(apartamento: Apartamento) -> dict:
    """The sales rules of the apartment's project, for forms and the API."""
    proyecto = apartamento.torre.proyecto
    reglas = {
        "proyecto": proyecto.nombre,
        "precio": apartamento.precio,
        "porcentaje_cuota_inicial_min": proyecto.porcentaje_cuota_inicial_min,
        "valor_min_separacion": proyecto.valor_min_separacion,
        "plazo_max_cuota_inicial_meses": proyecto.plazo_max_cuota_inicial_meses,
        "plazo_max_separacion_dias": proyecto.plazo_max_separacion_dias,
    }
    porcentaje = proyecto.porcentaje_cuota_inicial_min.normalize()
    reglas["descripcion"] = [
        f"Separación mínima: {pesos(proyecto.valor_min_separacion)}.",
        f"Plazo máximo de la separación: {proyecto.plazo_max_separacion_dias} días.",
        f"Cuota inicial mínima: {porcentaje:f} % del valor total.",
        f"Plazo máximo de la cuota inicial: {proyecto.plazo_max_cuota_inicial_meses} meses.",
    ]
    return reglas


def cuota_inicial_minima(valor_total: Decimal, porcentaje: Decimal) -> Decimal:
    return (Decimal(valor_total) * Decimal(porcentaje) / 100).quantize(
        Decimal("0.01"), rounding=ROUND_CEILING
    )


def _validar_venta(
    errores: Errores,
    apartamento: Apartamento,
    *,
    valor_total: Decimal | None,
    valor_separacion: Decimal,
    cuota_inicial: Decimal | None,
    plazo: int | None,
    tasa: Decimal | None,
    id_forma_pago: int | None,
) -> None:
    proyecto = apartamento.torre.proyecto
    if id_forma_pago is None:
        errores.add("id_forma_pago", "Seleccione la forma de pago de la venta.")
    elif db.session.get(FormaPago, id_forma_pago) is None:
        errores.add("id_forma_pago", "La forma de pago seleccionada no existe.")
    if cuota_inicial is None:
        errores.add("cuota_inicial", "Indique la cuota inicial de la venta.")
    elif valor_total is not None and valor_total > 0:
        minimo = cuota_inicial_minima(valor_total, proyecto.porcentaje_cuota_inicial_min)
        porcentaje = proyecto.porcentaje_cuota_inicial_min.normalize()
        if cuota_inicial < minimo:
            errores.add(
                "cuota_inicial",
                f"La cuota inicial debe ser al menos el {porcentaje:f} % del valor total: "
                f"{pesos(minimo)}.",
            )
        elif cuota_inicial > valor_total:
            errores.add(
                "cuota_inicial",
                f"La cuota inicial no puede superar el valor total ({pesos(valor_total)}).",
            )
        if valor_separacion > cuota_inicial:
            errores.add(
                "valor_separacion",
                f"La separación no puede superar la cuota inicial ({pesos(cuota_inicial)}).",
            )
    maximo = min(proyecto.plazo_max_cuota_inicial_meses, PLAZO_MAXIMO_CUOTA_INICIAL_MESES)
    if plazo is None:
        errores.add("plazo_cuota_inicial_meses", "Indique el plazo de la cuota inicial en meses.")
    elif not 1 <= plazo <= maximo:
        errores.add(
            "plazo_cuota_inicial_meses",
            f"El plazo de la cuota inicial debe estar entre 1 y {maximo} meses.",
        )
    if tasa is None or not 0 <= tasa <= TASA_MAXIMA:
        errores.add("tasa_interes_anual", "La tasa de interés anual debe estar entre 0 % y 100 %.")


def _validar_valores(errores: Errores, valor_total: Decimal | None, valor_sep: Decimal) -> None:
    if valor_total is None or valor_total <= 0:
        errores.add("valor_total", "El valor total debe ser mayor que cero.")
    if valor_sep is None or valor_sep < 0:
        errores.add("valor_separacion", "El valor de la separación no puede ser negativo.")


def _valores_cuota(c: CuotaPlan) -> dict:
    """The columns of a new cuota of the plan (nothing paid yet)."""
    return {
        "numero": c.numero,
        "concepto": c.concepto,
        "fecha_vencimiento": c.fecha_vencimiento,
        "valor": c.valor,
        "capital": c.capital,
        "interes": c.interes,
        "saldo": c.saldo,
        "valor_pagado": CERO,
    }


def _apartamento_no_disponible(apartamento: Apartamento) -> Conflict:
    return Conflict.on_field(
        "id_apartamento",
        f"El apartamento {apartamento} no está disponible: su estado es "
        f"{apartamento.estado.nombre}. Solo se vende o separa un apartamento Disponible.",
    )


def _liberar_apartamento(venta: Venta) -> None:
    apartamento = venta.apartamento
    estados = estados_inmueble()
    ocupado = {estados[EstadoInmueble.SEPARADO], estados[EstadoInmueble.VENDIDO]}
    # An apartment an admin blocked meanwhile stays blocked; it only loses its owner.
    if apartamento.id_estado_inmueble in ocupado:
        apartamento.id_estado_inmueble = estados[EstadoInmueble.DISPONIBLE]
    if apartamento.documento_cliente == venta.documento_cliente:
        apartamento.documento_cliente = None


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise StaleRecord(MENSAJE_CONCURRENCIA) from exc


def _exigir_vigente(venta: Venta, accion: str) -> None:
    if venta.estado_operacion != EstadoOperacion.VIGENTE:
        raise Conflict.on_field(
            "estado_operacion",
            f"No se puede {accion} la {venta.tipo_label.lower()} #{venta.id}: "
            f"está {venta.estado_label.lower()}.",
        )


# --- operations --------------------------------------------------------------


def crear_operacion(datos: DatosOperacion) -> Venta:
    """Create a venta (with its plan) or a separación; the apartment leaves Disponible.
    Blank separación and rate count as zero."""
    datos = replace(
        datos,
        documento_cliente=limpiar_documento(datos.documento_cliente),
        valor_separacion=datos.valor_separacion or CERO,
        tasa_interes_anual=datos.tasa_interes_anual,
        observaciones=(datos.observaciones or "").strip() or None,
    )
    errores = Errores()
    if datos.tipo_operacion not in TipoOperacion.ALL:
        errores.add("tipo_operacion", "Seleccione si es una venta o una separación.")
    if not datos.documento_cliente or db.session.get(Cliente, datos.documento_cliente) is None:
        errores.add(
            "documento_cliente", f"No existe un cliente con el documento {datos.documento_cliente}."
        )
    apartamento = (
        db.session.get(Apartamento, datos.id_apartamento) if datos.id_apartamento else None
    )
    if apartamento is None:
        errores.add("id_apartamento", "El apartamento seleccionado no existe.")
    if datos.fecha is None:
        errores.add("fecha", "Indique la fecha de la operación.")
    elif fuera := fecha_fuera_de_rango(datos.fecha):
        errores.add("fecha", fuera)
    if errores.get("fecha") or apartamento is None or datos.tipo_operacion not in TipoOperacion.ALL:
        errores.raise_if_any()

    valor_total = datos.valor_total if datos.valor_total is not None else apartamento.precio
    valor_separacion = datos.valor_separacion
    _validar_valores(errores, valor_total, valor_separacion)
    proyecto = apartamento.torre.proyecto
    es_separacion = datos.tipo_operacion == TipoOperacion.SEPARACION
    if es_separacion:
        if valor_separacion is not None and valor_separacion < proyecto.valor_min_separacion:
            errores.add(
                "valor_separacion",
                "La separación debe ser de al menos "
                f"{pesos(proyecto.valor_min_separacion)} en este proyecto.",
            )
        limite_max = datos.fecha + timedelta(days=proyecto.plazo_max_separacion_dias)
        limite = datos.fecha_limite_separacion
        if limite is None:
            errores.add("fecha_limite_separacion", "Indique la fecha límite de la separación.")
        elif not datos.fecha <= limite <= limite_max:
            errores.add(
                "fecha_limite_separacion",
                f"La fecha límite debe estar entre {format_date(datos.fecha)} y "
                f"{format_date(limite_max)} ({proyecto.plazo_max_separacion_dias} días).",
            )
        if valor_total is not None and valor_total > 0 and valor_separacion > valor_total:
            errores.add("valor_separacion", "La separación no puede superar el valor total.")
    else:
        _validar_venta(
            errores,
            apartamento,
            valor_total=valor_total,
            valor_separacion=valor_separacion,
            cuota_inicial=datos.cuota_inicial,
            plazo=datos.plazo_cuota_inicial_meses,
            tasa=datos.tasa_interes_anual,
            id_forma_pago=datos.id_forma_pago,
        )
    largo = Venta.observaciones.type.length
    if datos.observaciones and len(datos.observaciones) > largo:
        errores.add("observaciones", f"No puede tener más de {largo} caracteres.")
    errores.raise_if_any()

    estados = estados_inmueble()
    if apartamento.id_estado_inmueble != estados[EstadoInmueble.DISPONIBLE]:
        raise _apartamento_no_disponible(apartamento)
    # Of two clerks racing for the apartment, the database lets exactly one move it.
    hacia, propietario = (
        (EstadoInmueble.SEPARADO, None)
        if es_separacion
        else (EstadoInmueble.VENDIDO, datos.documento_cliente)
    )
    if not mover_apartamento(apartamento, EstadoInmueble.DISPONIBLE, hacia, propietario):
        raise _apartamento_no_disponible(apartamento)
    if es_separacion:
        plan = plan_separacion(valor_separacion, datos.fecha)
    else:
        plan = generar_plan(
            valor_total=valor_total,
            valor_separacion=valor_separacion,
            cuota_inicial=datos.cuota_inicial,
            plazo_meses=datos.plazo_cuota_inicial_meses,
            tasa_interes_anual=datos.tasa_interes_anual,
            fecha=datos.fecha,
        )

    venta = Venta(
        tipo_operacion=datos.tipo_operacion,
        estado_operacion=EstadoOperacion.VIGENTE,
        documento_cliente=datos.documento_cliente,
        id_apartamento=apartamento.id,
        id_forma_pago=datos.id_forma_pago,
        fecha=datos.fecha,
        fecha_separacion=datos.fecha if es_separacion else None,
        valor_total=valor_total,
        valor_separacion=valor_separacion,
        fecha_limite_separacion=datos.fecha_limite_separacion if es_separacion else None,
        cuota_inicial=None if es_separacion else datos.cuota_inicial,
        plazo_cuota_inicial_meses=None if es_separacion else datos.plazo_cuota_inicial_meses,
        tasa_interes_anual=datos.tasa_interes_anual,
        observaciones=datos.observaciones,
    )
    db.session.add(venta)
    try:
        db.session.flush()
    except IntegrityError as exc:
        # The partial unique index: another vigente operation on this apartment.
        campo, mensaje = describe_integrity_error(exc)
        raise Conflict.on_field(campo or "id_apartamento", mensaje) from exc
    if plan:
        # One executemany for the whole plan (the unit of work would insert
        # row by row on SQLite to read back each id); loaded again on access.
        db.session.execute(
            insert(Cuota),
            [{"id_venta": venta.id, **_valores_cuota(c)} for c in plan],
        )
    db.session.expire(venta, ["cuotas"])
    avisar_operacion(venta)  # the outbox rows commit (or roll back) with the operation
    return venta


def convertir_separacion(
    venta: Venta,
    *,
    cuota_inicial: Decimal,
    plazo_cuota_inicial_meses: int,
    id_forma_pago: int,
    tasa_interes_anual: Decimal | None = CERO,
    fecha: date | None = None,
    valor_total: Decimal | None = None,
) -> Venta:
    """The vigente separación becomes a venta (same row); its deposit cuota and
    payments stay as cuota 1 and the venta's installments follow. A blank rate is zero."""
    tasa_interes_anual = tasa_interes_anual or CERO
    if not venta.es_separacion:
        raise Conflict.on_field("tipo_operacion", f"La operación #{venta.id} ya es una venta.")
    _exigir_vigente(venta, "convertir")
    fecha = fecha or today_bogota()
    valor_total = valor_total if valor_total is not None else venta.valor_total
    errores = Errores()
    if fuera := fecha_fuera_de_rango(fecha):
        errores.add("fecha", fuera)
    elif fecha < venta.fecha:
        errores.add(
            "fecha",
            f"La venta no puede ser anterior a la separación ({format_date(venta.fecha)}).",
        )
    elif venta.fecha_limite_separacion and fecha > venta.fecha_limite_separacion:
        errores.add(
            "fecha",
            "La separación venció el "
            f"{format_date(venta.fecha_limite_separacion)}; ya no se puede convertir.",
        )
    _validar_valores(errores, valor_total, venta.valor_separacion)
    _validar_venta(
        errores,
        venta.apartamento,
        valor_total=valor_total,
        valor_separacion=venta.valor_separacion,
        cuota_inicial=cuota_inicial,
        plazo=plazo_cuota_inicial_meses,
        tasa=tasa_interes_anual,
        id_forma_pago=id_forma_pago,
    )
    errores.raise_if_any()

    plan = generar_plan(
        valor_total=valor_total,
        valor_separacion=venta.valor_separacion,
        cuota_inicial=cuota_inicial,
        plazo_meses=plazo_cuota_inicial_meses,
        tasa_interes_anual=tasa_interes_anual,
        fecha=fecha,
        fecha_separacion=venta.fecha,
    )
    _exigir_pagos_caben(venta, plan, "cuota_inicial")
    venta.tipo_operacion = TipoOperacion.VENTA
    venta.fecha_separacion = venta.fecha
    venta.fecha = fecha
    venta.valor_total = valor_total
    venta.cuota_inicial = cuota_inicial
    venta.plazo_cuota_inicial_meses = plazo_cuota_inicial_meses
    venta.tasa_interes_anual = tasa_interes_anual
    venta.id_forma_pago = id_forma_pago
    estados = estados_inmueble()
    apartamento = venta.apartamento
    if apartamento.id_estado_inmueble == estados[EstadoInmueble.SEPARADO]:
        apartamento.id_estado_inmueble = estados[EstadoInmueble.VENDIDO]
    apartamento.documento_cliente = venta.documento_cliente
    _reemplazar_plan(venta, plan)
    return venta


def editar_venta(
    venta: Venta,
    *,
    valor_total: Decimal | None = None,
    cuota_inicial: Decimal | None = None,
    plazo_cuota_inicial_meses: int | None = None,
    tasa_interes_anual: Decimal | None = None,
    fecha: date | None = None,
) -> Venta:
    """Change the terms of a vigente venta: the plan is regenerated and the payments re-applied."""
    if venta.es_separacion:
        raise Conflict.on_field(
            "tipo_operacion", "Solo se edita el plan de una venta; convierta antes la separación."
        )
    _exigir_vigente(venta, "editar")
    nuevo = {
        "valor_total": venta.valor_total if valor_total is None else valor_total,
        "cuota_inicial": venta.cuota_inicial if cuota_inicial is None else cuota_inicial,
        "plazo": (
            venta.plazo_cuota_inicial_meses
            if plazo_cuota_inicial_meses is None
            else plazo_cuota_inicial_meses
        ),
        "tasa": venta.tasa_interes_anual if tasa_interes_anual is None else tasa_interes_anual,
        "fecha": venta.fecha if fecha is None else fecha,
    }
    errores = Errores()
    if fuera := fecha_fuera_de_rango(nuevo["fecha"]):
        errores.add("fecha", fuera)
    elif venta.fecha_separacion and nuevo["fecha"] < venta.fecha_separacion:
        errores.add(
            "fecha",
            "La venta no puede ser anterior a la separación "
            f"({format_date(venta.fecha_separacion)}).",
        )
    _validar_valores(errores, nuevo["valor_total"], venta.valor_separacion)
    _validar_venta(
        errores,
        venta.apartamento,
        valor_total=nuevo["valor_total"],
        valor_separacion=venta.valor_separacion,
        cuota_inicial=nuevo["cuota_inicial"],
        plazo=nuevo["plazo"],
        tasa=nuevo["tasa"],
        id_forma_pago=venta.id_forma_pago,
    )
    errores.raise_if_any()

    plan = generar_plan(
        valor_total=nuevo["valor_total"],
        valor_separacion=venta.valor_separacion,
        cuota_inicial=nuevo["cuota_inicial"],
        plazo_meses=nuevo["plazo"],
        tasa_interes_anual=nuevo["tasa"],
        fecha=nuevo["fecha"],
        fecha_separacion=venta.fecha_separacion,
    )
    campo = "plazo_cuota_inicial_meses" if plazo_cuota_inicial_meses is not None else "valor_total"
    _exigir_pagos_caben(venta, plan, campo)
    venta.valor_total = nuevo["valor_total"]
    venta.cuota_inicial = nuevo["cuota_inicial"]
    venta.plazo_cuota_inicial_meses = nuevo["plazo"]
    venta.tasa_interes_anual = nuevo["tasa"]
    venta.fecha = nuevo["fecha"]
    _reemplazar_plan(venta, plan)
    return venta


def _exigir_pagos_caben(venta: Venta, plan: list[CuotaPlan], campo: str) -> None:
    """Refuse a new plan that drops cuotas already (partly) paid, or that owes
    less than what was paid."""
    conservadas = {(c.numero, c.concepto) for c in plan}
    perdidas = [
        c for c in venta.cuotas if c.valor_pagado > 0 and (c.numero, c.concepto) not in conservadas
    ]
    if perdidas:
        numeros = ", ".join(str(c.numero) for c in perdidas)
        raise ValidationFailed.on_field(
            campo,
            f"Los pagos ya cubren cuotas que el nuevo plan eliminaría (cuota {numeros}); "
            "corrija o elimine esos pagos antes de cambiar el plan.",
        )
    pagado = sum((c.valor_pagado for c in venta.cuotas), CERO)
    total = sum((c.valor for c in plan), CERO)
    if pagado > total:
        raise ValidationFailed.on_field(
            campo,
            f"Los pagos registrados ({pesos(pagado)}) superan el total del nuevo plan "
            f"({pesos(total)}).",
        )


def _reemplazar_plan(venta: Venta, plan: list[CuotaPlan]) -> None:
    """Rewrite the cuotas in place (same numero, same row), add or drop the rest,
    then re-apply the payments."""
    actuales = {c.numero: c for c in venta.cuotas}
    for nueva in plan:
        cuota = actuales.pop(nueva.numero, None)
        if cuota is None:
            venta.cuotas.append(Cuota(**_valores_cuota(nueva)))
            continue
        cuota.concepto = nueva.concepto
        cuota.fecha_vencimiento = nueva.fecha_vencimiento
        cuota.valor = nueva.valor
        cuota.capital = nueva.capital
        cuota.interes = nueva.interes
        cuota.saldo = nueva.saldo
        # Re-applying the payments below sets what was paid; until then the
        # check "valor_pagado <= valor" must hold for the new value.
        cuota.valor_pagado = CERO
    for sobrante in actuales.values():
        venta.cuotas.remove(sobrante)
    venta.updated_at = utcnow()
    _flush()
    reaplicar_pagos(venta)


def anular_operacion(venta: Venta, motivo: str | None = None) -> Venta:
    """Annul a vigente operation: the record and its payments stay, the apartment is freed."""
    _exigir_vigente(venta, "anular")
    motivo = (motivo or "").strip() or None
    largo = Venta.motivo_anulacion.type.length
    if motivo and len(motivo) > largo:
        raise ValidationFailed.on_field(
            "motivo_anulacion", f"No puede tener más de {largo} caracteres."
        )
    venta.estado_operacion = EstadoOperacion.ANULADA
    venta.motivo_anulacion = motivo
    _liberar_apartamento(venta)
    _flush()
    return venta


def eliminar_operacion(venta: Venta) -> None:
    """Delete an operation without payments (a mistake); one with payments is annulled instead."""
    con_pagos = db.session.scalar(select(exists().where(Pago.id_venta == venta.id)))
    if con_pagos:
        raise Conflict.on_field(
            "id",
            f"La {venta.tipo_label.lower()} #{venta.id} tiene pagos registrados y no se puede "
            "eliminar; anúlela.",
        )
    if venta.estado_operacion == EstadoOperacion.VIGENTE:
        _liberar_apartamento(venta)
    db.session.delete(venta)
    _flush()


def caducar_separaciones(hoy: date) -> list[Venta]:
    """Lapse the vigente separaciones whose deadline is before `hoy`; idempotent."""
    vencidas = db.session.scalars(
        select(Venta)
        .where(
            Venta.tipo_operacion == TipoOperacion.SEPARACION,
            Venta.estado_operacion == EstadoOperacion.VIGENTE,
            Venta.fecha_limite_separacion < hoy,
        )
        .order_by(Venta.id)
    ).all()
    for venta in vencidas:
        venta.estado_operacion = EstadoOperacion.CADUCADA
        _liberar_apartamento(venta)
    _flush()
    return list(vencidas)
