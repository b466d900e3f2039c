"""Políticas de comisión, comisiones, liquidaciones. Flush, never commit.

A venta earns, from the day it is made, a commission for its asesor (his
`propia` policy for the project on the venta's date) and one for the
asesor's director (the director's `equipo` policy): one row per (venta,
beneficiario, tipo), valor = base × porcentaje, base = the venta's valor_total
without its parqueaderos adicionales.
`recalcular(venta)` is called by the venta services after every change: a
causada row follows the venta (new price, annulment, another asesor); a
liquidated or paid row never changes: the difference goes to an adjustment
row (es_ajuste, maybe negative) that the next settlement takes. So, at any
moment, Σ valor of the rows that are not anuladas = Σ porcentaje × base over the
live ventas (tests/services/test_comisiones.py proves it with hypothesis).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func, or_, select, type_coerce, update

from .. import audit
from ..auth import permisos
from ..extensions import db
from ..formatting import format_date, today_bogota
from ..limites import fecha_fuera_de_rango
from ..models import (
    Comision,
    ConceptoCuota,
    EstadoComision,
    EstadoLiquidacion,
    EstadoOperacion,
    Liquidacion,
    PoliticaComision,
    Proyecto,
    Rol,
    RolUnidad,
    TipoComision,
    TipoOperacion,
    Usuario,
    Venta,
)
from ..models.base import Dinero, utcnow
from .asesores import equipo_de
from .errors import Conflict, Errores, Forbidden, NotFound, ValidationFailed

CERO = Decimal("0.00")
CENTAVO = Decimal("0.01")
REFERENCIA_MAXIMA = 60
LIQUIDADA_A_LA_VEZ = (
    "Otra persona liquidó al mismo tiempo alguna de estas comisiones; no se liquidó nada. "
    "Recargue la lista y vuelva a intentarlo."
)


def base_de(venta: Venta) -> Decimal:
    """The venta's valor_total without its parqueaderos adicionales (docs/dominio.md)."""
    adicionales = sum(
        (u.precio for u in venta.unidades if u.rol == RolUnidad.ADICIONAL), Decimal("0.00")
    )
    return venta.valor_total - adicionales


def valor_comision(base: Decimal, porcentaje: Decimal) -> Decimal:
    return (Decimal(base) * Decimal(porcentaje) / 100).quantize(CENTAVO, rounding=ROUND_HALF_UP)


# --- políticas ---------------------------------------------------------------


@dataclass
class DatosPolitica:
    id_proyecto: int | None
    id_usuario: int | None
    tipo: str | None
    porcentaje: Decimal | None
    vigente_desde: date | None
    vigente_hasta: date | None = None


def _texto_vigencia(politica: PoliticaComision) -> str:
    hasta = format_date(politica.vigente_hasta) if politica.vigente_hasta else "sin fin"
    return f"del {format_date(politica.vigente_desde)} al {hasta}"


