"""Reports over the standing operations (vigente and convertida): cartera por
edades, recaudo and calendario de cartera.

"As of a date" means as the books stood that day: a cuota's paid part is the
sum of the applications of the payments dated on or before it (pagos_cuotas),
never its valor_pagado of today. Days overdue are counted from the day after
the due date (a cuota due on the cut-off date is not overdue), as
`Cuota.estado` does. Money is summed by the database (exact on both: integer
centavos on SQLite); dates are compared with date literals, so the buckets are
the same SQL on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import case, extract, func, literal, select, union

from ..extensions import db
from ..models import (
    Apartamento,
    AplicacionPago,
    Cliente,
    ConceptoCuota,
    Cuota,
    EstadoOperacion,
    MedioPago,
    Pago,
    Proyecto,
    Torre,
    Usuario,
    Venta,
)
from ..services.plan_pagos import sumar_meses

CERO = Decimal("0.00")
EN_PIE = (EstadoOperacion.VIGENTE, EstadoOperacion.CONVERTIDA)

# (key, label, first day overdue, last day overdue or None)
TRAMOS = (
    ("d1_30", "1 a 30 días", 1, 30),
    ("d31_60", "31 a 60 días", 31, 60),
    ("d61_90", "61 a 90 días", 61, 90),
    ("d90", "Más de 90 días", 91, None),
)
CLAVES_TRAMO = tuple(t[0] for t in TRAMOS)
ETIQUETAS_TRAMO = {t[0]: t[1] for t in TRAMOS}
AGRUPACIONES = ("proyecto", "asesor", "cliente")
SIN_ASESOR = "Sin asesor"
PERIODOS = ("dia", "semana", "mes")
CONCEPTOS = tuple(ConceptoCuota.ALL)
MESES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


def en_pie(venta_estado) -> object:
    return venta_estado.in_(EN_PIE)


def rango_tramo(clave: str, fecha: date) -> tuple[date | None, date]:
    """(earliest, latest) due date of the cuotas in bucket `clave` as of `fecha`."""
    _k, _label, desde, hasta = next(t for t in TRAMOS if t[0] == clave)
    ultimo = fecha - timedelta(days=desde)
    primero = None if hasta is None else fecha - timedelta(days=hasta)
    return primero, ultimo


# -- cartera por edades ------------------------------------------------------------------
@dataclass
class FilaCartera:
    clave: str  # the project's id or the client's documento
    nombre: str
    proyecto: str = ""
    tramos: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(CLAVES_TRAMO, CERO))
    cuotas: int = 0

    @property
    def total(self) -> Decimal:
        return sum(self.tramos.values(), CERO)


@dataclass
class Cartera:
    fecha: date
    agrupar: str
    filas: list[FilaCartera]
    totales: dict[str, Decimal]
    cuotas: int
    truncado: bool = False  # more groups than `limite`; the export has them all

    @property
    def total(self) -> Decimal:
        return sum(self.totales.values(), CERO)


def _pagado_al_corte(fecha: date):
    """A cuota's paid part as of `fecha`: its applications of payments dated ≤ fecha."""
    return (
        select(func.coalesce(func.sum(AplicacionPago.valor), 0))
        .join(Pago, Pago.id == AplicacionPago.id_pago)
        .where(AplicacionPago.id_cuota == Cuota.id, Pago.fecha <= fecha)
        .correlate(Cuota)
        .scalar_subquery()
    )


