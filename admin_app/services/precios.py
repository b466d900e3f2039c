"""Precios de los apartamentos (docs/dominio.md, "Precios: tipos, prima de altura y
políticas"): one place computes a unit's price, in Decimal.

    precio = round((precio_base + prima) × factor) to the peso, half up

- precio_base: the tipo's valor_estimado = ceil(area_construida × valor_m2), or typed;
- prima (de altura) = 0 when inactive or piso < nivel_inicio_prima of the torre, else
  prima_altura_base + (piso − nivel_inicio_prima) × prima_altura_incremento;
- factor = Π (1 + porcentaje/100) over the active policies that apply: a policy's
  sales step is cumulative in `orden` (5 and 5 units: from the 5th and the 10th
  unit sold) and it applies when that step is reached or its date has come.

Units sold are the project's apartamentos with a vigente or convertida operation;
the project keeps the most it ever counted (`ventas_alcanzadas`), so a lapsed or
annulled sale never lowers a price. Only Disponible apartments are repriced, in
one executemany, with their history in one INSERT (services/historial_precios).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import (
    Integer,
    Numeric,
    Table,
    bindparam,
    column,
    func,
    inspect,
    select,
    update,
    values,
)
from sqlalchemy.orm.attributes import set_committed_value

from ..audit import ACTUALIZAR, registrar
from ..extensions import db
from ..formatting import format_cop, today_bogota
from ..limites import fecha_fuera_de_rango
from ..models import (
    Apartamento,
    EstadoInmueble,
    EstadoOperacion,
    MotivoPrecio,
    PoliticaPrecio,
    Proyecto,
    TipoApartamento,
    Torre,
    Venta,
)
from ..models.base import DINERO_MAXIMO, Dinero, utcnow
from ..models.inmuebles import valor_estimado
from ..validators import TextoVisible
from .apartamentos import exigir_precio_libre
from .errors import Conflict, Errores, ValidationFailed
from .historial_precios import registrar_precios

UNO = Decimal(1)
CIEN = Decimal(100)
PESO = Decimal(1)
CENTAVO = Decimal("0.01")
FACTOR = Decimal("0.00000001")  # what ventas.factor_precio keeps
VENDIDAS = (EstadoOperacion.VIGENTE, EstadoOperacion.CONVERTIDA)

__all__ = ["valor_estimado"]


# --- pure arithmetic -------------------------------------------------------------


@dataclass(frozen=True)
class Politica:
    id: int | None
    nombre: str
    orden: int
    ventas_por_escalon: int | None
    porcentaje_aumento: Decimal
    aplica_desde: date | None
    activa: bool = True

    @classmethod
    def de(cls, fila: PoliticaPrecio) -> Politica:
        return cls(
            id=fila.id,
            nombre=fila.nombre,
            orden=fila.orden,
            ventas_por_escalon=fila.ventas_por_escalon,
            porcentaje_aumento=Decimal(fila.porcentaje_aumento),
            aplica_desde=fila.aplica_desde,
            activa=fila.activa,
        )

    @property
    def etiqueta(self) -> str:
        porcentaje = format(self.porcentaje_aumento.normalize(), "f").replace(".", ",")
        return f"{self.nombre} (+{porcentaje} %)"


@dataclass(frozen=True)
class Prima:
    activa: bool
    base: Decimal
    incremento: Decimal


@dataclass(frozen=True)
class Reglas:
    """What prices a project's apartments: prima, policies, units sold, today."""

    prima: Prima
    politicas: tuple[Politica, ...]
    vendidas: int
    hoy: date

    @property
    def aplicadas(self) -> tuple[Politica, ...]:
        return politicas_que_aplican(self.politicas, self.vendidas, self.hoy)

    @property
    def factor(self) -> Decimal:
        return factor(self.aplicadas)


@dataclass(frozen=True)
class Desglose:
    precio_base: Decimal
    prima: Decimal
    factor: Decimal
    precio: Decimal
    politicas: tuple[Politica, ...]

    @property
    def politicas_texto(self) -> str | None:
        return ", ".join(p.etiqueta for p in self.politicas)[:300] or None


def prima_altura(piso: int, nivel_inicio: int, prima: Prima) -> Decimal:
    if not prima.activa or piso < nivel_inicio:
        return Decimal("0.00")
    return (Decimal(prima.base) + (piso - nivel_inicio) * Decimal(prima.incremento)).quantize(
        CENTAVO
    )