def guardar_politica(datos: DatosPolitica, politica: PoliticaComision | None = None):
    """Create (politica None) or change a policy; validity periods of one project,
    user and tipo never overlap."""
    errores = Errores()
    if datos.id_proyecto is None or db.session.get(Proyecto, datos.id_proyecto) is None:
        errores.add("id_proyecto", "Seleccione un proyecto existente.")
    usuario = db.session.get(Usuario, datos.id_usuario) if datos.id_usuario else None
    if usuario is None:
        errores.add("id_usuario", "Seleccione un usuario existente.")
    if datos.tipo not in TipoComision.ALL:
        errores.add("tipo", "El tipo debe ser propia (sus ventas) o equipo (las de su equipo).")
    elif usuario is not None:
        if usuario.rol not in Rol.VENDEN:
            errores.add("id_usuario", f"{usuario.username} no es asesor ni director: no vende.")
        elif datos.tipo == TipoComision.EQUIPO and usuario.rol != Rol.DIRECTOR_COMERCIAL:
            errores.add("tipo", "Solo un director comercial tiene comisión de equipo.")
    if datos.porcentaje is None:
        errores.add("porcentaje", "Indique el porcentaje de la comisión.")
    elif not Decimal(0) <= datos.porcentaje <= Decimal(100):
        errores.add("porcentaje", "El porcentaje debe estar entre 0 y 100.")
    elif datos.porcentaje != datos.porcentaje.quantize(CENTAVO):
        errores.add("porcentaje", "El porcentaje admite a lo sumo dos decimales.")
    if datos.vigente_desde is None:
        errores.add("vigente_desde", "Indique desde cuándo rige la política.")
    elif fuera := fecha_fuera_de_rango(datos.vigente_desde):
        errores.add("vigente_desde", fuera)
    if datos.vigente_hasta is not None:
        if fuera := fecha_fuera_de_rango(datos.vigente_hasta):
            errores.add("vigente_hasta", fuera)
        elif datos.vigente_desde and datos.vigente_hasta < datos.vigente_desde:
            errores.add("vigente_hasta", "La vigencia no puede terminar antes de empezar.")
    errores.raise_if_any()

    otra = _politica_que_se_cruza(datos, politica.id if politica else None)
    if otra is not None:
        raise Conflict.on_field(
            "vigente_desde",
            f"La vigencia se cruza con la política #{otra.id} ({_texto_vigencia(otra)}) del "
            "mismo proyecto, usuario y tipo.",
        )
    politica = politica or PoliticaComision()
    politica.id_proyecto = datos.id_proyecto
    politica.id_usuario = datos.id_usuario
    politica.tipo = datos.tipo
    politica.porcentaje = datos.porcentaje
    politica.vigente_desde = datos.vigente_desde
    politica.vigente_hasta = datos.vigente_hasta
    db.session.add(politica)
    db.session.flush()
    return politica


def _politica_que_se_cruza(datos: DatosPolitica, excepto: int | None):
    fin = datos.vigente_hasta or date.max
    stmt = select(PoliticaComision).where(
        PoliticaComision.id_proyecto == datos.id_proyecto,
        PoliticaComision.id_usuario == datos.id_usuario,
        PoliticaComision.tipo == datos.tipo,
        PoliticaComision.vigente_desde <= fin,
        or_(
            PoliticaComision.vigente_hasta.is_(None),
            PoliticaComision.vigente_hasta >= datos.vigente_desde,
        ),
    )
    if excepto is not None:
        stmt = stmt.where(PoliticaComision.id != excepto)
    with db.session.no_autoflush:
        return db.session.scalar(stmt.order_by(PoliticaComision.vigente_desde).limit(1))


def eliminar_politica(politica: PoliticaComision) -> None:
    usada = db.session.scalar(
        select(func.count(Comision.id)).where(Comision.id_politica == politica.id)
    )
    if usada:
        raise Conflict.on_field(
            "id",
            f"La política #{politica.id} ya generó {usada} comisiones; no se elimina: "
            "cierre su vigencia (vigente hasta).",
        )
    db.session.delete(politica)
    db.session.flush()


def politica_vigente(id_usuario: int, id_proyecto: int, tipo: str, fecha: date):
    return db.session.scalar(
        select(PoliticaComision)
        .where(
            PoliticaComision.id_usuario == id_usuario,
            PoliticaComision.id_proyecto == id_proyecto,
            PoliticaComision.tipo == tipo,
            PoliticaComision.vigente_desde <= fecha,
            or_(PoliticaComision.vigente_hasta.is_(None), PoliticaComision.vigente_hasta >= fecha),
        )
        .limit(1)
    )


# --- comisiones follow their venta ------------------------------------------------


def proyecto_de(venta: Venta) -> int:
    return venta.id_proyecto


