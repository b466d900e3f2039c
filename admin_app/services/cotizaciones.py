"""Cotizaciones (quotes): made with a plan de pago at the units' prices of the day,
valid until `valida_hasta`, converted while valid into a separación or a venta at
the quoted prices, or copied at today's prices once expired."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..formatting import format_date, today_bogota
from ..models import (
    Cliente,
    Cotizacion,
    CotizacionUnidad,
    EstadoCotizacion,
    RolUnidad,
    TipoOperacion,
    Venta,
)
from ..validators import Correo, Telefono, TextoVisible
from .errors import Conflict, Errores, ValidationFailed
from .plan_pagos import CuotaPlan, ResumenEconomico, TerminosPlan, cuotas_de_resumen
from .planes_pago import (
    exigir_disponibles,
    plan_para,
    resolver_unidades,
    resumen,
    terminos_copiados,
)
from .ventas import DatosOperacion, crear_operacion, limpiar_documento

DIAS_ATRAS = 30  # a paper quote from the sales room may be entered up to 30 days later


def _prospecto(datos: dict | None, errores: Errores) -> dict:
    datos = datos or {}
    limpio = {}
    nombre = (datos.get("nombre") or "").strip()
    largo = Cotizacion.prospecto_nombre.type.length
    if not nombre:
        errores.add("prospecto.nombre", "Indique el nombre del prospecto.")
    elif len(nombre) > largo:
        errores.add("prospecto.nombre", f"No puede tener más de {largo} caracteres.")
    else:
        try:
            TextoVisible().check(nombre)
        except ValueError as exc:
            errores.add("prospecto.nombre", str(exc))
    limpio["prospecto_nombre"] = nombre or None
    for campo, validador, columna in (
        ("telefono", Telefono(), Cotizacion.prospecto_telefono),
        ("correo", Correo(), Cotizacion.prospecto_correo),
    ):
        valor = (datos.get(campo) or "").strip() or None
        if valor and len(valor) > columna.type.length:
            errores.add(
                f"prospecto.{campo}", f"No puede tener más de {columna.type.length} caracteres."
            )
            valor = None
        elif valor:
            try:
                valor = validador.check(valor)
            except ValueError as exc:
                errores.add(f"prospecto.{campo}", str(exc))
        limpio[f"prospecto_{campo}"] = valor
    return limpio


# PostgreSQL: quotes take their numbers one transaction at a time (held until commit).
CANDADO_NUMERACION = 16016


def _siguiente_numero() -> int:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:clave)"), {"clave": CANDADO_NUMERACION}
        )
    return (db.session.scalar(select(func.max(Cotizacion.numero))) or 0) + 1


def _guardar_con_numero(cotizacion: Cotizacion) -> Cotizacion:
    """The next consecutive number. Two quotes saved at the same moment cannot share
    it (unique): the one that loses is told to save again, nothing is kept."""
    cotizacion.numero = _siguiente_numero()
    db.session.add(cotizacion)
    try:
        db.session.flush()
    except IntegrityError as exc:
        if "numero" not in str(exc.orig):
            raise
        raise Conflict.on_field(
            "numero", "Otro usuario guardó una cotización al mismo tiempo; guarde de nuevo."
        ) from exc
    return cotizacion


def crear_cotizacion(datos: dict, usuario=None) -> Cotizacion:
    """A quote from units (id_apartamento | id_local | id_parqueadero, adicionales),
    a plan (id_plan_pago), a client (documento_cliente) or a prospect (prospecto:
    nombre, telefono, correo), a fecha (today by default, up to 30 days back) and
    valida_hasta (by default the project's days of validity)."""
    errores = Errores()
    hoy = today_bogota()
    fecha = datos.get("fecha") or hoy
    if not hoy - timedelta(days=DIAS_ATRAS) <= fecha <= hoy:
        errores.add(
            "fecha",
            f"La fecha debe estar entre {format_date(hoy - timedelta(days=DIAS_ATRAS))} y "
            f"{format_date(hoy)} (hasta {DIAS_ATRAS} días atrás).",
        )
    documento = limpiar_documento(datos.get("documento_cliente") or None)
    cliente = None
    prospecto: dict = {}
    if documento:
        cliente = db.session.get(Cliente, documento)
        if cliente is None:
            errores.add("documento_cliente", f"No existe un cliente con el documento {documento}.")
        if datos.get("prospecto"):
            errores.add("prospecto", "Indique un cliente o un prospecto, no ambos.")
    elif datos.get("prospecto"):
        prospecto = _prospecto(datos.get("prospecto"), errores)
    else:
        errores.add(
            "documento_cliente", "Indique el cliente (documento) o los datos del prospecto."
        )
    if not isinstance(datos.get("id_plan_pago"), int):
        errores.add("id_plan_pago", "Seleccione el plan de pago.")
    errores.raise_if_any()

    unidades = resolver_unidades(
        id_apartamento=datos.get("id_apartamento"),
        id_local=datos.get("id_local"),
        id_parqueadero=datos.get("id_parqueadero"),
        adicionales=datos.get("adicionales"),
        exigir_disponible=True,
    )
    proyecto = unidades.proyecto
    plan = plan_para(datos["id_plan_pago"], proyecto, usuario)
    resultado = resumen(unidades.precio_bruto, TerminosPlan.de(plan), unidades.principal.campo)
    valida_hasta = datos.get("valida_hasta") or fecha + timedelta(
        days=proyecto.dias_validez_cotizacion or 7
    )
    if valida_hasta < fecha:
        raise ValidationFailed.on_field(
            "valida_hasta",
            f"La vigencia no puede terminar antes de la fecha ({format_date(fecha)}).",
        )
    if valida_hasta > fecha + timedelta(days=365):
        raise ValidationFailed.on_field("valida_hasta", "La vigencia no puede pasar de un año.")
    cotizacion = Cotizacion(
        fecha=fecha,
        valida_hasta=valida_hasta,
        id_proyecto=proyecto.id,
        documento_cliente=cliente.documento if cliente else None,
        id_plan_pago=plan.id,
        valor_separacion=resultado.valor_separacion,
        plazo_meses=resultado.plazo_meses,
        tasa_interes_anual=resultado.tasa_interes_anual,
        valor_total=resultado.valor_total,
        cuota_inicial=resultado.cuota_inicial,
        id_usuario=getattr(usuario, "id", None),
        **prospecto,
        **terminos_copiados(plan, resultado),
    )
    for pedida in unidades.lista:
        cotizacion.unidades.append(
            CotizacionUnidad(
                **{pedida.campo: pedida.unidad.id}, rol=pedida.rol, precio=pedida.precio
            )
        )
    return _guardar_con_numero(cotizacion)


def terminos(cotizacion: Cotizacion) -> TerminosPlan:
    """The plan's terms as the quote copied them."""
    return TerminosPlan(
        tipo=cotizacion.plan_tipo,
        valor_separacion=cotizacion.valor_separacion,
        porcentaje_cuota_inicial=cotizacion.porcentaje_cuota_inicial,
        plazo_meses=cotizacion.plazo_meses,
        frecuencia_meses=cotizacion.frecuencia_meses or 1,
        descuento_tipo=cotizacion.descuento_tipo,
        descuento_valor=cotizacion.descuento_valor or 0,
        descuento_sobre=cotizacion.descuento_sobre,
        tasa_interes_anual=cotizacion.tasa_interes_anual,
    )


def resumen_de(cotizacion: Cotizacion) -> ResumenEconomico:
    """The quote's summary, from its own copy of the terms and its quoted prices."""
    return resumen(cotizacion.precio_bruto, terminos(cotizacion), "precio_bruto")


def cuotas_de(cotizacion: Cotizacion) -> list[CuotaPlan]:
    """The quote's cuotas, dated from the quote's fecha."""
    return cuotas_de_resumen(resumen_de(cotizacion), cotizacion.fecha)


def convertir_cotizacion(
    cotizacion: Cotizacion,
    *,
    tipo_operacion: str,
    fecha: date | None = None,
    fecha_limite_separacion: date | None = None,
    id_forma_pago: int | None = None,
    documento_cliente: str | None = None,
    observaciones: str | None = None,
    usuario=None,
) -> Venta:
    """A vigente quote becomes a separación or a venta at the quoted prices and plan,
    even if list prices rose since; the quote is linked to it. An expired or
    converted quote, or a unit no longer Disponible: nothing is created."""
    hoy = today_bogota()
    estado = cotizacion.estado(hoy)
    if estado == EstadoCotizacion.CONVERTIDA:
        raise Conflict.on_field(
            "id_cotizacion",
            f"La {cotizacion} ya se convirtió en la operación #{cotizacion.id_venta}.",
        )
    if estado == EstadoCotizacion.VENCIDA:
        raise Conflict.on_field(
            "id_cotizacion",
            f"La {cotizacion} venció el {format_date(cotizacion.valida_hasta)}; cópiela en una "
            "nueva a los precios de hoy.",
        )
    if tipo_operacion not in TipoOperacion.ALL:
        raise ValidationFailed.on_field(
            "tipo_operacion", "Seleccione si es una venta o una separación."
        )
    documento = limpiar_documento(documento_cliente) or cotizacion.documento_cliente
    if not documento:
        raise ValidationFailed.on_field(
            "documento_cliente",
            "La cotización es de un prospecto: regístrelo como cliente e indique su documento.",
        )
    principal = cotizacion.unidad_principal
    adicionales = [u for u in cotizacion.unidades if u.rol == RolUnidad.ADICIONAL]
    if principal is None:
        raise ValidationFailed.on_field("id_cotizacion", "La cotización no tiene unidad principal.")
    _exigir_unidades_disponibles(cotizacion)
    campo = f"id_{principal.clase.lower()}"
    precios = {(campo, principal.unidad.id): principal.precio}
    precios.update({("id_parqueadero", u.id_parqueadero): u.precio for u in adicionales})
    venta = crear_operacion(
        DatosOperacion(
            tipo_operacion=tipo_operacion,
            documento_cliente=documento,
            **{campo: principal.unidad.id},
            adicionales=[u.id_parqueadero for u in adicionales],
            precios_cotizados=precios,
            fecha=fecha or hoy,
            fecha_limite_separacion=fecha_limite_separacion,
            id_forma_pago=id_forma_pago,
            observaciones=observaciones or f"Desde la {cotizacion}.",
            id_plan_pago=cotizacion.id_plan_pago,
            precio_bruto=cotizacion.precio_bruto,
            terminos_plan=cotizacion,
            usuario=usuario,
        )
    )
    cotizacion.id_venta = venta.id
    db.session.flush()
    return venta


def _exigir_unidades_disponibles(cotizacion: Cotizacion) -> None:
    from .planes_pago import Unidades, UnidadPedida

    unidades = Unidades(
        cotizacion.proyecto,
        [UnidadPedida(u.clase.lower(), u.unidad, u.rol, u.precio) for u in cotizacion.unidades],
    )
    exigir_disponibles(unidades)


def copiar_cotizacion(cotizacion: Cotizacion, usuario=None) -> Cotizacion:
    """A new quote with the same client, units and plan, at today's prices and terms."""
    datos: dict = {"id_plan_pago": cotizacion.id_plan_pago}
    for unidad in cotizacion.unidades:
        if unidad.rol == RolUnidad.PRINCIPAL:
            datos[f"id_{unidad.clase.lower()}"] = unidad.unidad.id
        else:
            datos.setdefault("adicionales", []).append(unidad.id_parqueadero)
    if cotizacion.documento_cliente:
        datos["documento_cliente"] = cotizacion.documento_cliente
    else:
        datos["prospecto"] = {
            "nombre": cotizacion.prospecto_nombre,
            "telefono": cotizacion.prospecto_telefono,
            "correo": cotizacion.prospecto_correo,
        }
    return crear_cotizacion(datos, usuario)