def escalones(politicas: Iterable[Politica]) -> dict[int | None, int]:
    """Each active policy with a sales step -> the units sold it needs, cumulative in orden."""
    acumulado, umbrales = 0, {}
    for politica in ordenadas(politicas):
        if politica.activa and politica.ventas_por_escalon:
            acumulado += politica.ventas_por_escalon
            umbrales[politica.id if politica.id is not None else id(politica)] = acumulado
    return umbrales


def ordenadas(politicas: Iterable[Politica]) -> list[Politica]:
    return sorted(politicas, key=lambda p: (p.orden, p.id if p.id is not None else 2**62))


def politicas_que_aplican(
    politicas: Iterable[Politica], vendidas: int, hoy: date
) -> tuple[Politica, ...]:
    """The active policies whose sales step is reached or whose date has come, in orden."""
    lista = ordenadas(politicas)
    umbrales = escalones(lista)
    aplican = []
    for politica in lista:
        if not politica.activa:
            continue
        umbral = umbrales.get(politica.id if politica.id is not None else id(politica))
        por_ventas = umbral is not None and vendidas >= umbral
        por_fecha = politica.aplica_desde is not None and hoy >= politica.aplica_desde
        if por_ventas or por_fecha:
            aplican.append(politica)
    return tuple(aplican)


def factor(aplicadas: Iterable[Politica]) -> Decimal:
    resultado = UNO
    for politica in aplicadas:
        resultado *= UNO + Decimal(politica.porcentaje_aumento) / CIEN
    return resultado


def precio_lista(precio_base: Decimal, prima: Decimal, factor_: Decimal) -> Decimal:
    """round((precio_base + prima) × factor) to the peso, half up."""
    return (
        ((Decimal(precio_base) + Decimal(prima)) * factor_)
        .quantize(PESO, rounding=ROUND_HALF_UP)
        .quantize(CENTAVO)
    )


def desglose(
    precio_base: Decimal,
    piso: int,
    nivel_inicio: int,
    reglas: Reglas,
    aplicadas: tuple[Politica, ...] | None = None,
) -> Desglose:
    """A unit's price and its parts; `aplicadas` (the project's, computed once) saves
    working them out again for each of 3,000 units."""
    prima = prima_altura(piso, nivel_inicio, reglas.prima)
    aplicadas = reglas.aplicadas if aplicadas is None else aplicadas
    f = factor(aplicadas)
    return Desglose(Decimal(precio_base), prima, f, precio_lista(precio_base, prima, f), aplicadas)


# --- the project loader ------------------------------------------------------------


def unidades_vendidas(id_proyecto: int) -> int:
    """Apartamentos of the project with a vigente or convertida operation."""
    return db.session.scalar(
        select(func.count(func.distinct(Venta.id_apartamento)))
        .join(Apartamento, Apartamento.id == Venta.id_apartamento)
        .join(Torre, Torre.id == Apartamento.id_torre)
        .where(Torre.id_proyecto == id_proyecto, Venta.estado_operacion.in_(VENDIDAS))
    )


def prima_de(proyecto: Proyecto) -> Prima:
    return Prima(
        bool(proyecto.prima_altura_activa),
        Decimal(proyecto.prima_altura_base or 0),
        Decimal(proyecto.prima_altura_incremento or 0),
    )


def reglas_proyecto(proyecto: Proyecto, hoy: date | None = None, vendidas: int | None = None):
    """The project's pricing rules as stored (steps reached: the most units ever sold)."""
    with db.session.no_autoflush:
        politicas = db.session.scalars(
            select(PoliticaPrecio).where(PoliticaPrecio.id_proyecto == proyecto.id)
        ).all()
        if vendidas is None:
            vendidas = max(unidades_vendidas(proyecto.id), proyecto.ventas_alcanzadas or 0)
    return Reglas(
        prima=prima_de(proyecto),
        politicas=tuple(Politica.de(p) for p in politicas),
        vendidas=vendidas,
        hoy=hoy or today_bogota(),
    )


@dataclass(frozen=True)
class Unidad:
    """A Disponible apartment as the pricing sees it."""

    id: int
    torre: str
    numero: str
    piso: int
    nivel_inicio: int
    id_tipo: int | None
    precio_base: Decimal
    precio: Decimal

    @property
    def etiqueta(self) -> str:
        return f"{self.torre} - Apto {self.numero}"