def _deseadas(venta: Venta) -> dict[tuple[int, str], PoliticaComision]:
    """(beneficiario, tipo) -> the policy that pays it, for a live venta."""
    vive = (
        venta.tipo_operacion == TipoOperacion.VENTA
        and venta.estado_operacion == EstadoOperacion.VIGENTE
    )
    if not vive or venta.id_asesor is None or not cuota_inicial_suficiente(venta):
        return {}
    asesor = db.session.get(Usuario, venta.id_asesor)
    id_proyecto = proyecto_de(venta)
    deseadas = {}
    propia = politica_vigente(asesor.id, id_proyecto, TipoComision.PROPIA, venta.fecha)
    if propia is not None:
        deseadas[(asesor.id, TipoComision.PROPIA)] = propia
    if asesor.id_director is not None:
        equipo = politica_vigente(asesor.id_director, id_proyecto, TipoComision.EQUIPO, venta.fecha)
        if equipo is not None:
            deseadas[(asesor.id_director, TipoComision.EQUIPO)] = equipo
    return deseadas


def umbral_de(venta: Venta) -> Decimal | None:
    """The % of the cuota inicial its project waits for before causing commissions."""
    umbral = db.session.get(Proyecto, venta.id_proyecto).porcentaje_causacion_comision
    return umbral if umbral else None


def cuota_inicial_suficiente(venta: Venta) -> bool:
    """Whether the venta has collected its project's % of the cuota inicial (the
    separación's cuota counts toward it); always, for a project without one."""
    umbral = umbral_de(venta)
    if umbral is None:
        return True
    pagado = sum(
        (c.valor_pagado for c in venta.cuotas if c.concepto != ConceptoCuota.SALDO_FINAL), CERO
    )
    return pagado * 100 >= umbral * (venta.cuota_inicial or CERO)


def tras_pago(venta: Venta) -> None:
    """After a payment is recorded, corrected or deleted: a project that causes
    commissions on collection may have crossed (either way) its threshold."""
    if umbral_de(venta) is not None:
        recalcular(venta)


def recalcular(venta: Venta) -> None:
    """Bring the venta's commissions in line with the venta as it is now."""
    with db.session.no_autoflush:
        deseadas = _deseadas(venta)
        filas = db.session.scalars(
            select(Comision).where(Comision.id_venta == venta.id).order_by(Comision.id)
        ).all()
    if not deseadas and not filas:
        return
    base = base_de(venta)
    id_proyecto = proyecto_de(venta)
    por_cobro = umbral_de(venta) is not None
    principales = {(c.id_usuario, c.tipo): c for c in filas if not c.es_ajuste}
    ajustes: dict[tuple[int, str], list[Comision]] = defaultdict(list)
    for fila in filas:
        if fila.es_ajuste:
            ajustes[(fila.id_usuario, fila.tipo)].append(fila)
    for clave in sorted(set(deseadas) | set(principales)):
        politica = deseadas.get(clave)
        objetivo = valor_comision(base, politica.porcentaje) if politica else CERO
        fila = principales.get(clave)
        if fila is None:
            db.session.add(
                Comision(
                    id_venta=venta.id,
                    id_usuario=clave[0],
                    tipo=clave[1],
                    id_proyecto=id_proyecto,
                    id_politica=politica.id,
                    es_ajuste=False,
                    estado=EstadoComision.CAUSADA,
                    fecha=today_bogota() if por_cobro else venta.fecha,
                    base=base,
                    porcentaje=politica.porcentaje,
                    valor=objetivo,
                )
            )
            continue
        if fila.estado in (EstadoComision.CAUSADA, EstadoComision.ANULADA):
            if politica is not None:
                if not por_cobro:
                    fila.fecha = venta.fecha
                elif fila.estado == EstadoComision.ANULADA:
                    fila.fecha = today_bogota()
                fila.estado = EstadoComision.CAUSADA
                fila.id_politica = politica.id
                fila.id_proyecto = id_proyecto
                fila.base = base
                fila.porcentaje = politica.porcentaje
                fila.valor = objetivo
            else:
                fila.estado = EstadoComision.ANULADA
            continue
        # Liquidated or paid: never changed; the difference is an adjustment.
        vivos = [a for a in ajustes[clave] if a.estado != EstadoComision.ANULADA]
        diferencia = objetivo - fila.valor - sum((a.valor for a in vivos), CERO)
        if diferencia == 0:
            continue
        pendiente = next((a for a in vivos if a.estado == EstadoComision.CAUSADA), None)
        if pendiente is not None:
            pendiente.valor += diferencia
            pendiente.base = base
            if pendiente.valor == 0:
                pendiente.estado = EstadoComision.ANULADA
            continue
        db.session.add(
            Comision(
                id_venta=venta.id,
                id_usuario=clave[0],
                tipo=clave[1],
                id_proyecto=id_proyecto,
                id_politica=politica.id if politica else fila.id_politica,
                es_ajuste=True,
                estado=EstadoComision.CAUSADA,
                fecha=today_bogota(),
                base=base,
                porcentaje=politica.porcentaje if politica else fila.porcentaje,
                valor=diferencia,
            )
        )
    db.session.flush()