def cuotas_en_mora(
    fecha: date,
    *,
    id_proyecto: int | None = None,
    documento: str | None = None,
    tramo: str | None = None,
    asesor: int | None = None,
):
    """SELECT of the cuotas unpaid as of `fecha` and due before it, of standing
    operations, with their project, client, unpaid part and bucket.

    Candidates are the cuotas unpaid today (the partial index ix_cuotas_pendientes)
    and those a payment dated after `fecha` touched: any other cuota due before
    `fecha` was already fully paid by then. Their paid part as of `fecha` is then
    summed from pagos_cuotas.
    """
    # Two index walks: the partial index of unpaid cuotas, and the payments dated
    # after `fecha` (pagos.fecha) with their applications (pagos_cuotas.id_pago).
    candidatas = union(
        select(Cuota.id.label("id")).where(
            Cuota.fecha_vencimiento < fecha, Cuota.valor_pagado < Cuota.valor
        ),
        select(AplicacionPago.id_cuota.label("id"))
        .join(Pago, Pago.id == AplicacionPago.id_pago)
        .where(Pago.fecha > fecha),
    ).subquery()
    pendiente = (Cuota.valor - _pagado_al_corte(fecha)).label("pendiente")
    bucket = case(
        *(
            (Cuota.fecha_vencimiento >= rango_tramo(clave, fecha)[0], literal(clave))
            for clave in CLAVES_TRAMO[:-1]
        ),
        else_=literal(CLAVES_TRAMO[-1]),
    ).label("tramo")
    condiciones = [Cuota.fecha_vencimiento < fecha, en_pie(Venta.estado_operacion)]
    if id_proyecto is not None:
        condiciones.append(Venta.id_proyecto == id_proyecto)
    if documento is not None:
        condiciones.append(Venta.documento_cliente == documento)
    if asesor is not None:  # 0: the operations nobody was credited with
        condiciones.append(Venta.id_asesor == asesor if asesor else Venta.id_asesor.is_(None))
    if tramo is not None:
        primero, ultimo = rango_tramo(tramo, fecha)
        condiciones.append(Cuota.fecha_vencimiento <= ultimo)
        if primero is not None:
            condiciones.append(Cuota.fecha_vencimiento >= primero)
    interna = (
        select(
            Cuota.id.label("id_cuota"),
            Cuota.id_venta,
            Cuota.numero,
            Cuota.concepto,
            Cuota.fecha_vencimiento,
            Cuota.valor,
            pendiente,
            bucket,
            Proyecto.id.label("id_proyecto"),
            Proyecto.nombre.label("proyecto"),
            Torre.nombre.label("torre"),
            Apartamento.numero.label("apartamento"),
            Venta.documento_cliente,
            Venta.id_asesor,
        )
        .select_from(candidatas)
        .join(Cuota, Cuota.id == candidatas.c.id)
        .join(Venta, Venta.id == Cuota.id_venta)
        .join(Proyecto, Proyecto.id == Venta.id_proyecto)
        .outerjoin(Apartamento, Apartamento.id == Venta.id_apartamento)
        .outerjoin(Torre, Torre.id == Apartamento.id_torre)
        .where(*condiciones)
        .subquery()
    )
    return select(interna).where(interna.c.pendiente > 0)


def cartera_por_edades(
    fecha: date,
    *,
    agrupar: str = "proyecto",
    id_proyecto: int | None = None,
    limite: int | None = None,
) -> Cartera:
    """The unpaid part of due cuotas per bucket, per project, asesor or client, as of `fecha`."""
    mora = cuotas_en_mora(fecha, id_proyecto=id_proyecto).subquery()
    if agrupar == "cliente":
        claves = (mora.c.documento_cliente, Cliente.nombre)
        base = (
            select(*claves)
            .select_from(mora)
            .join(Cliente, Cliente.documento == mora.c.documento_cliente)
        )
    elif agrupar == "asesor":
        claves = (
            func.coalesce(mora.c.id_asesor, 0),
            func.coalesce(Usuario.nombre_completo, SIN_ASESOR),
        )
        base = select(*claves).select_from(mora).outerjoin(Usuario, Usuario.id == mora.c.id_asesor)
    else:
        claves = (mora.c.id_proyecto, mora.c.proyecto)
        base = select(*claves).select_from(mora)
    stmt = base.add_columns(mora.c.tramo, func.sum(mora.c.pendiente), func.count()).group_by(
        *claves, mora.c.tramo
    )
    grupos: dict = {}
    for clave, nombre, tramo, suma, cuantas in db.session.execute(stmt):
        fila = grupos.setdefault(clave, FilaCartera(str(clave), nombre))
        fila.tramos[tramo] += Decimal(suma)
        fila.cuotas += cuantas
    filas = list(grupos.values())
    if agrupar == "cliente":
        filas.sort(key=lambda f: (-f.total, f.clave))
    else:
        filas.sort(key=lambda f: f.nombre)
    totales = dict.fromkeys(CLAVES_TRAMO, CERO)
    for fila in filas:
        for clave, valor in fila.tramos.items():
            totales[clave] += valor
    cuotas = sum(f.cuotas for f in filas)
    truncado = limite is not None and len(filas) > limite
    return Cartera(fecha, agrupar, filas[:limite] if truncado else filas, totales, cuotas, truncado)


