"""Money invariants of live data, checked with SQL aggregates (one pass per rule).

Every rule is one GROUP BY over the table it is about, joined on the primary
keys, so a million operations with their cuotas, pagos and applications are
checked in seconds; only the rows that break a rule leave the database.

Rules, for every operation (venta or separación):
- pagos_aplicaciones_cuotas: the sum of its pagos = the sum of their
  applications (pagos_cuotas) = the sum of its cuotas' valor_pagado;
- aplicacion_otra_operacion: a pago is applied only to cuotas of its operation;
- cuota_sobrepagada: no cuota is paid beyond its value (neither its
  valor_pagado nor the applications made to it);
- capital_plan: the plan's capital adds up to valor_total (a separación's
  plan: to its valor_separacion);
- una_vigente_por_apartamento: at most one vigente operation per apartment;
- estado_apartamento: each apartment's estado and owner agree with its
  operations (a vigente venta: Vendido, owned by the buyer; a vigente
  separación: Separado, with no other owner; none: Disponible or Bloqueado,
  without owner).
- unidades_vigentes: each unit row of an operation (operacion_unidades) is
  vigente exactly when its operation is, and the operation's main unit is
  among them;
- una_vigente_por_unidad, estado_local, estado_parqueadero: the two rules
  above for locales and parqueaderos (through operacion_unidades);
- proyecto_operacion: ventas.id_proyecto is the project of its main unit.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..formatting import format_cop
from ..models import (
    Apartamento,
    AplicacionPago,
    Cuota,
    EstadoInmueble,
    EstadoOperacion,
    Local,
    OperacionUnidad,
    Pago,
    Parqueadero,
    RolUnidad,
    TipoOperacion,
    Torre,
    Venta,
)

CERO = Decimal("0.00")


def _distintos(a, b):
    # Money is exact on both databases (integer centavos on SQLite): a centavo counts.
    return a != b


@dataclass(frozen=True)
class Violacion:
    regla: str
    sujeto: str  # "Operación #12", "Apartamento #5"
    detalle: str

    def __str__(self) -> str:
        return f"{self.sujeto}: {self.detalle} [{self.regla}]"


def _cop(valor) -> str:
    return format_cop(Decimal(valor or 0), cents=True)


def pagos_aplicaciones_cuotas() -> Iterator[Violacion]:
    pagos = (
        select(Pago.id_venta, func.sum(Pago.valor).label("total"))
        .group_by(Pago.id_venta)
        .subquery()
    )
    aplicaciones = (
        select(Pago.id_venta, func.sum(AplicacionPago.valor).label("total"))
        .join(Pago, AplicacionPago.id_pago == Pago.id)
        .group_by(Pago.id_venta)
        .subquery()
    )
    cuotas = (
        select(Cuota.id_venta, func.sum(Cuota.valor_pagado).label("total"))
        .group_by(Cuota.id_venta)
        .subquery()
    )
    p = func.coalesce(pagos.c.total, 0)
    a = func.coalesce(aplicaciones.c.total, 0)
    c = func.coalesce(cuotas.c.total, 0)
    stmt = (
        select(Venta.id, p, a, c)
        .outerjoin(pagos, pagos.c.id_venta == Venta.id)
        .outerjoin(aplicaciones, aplicaciones.c.id_venta == Venta.id)
        .outerjoin(cuotas, cuotas.c.id_venta == Venta.id)
        .where(or_(_distintos(p, a), _distintos(a, c)))
        .order_by(Venta.id)
    )
    for id_venta, total_pagos, total_aplicado, total_cuotas in db.session.execute(stmt):
        yield Violacion(
            "pagos_aplicaciones_cuotas",
            f"Operación #{id_venta}",
            f"los pagos ({_cop(total_pagos)}), lo aplicado a cuotas ({_cop(total_aplicado)}) "
            f"y lo pagado en sus cuotas ({_cop(total_cuotas)}) no coinciden",
        )


def aplicacion_otra_operacion() -> Iterator[Violacion]:
    stmt = (
        select(Pago.id_venta, Pago.id, Cuota.id, Cuota.id_venta, AplicacionPago.valor)
        .select_from(AplicacionPago)
        .join(Pago, AplicacionPago.id_pago == Pago.id)
        .join(Cuota, AplicacionPago.id_cuota == Cuota.id)
        .where(Cuota.id_venta != Pago.id_venta)
        .order_by(Pago.id_venta, Pago.id)
    )
    for id_venta, id_pago, id_cuota, otra, valor in db.session.execute(stmt):
        yield Violacion(
            "aplicacion_otra_operacion",
            f"Operación #{id_venta}",
            f"el pago #{id_pago} aplica {_cop(valor)} a la cuota #{id_cuota}, "
            f"que es de la operación #{otra}",
        )


def cuota_sobrepagada() -> Iterator[Violacion]:
    aplicado = (
        select(AplicacionPago.id_cuota, func.sum(AplicacionPago.valor).label("total"))
        .group_by(AplicacionPago.id_cuota)
        .subquery()
    )
    total = func.coalesce(aplicado.c.total, 0)
    stmt = (
        select(Cuota.id_venta, Cuota.numero, Cuota.valor, Cuota.valor_pagado, total)
        .outerjoin(aplicado, aplicado.c.id_cuota == Cuota.id)
        .where(
            or_(
                Cuota.valor_pagado > Cuota.valor,
                total > Cuota.valor,
            )
        )
        .order_by(Cuota.id_venta, Cuota.numero)
    )
    for id_venta, numero, valor, pagado, aplicado_total in db.session.execute(stmt):
        yield Violacion(
            "cuota_sobrepagada",
            f"Operación #{id_venta}",
            f"la cuota {numero} vale {_cop(valor)} y tiene pagado {_cop(pagado)} "
            f"(aplicado {_cop(aplicado_total)})",
        )


def capital_plan() -> Iterator[Violacion]:
    capital = (
        select(Cuota.id_venta, func.sum(Cuota.capital).label("total"))
        .group_by(Cuota.id_venta)
        .subquery()
    )
    total = func.coalesce(capital.c.total, 0)
    es_venta = Venta.tipo_operacion == TipoOperacion.VENTA
    esperado = case((es_venta, Venta.valor_total), else_=Venta.valor_separacion)
    stmt = (
        select(Venta.id, Venta.tipo_operacion, esperado, total)
        .outerjoin(capital, capital.c.id_venta == Venta.id)
        .where(_distintos(total, esperado))
        .order_by(Venta.id)
    )
    for id_venta, tipo, esperado_valor, total_capital in db.session.execute(stmt):
        campo = "el valor total" if tipo == TipoOperacion.VENTA else "el valor de la separación"
        yield Violacion(
            "capital_plan",
            f"Operación #{id_venta}",
            f"el capital del plan ({_cop(total_capital)}) no es {campo} ({_cop(esperado_valor)})",
        )


def una_vigente_por_apartamento() -> Iterator[Violacion]:
    stmt = (
        select(Venta.id_apartamento, func.count(), func.min(Venta.id), func.max(Venta.id))
        .where(Venta.estado_operacion == EstadoOperacion.VIGENTE, Venta.id_apartamento.isnot(None))
        .group_by(Venta.id_apartamento)
        .having(func.count() > 1)
        .order_by(Venta.id_apartamento)
    )
    for id_apartamento, cuantas, primera, ultima in db.session.execute(stmt):
        yield Violacion(
            "una_vigente_por_apartamento",
            f"Apartamento #{id_apartamento}",
            f"tiene {cuantas} operaciones vigentes (de la #{primera} a la #{ultima})",
        )


def estado_apartamento() -> Iterator[Violacion]:
    vigente = and_(
        Venta.id_apartamento == Apartamento.id,
        Venta.estado_operacion == EstadoOperacion.VIGENTE,
    )
    estado = EstadoInmueble.nombre
    dueno = Apartamento.documento_cliente
    sin_operacion = and_(
        Venta.id.is_(None),
        or_(
            estado.not_in([EstadoInmueble.DISPONIBLE, EstadoInmueble.BLOQUEADO]), dueno.isnot(None)
        ),
    )
    venta = and_(
        Venta.tipo_operacion == TipoOperacion.VENTA,
        or_(
            estado != EstadoInmueble.VENDIDO,
            dueno.is_(None),
            dueno != Venta.documento_cliente,
        ),
    )
    separacion = and_(
        Venta.tipo_operacion == TipoOperacion.SEPARACION,
        or_(estado != EstadoInmueble.SEPARADO, dueno != Venta.documento_cliente),
    )
    stmt = (
        select(Apartamento.id, estado, dueno, Venta.id, Venta.tipo_operacion)
        .join(EstadoInmueble, Apartamento.id_estado_inmueble == EstadoInmueble.id)
        .outerjoin(Venta, vigente)
        .where(or_(sin_operacion, venta, separacion))
        .order_by(Apartamento.id)
    )
    for id_apartamento, nombre_estado, documento, id_venta, tipo in db.session.execute(stmt):
        propietario = f"propietario {documento}" if documento else "sin propietario"
        if id_venta is None:
            detalle = (
                f"está {nombre_estado}, {propietario}, sin operación vigente "
                "(debería estar Disponible o Bloqueado, sin propietario)"
            )
            sujeto = f"Apartamento #{id_apartamento}"
        else:
            if tipo == TipoOperacion.VENTA:
                esperado = "Vendido, propiedad del comprador"
            else:
                esperado = "Separado, sin otro propietario"
            detalle = f"está {nombre_estado}, {propietario}; debería estar {esperado}"
            sujeto = f"Apartamento #{id_apartamento} (operación #{id_venta})"
        yield Violacion("estado_apartamento", sujeto, detalle)


def unidades_vigentes() -> Iterator[Violacion]:
    es_vigente = Venta.estado_operacion == EstadoOperacion.VIGENTE
    desfasadas = (
        select(Venta.id, OperacionUnidad.id, OperacionUnidad.vigente)
        .join(OperacionUnidad, OperacionUnidad.id_venta == Venta.id)
        .where(
            or_(
                and_(es_vigente, OperacionUnidad.vigente.is_(False)),
                and_(~es_vigente, OperacionUnidad.vigente.is_(True)),
            )
        )
        .order_by(Venta.id, OperacionUnidad.id)
    )
    for id_venta, id_fila, vigente in db.session.execute(desfasadas):
        yield Violacion(
            "unidades_vigentes",
            f"Operación #{id_venta}",
            f"su unidad #{id_fila} está marcada {'vigente' if vigente else 'no vigente'} "
            "y la operación no",
        )
    principal = and_(
        OperacionUnidad.id_venta == Venta.id,
        OperacionUnidad.rol == RolUnidad.PRINCIPAL,
        or_(
            OperacionUnidad.id_apartamento == Venta.id_apartamento,
            OperacionUnidad.id_local == Venta.id_local,
            OperacionUnidad.id_parqueadero == Venta.id_parqueadero,
        ),
    )
    sin_principal = (
        select(Venta.id)
        .outerjoin(OperacionUnidad, principal)
        .where(OperacionUnidad.id.is_(None))
        .order_by(Venta.id)
    )
    for (id_venta,) in db.session.execute(sin_principal):
        yield Violacion(
            "unidades_vigentes",
            f"Operación #{id_venta}",
            "su unidad principal no está entre las unidades de la operación",
        )


def una_vigente_por_unidad() -> Iterator[Violacion]:
    for columna, nombre in (
        (OperacionUnidad.id_local, "Local"),
        (OperacionUnidad.id_parqueadero, "Parqueadero"),
    ):
        stmt = (
            select(columna, func.count(), func.min(OperacionUnidad.id_venta))
            .join(Venta, Venta.id == OperacionUnidad.id_venta)
            .where(columna.isnot(None), Venta.estado_operacion == EstadoOperacion.VIGENTE)
            .group_by(columna)
            .having(func.count() > 1)
            .order_by(columna)
        )
        for ident, cuantas, primera in db.session.execute(stmt):
            yield Violacion(
                "una_vigente_por_unidad",
                f"{nombre} #{ident}",
                f"tiene {cuantas} operaciones vigentes (la primera, #{primera})",
            )


def _estado_unidad(modelo, columna, nombre: str, regla: str) -> Iterator[Violacion]:
    """estado_apartamento's rule for a unit kind sold through operacion_unidades."""
    vigente = and_(
        columna == modelo.id,
        OperacionUnidad.vigente.is_(True),
    )
    estado = EstadoInmueble.nombre
    dueno = modelo.documento_cliente
    sin_operacion = and_(
        Venta.id.is_(None),
        or_(
            estado.not_in([EstadoInmueble.DISPONIBLE, EstadoInmueble.BLOQUEADO]), dueno.isnot(None)
        ),
    )
    venta = and_(
        Venta.tipo_operacion == TipoOperacion.VENTA,
        or_(estado != EstadoInmueble.VENDIDO, dueno.is_(None), dueno != Venta.documento_cliente),
    )
    separacion = and_(
        Venta.tipo_operacion == TipoOperacion.SEPARACION,
        or_(estado != EstadoInmueble.SEPARADO, dueno != Venta.documento_cliente),
    )
    stmt = (
        select(modelo.id, estado, dueno, Venta.id, Venta.tipo_operacion)
        .join(EstadoInmueble, modelo.id_estado_inmueble == EstadoInmueble.id)
        .outerjoin(OperacionUnidad, vigente)
        .outerjoin(Venta, Venta.id == OperacionUnidad.id_venta)
        .where(or_(sin_operacion, venta, separacion))
        .order_by(modelo.id)
    )
    for ident, nombre_estado, documento, id_venta, tipo in db.session.execute(stmt):
        propietario = f"propietario {documento}" if documento else "sin propietario"
        if id_venta is None:
            detalle = (
                f"está {nombre_estado}, {propietario}, sin operación vigente "
                "(debería estar Disponible o Bloqueado, sin propietario)"
            )
            sujeto = f"{nombre} #{ident}"
        else:
            esperado = (
                "Vendido, propiedad del comprador"
                if tipo == TipoOperacion.VENTA
                else "Separado, sin otro propietario"
            )
            detalle = f"está {nombre_estado}, {propietario}; debería estar {esperado}"
            sujeto = f"{nombre} #{ident} (operación #{id_venta})"
        yield Violacion(regla, sujeto, detalle)


