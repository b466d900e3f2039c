"""The dashboard's figures: a few aggregate queries, each one statement.

Every query either groups a small table (apartamentos, ventas) or walks an
index range (cuotas.fecha_vencimiento, pagos.fecha, ventas(estado_operacion,
fecha_limite_separacion), ventas.fecha), so the page stays fast with a
million clientes and more than a million cuotas: nothing here reads clientes
except the few rows of a top-20 list.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import extract, func, literal, select, union_all
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import (
    Apartamento,
    Cliente,
    Cuota,
    EstadoInmueble,
    EstadoOperacion,
    Local,
    Pago,
    Parqueadero,
    Proyecto,
    TipoOperacion,
    Torre,
    Venta,
)
from .plan_pagos import sumar_meses

CERO = Decimal("0.00")
LIMITE_LISTAS = 20
DIAS_POR_CADUCAR = 7


# `column + ""` keeps a planner off a low-selectivity index (most ventas are
# vigente, most are ventas) so it walks the date index instead; SQLite has no
# statistics to know better unless ANALYZE ran, PostgreSQL does the same anyway.
def _sin_indice(columna):
    return columna + ""


def _del_proyecto(id_proyecto: int | None):
    """The dashboard's project filter: the operations of that project, whatever their unit."""
    if id_proyecto is None:
        return None
    return Venta.id_proyecto == id_proyecto


def _filtros(*condiciones):
    return [c for c in condiciones if c is not None]


MESES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


@dataclass
class InventarioProyecto:
    proyecto: str
    por_estado: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.por_estado.values())


@dataclass(frozen=True)
class Inventario:
    estados: list[str]
    proyectos: list[InventarioProyecto]


@dataclass(frozen=True)
class OperacionesMes:
    anio: int
    mes: int
    ventas: int
    separaciones: int

    @property
    def etiqueta(self) -> str:
        return f"{MESES[self.mes - 1]} {self.anio % 100:02d}"


@dataclass(frozen=True)
class RecaudoMes:
    recaudado: Decimal  # every pago received this month
    vence: Decimal  # cuotas of standing operations falling due this month
    vence_pagado: Decimal  # how much of those cuotas is already paid

    @property
    def porcentaje_pagado(self) -> int:
        if not self.vence:
            return 0
        return min(100, int(self.vence_pagado * 100 / self.vence))


@dataclass(frozen=True)
class CuotaVencida:
    id_venta: int
    numero: int
    concepto: str
    fecha_vencimiento: date
    pendiente: Decimal
    cliente: str
    documento_cliente: str
    apartamento: str
    dias_vencida: int


@dataclass(frozen=True)
class SeparacionPorCaducar:
    id_venta: int
    fecha_limite: date
    valor_separacion: Decimal
    cliente: str
    documento_cliente: str
    apartamento: str
    dias_restantes: int


def _apartamento_label(proyecto: str, torre: str | None, numero: str, tipo: str = "Apto") -> str:
    lugar = f"{proyecto} - {torre}" if torre else proyecto
    return f"{lugar} - {tipo} {numero}"


def _unidad_principal(stmt):
    """The operation's main unit of any kind, outer-joined: (proyecto, torre, tipo,
    numero) columns appended to `stmt`, which selects from Venta."""
    apto, local, parq = aliased(Apartamento), aliased(Local), aliased(Parqueadero)
    torre_a, torre_l, torre_p = aliased(Torre), aliased(Torre), aliased(Torre)
    proy_a, proy_l, proy_p = aliased(Proyecto), aliased(Proyecto), aliased(Proyecto)
    return (
        stmt.add_columns(
            func.coalesce(proy_a.nombre, proy_l.nombre, proy_p.nombre),
            func.coalesce(torre_a.nombre, torre_l.nombre, torre_p.nombre),
            apto.numero,
            local.numero,
            parq.numero,
        )
        .outerjoin(apto, apto.id == Venta.id_apartamento)
        .outerjoin(torre_a, torre_a.id == apto.id_torre)
        .outerjoin(proy_a, proy_a.id == torre_a.id_proyecto)
        .outerjoin(local, local.id == Venta.id_local)
        .outerjoin(torre_l, torre_l.id == local.id_torre)
        .outerjoin(proy_l, proy_l.id == local.id_proyecto)
        .outerjoin(parq, parq.id == Venta.id_parqueadero)
        .outerjoin(torre_p, torre_p.id == parq.id_torre)
        .outerjoin(proy_p, proy_p.id == torre_p.id_proyecto)
    )


