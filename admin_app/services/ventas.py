"""Ventas y separaciones: creating, converting, editing, annulling, lapsing.

Design: a separación and the venta it becomes are THE SAME ROW of `ventas`.
Converting turns tipo_operacion into 'venta' (estado stays 'vigente'),
keeps the separation date in `fecha_separacion`, and keeps the "Separación"
cuota with its payments as cuota 1, so the deposit counts toward the cuota
inicial without copying money between records.

An operation sells one main unit (an apartamento, a local, or a parqueadero
sold alone) plus parqueaderos adicionales of the same project; the parqueaderos
incluidos in an apartment go with it at no price. Every unit is a row of
operacion_unidades, and every unit moves together with the operation.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from types import SimpleNamespace

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
    Local,
    OperacionUnidad,
    Pago,
    Parqueadero,
    Proyecto,
    RolUnidad,
    TipoOperacion,
    Torre,
    Venta,
)
from ..models.base import utcnow
from . import asesores, comisiones
from .errors import Conflict, Errores, StaleRecord, ValidationFailed
from .pagos import pesos, reaplicar_pagos
from .plan_pagos import CuotaPlan, TerminosPlan, generar_plan, plan_separacion
from .planes_pago import plan_para, resumen, terminos_copiados
from .precios import recalcular_tras_operacion
from .unidades import (
    CAMPO,
    MODELO,
    NOMBRE,
    Unidad,
    estados_inmueble,
    liberar_unidad,
    mover_unidad,
    no_disponible,
    proyecto_de,
)

CERO = Decimal("0.00")
TASA_MAXIMA = Decimal("100.00")  # percent a year, as the table's check allows
MENSAJE_CONCURRENCIA = (
    "Otro usuario modificó esta operación al mismo tiempo; recargue la página e intente de nuevo."
)


@dataclass
class DatosOperacion:
    tipo_operacion: str
    documento_cliente: str
    # The main unit: exactly one of id_apartamento, id_local, id_parqueadero.
    id_apartamento: int | None = None
    fecha: date | None = None
    valor_separacion: Decimal = CERO
    id_forma_pago: int | None = None
    valor_total: Decimal | None = None  # None: the units' prices
    fecha_limite_separacion: date | None = None
    cuota_inicial: Decimal | None = None
    plazo_cuota_inicial_meses: int | None = None
    tasa_interes_anual: Decimal = CERO
    observaciones: str | None = None
    id_local: int | None = None
    id_parqueadero: int | None = None
    # Parqueaderos adicionales (ids), each sold at its own price.
    adicionales: list[int] = field(default_factory=list)
    # A plan de pago: valor total, separación, cuota inicial, plazo, frequency and
    # rate come from it (docs/dominio.md, "Planes de pago y cotizaciones").
    id_plan_pago: int | None = None
    precio_bruto: Decimal | None = None  # with a plan: None is the unit's list price
    terminos_plan: object | None = None  # a quote's copy of the terms; None: the plan's today
    usuario: object | None = None  # who records it: especial plans are not for everyone
    # A quote's prices of each unit ({(campo, id): precio}): the operation keeps
    # those, not today's list prices.
    precios_cotizados: dict | None = None
    id_asesor: int | None = None  # None: the user who records it (services/asesores.py)


# --- helpers -----------------------------------------------------------------


def limpiar_documento(documento):
    """A client's documento as typed (spaces around, lower case) -> as stored; other
    values are left for the validation to refuse."""
    return documento.strip().upper() if isinstance(documento, str) else documento


def reglas_proyecto(unidad: Unidad) -> dict:
    """The sales rules of the unit's project, for forms and the API."""
    proyecto = proyecto_de(unidad)
    reglas = {
        "proyecto": proyecto.nombre,
        "precio": unidad.precio,
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
    proyecto: Proyecto,
    *,
    valor_total: Decimal | None,
    valor_separacion: Decimal,
    cuota_inicial: Decimal | None,
    plazo: int | None,
    tasa: Decimal | None,
    id_forma_pago: int | None,
    frecuencia: int = 1,
    con_plan: bool = False,
) -> None:
    """The rules of a venta's terms. With a plan de pago (`con_plan`) the cuota
    inicial is the plan's, whose percentage was checked against the project's
    minimum when the plan was saved (a discount on the cuota inicial lowers it)."""
    if id_forma_pago is None:
        errores.add("id_forma_pago", "Seleccione la forma de pago de la venta.")
    elif db.session.get(FormaPago, id_forma_pago) is None:
        errores.add("id_forma_pago", "La forma de pago seleccionada no existe.")
    if cuota_inicial is None:
        errores.add("cuota_inicial", "Indique la cuota inicial de la venta.")
    elif valor_total is not None and valor_total > 0:
        minimo = cuota_inicial_minima(valor_total, proyecto.porcentaje_cuota_inicial_min)
        porcentaje = proyecto.porcentaje_cuota_inicial_min.normalize()
        if cuota_inicial < minimo and not con_plan:
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
    elif plazo % frecuencia:
        errores.add(
            "plazo_cuota_inicial_meses",
            f"El plazo debe ser múltiplo de la frecuencia del plan de pago ({frecuencia} meses).",
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


def _liberar_unidades(venta: Venta) -> None:
    """Every unit of the operation back to Disponible (a unit an admin blocked
    meanwhile stays blocked and only loses its owner); the operation no longer
    holds them."""
    for fila in venta.unidades:
        fila.vigente = False
        liberar_unidad(fila.unidad, venta.documento_cliente)
    if not venta.unidades:  # a row written without the service (old data)
        liberar_unidad(venta.unidad, venta.documento_cliente)


def _unidad_principal(datos: DatosOperacion, errores: Errores) -> tuple[Unidad | None, str]:
    """The operation's main unit and its field, from exactly one of the three keys."""
    dadas = [campo for campo in CAMPO.values() if getattr(datos, campo) is not None]
    if not dadas:
        errores.add(
            "id_apartamento",
            "Seleccione la unidad que se vende: un apartamento, un local o un parqueadero.",
        )
        return None, "id_apartamento"
    if len(dadas) > 1:
        for campo in dadas[1:]:
            errores.add(
                campo,
                "Una operación vende una sola unidad principal: indique solo un apartamento, "
                "un local o un parqueadero (los demás parqueaderos van como adicionales).",
            )
        return None, dadas[0]
    campo = dadas[0]
    modelo = MODELO[campo]
    unidad = db.session.get(modelo, getattr(datos, campo))
    if unidad is None:
        errores.add(campo, f"El {NOMBRE[modelo]} seleccionado no existe.")
    return unidad, campo


def es_propietario_en(documento: str, proyecto: Proyecto) -> bool:
    """Whether the client owns (bought) a unit of the project."""
    consultas = (
        select(Apartamento.id)
        .join(Torre, Apartamento.id_torre == Torre.id)
        .where(Torre.id_proyecto == proyecto.id, Apartamento.documento_cliente == documento),
        select(Local.id).where(
            Local.id_proyecto == proyecto.id, Local.documento_cliente == documento
        ),
        select(Parqueadero.id)
        .join(Torre, Parqueadero.id_torre == Torre.id)
        .where(Torre.id_proyecto == proyecto.id, Parqueadero.documento_cliente == documento),
    )
    return any(db.session.scalar(select(exists(consulta))) for consulta in consultas)


def _validar_unidades(
    datos: DatosOperacion, principal: Unidad, campo: str, errores: Errores
) -> tuple[list[Parqueadero], list[Parqueadero]]:
    """(incluidos, adicionales) of an operation on `principal`, every rule on its field."""
    proyecto = proyecto_de(principal)
    if isinstance(principal, Parqueadero):
        if principal.id_apartamento is not None:
            errores.add(
                campo,
                f"El parqueadero {principal} está incluido en el apartamento "
                f"{principal.apartamento}; se vende con él.",
            )
        elif not es_propietario_en(datos.documento_cliente, proyecto):
            errores.add(
                campo,
                "Un parqueadero se vende sin otra unidad solo a quien ya es propietario de "
                f"una unidad del proyecto {proyecto.nombre}; véndalo como adicional de un "
                "apartamento o un local.",
            )
    adicionales: list[Parqueadero] = []
    vistos: set[int] = set()
    for ident in datos.adicionales or []:
        if ident in vistos:
            errores.add("adicionales", f"El parqueadero #{ident} está repetido.")
            continue
        vistos.add(ident)
        parqueadero = db.session.get(Parqueadero, ident)
        if parqueadero is None:
            errores.add("adicionales", f"El parqueadero #{ident} no existe.")
        elif parqueadero is principal:
            errores.add("adicionales", f"El parqueadero {parqueadero} ya es la unidad principal.")
        elif parqueadero.torre.id_proyecto != proyecto.id:
            errores.add(
                "adicionales",
                f"El parqueadero {parqueadero} es de otro proyecto; los adicionales son del "
                f"proyecto {proyecto.nombre}.",
            )
        elif parqueadero.id_apartamento is not None:
            errores.add(
                "adicionales",
                f"El parqueadero {parqueadero} está incluido en el apartamento "
                f"{parqueadero.apartamento}; no se vende como adicional.",
            )
        else:
            adicionales.append(parqueadero)
    incluidos: list[Parqueadero] = []
    if isinstance(principal, Apartamento):
        incluidos = list(
            db.session.scalars(
                select(Parqueadero)
                .where(Parqueadero.id_apartamento == principal.id)
                .order_by(Parqueadero.id)
            )
        )
    return incluidos, adicionales


def _tomar_unidades(
    principal: Unidad,
    campo: str,
    incluidos: list[Parqueadero],
    adicionales: list[Parqueadero],
    hacia: str,
    propietario: str | None,
) -> None:
    """Every unit leaves Disponible, each through its conditional UPDATE: of two
    clerks racing for any of them, exactly one moves it, and the other's whole
    operation is refused (its transaction is rolled back)."""
    disponible = estados_inmueble()[EstadoInmueble.DISPONIBLE]
    por_tomar = [(principal, campo)]
    por_tomar += [(p, campo) for p in incluidos] + [(p, "adicionales") for p in adicionales]
    for unidad, campo_unidad in por_tomar:
        if unidad.id_estado_inmueble != disponible:
            raise no_disponible(unidad, campo_unidad)
    for unidad, campo_unidad in por_tomar:
        if not mover_unidad(unidad, EstadoInmueble.DISPONIBLE, hacia, propietario):
            raise no_disponible(unidad, campo_unidad)


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
    principal, campo = _unidad_principal(datos, errores)
    if datos.fecha is None:
        errores.add("fecha", "Indique la fecha de la operación.")
    elif fuera := fecha_fuera_de_rango(datos.fecha):
        errores.add("fecha", fuera)
    if errores.get("fecha") or principal is None or datos.tipo_operacion not in TipoOperacion.ALL:
        errores.raise_if_any()
    incluidos, adicionales = _validar_unidades(datos, principal, campo, errores)
    copia_plan: dict = {}
    if datos.id_plan_pago is not None:
        datos, copia_plan = _con_plan(datos, principal, adicionales)
    frecuencia = copia_plan.get("frecuencia_meses") or 1
    precios = {
        RolUnidad.PRINCIPAL: principal.precio,
        RolUnidad.ADICIONAL: sum((p.precio for p in adicionales), CERO),
    }
    valor_total = (
        datos.valor_total if datos.valor_total is not None else sum(precios.values(), CERO)
    )
    valor_separacion = datos.valor_separacion
    _validar_valores(errores, valor_total, valor_separacion)
    proyecto = proyecto_de(principal)
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
            proyecto,
            valor_total=valor_total,
            valor_separacion=valor_separacion,
            cuota_inicial=datos.cuota_inicial,
            plazo=datos.plazo_cuota_inicial_meses,
            tasa=datos.tasa_interes_anual,
            id_forma_pago=datos.id_forma_pago,
            frecuencia=frecuencia,
            con_plan=bool(copia_plan),
        )
    largo = Venta.observaciones.type.length
    if datos.observaciones and len(datos.observaciones) > largo:
        errores.add("observaciones", f"No puede tener más de {largo} caracteres.")
    asesores.validar_asesor(errores, datos.id_asesor)
    errores.raise_if_any()

    hacia, propietario = (
        (EstadoInmueble.SEPARADO, None)
        if es_separacion
        else (EstadoInmueble.VENDIDO, datos.documento_cliente)
    )
    _tomar_unidades(principal, campo, incluidos, adicionales, hacia, propietario)
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
            frecuencia_meses=frecuencia,
        )

    venta = Venta(
        tipo_operacion=datos.tipo_operacion,
        estado_operacion=EstadoOperacion.VIGENTE,
        documento_cliente=datos.documento_cliente,
        **{campo: principal.id},
        id_proyecto=proyecto.id,
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
        **copia_plan,
        id_asesor=datos.id_asesor or asesores.asesor_por_defecto(),
    )
    cotizados = datos.precios_cotizados or {}
    venta.unidades = [
        OperacionUnidad(
            **{campo: principal.id},
            rol=RolUnidad.PRINCIPAL,
            precio=cotizados.get((campo, principal.id), principal.precio),
        )
    ]
    venta.unidades += [
        OperacionUnidad(id_parqueadero=p.id, rol=RolUnidad.INCLUIDO, precio=CERO) for p in incluidos
    ]
    venta.unidades += [
        OperacionUnidad(
            id_parqueadero=p.id,
            rol=RolUnidad.ADICIONAL,
            precio=cotizados.get(("id_parqueadero", p.id), p.precio),
        )
        for p in adicionales
    ]
    db.session.add(venta)
    try:
        db.session.flush()
    except IntegrityError as exc:
        # A partial unique index: another vigente operation on one of the units.
        campo_error, mensaje = describe_integrity_error(exc)
        if campo_error == "id_parqueadero" and campo != "id_parqueadero":
            campo_error = "adicionales"
        raise Conflict.on_field(campo_error or campo, mensaje) from exc
    if plan:
        # One executemany for the whole plan (the unit of work would insert
        # row by row on SQLite to read back each id); loaded again on access.
        db.session.execute(
            insert(Cuota),
            [{"id_venta": venta.id, **_valores_cuota(c)} for c in plan],
        )
    db.session.expire(venta, ["cuotas"])
    recalcular_tras_operacion(venta)
    if not es_separacion:
        comisiones.recalcular(venta)
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
        proyecto_de(venta.unidad),
        valor_total=valor_total,
        valor_separacion=venta.valor_separacion,
        cuota_inicial=cuota_inicial,
        plazo=plazo_cuota_inicial_meses,
        tasa=tasa_interes_anual,
        id_forma_pago=id_forma_pago,
        frecuencia=venta.frecuencia_meses or 1,
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
        frecuencia_meses=venta.frecuencia_meses or 1,
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
    # Every unit of the separation is sold with it (Separado -> Vendido, with its owner).
    for unidad in [fila.unidad for fila in venta.unidades] or [venta.unidad]:
        if unidad.id_estado_inmueble == estados[EstadoInmueble.SEPARADO]:
            unidad.id_estado_inmueble = estados[EstadoInmueble.VENDIDO]
        unidad.documento_cliente = venta.documento_cliente
    _reemplazar_plan(venta, plan)
    recalcular_tras_operacion(venta)
    comisiones.recalcular(venta)
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
        proyecto_de(venta.unidad),
        valor_total=nuevo["valor_total"],
        valor_separacion=venta.valor_separacion,
        cuota_inicial=nuevo["cuota_inicial"],
        plazo=nuevo["plazo"],
        tasa=nuevo["tasa"],
        id_forma_pago=venta.id_forma_pago,
        frecuencia=venta.frecuencia_meses or 1,
        con_plan=venta.id_plan_pago is not None,
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
        frecuencia_meses=venta.frecuencia_meses or 1,
    )
    campo = "plazo_cuota_inicial_meses" if plazo_cuota_inicial_meses is not None else "valor_total"
    _exigir_pagos_caben(venta, plan, campo)
    venta.valor_total = nuevo["valor_total"]
    venta.cuota_inicial = nuevo["cuota_inicial"]
    venta.plazo_cuota_inicial_meses = nuevo["plazo"]
    venta.tasa_interes_anual = nuevo["tasa"]
    venta.fecha = nuevo["fecha"]
    _reemplazar_plan(venta, plan)
    comisiones.recalcular(venta)
    return venta