def antes_de_eliminar(venta: Venta) -> None:
    """A venta deleted (a mistake, no payments) takes its unliquidated commissions
    with it; one with a settled commission is annulled instead."""
    filas = db.session.scalars(select(Comision).where(Comision.id_venta == venta.id)).all()
    liquidadas = [c for c in filas if c.estado in (EstadoComision.LIQUIDADA, EstadoComision.PAGADA)]
    if liquidadas:
        raise Conflict.on_field(
            "id",
            f"La {venta.tipo_label.lower()} #{venta.id} tiene comisiones liquidadas y no se "
            "puede eliminar; anúlela.",
        )
    for fila in filas:
        db.session.delete(fila)
    db.session.flush()


# --- who sees which -----------------------------------------------------------------


def visibles(usuario) -> list[int] | None:
    """The beneficiaries whose commissions `usuario` may read; None: all."""
    if permisos.puede(usuario, permisos.COMISIONES_TODAS):
        return None
    if permisos.puede(usuario, permisos.COMISIONES_EQUIPO):
        return [usuario.id, *equipo_de(usuario.id)]
    return [usuario.id]


@dataclass
class Filtros:
    beneficiario: int | None = None
    proyecto: int | None = None
    estado: str | None = None
    desde: date | None = None
    hasta: date | None = None
    visibles: list[int] | None = field(default=None)


def filtrar(stmt, filtros: Filtros):
    if filtros.beneficiario is not None:
        stmt = stmt.where(Comision.id_usuario == filtros.beneficiario)
    if filtros.visibles is not None:
        stmt = stmt.where(Comision.id_usuario.in_(filtros.visibles))
    if filtros.proyecto is not None:
        stmt = stmt.where(Comision.id_proyecto == filtros.proyecto)
    if filtros.estado is not None:
        stmt = stmt.where(Comision.estado == filtros.estado)
    if filtros.desde is not None:
        stmt = stmt.where(Comision.fecha >= filtros.desde)
    if filtros.hasta is not None:
        stmt = stmt.where(Comision.fecha <= filtros.hasta)
    return stmt


def exigir_visible(usuario, beneficiario: int | None) -> None:
    """403 for an asesor asking for someone else's commissions (the API's door)."""
    permitidos = visibles(usuario)
    if beneficiario is not None and permitidos is not None and beneficiario not in permitidos:
        raise Forbidden.on_field(
            "beneficiario", "Solo puede consultar sus propias comisiones (o las de su equipo)."
        )


# --- liquidación y pago -------------------------------------------------------------


