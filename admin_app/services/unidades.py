"""Units of every kind (apartamentos, locales, parqueaderos): how their estado moves
(Disponible, Separado, Vendido, Bloqueado), the admins' blocks, and what keeps a
unit from being deleted or repriced. A unit leaves or enters an estado through one
conditional UPDATE, so of two clerks racing for it exactly one wins. These flush,
never commit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, inspect, select, update
from wtforms.validators import ValidationError

from ..audit import ACTUALIZAR, current_actor, registrar
from ..extensions import db
from ..formatting import format_date
from ..limites import fecha_fuera_de_rango
from ..models import (
    Apartamento,
    EstadoInmueble,
    Local,
    OperacionUnidad,
    Parqueadero,
    Proyecto,
    Venta,
)
from ..models.base import utcnow
from ..validators import TextoVisible
from .errors import Conflict, Errores, ValidationFailed

Unidad = Apartamento | Local | Parqueadero

# The key of each kind, in ventas, operacion_unidades and historial_precios.
CAMPO = {Apartamento: "id_apartamento", Local: "id_local", Parqueadero: "id_parqueadero"}
NOMBRE = {Apartamento: "apartamento", Local: "local", Parqueadero: "parqueadero"}
MODELO = {campo: modelo for modelo, campo in CAMPO.items()}

_SIN_CAMBIO = object()


def estados_inmueble() -> dict[str, int]:
    """Catalog name -> id (admins may renumber the catalog, never rename these four)."""
    return dict(db.session.execute(select(EstadoInmueble.nombre, EstadoInmueble.id)).all())


def campo_de(unidad: Unidad) -> str:
    return CAMPO[type(unidad)]


def proyecto_de(unidad: Unidad) -> Proyecto:
    return unidad.proyecto if isinstance(unidad, Local) else unidad.torre.proyecto


def mover_unidad(
    unidad: Unidad, desde: str, hacia: str, documento_cliente=_SIN_CAMBIO, **otros
) -> bool:
    """Move the unit from estado `desde` to `hacia` (catalog names), setting its owner
    (and any other column given) when given, only if it still is in `desde`: True
    when it moved. The row is read again either way. The unit of work does not see
    this UPDATE, so its entry in the bitácora is written here."""
    modelo = type(unidad)
    estados = estados_inmueble()
    valores = {"id_estado_inmueble": estados[hacia], **otros}
    if documento_cliente is not _SIN_CAMBIO:
        valores["documento_cliente"] = documento_cliente
    antes = {columna: getattr(unidad, columna) for columna in valores}
    resultado = db.session.execute(
        update(modelo)
        .where(modelo.id == unidad.id, modelo.id_estado_inmueble == estados[desde])
        .values(**valores, version=modelo.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    movido = resultado.rowcount == 1
    if movido:
        cambios = {"id_estado_inmueble": [estados[desde], estados[hacia]]}
        for columna, valor in valores.items():
            if columna != "id_estado_inmueble" and antes[columna] != valor:
                cambios[columna] = [antes[columna], valor]
        registrar(db.session, ACTUALIZAR, modelo.__tablename__, {unidad.id: cambios})
    db.session.refresh(unidad)
    return movido


def liberar_unidad(unidad: Unidad, documento_cliente: str) -> None:
    """Back to Disponible after its operation ended; a unit an admin blocked
    meanwhile stays blocked and only loses its owner."""
    estados = estados_inmueble()
    if unidad.id_estado_inmueble in {
        estados[EstadoInmueble.SEPARADO],
        estados[EstadoInmueble.VENDIDO],
    }:
        unidad.id_estado_inmueble = estados[EstadoInmueble.DISPONIBLE]
    if unidad.documento_cliente == documento_cliente:
        unidad.documento_cliente = None


def no_disponible(unidad: Unidad, campo: str) -> Conflict:
    return Conflict.on_field(
        campo,
        f"{_el(unidad)} {unidad} no está disponible: su estado es {unidad.estado.nombre}. "
        "Solo se vende o separa una unidad Disponible.",
    )


def _el(unidad: Unidad) -> str:
    return f"El {NOMBRE[type(unidad)]}"


# --- operations of a unit ------------------------------------------------------


def operaciones_de(unidad: Unidad):
    """The operations (any estado) in which the unit was sold, separated or went along."""
    columna = getattr(OperacionUnidad, campo_de(unidad))
    return (
        select(Venta)
        .join(OperacionUnidad, OperacionUnidad.id_venta == Venta.id)
        .where(columna == unidad.id)
        .order_by(Venta.fecha.desc(), Venta.id.desc())
    )


def contar_operaciones(unidad: Unidad) -> int:
    columna = getattr(OperacionUnidad, campo_de(unidad))
    return db.session.scalar(select(func.count()).where(columna == unidad.id)) or 0


def exigir_sin_operaciones(unidad: Unidad) -> None:
    """A unit with operations, in any estado, is never deleted."""
    cuantas = contar_operaciones(unidad)
    if cuantas:
        raise Conflict.on_field(
            "id",
            f"{_el(unidad)} {unidad} tiene {cuantas} "
            f"{'operación' if cuantas == 1 else 'operaciones'} (ventas o separaciones) "
            "y no se puede eliminar.",
        )


def exigir_precio_libre(unidad: Unidad) -> None:
    """Once a unit has a vigente operation its price is frozen: the operation holds
    the price, and a changed list price would disagree with what was sold."""
    historia = inspect(unidad).attrs.precio.history
    if not historia.deleted or not historia.added:
        return
    antes, ahora = historia.deleted[0], historia.added[0]
    if antes is not None and ahora is not None and Decimal(antes) == Decimal(ahora):
        return
    columna = getattr(OperacionUnidad, campo_de(unidad))
    with db.session.no_autoflush:
        vigente = db.session.scalar(
            select(Venta)
            .join(OperacionUnidad, OperacionUnidad.id_venta == Venta.id)
            .where(columna == unidad.id, OperacionUnidad.vigente.is_(True))
        )
    if vigente is not None:
        raise ValidationFailed.on_field(
            "precio",
            f"{_el(unidad)} tiene la {vigente.tipo_label.lower()} #{vigente.id} vigente; "
            "el precio lo fija esa operación y no se puede cambiar mientras siga vigente.",
        )


# --- bloqueos --------------------------------------------------------------------

LARGO_MOTIVO = 300


def bloquear(unidad: Unidad, motivo: str | None, hasta: date | None, hoy: date) -> None:
    """Disponible -> Bloqueado (admins), with why, who, when and until when; a sale
    made at the same moment is never overwritten."""
    motivo = (motivo or "").strip()
    errores = Errores()
    if not motivo:
        errores.add("motivo", "Indique el motivo del bloqueo.")
    elif len(motivo) > LARGO_MOTIVO:
        errores.add("motivo", f"No puede tener más de {LARGO_MOTIVO} caracteres.")
    else:
        try:
            TextoVisible().check(motivo)
        except ValidationError as exc:
            errores.add("motivo", str(exc))
    if hasta is not None:
        if fuera := fecha_fuera_de_rango(hasta):
            errores.add("hasta", fuera)
        elif hasta < hoy:
            errores.add(
                "hasta", f"La fecha hasta no puede ser anterior a hoy ({format_date(hoy)})."
            )
    errores.raise_if_any()
    movido = mover_unidad(
        unidad,
        EstadoInmueble.DISPONIBLE,
        EstadoInmueble.BLOQUEADO,
        bloqueo_motivo=motivo,
        bloqueado_por=current_actor()[0][:150],
        bloqueado_en=utcnow(),
        bloqueado_hasta=hasta,
    )
    if not movido:
        raise Conflict.on_field(
            "motivo",
            f"{_el(unidad)} {unidad} está {unidad.estado.nombre}; solo se bloquea una "
            "unidad Disponible.",
        )


def desbloquear(unidad: Unidad) -> None:
    """Bloqueado -> Disponible (admins); the block's data is cleared."""
    movido = mover_unidad(
        unidad, EstadoInmueble.BLOQUEADO, EstadoInmueble.DISPONIBLE, **_SIN_BLOQUEO
    )
    if not movido:
        raise Conflict(
            f"{_el(unidad)} {unidad} está {unidad.estado.nombre}; solo se desbloquea una "
            "unidad Bloqueada."
        )