def unidades_disponibles(id_proyecto: int, solo: Sequence[int] | None = None) -> list[Unidad]:
    """The project's Disponible apartments, read as plain rows (3,000 in a few ms)."""
    disponible = select(EstadoInmueble.id).where(EstadoInmueble.nombre == EstadoInmueble.DISPONIBLE)
    stmt = (
        select(
            Apartamento.id,
            Torre.nombre,
            Apartamento.numero,
            Apartamento.piso,
            Torre.nivel_inicio_prima,
            Apartamento.id_tipo_apartamento,
            Apartamento.precio_base,
            Apartamento.precio,
        )
        .join(Torre, Torre.id == Apartamento.id_torre)
        .where(
            Torre.id_proyecto == id_proyecto,
            Apartamento.id_estado_inmueble == disponible.scalar_subquery(),
        )
        .order_by(Torre.nombre, Apartamento.numero)
    )
    if solo is not None:
        stmt = stmt.where(Apartamento.id.in_(list(solo)))
    with db.session.no_autoflush:
        return [Unidad(*fila) for fila in db.session.execute(stmt)]


def valores_tipos(id_proyecto: int) -> dict[int, Decimal]:
    with db.session.no_autoflush:
        filas = db.session.execute(
            select(
                TipoApartamento.id, TipoApartamento.area_construida, TipoApartamento.valor_m2
            ).where(TipoApartamento.id_proyecto == id_proyecto)
        )
        return {i: valor_estimado(area, valor) for i, area, valor in filas}


@dataclass(frozen=True)
class Cambio:
    unidad: Unidad
    precio_base_despues: Decimal
    desglose: Desglose

    @property
    def precio_antes(self) -> Decimal:
        return self.unidad.precio

    @property
    def precio_despues(self) -> Decimal:
        return self.desglose.precio


def calcular(
    id_proyecto: int,
    reglas: Reglas,
    tipos: dict[int, Decimal] | None = None,
    solo: Sequence[int] | None = None,
) -> list[Cambio]:
    """Every Disponible apartment's price under `reglas`: the ones whose price or
    base would change. Reads, never writes."""
    unidades = unidades_disponibles(id_proyecto, solo)
    if tipos is None:
        tipos = valores_tipos(id_proyecto) if any(u.id_tipo for u in unidades) else {}
    aplicadas = reglas.aplicadas
    cambios = []
    for unidad in unidades:
        base = unidad.precio_base
        if unidad.id_tipo is not None and unidad.id_tipo in tipos:
            base = tipos[unidad.id_tipo]
        d = desglose(base, unidad.piso, unidad.nivel_inicio, reglas, aplicadas)
        if d.precio != unidad.precio or base != unidad.precio_base:
            cambios.append(Cambio(unidad, base, d))
    return cambios


def precios_proyecto(proyecto: Proyecto) -> list[tuple[Unidad, Desglose]]:
    """Each Disponible apartment with its base, prima, factor and price as of now."""
    reglas = reglas_proyecto(proyecto)
    tipos = valores_tipos(proyecto.id)
    aplicadas = reglas.aplicadas
    resultado = []
    for unidad in unidades_disponibles(proyecto.id):
        base = (
            tipos.get(unidad.id_tipo, unidad.precio_base) if unidad.id_tipo else unidad.precio_base
        )
        d = desglose(base, unidad.piso, unidad.nivel_inicio, reglas, aplicadas)
        resultado.append((unidad, d))
    return resultado


# --- repricing -----------------------------------------------------------------------


def _tabla() -> Table:
    return Apartamento.__table__


