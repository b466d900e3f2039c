from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from admin_app.services.plan_pagos import (
    generar_plan,
    plan_separacion,
    sumar_meses,
    tasa_mensual,
)


@pytest.mark.parametrize(
    ("fecha", "meses", "esperada"),
    [
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 31), 2, date(2026, 3, 31)),  # from the original date, not chained
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 1, 30), 1, date(2026, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
        (date(2026, 5, 31), 12, date(2027, 5, 31)),
        (date(2026, 5, 10), 0, date(2026, 5, 10)),
    ],
)
def test_sumar_meses(fecha, meses, esperada):
    assert sumar_meses(fecha, meses) == esperada


def _plan(**overrides):
    values = dict(
        valor_total=D("250000000"),
        valor_separacion=D("5000000"),
        cuota_inicial=D("75000000"),
        plazo_meses=12,
        tasa_interes_anual=D("0"),
        fecha=date(2026, 1, 31),
    )
    values.update(overrides)
    return generar_plan(**values)


def test_plan_without_interest_has_separacion_installments_and_saldo_final():
    plan = _plan()
    assert [c.concepto for c in plan] == ["Separación"] + ["Cuota inicial"] * 12 + ["Saldo final"]
    assert [c.numero for c in plan] == list(range(1, 15))
    assert plan[0].valor == D("5000000.00")
    assert plan[0].fecha_vencimiento == date(2026, 1, 31)
    assert {c.valor for c in plan[1:13]} == {D("5833333.00"), D("5833337.00")}
    assert plan[12].valor == D("5833337.00")  # the remainder on the last one
    assert plan[13].valor == D("175000000.00")
    assert plan[13].saldo == D("0.00")


@pytest.mark.parametrize(
    ("fecha", "vencimientos"),
    [
        (date(2026, 1, 31), [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]),
        (date(2027, 12, 31), [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)]),
        (date(2026, 8, 29), [date(2026, 9, 29), date(2026, 10, 29), date(2026, 11, 29)]),
    ],
)
def test_installments_fall_due_monthly_with_month_end_fallback(fecha, vencimientos):
    plan = _plan(fecha=fecha, plazo_meses=3)
    assert [c.fecha_vencimiento for c in plan if c.concepto == "Cuota inicial"] == vencimientos
    assert plan[-1].fecha_vencimiento == sumar_meses(fecha, 4)


@pytest.mark.parametrize(
    ("separacion", "cuota_inicial", "plazo", "cuotas", "ultima"),
    [
        (D("5000000"), D("75000000"), 12, [D("5833333")] * 11, D("5833337")),
        (D("0"), D("100"), 3, [D("33")] * 2, D("34")),
        (D("0"), D("75000000"), 1, [], D("75000000")),
        (D("1000000"), D("10000000.50"), 4, [D("2250000")] * 3, D("2250000.50")),
        (D("5000000"), D("5000000"), 2, [D("0")], D("0")),
        (D("0"), D("2"), 3, [D("0")] * 2, D("2")),
    ],
)
def test_cuota_inicial_split_is_whole_peso_floor_with_remainder_last(
    separacion, cuota_inicial, plazo, cuotas, ultima
):
    plan = _plan(valor_separacion=separacion, cuota_inicial=cuota_inicial, plazo_meses=plazo)
    iniciales = [c.valor for c in plan if c.concepto == "Cuota inicial"]
    assert iniciales == cuotas + [ultima]
    assert sum(c.capital for c in plan) == D("250000000")


def test_zero_separation_has_no_separacion_cuota():
    plan = _plan(valor_separacion=D("0"), plazo_meses=2)
    assert [c.concepto for c in plan] == ["Cuota inicial", "Cuota inicial", "Saldo final"]
    assert plan[0].numero == 1


def test_full_cuota_inicial_has_no_saldo_final():
    plan = _plan(cuota_inicial=D("250000000"), plazo_meses=2)
    assert plan[-1].concepto == "Cuota inicial"
    assert plan[-1].saldo == D("0.00")


def test_saldo_is_the_capital_still_owed_after_each_cuota():
    plan = _plan(plazo_meses=2)
    assert [c.saldo for c in plan] == [D("245000000"), D("210000000"), D("175000000"), D("0")]