_SIN_BLOQUEO = {
    "bloqueo_motivo": None,
    "bloqueado_por": None,
    "bloqueado_en": None,
    "bloqueado_hasta": None,
}


def levantar_bloqueos_vencidos(hoy: date) -> int:
    """Unblock every unit whose `bloqueado_hasta` is before `hoy` (the daily job);
    idempotent. Returns how many units were unblocked."""
    estados = estados_inmueble()
    bloqueado, disponible = estados[EstadoInmueble.BLOQUEADO], estados[EstadoInmueble.DISPONIBLE]
    total = 0
    for modelo in (Apartamento, Local, Parqueadero):
        vencidos = db.session.execute(
            select(modelo.id, modelo.bloqueo_motivo).where(
                modelo.id_estado_inmueble == bloqueado, modelo.bloqueado_hasta < hoy
            )
        ).all()
        if not vencidos:
            continue
        ids = [fila.id for fila in vencidos]
        db.session.execute(
            update(modelo)
            .where(modelo.id.in_(ids), modelo.id_estado_inmueble == bloqueado)
            .values(
                id_estado_inmueble=disponible,
                **_SIN_BLOQUEO,
                version=modelo.version + 1,
                updated_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        registrar(
            db.session,
            ACTUALIZAR,
            modelo.__tablename__,
            {
                fila.id: {
                    "id_estado_inmueble": [bloqueado, disponible],
                    "bloqueo_motivo": [fila.bloqueo_motivo, None],
                }
                for fila in vencidos
            },
        )
        total += len(ids)
    db.session.expire_all()
    return total