def aplicar(cambios: list[Cambio], motivo: str, detalle: str | None) -> int:
    """Write the new prices (one executemany; only rows still Disponible) and their history."""
    if not cambios:
        return 0
    tabla = _tabla()
    disponible = db.session.scalar(
        select(EstadoInmueble.id).where(EstadoInmueble.nombre == EstadoInmueble.DISPONIBLE)
    )
    ahora = utcnow()
    if db.session.get_bind().dialect.name == "postgresql":
        # One statement for the whole project: UPDATE ... FROM (VALUES ...).
        nuevos = values(
            column("b_id", Integer),
            column("b_precio", Numeric(18, 2)),
            column("b_base", Numeric(18, 2)),
            name="nuevos",
        ).data([(c.unidad.id, c.precio_despues, c.precio_base_despues) for c in cambios])
        db.session.execute(
            update(tabla)
            .where(tabla.c.id == nuevos.c.b_id, tabla.c.id_estado_inmueble == disponible)
            .values(
                precio=nuevos.c.b_precio,
                precio_base=nuevos.c.b_base,
                version=tabla.c.version + 1,
                updated_at=ahora,
            )
        )
    else:
        stmt = (
            update(tabla)
            .where(tabla.c.id == bindparam("b_id"), tabla.c.id_estado_inmueble == disponible)
            .values(
                precio=bindparam("b_precio", type_=Dinero()),
                precio_base=bindparam("b_base", type_=Dinero()),
                version=tabla.c.version + 1,
                updated_at=bindparam("b_ahora", type_=tabla.c.updated_at.type),
            )
        )
        db.session.execute(
            stmt,
            [
                {
                    "b_id": c.unidad.id,
                    "b_precio": c.precio_despues,
                    "b_base": c.precio_base_despues,
                    "b_ahora": ahora,
                }
                for c in cambios
            ],
        )
    movidos = [c for c in cambios if c.precio_despues != c.precio_antes]
    # The unit of work did not see this UPDATE: its bitácora entries are written here.
    registrar(
        db.session,
        ACTUALIZAR,
        Apartamento.__tablename__,
        {
            c.unidad.id: {
                campo: [antes, despues]
                for campo, antes, despues in (
                    ("precio", c.precio_antes, c.precio_despues),
                    ("precio_base", c.unidad.precio_base, c.precio_base_despues),
                )
                if antes != despues
            }
            for c in cambios
        },
    )
    registrar_precios(
        [
            {
                "id_apartamento": c.unidad.id,
                "precio_antes": c.precio_antes,
                "precio_despues": c.precio_despues,
            }
            for c in movidos
        ],
        motivo,
        detalle,
    )
    # Apartments this session holds must read their new price and version.
    ids = {c.unidad.id for c in cambios}
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Apartamento) and obj.id in ids:
            db.session.expire(obj, ["precio", "precio_base", "version", "updated_at"])
    return len(movidos)


def _alcanzar(proyecto: Proyecto, vendidas: int | None = None) -> int:
    """Raise the project's ventas_alcanzadas to the units sold now; never lower it."""
    vendidas = unidades_vendidas(proyecto.id) if vendidas is None else vendidas
    alcanzadas = proyecto.ventas_alcanzadas or 0
    if vendidas > alcanzadas:
        tabla = Proyecto.__table__
        db.session.execute(
            update(tabla)
            .where(tabla.c.id == proyecto.id, tabla.c.ventas_alcanzadas < vendidas)
            .values(ventas_alcanzadas=vendidas)
        )
        # Bookkeeping of the repricing, not an edit of the project: its version stays.
        set_committed_value(proyecto, "ventas_alcanzadas", vendidas)
    return max(vendidas, alcanzadas)


def recalcular_proyecto(
    proyecto: Proyecto | int,
    motivo: str = MotivoPrecio.POLITICA,
    detalle: str | None = None,
    hoy: date | None = None,
    solo: Sequence[int] | None = None,
) -> int:
    """Reprice the project's Disponible apartments (only `solo` if given); idempotent.
    Returns how many prices moved."""
    if isinstance(proyecto, int):
        proyecto = db.session.get(Proyecto, proyecto)
    db.session.flush()
    vendidas = _alcanzar(proyecto)
    reglas = reglas_proyecto(proyecto, hoy, vendidas)
    return aplicar(calcular(proyecto.id, reglas, solo=solo), motivo, detalle)


def recalcular_todos(hoy: date | None = None) -> dict[str, int]:
    """The daily run: every project (date steps come, missed repricings are caught up)."""
    resultado = {}
    for proyecto in db.session.scalars(select(Proyecto).order_by(Proyecto.id)).all():
        resultado[proyecto.nombre] = recalcular_proyecto(
            proyecto, MotivoPrecio.POLITICA, "Recálculo diario", hoy
        )
    return resultado


def _apartamento_de(venta: Venta) -> Apartamento | None:
    # From the identity map: the operation's service has just read it. A local's or
    # a parqueadero's operation has none, and moves no apartment's price.
    if venta.id_apartamento is None:
        return None
    return db.session.get(Apartamento, venta.id_apartamento)


def _liberado(venta: Venta) -> bool:
    """Whether the operation's apartment is Disponible now (a new sale's is not)."""
    apartamento = _apartamento_de(venta)
    if apartamento is None:
        return False
    estado = apartamento.estado
    if estado is None or estado.id != apartamento.id_estado_inmueble:
        return True  # moved since its estado was read: let the query decide
    return estado.nombre == EstadoInmueble.DISPONIBLE