# -- recaudo -----------------------------------------------------------------------------
def inicio_periodo(dia: date, agrupar: str) -> date:
    if agrupar == "mes":
        return dia.replace(day=1)
    if agrupar == "semana":
        return dia - timedelta(days=dia.weekday())  # weeks start on Monday
    return dia


def etiqueta_periodo(inicio: date, agrupar: str) -> str:
    if agrupar == "mes":
        return f"{MESES[inicio.month - 1]} {inicio.year}"
    if agrupar == "semana":
        return f"Semana del {inicio:%d/%m/%Y}"
    return f"{inicio:%d/%m/%Y}"


def periodos(desde: date, hasta: date, agrupar: str) -> list[date]:
    resultado, dia = [], inicio_periodo(desde, agrupar)
    while dia <= hasta:
        resultado.append(dia)
        if agrupar == "mes":
            dia = sumar_meses(dia, 1)
        elif agrupar == "semana":
            dia += timedelta(days=7)
        else:
            dia += timedelta(days=1)
    return resultado


@dataclass
class FilaRecaudo:
    inicio: date
    etiqueta: str
    por_medio: dict[str, Decimal]
    pagos: int = 0

    @property
    def total(self) -> Decimal:
        return sum(self.por_medio.values(), CERO)


@dataclass
class Recaudo:
    desde: date
    hasta: date
    agrupar: str
    medios: list[str]
    filas: list[FilaRecaudo]
    por_proyecto: dict[str, Decimal]
    totales: dict[str, Decimal]
    pagos: int

    @property
    def total(self) -> Decimal:
        return sum(self.totales.values(), CERO)


def pagos_del_periodo(desde: date, hasta: date, id_proyecto: int | None = None):
    """The pagos of standing operations dated from `desde` to `hasta`, with project and medio."""
    condiciones = [Pago.fecha.between(desde, hasta), en_pie(Venta.estado_operacion)]
    if id_proyecto is not None:
        condiciones.append(Venta.id_proyecto == id_proyecto)
    return (
        select(
            Pago.id.label("id_pago"),
            Pago.fecha,
            Pago.valor,
            Pago.id_venta,
            MedioPago.nombre.label("medio"),
            Proyecto.nombre.label("proyecto"),
            Venta.documento_cliente,
            Pago.referencia,
        )
        .select_from(Pago)
        .join(Venta, Venta.id == Pago.id_venta)
        .join(MedioPago, MedioPago.id == Pago.id_medio_pago)
        .join(Proyecto, Proyecto.id == Venta.id_proyecto)
        .where(*condiciones)
    )


def recaudo(
    desde: date, hasta: date, *, agrupar: str = "mes", id_proyecto: int | None = None
) -> Recaudo:
    """Payments per period (day, week or month) and medio de pago, and per project.

    The database groups by day, medio and project (a few thousand groups for a
    year); days are folded into weeks or months here, the same on both databases."""
    detalle = pagos_del_periodo(desde, hasta, id_proyecto).subquery()
    stmt = select(
        detalle.c.fecha,
        detalle.c.medio,
        detalle.c.proyecto,
        func.sum(detalle.c.valor),
        func.count(),
    ).group_by(detalle.c.fecha, detalle.c.medio, detalle.c.proyecto)
    medios = list(db.session.scalars(select(MedioPago.nombre).order_by(MedioPago.id)))
    filas = {
        inicio: FilaRecaudo(inicio, etiqueta_periodo(inicio, agrupar), dict.fromkeys(medios, CERO))
        for inicio in periodos(desde, hasta, agrupar)
    }
    por_proyecto: dict[str, Decimal] = defaultdict(lambda: CERO)
    totales = dict.fromkeys(medios, CERO)
    cuantos = 0
    for dia, medio, proyecto, suma, n in db.session.execute(stmt):
        valor = Decimal(suma)
        fila = filas[inicio_periodo(dia, agrupar)]
        fila.por_medio[medio] = fila.por_medio.get(medio, CERO) + valor
        fila.pagos += n
        por_proyecto[proyecto] += valor
        totales[medio] = totales.get(medio, CERO) + valor
        cuantos += n
    return Recaudo(
        desde,
        hasta,
        agrupar,
        list(totales),
        list(filas.values()),
        dict(sorted(por_proyecto.items())),
        totales,
        cuantos,
    )