@pytest.mark.parametrize(
    ("tasa", "mensual"),
    [(D("12"), D("0.009488792934583")), (D("0"), D("0")), (D("100"), D("0.059463094359295"))],
)
def test_monthly_rate_is_the_twelfth_root_of_the_annual(tasa, mensual):
    assert tasa_mensual(tasa).quantize(D("1E-15")) == mensual


@pytest.mark.parametrize(
    ("valor_total", "separacion", "cuota_inicial", "plazo", "tasa"),
    [
        (D("250000000"), D("5000000"), D("75000000"), 12, D("12")),
        (D("250000000"), D("0"), D("75000000"), 36, D("9.5")),
        (D("180000000"), D("5000000"), D("54000000"), 1, D("15")),
        (D("333333333.33"), D("7777777.77"), D("111111111.11"), 7, D("0.01")),
        (D("90000000"), D("0"), D("90000000"), 24, D("100")),
    ],
)
def test_french_plan_has_constant_installment_and_capital_sums_to_price(
    valor_total, separacion, cuota_inicial, plazo, tasa
):
    plan = _plan(
        valor_total=valor_total,
        valor_separacion=separacion,
        cuota_inicial=cuota_inicial,
        plazo_meses=plazo,
        tasa_interes_anual=tasa,
    )
    iniciales = [c for c in plan if c.concepto == "Cuota inicial"]
    assert len(iniciales) == plazo
    assert len({c.valor for c in iniciales[:-1]}) <= 1  # constant but for the last
    # Whole-peso rounding drifts by under a peso a month; the last one absorbs it.
    assert abs(iniciales[-1].valor - iniciales[0].valor) <= plazo
    assert all(c.interes > 0 for c in iniciales)
    assert [c.interes for c in iniciales] == sorted((c.interes for c in iniciales), reverse=True)
    assert sum(c.capital for c in plan) == valor_total
    assert all(c.valor == c.capital + c.interes for c in plan)
    assert plan[-1].saldo == 0


def test_french_interest_is_charged_on_the_outstanding_balance():
    plan = _plan(valor_separacion=D("0"), cuota_inicial=D("12000000"), tasa_interes_anual=D("12"))
    primera, segunda = plan[0], plan[1]
    assert primera.interes == D("113866")  # 12,000,000 x 0.94887929 % = 113,865.5
    assert segunda.interes == ((D("12000000") - primera.capital) * tasa_mensual(D("12"))).quantize(
        D("1")
    )


def test_plan_separacion_is_the_single_deposit_cuota():
    [cuota] = plan_separacion(D("5000000"), date(2026, 11, 25))
    assert (cuota.numero, cuota.concepto, cuota.fecha_vencimiento) == (
        1,
        "Separación",
        date(2026, 11, 25),
    )
    assert cuota.valor == cuota.capital == D("5000000.00")


def test_plan_separacion_of_zero_is_empty():
    assert plan_separacion(D("0"), date(2026, 11, 25)) == []


def test_separacion_cuota_falls_due_on_the_separation_date():
    plan = _plan(fecha_separacion=date(2026, 1, 10))
    assert plan[0].fecha_vencimiento == date(2026, 1, 10)
    assert plan[1].fecha_vencimiento == date(2026, 2, 28)


@settings(max_examples=50, deadline=None)
@given(
    valor_total=st.integers(min_value=1, max_value=10**12),
    cuota_pct=st.integers(min_value=0, max_value=100),
    sep_pct=st.integers(min_value=0, max_value=100),
    plazo=st.integers(min_value=1, max_value=60),
    tasa=st.decimals(min_value=0, max_value=100, places=2),
    fecha=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
)
def test_any_plan_capital_sums_to_valor_total(valor_total, cuota_pct, sep_pct, plazo, tasa, fecha):
    total = D(valor_total)
    cuota_inicial = (total * cuota_pct / 100).quantize(D("0.01"))
    separacion = (cuota_inicial * sep_pct / 100).quantize(D("0.01"))
    plan = generar_plan(
        valor_total=total,
        valor_separacion=separacion,
        cuota_inicial=cuota_inicial,
        plazo_meses=plazo,
        tasa_interes_anual=tasa,
        fecha=fecha,
    )
    assert sum(c.capital for c in plan) == total
    assert all(c.capital >= 0 and c.interes >= 0 and c.saldo >= 0 for c in plan)
    assert all(c.valor == c.capital + c.interes for c in plan)
    assert [c.numero for c in plan] == list(range(1, len(plan) + 1))
    assert plan[-1].saldo == 0