def recalcular_tras_operacion(*ventas: Venta) -> None:
    """After an operation is made, converted, annulled, deleted or lapses: a new
    operation keeps the price and step it was made at, and the project's
    Disponible apartments follow the units sold. While no step is reached only
    the freed apartments are priced (the rest already are: 3,000 units are not
    read at every sale); a sale that frees none and reaches no step reads none."""
    por_proyecto: dict[int, list[Venta]] = {}
    for venta in ventas:
        apartamento = _apartamento_de(venta)
        if apartamento is not None:
            por_proyecto.setdefault(apartamento.torre.id_proyecto, []).append(venta)
    db.session.flush()
    for id_proyecto, del_proyecto in por_proyecto.items():
        proyecto = db.session.get(Proyecto, id_proyecto)
        antes = reglas_proyecto(proyecto, vendidas=proyecto.ventas_alcanzadas or 0)
        vendidas = unidades_vendidas(id_proyecto)
        for venta in del_proyecto:
            estado = inspect(venta)
            if (
                not (estado.deleted or estado.was_deleted)
                and venta.precio_lista is None
                and venta.estado_operacion == EstadoOperacion.VIGENTE
            ):
                # Made at the steps reached before it counted.
                previas = max(vendidas - 1, antes.vendidas)
                _fijar_precio_operacion(venta, replace(antes, vendidas=previas, hoy=venta.fecha))
        despues = replace(antes, vendidas=_alcanzar(proyecto, vendidas))
        if {p.id for p in antes.aplicadas} != {p.id for p in despues.aplicadas}:
            cambios = calcular(id_proyecto, despues)
        else:
            liberados = [v.id_apartamento for v in del_proyecto if _liberado(v)]
            cambios = calcular(id_proyecto, despues, solo=liberados) if liberados else []
        aplicar(cambios, MotivoPrecio.POLITICA, "Ventas del proyecto")


def _fijar_precio_operacion(venta: Venta, reglas: Reglas) -> None:
    """Record on the operation the apartment's list price and the policies then in force."""
    apartamento = _apartamento_de(venta)
    d = desglose(
        apartamento.precio_base, apartamento.piso, apartamento.torre.nivel_inicio_prima, reglas
    )
    valores = {
        "precio_lista": apartamento.precio,
        "factor_precio": d.factor.quantize(FACTOR, rounding=ROUND_HALF_UP),
        "politicas_aplicadas": d.politicas_texto,
    }
    # Part of making the operation, not an edit of it: its version stays.
    tabla = Venta.__table__
    db.session.execute(update(tabla).where(tabla.c.id == venta.id).values(**valores))
    for campo, valor in valores.items():
        set_committed_value(venta, campo, valor)


# --- previews ------------------------------------------------------------------------


def vista_previa(
    proyecto: Proyecto,
    *,
    tipo: tuple[int, Decimal] | None = None,
    prima: Prima | None = None,
    politica: Politica | None = None,
    quitar_politica: int | None = None,
    nivel_torre: tuple[int, int] | None = None,
) -> list[Cambio]:
    """What an edit would do to the Disponible prices, computed without saving:
    a tipo's new valor_estimado, the project's new prima, a new or edited
    policy (or one removed), a torre's new nivel_inicio_prima."""
    reglas = reglas_proyecto(proyecto)
    if prima is not None:
        reglas = replace(reglas, prima=prima)
    if politica is not None or quitar_politica is not None:
        otras = tuple(
            p
            for p in reglas.politicas
            if p.id is None
            or (p.id != quitar_politica and (politica is None or p.id != politica.id))
        )
        reglas = replace(reglas, politicas=otras + ((politica,) if politica else ()))
    tipos = valores_tipos(proyecto.id)
    if tipo is not None:
        tipos[tipo[0]] = tipo[1]
    cambios = calcular(proyecto.id, reglas, tipos)
    if nivel_torre is not None:
        id_torre, nivel = nivel_torre
        nombre = db.session.scalar(select(Torre.nombre).where(Torre.id == id_torre))
        cambios = [c for c in cambios if c.unidad.torre != nombre]
        for unidad in unidades_disponibles(proyecto.id):
            if unidad.torre == nombre:
                base = (
                    tipos.get(unidad.id_tipo, unidad.precio_base)
                    if unidad.id_tipo
                    else unidad.precio_base
                )
                d = desglose(base, unidad.piso, nivel, reglas)
                if d.precio != unidad.precio:
                    cambios.append(Cambio(unidad, base, d))
    return [c for c in cambios if c.precio_despues != c.precio_antes]