def _etiqueta_unidad(proyecto, torre, apto, local, parqueadero) -> str:
    if apto is not None:
        return _apartamento_label(proyecto, torre, apto)
    if local is not None:
        return _apartamento_label(proyecto, torre, local, "Local")
    return _apartamento_label(proyecto, torre, parqueadero, "Parqueadero")


def inventario_por_proyecto(id_proyecto: int | None = None) -> Inventario:
    """Apartments per project and estado; every estado is a column.

    The count groups apartamentos alone, from the (id_torre, id_estado_inmueble)
    index; only its few hundred groups are joined to torres and proyectos.
    """
    estados = list(db.session.scalars(select(EstadoInmueble.nombre).order_by(EstadoInmueble.id)))
    por_torre = (
        select(
            Apartamento.id_torre,
            Apartamento.id_estado_inmueble,
            func.count().label("cantidad"),
        )
        .group_by(Apartamento.id_torre, Apartamento.id_estado_inmueble)
        .subquery()
    )
    filas = db.session.execute(
        select(Proyecto.nombre, EstadoInmueble.nombre, func.sum(por_torre.c.cantidad))
        .select_from(por_torre)
        .join(Torre, Torre.id == por_torre.c.id_torre)
        .join(Proyecto, Proyecto.id == Torre.id_proyecto)
        .join(EstadoInmueble, EstadoInmueble.id == por_torre.c.id_estado_inmueble)
        .where(*_filtros(None if id_proyecto is None else Proyecto.id == id_proyecto))
        .group_by(Proyecto.nombre, EstadoInmueble.nombre)
        .order_by(Proyecto.nombre)
    )
    proyectos: dict[str, InventarioProyecto] = {}
    for proyecto, estado, cantidad in filas:
        fila = proyectos.setdefault(
            proyecto, InventarioProyecto(proyecto, dict.fromkeys(estados, 0))
        )
        fila.por_estado[estado] = int(cantidad)
    return Inventario(estados, list(proyectos.values()))


def inventario_locales_parqueaderos(id_proyecto: int | None = None) -> dict[str, Inventario]:
    """Locales and parqueaderos per project and estado, as inventario_por_proyecto
    counts the apartments (each from its (torre or proyecto, estado) index); one
    project's only when the dashboard is filtered by it."""
    estados = list(db.session.scalars(select(EstadoInmueble.nombre).order_by(EstadoInmueble.id)))
    consultas = {
        "Locales": select(Proyecto.nombre, EstadoInmueble.nombre, func.count())
        .select_from(Local)
        .join(Proyecto, Proyecto.id == Local.id_proyecto)
        .join(EstadoInmueble, EstadoInmueble.id == Local.id_estado_inmueble)
        .group_by(Proyecto.nombre, EstadoInmueble.nombre)
        .order_by(Proyecto.nombre),
        "Parqueaderos y depósitos": select(Proyecto.nombre, EstadoInmueble.nombre, func.count())
        .select_from(Parqueadero)
        .join(Torre, Torre.id == Parqueadero.id_torre)
        .join(Proyecto, Proyecto.id == Torre.id_proyecto)
        .join(EstadoInmueble, EstadoInmueble.id == Parqueadero.id_estado_inmueble)
        .group_by(Proyecto.nombre, EstadoInmueble.nombre)
        .order_by(Proyecto.nombre),
    }
    if id_proyecto is not None:
        consultas = {
            nombre: consulta.where(Proyecto.id == id_proyecto)
            for nombre, consulta in consultas.items()
        }
    resultado = {}
    for nombre, consulta in consultas.items():
        proyectos: dict[str, InventarioProyecto] = {}
        for proyecto, estado, cantidad in db.session.execute(consulta):
            fila = proyectos.setdefault(
                proyecto, InventarioProyecto(proyecto, dict.fromkeys(estados, 0))
            )
            fila.por_estado[estado] = int(cantidad)
        if proyectos:
            resultado[nombre] = Inventario(estados, list(proyectos.values()))
    return resultado


