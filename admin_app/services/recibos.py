"""Recibos de caja: every payment gets the next number of one gapless counter,
in the payment's own transaction.

The number comes from one INSERT ... ON CONFLICT DO UPDATE ... RETURNING on
`consecutivos` (SQLite ≥ 3.35 and PostgreSQL alike): the counter's row stays
locked until the transaction ends, so two payments at once take consecutive
numbers, and a payment rolled back gives its number back (a PostgreSQL
SEQUENCE would leave a gap). Deleting a payment annuls its receipt; the number
is never issued again.
"""

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import MedioPago, Pago
from ..models.base import utcnow
from ..models.documentos import Consecutivo, ReciboCaja

RECIBO_CAJA = "recibo_caja"


def siguiente_numero(nombre: str) -> int:
    dialecto = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    tabla = Consecutivo.__table__
    stmt = (
        dialecto.insert(tabla)
        .values(nombre=nombre, ultimo=1)
        .on_conflict_do_update(index_elements=["nombre"], set_={"ultimo": tabla.c.ultimo + 1})
        .returning(tabla.c.ultimo)
    )
    return int(db.session.execute(stmt).scalar_one())


def _datos(pago: Pago) -> dict:
    return {
        "fecha": pago.fecha,
        "valor": pago.valor,
        # By key: the identity map has it (the payment's checks read it).
        "medio_pago": db.session.get(MedioPago, pago.id_medio_pago).nombre,
        "referencia": pago.referencia,
    }


def emitir_recibo(pago: Pago) -> ReciboCaja:
    """The receipt of a payment just flushed, with the next number."""
    recibo = ReciboCaja(
        numero=siguiente_numero(RECIBO_CAJA),
        id_pago=pago.id,
        id_venta=pago.id_venta,
        documento_cliente=pago.venta.documento_cliente,
        **_datos(pago),
    )
    db.session.add(recibo)
    db.session.flush()
    return recibo


def recibo_de(pago: Pago) -> ReciboCaja | None:
    return db.session.scalar(select(ReciboCaja).where(ReciboCaja.id_pago == pago.id))


def actualizar_recibo(pago: Pago) -> None:
    """A corrected payment reprints with its new date, amount, medio and reference."""
    db.session.execute(
        update(ReciboCaja)
        .where(ReciboCaja.id_pago == pago.id)
        .values(**_datos(pago), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def anular_recibo(pago: Pago) -> None:
    """Before the payment is deleted: its receipt stays, marked annulled, without it."""
    ahora = utcnow()
    db.session.execute(
        update(ReciboCaja)
        .where(ReciboCaja.id_pago == pago.id)
        .values(id_pago=None, anulado_en=ahora, updated_at=ahora)
        .execution_options(synchronize_session=False)
    )