def resumen(cambios: list[Cambio]) -> str:
    """«43 apartamentos cambian de precio» for the preview's heading."""
    n = len(cambios)
    if n == 0:
        return "Ningún apartamento disponible cambia de precio."
    if n == 1:
        c = cambios[0]
        return (
            f"1 apartamento cambia de precio: {c.unidad.etiqueta}, de "
            f"{format_cop(c.precio_antes)} a {format_cop(c.precio_despues)}."
        )
    return f"{n} apartamentos disponibles cambian de precio."


# --- tipos de apartamento, políticas de precio, prima de altura: their rules --------

AREA_MAXIMA = Decimal("999999.99")  # Numeric(8, 2)
ESPACIOS_MAXIMO = 50
PORCENTAJE_MAXIMO = Decimal(100)
ORDEN_MAXIMO = 1000
ESCALON_MAXIMO = 100000
OBLIGATORIO = "Este campo es obligatorio."
SIN_CONDICION = (
    "Indique las ventas por escalón, la fecha desde la que aplica, o ambas: "
    "una política necesita al menos una condición."
)


def _texto(errores, fila, campo: str) -> None:
    valor = getattr(fila, campo)
    valor = valor.strip() if isinstance(valor, str) else valor
    setattr(fila, campo, valor)
    largo = getattr(type(fila), campo).type.length
    if not valor:
        errores.add(campo, OBLIGATORIO)
    elif len(valor) > largo:
        errores.add(campo, f"No puede tener más de {largo} caracteres.")
    else:
        try:
            TextoVisible().check(valor)
        except ValueError as exc:
            errores.add(campo, str(exc))


def _decimal(errores, fila, campo, *, minimo_excluido, maximo, lugares=2, mensaje=None):
    valor = getattr(fila, campo)
    if valor is None:
        errores.add(campo, OBLIGATORIO)
        return
    valor = Decimal(valor)
    cero = Decimal(0)
    if (
        not valor.is_finite()
        or valor > maximo
        or valor < cero
        or (minimo_excluido and valor == cero)
    ):
        errores.add(campo, mensaje or f"Debe ser mayor que 0 y a lo sumo {maximo}.")
    elif valor != valor.quantize(Decimal(1).scaleb(-lugares)):
        errores.add(campo, f"Admite como máximo {lugares} decimales.")


def _entero(errores, fila, campo, minimo, maximo, obligatorio=True) -> None:
    valor = getattr(fila, campo)
    if valor is None:
        if obligatorio:
            errores.add(campo, OBLIGATORIO)
        return
    if isinstance(valor, bool) or not isinstance(valor, int) or not minimo <= valor <= maximo:
        errores.add(campo, f"Debe ser un número entero entre {minimo} y {maximo}.")


def _nombre_unico(errores, fila, mensaje: str) -> None:
    if errores.get("nombre") or fila.id_proyecto is None:
        return
    cls = type(fila)
    stmt = select(cls.id).where(
        cls.id_proyecto == fila.id_proyecto, func.lower(cls.nombre) == fila.nombre.lower()
    )
    if fila.id is not None:
        stmt = stmt.where(cls.id != fila.id)
    with db.session.no_autoflush:
        if db.session.scalar(stmt.limit(1)) is not None:
            errores.add("nombre", mensaje)


def _proyecto_existe(errores, fila) -> Proyecto | None:
    with db.session.no_autoflush:
        proyecto = db.session.get(Proyecto, fila.id_proyecto) if fila.id_proyecto else None
    if proyecto is None:
        errores.add("id_proyecto", "Seleccione un proyecto que exista.")
    return proyecto


def validar_tipo(tipo: TipoApartamento) -> None:
    errores = Errores()
    _proyecto_existe(errores, tipo)
    _texto(errores, tipo, "nombre")
    for campo in ("area_construida", "area_privada"):
        _decimal(
            errores,
            tipo,
            campo,
            minimo_excluido=True,
            maximo=AREA_MAXIMA,
            mensaje=f"El área debe ser mayor que 0 y a lo sumo {AREA_MAXIMA} m².",
        )
    _decimal(
        errores,
        tipo,
        "valor_m2",
        minimo_excluido=True,
        maximo=DINERO_MAXIMO,
        mensaje="El valor del m² debe ser mayor que 0.",
    )
    for campo in ("habitaciones", "banos"):
        _entero(errores, tipo, campo, 0, ESPACIOS_MAXIMO)
    _nombre_unico(errores, tipo, "Ya existe un tipo de apartamento con ese nombre en el proyecto.")
    errores.raise_if_any()


