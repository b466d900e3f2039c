"""Pagos: each one applied to the oldest unpaid cuotas first, and recorded
cuota by cuota (AplicacionPago) so the plan always agrees with the payments."""

from datetime import date
from decimal import Decimal

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from ..extensions import db
from ..formatting import format_cop, format_date
from ..limites import demasiado_largo, fecha_fuera_de_rango
from ..models import AplicacionPago, Cuota, EstadoOperacion, MedioPago, Pago, Venta
from ..models.base import utcnow
from . import comisiones
from .errors import Conflict, Errores, StaleRecord, ValidationFailed
from .recibos import actualizar_recibo, anular_recibo, emitir_recibo

CERO = Decimal("0.00")
MENSAJE_CONCURRENCIA = (
    "Otro usuario registró un cambio en esta venta al mismo tiempo; "
    "recargue la página e intente de nuevo."
)


def pesos(valor: Decimal) -> str:
    """An amount as the services' messages write it: cents only when there are."""
    valor = Decimal(valor)
    return format_cop(valor, cents=valor != valor.to_integral_value())


def _bloquear_venta(venta: Venta) -> None:
    """Serialize the payments of one venta, then read it again.

    The first statement writes the venta's row (its version), so it waits for
    any other transaction paying, correcting or annulling that venta to end:
    PostgreSQL's row lock, SQLite's single writer. What this session read
    before the wait may be stale, so the venta and its cuotas and pagos are
    expired and read again: the second of two racing payments sees the first
    and is checked against what is really pending, instead of being refused.
    """
    db.session.execute(
        update(Venta)
        .where(Venta.id == venta.id)
        .values(updated_at=utcnow(), version=Venta.version + 1)
        .execution_options(synchronize_session=False)
    )
    estado = inspect(venta)
    for relacion in ("cuotas", "pagos"):
        if relacion not in estado.unloaded:
            for objeto in getattr(venta, relacion):
                db.session.expire(objeto)
    db.session.expire(venta)


def _bloquear_pago(pago: Pago) -> None:
    """_bloquear_venta for a change to `pago`, refused if someone changed that
    payment since it was read (the re-read would otherwise hide it)."""
    version_leida = pago.version
    _bloquear_venta(pago.venta)
    try:
        cambiado = pago.version != version_leida
    except ObjectDeletedError:  # someone deleted it meanwhile
        cambiado = True
    if cambiado:
        raise StaleRecord(MENSAJE_CONCURRENCIA)


def _exigir_que_admita_pagos(venta: Venta) -> None:
    if venta.estado_operacion in (EstadoOperacion.ANULADA, EstadoOperacion.CADUCADA):
        raise Conflict.on_field(
            "id_venta",
            f"La {venta.tipo_label.lower()} #{venta.id} está {venta.estado_label.lower()}; "
            "no admite pagos.",
        )


def _validar(
    *,
    venta: Venta,
    fecha: date | None,
    valor: Decimal | None,
    id_medio_pago: int | None,
    referencia,
    obs,
) -> None:
    errores = Errores()
    if fecha is None:
        errores.add("fecha", "Indique la fecha del pago.")
    elif fuera := fecha_fuera_de_rango(fecha):
        errores.add("fecha", fuera)
    elif venta.fecha is not None and fecha < venta.fecha:
        errores.add(
            "fecha",
            f"El pago no puede ser anterior a la {venta.tipo_label.lower()} "
            f"({format_date(venta.fecha)}).",
        )
    if valor is None or valor <= 0:
        errores.add("valor", "El valor del pago debe ser mayor que cero.")
    elif valor != valor.quantize(Decimal("0.01")):
        errores.add("valor", "El valor del pago admite como máximo dos decimales.")
    if id_medio_pago is None:
        errores.add("id_medio_pago", "Seleccione el medio de pago.")
    elif db.session.get(MedioPago, id_medio_pago) is None:
        errores.add("id_medio_pago", "El medio de pago seleccionado no existe.")
    for campo, valor_texto, columna in (
        ("referencia", referencia, Pago.referencia),
        ("observaciones", obs, Pago.observaciones),
    ):
        if largo := demasiado_largo(valor_texto, columna):
            errores.add(campo, largo)
    errores.raise_if_any()


def _texto(valor: str | None) -> str | None:
    return (valor or "").strip() or None


def _pendiente(venta: Venta) -> Decimal:
    return sum((c.valor - c.valor_pagado for c in venta.cuotas), CERO)


def _rechazar_exceso(valor: Decimal, pendiente: Decimal) -> None:
    if valor > pendiente:
        if pendiente <= 0:
            mensaje = "La venta no tiene saldo pendiente; no admite más pagos."
        else:
            mensaje = f"El pago supera lo que falta por pagar: {pesos(pendiente)}."
        raise ValidationFailed.on_field("valor", mensaje)


def _aplicar(pago: Pago, cuotas: list[Cuota], restante: Decimal) -> list[tuple[Cuota, Decimal]]:
    """Split `restante` over the cuotas in order; updates valor_pagado."""
    partes = []
    for cuota in cuotas:
        if restante <= 0:
            break
        falta = cuota.valor - cuota.valor_pagado
        if falta <= 0:
            continue
        parte = min(falta, restante)
        cuota.valor_pagado += parte
        restante -= parte
        partes.append((cuota, parte))
    return partes


