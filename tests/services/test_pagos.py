import threading
from datetime import date
from decimal import ROUND_CEILING
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from admin_app.models import AplicacionPago, Pago, Venta
from admin_app.services import pagos as pagos_service
from admin_app.services.errors import Conflict, ValidationFailed
from admin_app.services.pagos import corregir_pago, eliminar_pago, reaplicar_pagos, registrar_pago
from admin_app.services.ventas import anular_operacion, caducar_separaciones, crear_operacion
from tests import factories

from .conftest import datos_venta


def _pagar(venta, valor, fecha=date(2026, 2, 1), medio=1):
    return registrar_pago(venta, fecha=fecha, valor=D(valor), id_medio_pago=medio)


def _pagado(venta):
    return [c.valor_pagado for c in venta.cuotas]


def _aplicaciones(pago):
    return sorted((a.cuota.numero, a.valor) for a in pago.aplicaciones)


# Plan of the `venta` fixture: 5,000,000 separation, 11 x 5,833,333 + 5,833,337, saldo 175,000,000.


def test_exact_payment_pays_the_oldest_cuota(db, venta):
    pago = _pagar(venta, "5000000")
    assert _pagado(venta)[:2] == [D("5000000.00"), D("0.00")]
    assert venta.cuotas[0].estado(date(2026, 2, 1)) == "Pagada"
    assert _aplicaciones(pago) == [(1, D("5000000.00"))]


def test_partial_payment_leaves_the_cuota_parcial(db, venta):
    _pagar(venta, "1000000", fecha=date(2026, 1, 31))
    assert venta.cuotas[0].valor_pagado == D("1000000.00")
    assert venta.cuotas[0].estado(date(2026, 1, 31)) == "Parcial"


def test_payment_spanning_several_cuotas_records_the_split(db, venta):
    pago = _pagar(venta, "12000000")
    assert _pagado(venta)[:4] == [
        D("5000000.00"),
        D("5833333.00"),
        D("1166667.00"),
        D("0.00"),
    ]
    assert _aplicaciones(pago) == [
        (1, D("5000000.00")),
        (2, D("5833333.00")),
        (3, D("1166667.00")),
    ]


def test_next_payment_completes_the_partly_paid_cuota_first(db, venta):
    _pagar(venta, "6000000")
    segundo = _pagar(venta, "5000000", fecha=date(2026, 3, 1))
    assert _aplicaciones(segundo) == [(2, D("4833333.00")), (3, D("166667.00"))]


def test_overpayment_is_refused_with_the_pending_amount(db, venta):
    _pagar(venta, "200000000")
    with pytest.raises(ValidationFailed) as error:
        _pagar(venta, "50000000.01")
    assert error.value.errors["valor"] == ["El pago supera lo que falta por pagar: $ 50.000.000."]
    assert db.session.scalar(select(func.count(Pago.id))) == 1


def test_paying_everything_owed_is_accepted_and_then_nothing_more(db, venta):
    _pagar(venta, "250000000")
    assert all(c.valor_pagado == c.valor for c in venta.cuotas)
    with pytest.raises(ValidationFailed, match="no tiene saldo pendiente"):
        _pagar(venta, "1")


@pytest.mark.parametrize(
    ("valores", "campo"),
    [
        ({"valor": D("0")}, "valor"),
        ({"valor": D("-5")}, "valor"),
        ({"valor": D("1.005")}, "valor"),
        ({"id_medio_pago": 99}, "id_medio_pago"),
        ({"id_medio_pago": None}, "id_medio_pago"),
        ({"fecha": None}, "fecha"),
        ({"referencia": "x" * 61}, "referencia"),
        ({"observaciones": "x" * 501}, "observaciones"),
        ({"fecha": date(1999, 12, 31)}, "fecha"),
        ({"fecha": date(9998, 1, 1)}, "fecha"),
        ({"fecha": date(2026, 1, 30)}, "fecha"),  # the day before the venta
    ],
)
def test_invalid_payment_is_reported_on_its_field(db, venta, valores, campo):
    datos = dict(fecha=date(2026, 2, 1), valor=D("1000"), id_medio_pago=1)
    datos.update(valores)
    with pytest.raises(ValidationFailed) as error:
        registrar_pago(venta, **datos)
    assert campo in error.value.errors
    assert db.session.scalar(select(func.count(Pago.id))) == 0