def guardar_tipo(tipo: TipoApartamento) -> TipoApartamento:
    """Create or edit a tipo (its fields already set); its Disponible apartments
    take its new valor_estimado as base and are repriced."""
    if tipo.proyecto is not None:
        tipo.id_proyecto = tipo.proyecto.id
    validar_tipo(tipo)
    nuevo = tipo.id is None
    if nuevo:
        db.session.add(tipo)
    db.session.flush()
    if not nuevo:
        recalcular_proyecto(
            tipo.id_proyecto,
            MotivoPrecio.TIPO,
            f"Tipo «{tipo.nombre}»: valor estimado {format_cop(tipo.valor_estimado)}",
        )
    return tipo


def eliminar_tipo(tipo: TipoApartamento) -> None:
    """A tipo that apartments use is kept (409), with how many use it."""
    en_uso = db.session.scalar(
        select(func.count()).where(Apartamento.id_tipo_apartamento == tipo.id)
    )
    if en_uso:
        raise Conflict.on_field(
            "id",
            f"No se puede eliminar el tipo «{tipo.nombre}»: lo usan {en_uso} "
            f"apartamento{'s' if en_uso != 1 else ''}. Cambie antes su tipo.",
        )
    db.session.delete(tipo)
    db.session.flush()


def validar_politica(politica: PoliticaPrecio) -> None:
    errores = Errores()
    _proyecto_existe(errores, politica)
    _texto(errores, politica, "nombre")
    if politica.orden is None:
        politica.orden = _siguiente_orden(politica.id_proyecto)
    _entero(errores, politica, "orden", 1, ORDEN_MAXIMO)
    _entero(errores, politica, "ventas_por_escalon", 1, ESCALON_MAXIMO, obligatorio=False)
    porcentaje = politica.porcentaje_aumento
    if porcentaje is None:
        errores.add("porcentaje_aumento", OBLIGATORIO)
    elif not Decimal(porcentaje).is_finite() or not 0 <= Decimal(porcentaje) <= PORCENTAJE_MAXIMO:
        errores.add("porcentaje_aumento", "El porcentaje debe estar entre 0 y 100.")
    elif Decimal(porcentaje) != Decimal(porcentaje).quantize(Decimal("0.0001")):
        errores.add("porcentaje_aumento", "Admite como máximo cuatro decimales.")
    if politica.aplica_desde is not None and (fuera := fecha_fuera_de_rango(politica.aplica_desde)):
        errores.add("aplica_desde", fuera)
    if politica.ventas_por_escalon is None and politica.aplica_desde is None:
        errores.add("ventas_por_escalon", SIN_CONDICION)
        errores.add("aplica_desde", SIN_CONDICION)
    if politica.activa is None:
        politica.activa = True
    _nombre_unico(errores, politica, "Ya existe una política con ese nombre en el proyecto.")
    errores.raise_if_any()


def _siguiente_orden(id_proyecto: int | None) -> int:
    if id_proyecto is None:
        return 1
    with db.session.no_autoflush:
        mayor = db.session.scalar(
            select(func.max(PoliticaPrecio.orden)).where(PoliticaPrecio.id_proyecto == id_proyecto)
        )
    return min((mayor or 0) + 1, ORDEN_MAXIMO)


def guardar_politica(politica: PoliticaPrecio) -> PoliticaPrecio:
    """Create or edit a policy (its fields already set) and reprice the project."""
    if politica.proyecto is not None:
        politica.id_proyecto = politica.proyecto.id
    validar_politica(politica)
    if politica.id is None:
        db.session.add(politica)
    db.session.flush()
    recalcular_proyecto(
        politica.id_proyecto, MotivoPrecio.POLITICA, f"Política {Politica.de(politica).etiqueta}"
    )
    return politica


def eliminar_politica(politica: PoliticaPrecio) -> None:
    id_proyecto, etiqueta = politica.id_proyecto, Politica.de(politica).etiqueta
    db.session.delete(politica)
    db.session.flush()
    recalcular_proyecto(id_proyecto, MotivoPrecio.POLITICA, f"Política eliminada: {etiqueta}")