def liquidar(
    *,
    ids: list[int] | None = None,
    filtros: Filtros | None = None,
    fecha: date | None = None,
    usuario: Usuario,
) -> Liquidacion:
    """Settle the chosen causadas (by id, or every causada the filters match) in one
    settlement, already liquidada. Of two people settling the same commission at
    once, exactly one succeeds: the rows move by one conditional UPDATE."""
    fecha = fecha or today_bogota()
    if fuera := fecha_fuera_de_rango(fecha):
        raise ValidationFailed.on_field("fecha", fuera)
    if ids is not None:
        ids = sorted(set(ids))
        filas = db.session.execute(
            select(Comision.id, Comision.estado, Comision.valor).where(Comision.id.in_(ids))
        ).all()
        encontradas = {f.id for f in filas}
        faltan = [i for i in ids if i not in encontradas]
        if faltan:
            raise ValidationFailed.on_field(
                "ids", "No existen las comisiones: " + ", ".join(f"#{i}" for i in faltan) + "."
            )
        tomadas = [f.id for f in filas if f.estado != EstadoComision.CAUSADA]
        if tomadas:
            raise Conflict.on_field(
                "ids",
                "Solo se liquidan comisiones causadas; no lo están: "
                + ", ".join(f"#{i}" for i in tomadas)
                + ".",
            )
    else:
        filtros = filtros or Filtros()
        filtros.estado = EstadoComision.CAUSADA
        filas = db.session.execute(
            filtrar(select(Comision.id, Comision.estado, Comision.valor), filtros)
        ).all()
    if not filas:
        raise ValidationFailed.on_field(
            "ids" if ids is not None else "filtros", "No hay comisiones causadas para liquidar."
        )
    seleccion = [f.id for f in filas]
    total = sum((f.valor for f in filas), CERO)
    liquidacion = Liquidacion(
        numero="tmp-" + secrets.token_hex(8),
        fecha=fecha,
        estado=EstadoLiquidacion.LIQUIDADA,
        total=total,
        id_usuario=usuario.id,
    )
    db.session.add(liquidacion)
    db.session.flush()
    liquidacion.numero = f"LIQ-{liquidacion.id:06d}"
    movidas = 0
    for inicio in range(0, len(seleccion), 500):
        lote = seleccion[inicio : inicio + 500]
        movidas += db.session.execute(
            update(Comision)
            .where(Comision.id.in_(lote), Comision.estado == EstadoComision.CAUSADA)
            .values(
                estado=EstadoComision.LIQUIDADA,
                id_liquidacion=liquidacion.id,
                version=Comision.version + 1,
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        ).rowcount
    if movidas != len(seleccion):
        raise Conflict.on_field("ids", LIQUIDADA_A_LA_VEZ)
    audit.registrar(
        db.session,
        audit.ACTUALIZAR,
        Comision.__tablename__,
        {
            str(i): {"estado": ["causada", "liquidada"], "id_liquidacion": [None, liquidacion.id]}
            for i in seleccion
        },
    )
    db.session.flush()
    _olvidar_comisiones()
    return liquidacion


def _olvidar_comisiones() -> None:
    # The bulk UPDATE changed rows the session may hold: read them again on access.
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Comision | Liquidacion):
            db.session.expire(obj)