def estado_local() -> Iterator[Violacion]:
    return _estado_unidad(Local, OperacionUnidad.id_local, "Local", "estado_local")


def estado_parqueadero() -> Iterator[Violacion]:
    return _estado_unidad(
        Parqueadero, OperacionUnidad.id_parqueadero, "Parqueadero", "estado_parqueadero"
    )


def proyecto_operacion() -> Iterator[Violacion]:
    """The operation's project (ventas.id_proyecto) is its main unit's."""
    torre_apto, torre_parq = aliased(Torre), aliased(Torre)
    de_la_unidad = func.coalesce(torre_apto.id_proyecto, Local.id_proyecto, torre_parq.id_proyecto)
    stmt = (
        select(Venta.id, Venta.id_proyecto, de_la_unidad)
        .outerjoin(Apartamento, Apartamento.id == Venta.id_apartamento)
        .outerjoin(torre_apto, torre_apto.id == Apartamento.id_torre)
        .outerjoin(Local, Local.id == Venta.id_local)
        .outerjoin(Parqueadero, Parqueadero.id == Venta.id_parqueadero)
        .outerjoin(torre_parq, torre_parq.id == Parqueadero.id_torre)
        .where(or_(de_la_unidad.is_(None), Venta.id_proyecto != de_la_unidad))
        .order_by(Venta.id)
    )
    for id_venta, guardado, de_unidad in db.session.execute(stmt):
        yield Violacion(
            "proyecto_operacion",
            f"Operación #{id_venta}",
            f"dice proyecto #{guardado} y su unidad es del proyecto #{de_unidad}",
        )


REGLAS = (
    pagos_aplicaciones_cuotas,
    aplicacion_otra_operacion,
    cuota_sobrepagada,
    capital_plan,
    una_vigente_por_apartamento,
    estado_apartamento,
    unidades_vigentes,
    una_vigente_por_unidad,
    estado_local,
    estado_parqueadero,
    proyecto_operacion,
)


def verificar() -> Iterator[Violacion]:
    """Every violation of every rule, rule by rule."""
    for regla in REGLAS:
        yield from regla()


def operaciones_revisadas() -> int:
    return db.session.scalar(select(func.count()).select_from(Venta)) or 0