def validar_prima(proyecto: Proyecto, errores: Errores) -> None:
    """The project's prima de altura: amounts ≥ 0 (blank counts as zero)."""
    if proyecto.prima_altura_activa is None:
        proyecto.prima_altura_activa = False
    for campo in ("prima_altura_base", "prima_altura_incremento"):
        if getattr(proyecto, campo) is None:
            setattr(proyecto, campo, Decimal("0.00"))
        _decimal(
            errores,
            proyecto,
            campo,
            minimo_excluido=False,
            maximo=DINERO_MAXIMO,
            mensaje="No puede ser negativo.",
        )


def prima_cambio(proyecto: Proyecto) -> bool:
    """Whether this unsaved edit touches the prima de altura."""
    estado = inspect(proyecto)
    return any(
        estado.attrs[c].history.has_changes()
        for c in ("prima_altura_activa", "prima_altura_base", "prima_altura_incremento")
    )


def tras_guardar_proyecto(proyecto: Proyecto, prima_cambiada: bool) -> None:
    if prima_cambiada:
        recalcular_proyecto(proyecto, MotivoPrecio.PRIMA, "Prima de altura del proyecto")


def tras_guardar_torre(torre: Torre, nivel_cambiado: bool) -> None:
    if nivel_cambiado:
        recalcular_proyecto(
            torre.id_proyecto,
            MotivoPrecio.PRIMA,
            f"Torre {torre.nombre}: la prima empieza en el piso {torre.nivel_inicio_prima}",
        )


def precio_de_apartamento(apartamento: Apartamento, errores: Errores) -> None:
    """An apartment being saved: its base (the tipo's valor_estimado, or typed) and,
    while Disponible, its price from the project's rules. A unit with an operation
    keeps the price the operation froze, so its base cannot move either."""
    tipo = None
    if apartamento.id_tipo_apartamento is not None:
        with db.session.no_autoflush:
            tipo = db.session.get(TipoApartamento, apartamento.id_tipo_apartamento)
        if tipo is None:
            errores.add("id_tipo_apartamento", "El tipo de apartamento seleccionado no existe.")
            return
    apartamento.tipo = tipo  # the relationship agrees with the key the caller set
    torre = apartamento.torre
    if torre is None:
        return
    if tipo is not None:
        if tipo.id_proyecto != torre.id_proyecto:
            errores.add(
                "id_tipo_apartamento",
                f"El tipo «{tipo.nombre}» es de otro proyecto; elija uno de "
                f"{torre.proyecto.nombre}.",
            )
            return
        apartamento.id_tipo_apartamento = tipo.id
        apartamento.precio_base = tipo.valor_estimado
    elif apartamento.precio_base is None:
        errores.add(
            "precio_base", "Indique el precio base, o elija un tipo de apartamento que lo fije."
        )
        return
    elif not 0 < Decimal(apartamento.precio_base) <= DINERO_MAXIMO:
        errores.add("precio_base", "El precio base debe ser mayor que cero.")
        return
    with db.session.no_autoflush:
        disponible = db.session.scalar(
            select(EstadoInmueble.id).where(EstadoInmueble.nombre == EstadoInmueble.DISPONIBLE)
        )
        if apartamento.id_estado_inmueble is None:
            apartamento.id_estado_inmueble = disponible
        if apartamento.id_estado_inmueble != disponible:
            base = inspect(apartamento).attrs.precio_base.history
            if base.deleted and base.added and Decimal(base.deleted[0]) != Decimal(base.added[0]):
                errores.add(
                    "precio_base",
                    f"El apartamento está {apartamento.estado.nombre}: su precio lo fija la "
                    "operación y no cambia mientras siga así.",
                )
            return
        reglas = reglas_proyecto(torre.proyecto)
    d = desglose(apartamento.precio_base, apartamento.piso, torre.nivel_inicio_prima, reglas)
    apartamento.precio = d.precio
    if apartamento.id is not None:
        try:
            exigir_precio_libre(apartamento)
        except ValidationFailed as exc:
            errores.add("precio_base", exc.message)


def registrar_precio_apartamento(apartamento: Apartamento, antes: Decimal | None) -> None:
    """The history row of a manual edit or a new apartment (its first price)."""
    from .historial_precios import registrar_precio

    if apartamento.precio is None:
        return
    motivo = MotivoPrecio.TIPO if apartamento.id_tipo_apartamento else MotivoPrecio.MANUAL
    detalle = (
        f"Tipo «{apartamento.tipo.nombre}»"
        if apartamento.id_tipo_apartamento and apartamento.tipo
        else f"Precio base {format_cop(apartamento.precio_base)}"
    )
    registrar_precio(apartamento, antes, Decimal(apartamento.precio), motivo, detalle)
