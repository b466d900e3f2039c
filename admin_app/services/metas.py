"""Metas and their cumplimiento. Flush, never commit.

A meta names a month, a tipo (unidades, valor, recaudo), a project (null: all)
and a user (null: the whole team). Real counts ventas (not separations, not
annulled) by their `fecha` and pagos by theirs; a director's meta counts his
own sales and his team's. Each goal is compared on its own, so a team's goal
is never the sum of the team's and the individuals' goals counted twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import extract, func, select

from ..extensions import db
from ..models import (
    EstadoOperacion,
    Meta,
    Pago,
    Proyecto,
    Rol,
    TipoMeta,
    TipoOperacion,
    Usuario,
    Venta,
)
from .errors import Conflict, Errores
from .pagos import pesos

UMBRAL_ALERTA = Decimal("80")
META_MAXIMA = Decimal("9999999999999999.99")
MESES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


@dataclass
class DatosMeta:
    anio: int | None
    mes: int | None
    tipo: str | None
    meta: Decimal | None
    id_proyecto: int | None = None
    id_usuario: int | None = None


def guardar_meta(datos: DatosMeta, meta: Meta | None = None) -> Meta:
    errores = Errores()
    if datos.id_proyecto is not None and db.session.get(Proyecto, datos.id_proyecto) is None:
        errores.add("id_proyecto", "El proyecto seleccionado no existe.")
    if datos.id_usuario is not None:
        usuario = db.session.get(Usuario, datos.id_usuario)
        if usuario is None:
            errores.add("id_usuario", "El usuario seleccionado no existe.")
        elif usuario.rol not in Rol.VENDEN:
            errores.add("id_usuario", f"{usuario.username} no es asesor ni director: no vende.")
    if datos.anio is None or not 2000 <= datos.anio <= 2200:
        errores.add("anio", "El año debe estar entre 2000 y 2200.")
    if datos.mes is None or not 1 <= datos.mes <= 12:
        errores.add("mes", "El mes debe estar entre 1 y 12.")
    if datos.tipo not in TipoMeta.ALL:
        errores.add("tipo", "El tipo debe ser unidades, valor o recaudo.")
    if datos.meta is None:
        errores.add("meta", "Indique la meta.")
    elif datos.meta <= 0:
        errores.add("meta", "La meta debe ser mayor que cero.")
    elif datos.meta > META_MAXIMA:
        errores.add("meta", f"La meta no puede superar {pesos(META_MAXIMA)}.")
    elif datos.tipo == TipoMeta.UNIDADES and datos.meta != datos.meta.to_integral_value():
        errores.add("meta", "Una meta de unidades es un número entero.")
    errores.raise_if_any()
    otra = _duplicada(datos, meta.id if meta else None)
    if otra is not None:
        raise Conflict.on_field(
            "tipo",
            f"Ya existe la meta #{otra.id} de {TipoMeta.LABELS[datos.tipo].lower()} para ese "
            f"proyecto, usuario, año y mes ({MESES[datos.mes - 1]} de {datos.anio}).",
        )
    meta = meta or Meta()
    meta.id_proyecto = datos.id_proyecto
    meta.id_usuario = datos.id_usuario
    meta.anio = datos.anio
    meta.mes = datos.mes
    meta.tipo = datos.tipo
    meta.meta = datos.meta
    db.session.add(meta)
    db.session.flush()
    return meta


def _duplicada(datos: DatosMeta, excepto: int | None) -> Meta | None:
    stmt = select(Meta).where(
        Meta.anio == datos.anio,
        Meta.mes == datos.mes,
        Meta.tipo == datos.tipo,
        Meta.id_proyecto.is_(None)
        if datos.id_proyecto is None
        else Meta.id_proyecto == datos.id_proyecto,
        Meta.id_usuario.is_(None)
        if datos.id_usuario is None
        else Meta.id_usuario == datos.id_usuario,
    )
    if excepto is not None:
        stmt = stmt.where(Meta.id != excepto)
    with db.session.no_autoflush:
        return db.session.scalar(stmt.limit(1))


def eliminar_meta(meta: Meta) -> None:
    db.session.delete(meta)
    db.session.flush()


# --- cumplimiento -------------------------------------------------------------------

Clave = tuple[int, int, int | None, int]  # (año, mes, id_asesor, id_proyecto)


def _primer_dia(anio: int, mes: int) -> date:
    return date(anio, mes, 1)


def _siguiente(anio: int, mes: int) -> tuple[int, int]:
    return (anio + 1, 1) if mes == 12 else (anio, mes + 1)


def _anterior(anio: int, mes: int, meses: int) -> tuple[int, int]:
    total = anio * 12 + (mes - 1) - meses
    return total // 12, total % 12 + 1


def reales(
    desde: tuple[int, int], hasta: tuple[int, int], tipos=TipoMeta.ALL
) -> dict[str, dict[Clave, Decimal]]:
    """Per tipo: (año, mes, asesor, proyecto) -> real, for the months desde..hasta
    (only the tipos asked: recaudo reads every pago of the period)."""
    inicio = _primer_dia(*desde)
    fin = _primer_dia(*_siguiente(*hasta))
    anio, mes = extract("year", Venta.fecha), extract("month", Venta.fecha)
    tabla: dict[str, dict[Clave, Decimal]] = {t: defaultdict(Decimal) for t in TipoMeta.ALL}
    if TipoMeta.UNIDADES in tipos or TipoMeta.VALOR in tipos:
        _reales_ventas(tabla, inicio, fin, anio, mes)
    if TipoMeta.RECAUDO in tipos:
        _reales_recaudo(tabla, inicio, fin)
    return tabla


def _reales_ventas(tabla, inicio: date, fin: date, anio, mes) -> None:
    ventas = db.session.execute(
        select(
            anio, mes, Venta.id_asesor, Venta.id_proyecto, func.count(), func.sum(Venta.valor_total)
        )
        .where(
            Venta.fecha >= inicio,
            Venta.fecha < fin,
            Venta.tipo_operacion == TipoOperacion.VENTA,
            Venta.estado_operacion != EstadoOperacion.ANULADA,
        )
        .group_by(anio, mes, Venta.id_asesor, Venta.id_proyecto)
    ).all()
    for a, m, asesor, proyecto, unidades, valor in ventas:
        clave = (int(a), int(m), asesor, proyecto)
        tabla[TipoMeta.UNIDADES][clave] += Decimal(unidades)
        tabla[TipoMeta.VALOR][clave] += Decimal(valor or 0)


def _reales_recaudo(tabla, inicio: date, fin: date) -> None:
    p_anio, p_mes = extract("year", Pago.fecha), extract("month", Pago.fecha)
    pagos = db.session.execute(
        select(p_anio, p_mes, Venta.id_asesor, Venta.id_proyecto, func.sum(Pago.valor))
        .join(Venta, Pago.id_venta == Venta.id)
        .where(Pago.fecha >= inicio, Pago.fecha < fin)
        .group_by(p_anio, p_mes, Venta.id_asesor, Venta.id_proyecto)
    ).all()
    for a, m, asesor, proyecto, valor in pagos:
        tabla[TipoMeta.RECAUDO][(int(a), int(m), asesor, proyecto)] += Decimal(valor or 0)


def _asesores_de(id_usuario: int | None, equipos: dict[int, set[int]]) -> set[int] | None:
    if id_usuario is None:
        return None
    return {id_usuario, *equipos.get(id_usuario, ())}


def _equipos() -> dict[int, set[int]]:
    equipos: dict[int, set[int]] = defaultdict(set)
    for id_usuario, id_director in db.session.execute(
        select(Usuario.id, Usuario.id_director).where(Usuario.id_director.is_not(None))
    ):
        equipos[id_director].add(id_usuario)
    return equipos


class Reales:
    """The month's reals summed every way a goal asks (by asesor, by project,
    both, all), so each goal costs a few dictionary reads, not a scan."""

    def __init__(self, tabla: dict[str, dict[Clave, Decimal]]) -> None:
        self.exacto: dict[tuple, Decimal] = defaultdict(Decimal)
        self.por_asesor: dict[tuple, Decimal] = defaultdict(Decimal)
        self.por_proyecto: dict[tuple, Decimal] = defaultdict(Decimal)
        self.total: dict[tuple, Decimal] = defaultdict(Decimal)
        for tipo, filas in tabla.items():
            for (a, m, asesor, proyecto), valor in filas.items():
                self.exacto[(tipo, a, m, asesor, proyecto)] += valor
                self.por_asesor[(tipo, a, m, asesor)] += valor
                self.por_proyecto[(tipo, a, m, proyecto)] += valor
                self.total[(tipo, a, m)] += valor

    def real(self, tipo, anio, mes, asesores: set[int] | None, proyecto: int | None) -> Decimal:
        if asesores is None:
            if proyecto is None:
                return self.total[(tipo, anio, mes)]
            return self.por_proyecto[(tipo, anio, mes, proyecto)]
        if proyecto is None:
            return sum((self.por_asesor[(tipo, anio, mes, a)] for a in asesores), Decimal(0))
        return sum((self.exacto[(tipo, anio, mes, a, proyecto)] for a in asesores), Decimal(0))


def porcentaje(real: Decimal, meta: Decimal) -> Decimal:
    return (Decimal(real) * 100 / Decimal(meta)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Cumplimiento:
    meta: Meta
    real: Decimal
    porcentaje: Decimal

    @property
    def alerta(self) -> bool:
        return self.porcentaje < UMBRAL_ALERTA

    @property
    def barra(self) -> Decimal:
        return min(self.porcentaje, Decimal(100))


def metas_visibles(stmt, usuarios: list[int] | None):
    if usuarios is None:
        return stmt
    return stmt.where(Meta.id_usuario.in_(usuarios))


def cumplimiento(anio: int, mes: int, usuarios: list[int] | None = None) -> list[Cumplimiento]:
    """Each goal of the month with its real and percentage (usuarios: only theirs)."""
    metas = db.session.scalars(
        metas_visibles(select(Meta).where(Meta.anio == anio, Meta.mes == mes), usuarios).order_by(
            Meta.id_usuario.is_not(None), Meta.id_usuario, Meta.id_proyecto, Meta.tipo
        )
    ).all()
    if not metas:
        return []
    tabla = Reales(reales((anio, mes), (anio, mes), {m.tipo for m in metas}))
    equipos = _equipos()
    resultado = []
    for meta in metas:
        real = tabla.real(
            meta.tipo, anio, mes, _asesores_de(meta.id_usuario, equipos), meta.id_proyecto
        )
        resultado.append(Cumplimiento(meta, real, porcentaje(real, meta.meta)))
    return resultado


@dataclass
class MesTendencia:
    anio: int
    mes: int
    meta: Decimal | None
    real: Decimal

    @property
    def etiqueta(self) -> str:
        return f"{MESES[self.mes - 1][:3]} {str(self.anio)[2:]}"

    @property
    def porcentaje(self) -> Decimal | None:
        return porcentaje(self.real, self.meta) if self.meta else None


def tendencia(
    anio: int, mes: int, tipo: str, id_usuario: int | None = None, id_proyecto: int | None = None
) -> list[MesTendencia]:
    """The 12 months up to anio/mes of one goal's key: its meta (if any) and real."""
    desde = _anterior(anio, mes, 11)
    tabla = Reales(reales(desde, (anio, mes), (tipo,)))
    asesores = _asesores_de(id_usuario, _equipos())
    metas = {
        (m.anio, m.mes): m.meta
        for m in db.session.scalars(
            select(Meta).where(
                Meta.tipo == tipo,
                Meta.id_usuario.is_(None) if id_usuario is None else Meta.id_usuario == id_usuario,
                Meta.id_proyecto.is_(None)
                if id_proyecto is None
                else Meta.id_proyecto == id_proyecto,
                Meta.anio * 12 + Meta.mes >= desde[0] * 12 + desde[1],
                Meta.anio * 12 + Meta.mes <= anio * 12 + mes,
            )
        )
    }
    meses = []
    a, m = desde
    for _ in range(12):
        meses.append(
            MesTendencia(a, m, metas.get((a, m)), tabla.real(tipo, a, m, asesores, id_proyecto))
        )
        a, m = _siguiente(a, m)
    return meses
