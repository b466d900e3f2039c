"""Apartamentos: how an apartment's estado moves (Disponible, Separado, Vendido,
Bloqueado). The sale takes an apartment out of Disponible; an admin blocks or
unblocks one. Both move it with one conditional UPDATE so that two clerks racing
for the same apartment never both win. These flush, never commit."""

from sqlalchemy import select, update

from ..audit import ACTUALIZAR, registrar
from ..extensions import db
from ..models import Apartamento, EstadoInmueble
from ..models.base import utcnow
from .errors import Conflict

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