def _con_plan(
    datos: DatosOperacion, principal: Unidad, adicionales: list[Parqueadero]
) -> tuple[DatosOperacion, dict]:
    """The operation's terms from its plan de pago, and the copy of the plan's terms
    it keeps. A quote being converted passes its own copy of the terms and its
    quoted gross price, so the operation is made as quoted."""
    proyecto = proyecto_de(principal)
    if datos.terminos_plan is not None:
        fuente = datos.terminos_plan
        terminos = TerminosPlan.de(
            SimpleNamespace(
                tipo=fuente.plan_tipo,
                valor_separacion=fuente.valor_separacion,
                porcentaje_cuota_inicial=fuente.porcentaje_cuota_inicial,
                plazo_meses=fuente.plazo_meses,
                frecuencia_meses=fuente.frecuencia_meses,
                descuento_tipo=fuente.descuento_tipo,
                descuento_valor=fuente.descuento_valor,
                descuento_sobre=fuente.descuento_sobre,
                tasa_interes_anual=fuente.tasa_interes_anual,
            )
        )
        id_plan = datos.id_plan_pago
    else:
        fuente = plan_para(datos.id_plan_pago, proyecto, datos.usuario)
        terminos = TerminosPlan.de(fuente)
        id_plan = fuente.id
    # The gross price: the units' list prices (main unit and adicionales), or the quoted one.
    bruto = (
        datos.precio_bruto
        if datos.precio_bruto is not None
        else principal.precio + sum((p.precio for p in adicionales), CERO)
    )
    resultado = resumen(bruto, terminos, "valor_total")
    datos = replace(
        datos,
        valor_total=resultado.valor_total,
        valor_separacion=resultado.valor_separacion,
        cuota_inicial=resultado.cuota_inicial,
        plazo_cuota_inicial_meses=resultado.plazo_meses,
        tasa_interes_anual=resultado.tasa_interes_anual,
    )
    return datos, {"id_plan_pago": id_plan, **terminos_copiados(fuente, resultado)}


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
    _liberar_unidades(venta)
    _flush()
    recalcular_tras_operacion(venta)
    comisiones.recalcular(venta)
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
    comisiones.antes_de_eliminar(venta)
    if venta.estado_operacion == EstadoOperacion.VIGENTE:
        _liberar_unidades(venta)
    db.session.delete(venta)
    _flush()
    recalcular_tras_operacion(venta)


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
        _liberar_unidades(venta)
    _flush()
    recalcular_tras_operacion(*vencidas)
    return list(vencidas)