def registrar_pago(
    venta: Venta,
    *,
    fecha: date,
    valor: Decimal,
    id_medio_pago: int,
    referencia: str | None = None,
    observaciones: str | None = None,
) -> Pago:
    """Record a payment and apply it to the oldest unpaid cuotas."""
    referencia, observaciones = _texto(referencia), _texto(observaciones)
    _exigir_que_admita_pagos(venta)
    _validar(
        venta=venta,
        fecha=fecha,
        valor=valor,
        id_medio_pago=id_medio_pago,
        referencia=referencia,
        obs=observaciones,
    )
    _bloquear_venta(venta)
    _exigir_que_admita_pagos(venta)  # it may have been annulled while we waited
    _rechazar_exceso(valor, _pendiente(venta))

    # A payment dated before others changes how all of them split over the cuotas.
    posterior = db.session.scalar(
        select(Pago.id).where(Pago.id_venta == venta.id, Pago.fecha > fecha).limit(1)
    )
    pago = Pago(
        venta=venta,
        fecha=fecha,
        valor=valor,
        id_medio_pago=id_medio_pago,
        referencia=referencia,
        observaciones=observaciones,
        aplicaciones=[],  # known empty: no query to load it
    )
    db.session.add(pago)
    db.session.flush()
    if posterior is not None:
        reaplicar_pagos(venta)
    else:
        for cuota, parte in _aplicar(pago, list(venta.cuotas), valor):
            pago.aplicaciones.append(AplicacionPago(id_cuota=cuota.id, valor=parte))
        db.session.flush()
    comisiones.tras_pago(venta)
    emitir_recibo(pago)  # numbered in this transaction: a rollback leaves no gap
    return pago


def corregir_pago(
    pago: Pago,
    *,
    fecha: date | None = None,
    valor: Decimal | None = None,
    id_medio_pago: int | None = None,
    referencia: str | None = None,
    observaciones: str | None = None,
) -> Pago:
    """Change a payment; every payment of its venta is then re-applied. A None
    keeps a value; a blank referencia or observaciones clears it."""
    if referencia is not None:
        referencia = referencia.strip()
    if observaciones is not None:
        observaciones = observaciones.strip()
    venta = pago.venta
    nuevo_valor = pago.valor if valor is None else valor
    _validar(
        venta=venta,
        fecha=fecha or pago.fecha,
        valor=nuevo_valor,
        id_medio_pago=id_medio_pago or pago.id_medio_pago,
        referencia=referencia,
        obs=observaciones,
    )
    _bloquear_pago(pago)
    _rechazar_exceso(nuevo_valor, _pendiente(venta) + pago.valor)
    if fecha is not None:
        pago.fecha = fecha
    pago.valor = nuevo_valor
    if id_medio_pago is not None:
        pago.id_medio_pago = id_medio_pago
    if referencia is not None:
        pago.referencia = referencia or None
    if observaciones is not None:
        pago.observaciones = observaciones or None
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise StaleRecord(MENSAJE_CONCURRENCIA) from exc
    reaplicar_pagos(venta)
    comisiones.tras_pago(venta)
    actualizar_recibo(pago)
    return pago


def eliminar_pago(pago: Pago) -> None:
    """Delete a payment (with its split); the others are re-applied."""
    venta = pago.venta
    _bloquear_pago(pago)
    anular_recibo(pago)  # the receipt stays, ANULADO; its number is never reused
    db.session.delete(pago)
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise StaleRecord(MENSAJE_CONCURRENCIA) from exc
    db.session.expire(venta, ["pagos"])
    reaplicar_pagos(venta)
    comisiones.tras_pago(venta)


def reaplicar_pagos(venta: Venta) -> None:
    """Recompute every cuota's valor_pagado and every AplicacionPago from the
    payments in (fecha, id) order; rows are updated in place, not recreated."""
    cuotas = list(venta.cuotas)
    pagos = db.session.scalars(
        select(Pago)
        .where(Pago.id_venta == venta.id)
        .order_by(Pago.fecha, Pago.id)
        .options(selectinload(Pago.aplicaciones))
    ).all()
    total_plan = sum((c.valor for c in cuotas), CERO)
    total_pagos = sum((p.valor for p in pagos), CERO)
    if total_pagos > total_plan:
        raise ValidationFailed.on_field(
            "valor",
            f"Los pagos ({pesos(total_pagos)}) superarían el total del plan ({pesos(total_plan)}).",
        )
    for cuota in cuotas:
        cuota.valor_pagado = CERO
    for pago in pagos:
        deseado = {cuota.id: parte for cuota, parte in _aplicar(pago, cuotas, pago.valor)}
        for aplicacion in list(pago.aplicaciones):
            if aplicacion.id_cuota in deseado:
                aplicacion.valor = deseado.pop(aplicacion.id_cuota)
            else:
                pago.aplicaciones.remove(aplicacion)
        for id_cuota, parte in deseado.items():
            pago.aplicaciones.append(AplicacionPago(id_cuota=id_cuota, valor=parte))
    db.session.flush()