def operaciones_por_mes(
    hoy: date, meses: int = 12, id_proyecto: int | None = None
) -> list[OperacionesMes]:
    """Ventas (by sale date) and separaciones (by separation date) per month,
    the last `meses` months including this one; anuladas do not count.

    A separación that became a venta is the same row (services.ventas), with
    its separation date in fecha_separacion; that date is never after
    `fecha`, so both halves can walk the index on ventas.fecha.
    """
    desde = sumar_meses(hoy.replace(day=1), -(meses - 1))
    vigentes = _sin_indice(Venta.estado_operacion) != EstadoOperacion.ANULADA
    proyecto = _filtros(_del_proyecto(id_proyecto))
    ventas = select(
        literal("venta").label("serie"),
        extract("year", Venta.fecha).label("anio"),
        extract("month", Venta.fecha).label("mes"),
    ).where(
        _sin_indice(Venta.tipo_operacion) == TipoOperacion.VENTA,
        Venta.fecha >= desde,
        vigentes,
        *proyecto,
    )
    separaciones = select(
        literal("separacion").label("serie"),
        extract("year", Venta.fecha_separacion).label("anio"),
        extract("month", Venta.fecha_separacion).label("mes"),
    ).where(Venta.fecha >= desde, Venta.fecha_separacion >= desde, vigentes, *proyecto)
    todas = union_all(ventas, separaciones).subquery()
    filas = db.session.execute(
        select(todas.c.serie, todas.c.anio, todas.c.mes, func.count()).group_by(
            todas.c.serie, todas.c.anio, todas.c.mes
        )
    )
    cuentas = {(serie, int(anio), int(mes)): cantidad for serie, anio, mes, cantidad in filas}
    resultado = []
    for desplazamiento in range(meses):
        dia = sumar_meses(desde, desplazamiento)
        resultado.append(
            OperacionesMes(
                dia.year,
                dia.month,
                ventas=cuentas.get(("venta", dia.year, dia.month), 0),
                separaciones=cuentas.get(("separacion", dia.year, dia.month), 0),
            )
        )
    return resultado


def recaudo_del_mes(
    hoy: date, id_proyecto: int | None = None, inicio: date | None = None
) -> RecaudoMes:
    """What came in this month (or from `inicio` to the end of this month) against
    what falls due in it."""
    inicio = inicio or hoy.replace(day=1)
    fin = sumar_meses(hoy.replace(day=1), 1) - timedelta(days=1)
    pagos_del_proyecto = (
        None
        if id_proyecto is None
        else Pago.id_venta.in_(select(Venta.id).where(_del_proyecto(id_proyecto)))
    )
    recaudado = db.session.scalar(
        select(func.coalesce(func.sum(Pago.valor), CERO)).where(
            Pago.fecha.between(inicio, fin), *_filtros(pagos_del_proyecto)
        )
    )
    # The month's cuotas come from the covering index ix_cuotas_vencimiento;
    # each one's venta is looked up by key (a correlated subquery): a join lets
    # the planner hash every vigente venta, or start from them, for a few
    # thousand cuotas.
    estado_de_su_venta = (
        select(Venta.estado_operacion)
        .where(Venta.id == Cuota.id_venta, *_filtros(_del_proyecto(id_proyecto)))
        .scalar_subquery()
    )
    vence, vence_pagado = db.session.execute(
        select(
            func.coalesce(func.sum(Cuota.valor), CERO),
            func.coalesce(func.sum(Cuota.valor_pagado), CERO),
        ).where(
            Cuota.fecha_vencimiento.between(inicio, fin),
            estado_de_su_venta == EstadoOperacion.VIGENTE,
        )
    ).one()
    return RecaudoMes(Decimal(recaudado), Decimal(vence), Decimal(vence_pagado))


def cuotas_vencidas(
    hoy: date, limite: int = LIMITE_LISTAS, id_proyecto: int | None = None
) -> list[CuotaVencida]:
    """The oldest overdue cuotas of vigente operations.

    The inner query finds them by walking the partial index of unpaid cuotas
    (ix_cuotas_pendientes) from the oldest due date, checking each one's venta
    by its key (EXISTS: a join would let SQLite build a Bloom filter over every
    venta first); only those few rows are then joined to their client and
    apartment. As one flat join, SQLite's planner would start from proyectos
    and sort every overdue cuota.
    """
    de_venta_vigente = (
        select(Venta.id)
        .where(
            Venta.id == Cuota.id_venta,
            Venta.estado_operacion == EstadoOperacion.VIGENTE,
            *_filtros(_del_proyecto(id_proyecto)),
        )
        .exists()
    )
    vencidas = (
        select(Cuota.id)
        .where(
            Cuota.fecha_vencimiento < hoy,
            Cuota.valor_pagado < Cuota.valor,
            de_venta_vigente,
        )
        .order_by(Cuota.fecha_vencimiento, Cuota.id)
        .limit(limite)
        .subquery()
    )
    filas = db.session.execute(
        _unidad_principal(
            select(
                Cuota.id_venta,
                Cuota.numero,
                Cuota.concepto,
                Cuota.fecha_vencimiento,
                (Cuota.valor - Cuota.valor_pagado).label("pendiente"),
                Cliente.nombre,
                Cliente.documento,
            )
            .select_from(vencidas)
            .join(Cuota, Cuota.id == vencidas.c.id)
            .join(Venta, Venta.id == Cuota.id_venta)
            .join(Cliente, Cliente.documento == Venta.documento_cliente)
        ).order_by(Cuota.fecha_vencimiento, Cuota.id)
    )
    return [
        CuotaVencida(
            id_venta=id_venta,
            numero=numero,
            concepto=concepto,
            fecha_vencimiento=vencimiento,
            pendiente=Decimal(pendiente),
            cliente=nombre,
            documento_cliente=documento,
            apartamento=_etiqueta_unidad(proyecto, torre, apto, local, parqueadero),
            dias_vencida=(hoy - vencimiento).days,
        )
        for (
            id_venta,
            numero,
            concepto,
            vencimiento,
            pendiente,
            nombre,
            documento,
            proyecto,
            torre,
            apto,
            local,
            parqueadero,
        ) in filas
    ]