def pagar(liquidacion: Liquidacion, fecha: date | None, referencia: str | None) -> Liquidacion:
    """Mark a liquidada settlement and its commissions pagada; paying it again is a conflict."""
    referencia = (referencia or "").strip()
    errores = Errores()
    if fecha is None:
        errores.add("fecha", "Indique la fecha del pago.")
    elif fuera := fecha_fuera_de_rango(fecha):
        errores.add("fecha", fuera)
    elif fecha < liquidacion.fecha:
        errores.add(
            "fecha",
            f"El pago no puede ser anterior a la liquidación ({format_date(liquidacion.fecha)}).",
        )
    if not referencia:
        errores.add("referencia", "Indique la referencia del pago (transferencia, comprobante).")
    elif len(referencia) > REFERENCIA_MAXIMA:
        errores.add("referencia", f"No puede tener más de {REFERENCIA_MAXIMA} caracteres.")
    errores.raise_if_any()
    movida = db.session.execute(
        update(Liquidacion)
        .where(Liquidacion.id == liquidacion.id, Liquidacion.estado == EstadoLiquidacion.LIQUIDADA)
        .values(
            estado=EstadoLiquidacion.PAGADA,
            fecha_pago=fecha,
            referencia=referencia,
            version=Liquidacion.version + 1,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if movida != 1:
        db.session.refresh(liquidacion)
        raise Conflict.on_field(
            "estado",
            f"La liquidación {liquidacion.numero} ya está pagada "
            f"({format_date(liquidacion.fecha_pago)}, referencia {liquidacion.referencia}).",
        )
    ids = list(
        db.session.scalars(select(Comision.id).where(Comision.id_liquidacion == liquidacion.id))
    )
    db.session.execute(
        update(Comision)
        .where(Comision.id_liquidacion == liquidacion.id)
        .values(estado=EstadoComision.PAGADA, version=Comision.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    audit.registrar(
        db.session,
        audit.ACTUALIZAR,
        Liquidacion.__tablename__,
        {
            str(liquidacion.id): {
                "estado": ["liquidada", "pagada"],
                "fecha_pago": [None, fecha],
                "referencia": [None, referencia],
            }
        },
    )
    audit.registrar(
        db.session,
        audit.ACTUALIZAR,
        Comision.__tablename__,
        {str(i): {"estado": ["liquidada", "pagada"]} for i in ids},
    )
    _olvidar_comisiones()
    return liquidacion


def liquidacion_or_404(id_liquidacion: int) -> Liquidacion:
    liquidacion = db.session.get(Liquidacion, id_liquidacion)
    if liquidacion is None:
        raise NotFound("Liquidación no encontrada.")
    return liquidacion


# --- the report -------------------------------------------------------------------


@dataclass
class FilaReporte:
    id_usuario: int
    beneficiario: str
    id_proyecto: int
    proyecto: str
    causada: Decimal
    liquidada: Decimal
    pagada: Decimal
    anulada: Decimal
    cantidad: int

    @property
    def total(self) -> Decimal:
        return self.causada + self.liquidada + self.pagada


def reporte(filtros: Filtros) -> list[FilaReporte]:
    """Totals per beneficiary and project, one column per estado: one grouped query."""

    def suma(estado: str):
        return type_coerce(
            func.coalesce(
                func.sum(case((Comision.estado == estado, Comision.valor), else_=None)), 0
            ),
            Dinero(),
        )

    stmt = select(
        Comision.id_usuario,
        Comision.id_proyecto,
        suma(EstadoComision.CAUSADA),
        suma(EstadoComision.LIQUIDADA),
        suma(EstadoComision.PAGADA),
        suma(EstadoComision.ANULADA),
        func.count(Comision.id),
    ).group_by(Comision.id_usuario, Comision.id_proyecto)
    filas = db.session.execute(filtrar(stmt, filtros)).all()
    if not filas:
        return []
    nombres = dict(
        db.session.execute(
            select(Usuario.id, Usuario.nombre_completo).where(Usuario.id.in_({f[0] for f in filas}))
        ).all()
    )
    proyectos = dict(
        db.session.execute(
            select(Proyecto.id, Proyecto.nombre).where(Proyecto.id.in_({f[1] for f in filas}))
        ).all()
    )
    resultado = [
        FilaReporte(
            id_usuario=f[0],
            beneficiario=nombres.get(f[0], f"#{f[0]}"),
            id_proyecto=f[1],
            proyecto=proyectos.get(f[1], f"#{f[1]}"),
            causada=f[2],
            liquidada=f[3],
            pagada=f[4],
            anulada=f[5],
            cantidad=f[6],
        )
        for f in filas
    ]
    return sorted(resultado, key=lambda r: (r.beneficiario.lower(), r.proyecto.lower()))