def test_a_payment_dated_before_its_venta_names_the_venta_date(db, venta):
    with pytest.raises(ValidationFailed) as error:
        _pagar(venta, "1000", fecha=date(2026, 1, 30))
    assert error.value.errors["fecha"] == ["El pago no puede ser anterior a la venta (31/01/2026)."]


def test_observaciones_longer_than_the_column_say_so_on_correction(db, venta):
    pago = _pagar(venta, "1000")
    with pytest.raises(ValidationFailed) as error:
        corregir_pago(pago, observaciones="x" * 501)
    assert error.value.errors["observaciones"] == ["No puede tener más de 500 caracteres."]


@pytest.mark.parametrize("cerrar", ["anular", "caducar"])
def test_payments_on_closed_operations_are_refused(db, separacion, cerrar):
    if cerrar == "anular":
        anular_operacion(separacion)
    else:
        caducar_separaciones(date(2027, 1, 1))
    with pytest.raises(Conflict, match="no admite pagos"):
        _pagar(separacion, "1000")


def test_deleting_a_payment_reapplies_the_others(db, venta):
    primero = _pagar(venta, "3000000", fecha=date(2026, 2, 10))
    segundo = _pagar(venta, "4000000", fecha=date(2026, 2, 28))
    eliminar_pago(primero)
    assert _pagado(venta)[:2] == [D("4000000.00"), D("0.00")]
    assert _aplicaciones(segundo) == [(1, D("4000000.00"))]
    assert db.session.scalar(select(func.count(AplicacionPago.id))) == 1


def test_correcting_a_payment_reapplies_all_payments(db, venta):
    primero = _pagar(venta, "3000000", fecha=date(2026, 2, 10))
    segundo = _pagar(venta, "4000000", fecha=date(2026, 2, 28))
    corregir_pago(primero, valor=D("6000000"))
    assert _pagado(venta)[:3] == [D("5000000.00"), D("5000000.00"), D("0.00")]
    assert _aplicaciones(primero) == [(1, D("5000000.00")), (2, D("1000000.00"))]
    assert _aplicaciones(segundo) == [(2, D("4000000.00"))]


def test_correcting_the_date_reorders_the_application(db, venta):
    primero = _pagar(venta, "3000000", fecha=date(2026, 2, 10))
    segundo = _pagar(venta, "4000000", fecha=date(2026, 2, 28))
    corregir_pago(segundo, fecha=date(2026, 2, 1))
    assert _aplicaciones(segundo) == [(1, D("4000000.00"))]
    assert _aplicaciones(primero) == [(1, D("1000000.00")), (2, D("2000000.00"))]


def test_correction_beyond_what_is_owed_is_refused(db, venta):
    pago = _pagar(venta, "1000")
    _pagar(venta, "249990000")
    with pytest.raises(ValidationFailed) as error:
        corregir_pago(pago, valor=D("20000"))
    assert error.value.errors["valor"] == ["El pago supera lo que falta por pagar: $ 10.000."]


def test_backdated_payment_is_applied_before_later_ones(db, venta):
    tardio = _pagar(venta, "5000000", fecha=date(2026, 3, 1))
    temprano = _pagar(venta, "2000000", fecha=date(2026, 1, 31))
    assert _aplicaciones(temprano) == [(1, D("2000000.00"))]
    assert _aplicaciones(tardio) == [(1, D("3000000.00")), (2, D("2000000.00"))]


def test_reaplicar_restores_cuotas_from_the_payments(db, venta):
    _pagar(venta, "7000000")
    for cuota in venta.cuotas:
        cuota.valor_pagado = D("0")
    reaplicar_pagos(venta)
    assert _pagado(venta)[:3] == [D("5000000.00"), D("2000000.00"), D("0.00")]