def separaciones_por_caducar(
    hoy: date,
    dias: int = DIAS_POR_CADUCAR,
    limite: int = LIMITE_LISTAS,
    id_proyecto: int | None = None,
) -> list[SeparacionPorCaducar]:
    """Vigente separaciones whose deadline falls within `dias` days (index on
    ventas(estado_operacion, fecha_limite_separacion))."""
    filas = db.session.execute(
        _unidad_principal(
            select(
                Venta.id,
                Venta.fecha_limite_separacion,
                Venta.valor_separacion,
                Cliente.nombre,
                Cliente.documento,
            ).join(Cliente, Cliente.documento == Venta.documento_cliente)
        )
        .where(
            Venta.estado_operacion == EstadoOperacion.VIGENTE,
            Venta.fecha_limite_separacion.between(hoy, hoy + timedelta(days=dias)),
            Venta.tipo_operacion == TipoOperacion.SEPARACION,
            *_filtros(None if id_proyecto is None else Proyecto.id == id_proyecto),
        )
        .order_by(Venta.fecha_limite_separacion, Venta.id)
        .limit(limite)
    )
    return [
        SeparacionPorCaducar(
            id_venta=id_venta,
            fecha_limite=limite_fecha,
            valor_separacion=Decimal(valor),
            cliente=nombre,
            documento_cliente=documento,
            apartamento=_etiqueta_unidad(proyecto, torre, apto, local, parqueadero),
            dias_restantes=(limite_fecha - hoy).days,
        )
        for (
            id_venta,
            limite_fecha,
            valor,
            nombre,
            documento,
            proyecto,
            torre,
            apto,
            local,
            parqueadero,
        ) in filas
    ]


@dataclass(frozen=True)
class Velocidad:
    meses: int
    vendidas: int  # units sold in the period (ventas, not annulled nor lapsed)
    disponibles: int  # units Disponible today

    @property
    def por_mes(self) -> Decimal:
        return (Decimal(self.vendidas) / self.meses).quantize(Decimal("0.1"))

    @property
    def meses_de_inventario(self) -> Decimal | None:
        """Months to sell what is available at the period's pace; None without sales."""
        if not self.vendidas:
            return None
        return (Decimal(self.disponibles) * self.meses / self.vendidas).quantize(Decimal("0.1"))


def velocidad_de_ventas(hoy: date, meses: int = 12, id_proyecto: int | None = None) -> Velocidad:
    """Units sold per month over the last `meses` months (this one included) and how
    many months of Disponible inventory that pace leaves."""
    desde = sumar_meses(hoy.replace(day=1), -(meses - 1))
    vendidas = db.session.scalar(
        select(func.count()).where(
            Venta.tipo_operacion == TipoOperacion.VENTA,
            Venta.estado_operacion.in_((EstadoOperacion.VIGENTE, EstadoOperacion.CONVERTIDA)),
            Venta.fecha.between(desde, hoy),
            *_filtros(_del_proyecto(id_proyecto)),
        )
    )
    disponibles = db.session.scalar(
        select(func.count())
        .select_from(Apartamento)
        .join(EstadoInmueble, EstadoInmueble.id == Apartamento.id_estado_inmueble)
        .join(Torre, Torre.id == Apartamento.id_torre)
        .where(
            EstadoInmueble.nombre == EstadoInmueble.DISPONIBLE,
            *_filtros(None if id_proyecto is None else Torre.id_proyecto == id_proyecto),
        )
    )
    return Velocidad(meses, int(vendidas or 0), int(disponibles or 0))
