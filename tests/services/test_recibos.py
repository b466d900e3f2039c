"""Recibos de caja: gapless numbers taken in the payment's transaction, never reused."""

import threading
from datetime import date
from decimal import Decimal as D

from sqlalchemy import select

from admin_app.extensions import db as _db
from admin_app.models import Pago, ReciboCaja
from admin_app.services.pagos import corregir_pago, eliminar_pago, registrar_pago
from admin_app.services.recibos import recibo_de
from admin_app.services.ventas import crear_operacion
from tests import factories
from tests.services.conftest import datos_venta

FECHA = date(2026, 2, 10)


def _venta():
    return crear_operacion(datos_venta(factories.cliente(), factories.apartamento()))


def _pagar(venta, valor="1000000.00", fecha=FECHA, medio=1):
    return registrar_pago(venta, fecha=fecha, valor=D(valor), id_medio_pago=medio)


def _numeros() -> list[int]:
    return list(_db.session.scalars(select(ReciboCaja.numero).order_by(ReciboCaja.numero)))


def test_each_payment_gets_the_next_number_with_its_data(db):
    a, b = _venta(), _venta()
    pagos = [_pagar(a), _pagar(b, "2500000.50", medio=2, fecha=date(2026, 3, 1)), _pagar(a)]
    db.session.commit()

    assert [recibo_de(p).numero for p in pagos] == [1, 2, 3]
    recibo = recibo_de(pagos[1])
    assert (recibo.fecha, recibo.valor, recibo.medio_pago, recibo.documento_cliente) == (
        date(2026, 3, 1),
        D("2500000.50"),
        "Transferencia",
        b.documento_cliente,
    )


def test_a_rolled_back_payment_leaves_no_gap(db):
    venta = _venta()
    _pagar(venta)
    db.session.commit()
    _pagar(venta)
    db.session.rollback()
    _pagar(venta)
    db.session.commit()

    assert _numeros() == [1, 2]


def test_a_deleted_payment_keeps_its_receipt_annulled_and_its_number_is_not_reused(db):
    venta = _venta()
    primero, segundo = _pagar(venta), _pagar(venta)
    db.session.commit()
    eliminar_pago(primero)
    db.session.commit()
    tercero = _pagar(venta)
    db.session.commit()

    anulado = db.session.scalar(select(ReciboCaja).where(ReciboCaja.numero == 1))
    assert anulado.anulado and anulado.id_pago is None and anulado.valor == D("1000000.00")
    assert recibo_de(segundo).numero == 2 and not recibo_de(segundo).anulado
    assert recibo_de(tercero).numero == 3
    assert _numeros() == [1, 2, 3]


def test_a_corrected_payment_reprints_with_its_new_data(db):
    venta = _venta()
    pago = _pagar(venta)
    db.session.commit()
    corregir_pago(pago, valor=D("1500000.00"), id_medio_pago=3, referencia="CH-1")
    db.session.commit()
    db.session.expire_all()

    recibo = recibo_de(pago)
    assert (recibo.numero, recibo.valor, recibo.medio_pago, recibo.referencia) == (
        1,
        D("1500000.00"),
        "Cheque",
        "CH-1",
    )


def test_concurrent_payments_take_distinct_consecutive_numbers(app, db):
    ventas = [_venta() for _ in range(4)]
    ids = [v.id for v in ventas]
    db.session.commit()
    barrera = threading.Barrier(len(ids), timeout=30)
    errores = []

    def pagar(id_venta: int) -> None:
        with app.app_context():
            try:
                from admin_app.models import Venta

                venta = _db.session.get(Venta, id_venta)
                barrera.wait()
                _pagar(venta)
                _db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                errores.append(repr(exc))
            finally:
                _db.session.remove()

    hilos = [threading.Thread(target=pagar, args=(i,)) for i in ids]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(60)

    assert errores == []
    assert _numeros() == [1, 2, 3, 4]
    assert len(set(_db.session.scalars(select(ReciboCaja.id_pago)))) == 4
    assert _db.session.scalar(select(Pago.id).limit(1)) is not None