# --- properties --------------------------------------------------------------


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    precio=st.integers(min_value=50_000_000, max_value=900_000_000),
    porcentaje=st.integers(min_value=30, max_value=100),
    separacion=st.integers(min_value=0, max_value=20_000_000),
    plazo=st.integers(min_value=1, max_value=36),
    tasa=st.decimals(min_value=0, max_value=30, places=2),
    pagos=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=60_000_000),
            st.dates(min_value=date(2026, 1, 31), max_value=date(2027, 12, 31)),
        ),
        max_size=8,
    ),
    operaciones=st.lists(st.sampled_from(["corregir", "eliminar"]), max_size=3),
)
def test_cuotas_always_agree_with_the_payments(
    db, precio, porcentaje, separacion, plazo, tasa, pagos, operaciones
):
    precio = D(precio)
    cuota_inicial = (precio * porcentaje / 100).quantize(D("1"), rounding=ROUND_CEILING)
    venta = crear_operacion(
        datos_venta(
            factories.cliente(),
            factories.apartamento(precio=precio),
            valor_total=precio,
            valor_separacion=min(D(separacion), cuota_inicial),
            cuota_inicial=cuota_inicial,
            plazo_cuota_inicial_meses=plazo,
            tasa_interes_anual=tasa,
        )
    )
    try:
        assert sum(c.capital for c in venta.cuotas) == precio
        registrados = []
        for valor, fecha in pagos:
            try:
                registrados.append(
                    registrar_pago(venta, fecha=fecha, valor=D(valor), id_medio_pago=1)
                )
            except ValidationFailed:
                pendiente = sum(c.valor - c.valor_pagado for c in venta.cuotas)
                assert D(valor) > pendiente
        for operacion in operaciones:
            if not registrados:
                break
            pago = registrados.pop(0)
            if operacion == "eliminar":
                eliminar_pago(pago)
            else:
                corregir_pago(pago, valor=(pago.valor / 2).quantize(D("1")) or D("1"))
                registrados.append(pago)
        total_pagos = db.session.scalar(
            select(func.coalesce(func.sum(Pago.valor), 0)).where(Pago.id_venta == venta.id)
        )
        assert sum(c.valor_pagado for c in venta.cuotas) == total_pagos
        assert all(D(0) <= c.valor_pagado <= c.valor for c in venta.cuotas)
        aplicado = db.session.scalar(
            select(func.coalesce(func.sum(AplicacionPago.valor), 0))
            .join(Pago)
            .where(Pago.id_venta == venta.id)
        )
        assert aplicado == total_pagos
        # Oldest first: no cuota is paid while an earlier one is still owed.
        pagadas = [c.valor_pagado > 0 for c in venta.cuotas]
        if any(pagadas):
            ultima = max(i for i, p in enumerate(pagadas) if p)
            assert all(c.valor_pagado == c.valor for c in venta.cuotas[:ultima])
    finally:
        db.session.rollback()


# -- concurrency -------------------------------------------------------------------


def test_two_clerks_paying_one_venta_at_once_both_payments_count(app, db, venta, monkeypatch):
    db.session.commit()
    id_venta = venta.id
    db.session.remove()
    barrera = threading.Barrier(2, timeout=20)
    original = pagos_service._bloquear_venta

    def bloquear_a_la_vez(v):
        barrera.wait()  # both clerks have read the venta and its cuotas as they were
        return original(v)

    monkeypatch.setattr(pagos_service, "_bloquear_venta", bloquear_a_la_vez)
    resultados: list[str] = []

    def pagar(valor: str) -> None:
        with app.app_context():
            try:
                propia = db.session.get(Venta, id_venta)
                assert sum(c.valor_pagado for c in propia.cuotas) == 0  # read before the race
                registrar_pago(propia, fecha=date(2026, 2, 1), valor=D(valor), id_medio_pago=1)
                db.session.commit()
                resultados.append("ok")
            except Exception as exc:  # noqa: BLE001 - the assertion below shows it
                db.session.rollback()
                resultados.append(repr(exc))

    hilos = [threading.Thread(target=pagar, args=(v,)) for v in ("5000000", "3000000")]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=60)
    db.engine.dispose()  # close the threads' connections now, not at garbage collection

    assert resultados == ["ok", "ok"]
    venta = db.session.get(Venta, id_venta)
    # Whichever came second saw the first: 8,000,000 over the two oldest cuotas.
    assert _pagado(venta)[:3] == [D("5000000.00"), D("3000000.00"), D("0.00")]
    assert sorted(p.valor for p in venta.pagos) == [D("3000000.00"), D("5000000.00")]


def test_a_payment_changed_by_someone_else_meanwhile_is_not_overwritten(app, db, venta):
    pago = _pagar(venta, "5000000")
    db.session.commit()
    assert pago.version == 1  # this clerk has read it
    with app.app_context():  # another clerk, another session, corrects it first
        corregir_pago(db.session.get(Pago, pago.id), valor=D("4000000"))
        db.session.commit()

    with pytest.raises(pagos_service.StaleRecord):
        corregir_pago(pago, valor=D("3000000"))
    db.session.rollback()
    assert db.session.get(Pago, pago.id).valor == D("4000000.00")