# -- calendario de cartera ---------------------------------------------------------------
@dataclass
class FilaCalendario:
    anio: int
    mes: int
    programado: dict[str, Decimal]
    pendiente: dict[str, Decimal]
    vencido: bool  # the month is over: what is pending there is overdue

    @property
    def etiqueta(self) -> str:
        return f"{MESES[self.mes - 1]} {self.anio}"

    @property
    def total_programado(self) -> Decimal:
        return sum(self.programado.values(), CERO)

    @property
    def total_pendiente(self) -> Decimal:
        return sum(self.pendiente.values(), CERO)


@dataclass
class Calendario:
    desde: date
    hasta: date
    conceptos: list[str]
    filas: list[FilaCalendario]
    por_proyecto: dict[str, tuple[Decimal, Decimal]]

    @property
    def total_programado(self) -> Decimal:
        return sum((f.total_programado for f in self.filas), CERO)

    @property
    def total_pendiente(self) -> Decimal:
        return sum((f.total_pendiente for f in self.filas), CERO)


def cuotas_del_calendario(desde: date, hasta: date, id_proyecto: int | None = None):
    condiciones = [Cuota.fecha_vencimiento.between(desde, hasta), en_pie(Venta.estado_operacion)]
    if id_proyecto is not None:
        condiciones.append(Venta.id_proyecto == id_proyecto)
    return (
        select(
            Cuota.id.label("id_cuota"),
            Cuota.id_venta,
            Cuota.numero,
            Cuota.concepto,
            Cuota.fecha_vencimiento,
            Cuota.valor,
            (Cuota.valor - Cuota.valor_pagado).label("pendiente"),
            Proyecto.nombre.label("proyecto"),
            Venta.documento_cliente,
        )
        .select_from(Cuota)
        .join(Venta, Venta.id == Cuota.id_venta)
        .join(Proyecto, Proyecto.id == Venta.id_proyecto)
        .where(*condiciones)
    )


def calendario(
    desde: date, hasta: date, *, hoy: date, id_proyecto: int | None = None
) -> Calendario:
    """Per month from `desde` to `hasta`: the cuotas due (programado) and what is
    still unpaid today (pendiente), by concepto and per project."""
    desde, hasta = desde.replace(day=1), sumar_meses(hasta.replace(day=1), 1) - timedelta(days=1)
    detalle = cuotas_del_calendario(desde, hasta, id_proyecto).subquery()
    anio = extract("year", detalle.c.fecha_vencimiento)
    mes = extract("month", detalle.c.fecha_vencimiento)
    stmt = select(
        anio,
        mes,
        detalle.c.concepto,
        detalle.c.proyecto,
        func.sum(detalle.c.valor),
        func.sum(detalle.c.pendiente),
    ).group_by(anio, mes, detalle.c.concepto, detalle.c.proyecto)
    conceptos = list(ConceptoCuota.ALL)
    filas: dict[tuple[int, int], FilaCalendario] = {}
    dia = desde
    while dia <= hasta:
        fin_mes = sumar_meses(dia, 1) - timedelta(days=1)
        filas[(dia.year, dia.month)] = FilaCalendario(
            dia.year,
            dia.month,
            dict.fromkeys(conceptos, CERO),
            dict.fromkeys(conceptos, CERO),
            vencido=fin_mes < hoy,
        )
        dia = sumar_meses(dia, 1)
    por_proyecto: dict[str, tuple[Decimal, Decimal]] = {}
    for a, m, concepto, proyecto, valor, pendiente in db.session.execute(stmt):
        fila = filas[(int(a), int(m))]
        fila.programado[concepto] += Decimal(valor)
        fila.pendiente[concepto] += Decimal(pendiente)
        prog, pend = por_proyecto.get(proyecto, (CERO, CERO))
        por_proyecto[proyecto] = (prog + Decimal(valor), pend + Decimal(pendiente))
    return Calendario(
        desde, hasta, conceptos, list(filas.values()), dict(sorted(por_proyecto.items()))
    )
