"""Apartamentos: how an apartment's estado moves (Disponible, Separado, Vendido,
Bloqueado). The sale takes an apartment out of Disponible; an admin blocks or
unblocks one. Both move it with one conditional UPDATE so that two clerks racing
for the same apartment never both win. These flush, never commit."""

from decimal import Decimal

from sqlalchemy import inspect, select, update

from ..audit import ACTUALIZAR, registrar
from ..extensions import db
from ..models import Apartamento, EstadoInmueble, EstadoOperacion, Venta
from ..models.base import utcnow
from .errors import Conflict, ValidationFailed

_SIN_CAMBIO = object()


def estados_inmueble() -> dict[str, int]:
    """Catalog name -> id (admins may renumber the catalog, never rename these four)."""
    return dict(db.session.execute(select(EstadoInmueble.nombre, EstadoInmueble.id)).all())


def mover_apartamento(
    apartamento: Apartamento, desde: str, hacia: str, documento_cliente=_SIN_CAMBIO
) -> bool:
    """Move the apartment from estado `desde` to `hacia` (catalog names), and set its
    owner when given, only if it still is in `desde`: True when it moved. The row
    is read again either way. The unit of work does not see this UPDATE, so its
    entry in the bitácora is written here."""
    estados = estados_inmueble()
    valores = {"id_estado_inmueble": estados[hacia]}
    if documento_cliente is not _SIN_CAMBIO:
        valores["documento_cliente"] = documento_cliente
    resultado = db.session.execute(
        update(Apartamento)
        .where(Apartamento.id == apartamento.id, Apartamento.id_estado_inmueble == estados[desde])
        .values(**valores, version=Apartamento.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    movido = resultado.rowcount == 1
    if movido:
        cambios = {"id_estado_inmueble": [estados[desde], estados[hacia]]}
        if valores.get("documento_cliente") is not None:
            cambios["documento_cliente"] = [None, documento_cliente]
        registrar(db.session, ACTUALIZAR, Apartamento.__tablename__, {apartamento.id: cambios})
    db.session.refresh(apartamento)
    return movido


def cambiar_bloqueo(apartamento: Apartamento, bloquear: bool) -> None:
    """Disponible -> Bloqueado or back (admins); a sale made at the same moment
    is never overwritten."""
    desde, hacia = (
        (EstadoInmueble.DISPONIBLE, EstadoInmueble.BLOQUEADO)
        if bloquear
        else (EstadoInmueble.BLOQUEADO, EstadoInmueble.DISPONIBLE)
    )
    if not mover_apartamento(apartamento, desde, hacia):
        raise Conflict(
            f"El apartamento {apartamento} está {apartamento.estado.nombre}; solo se "
            f"{'bloquea uno Disponible' if bloquear else 'desbloquea uno Bloqueado'}."
        )


def exigir_precio_libre(apartamento: Apartamento) -> None:
    """Once a unit has a vigente operation its price is frozen: the operation holds
    the price, and a changed list price would disagree with what was sold."""
    historia = inspect(apartamento).attrs.precio.history
    if not historia.deleted or not historia.added:
        return
    antes, ahora = historia.deleted[0], historia.added[0]
    if antes is not None and ahora is not None and Decimal(antes) == Decimal(ahora):
        return
    with db.session.no_autoflush:
        vigente = db.session.scalar(
            select(Venta).where(
                Venta.id_apartamento == apartamento.id,
                Venta.estado_operacion == EstadoOperacion.VIGENTE,
            )
        )
    if vigente is not None:
        raise ValidationFailed.on_field(
            "precio",
            f"El apartamento tiene la {vigente.tipo_label.lower()} #{vigente.id} vigente; "
            "el precio lo fija esa operación y no se puede cambiar mientras siga vigente.",
        )
