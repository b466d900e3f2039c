"""The plan de amortización of a venta: pure arithmetic on Decimal, no database.

docs/dominio.md: a "Separación" cuota (the deposit), then monthly "Cuota inicial"
installments (whole-peso floor of the equal share, the last takes the
remainder; French system when there is interest), then the "Saldo final".
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

from ..models.ventas import ConceptoCuota

CENTAVO = Decimal("0.01")
PESO = Decimal("1")
CERO = Decimal("0.00")


@dataclass(frozen=True)
class CuotaPlan:
    numero: int
    concepto: str
    fecha_vencimiento: date
    valor: Decimal
    capital: Decimal
    interes: Decimal
    saldo: Decimal  # capital still owed after this cuota


def sumar_meses(fecha: date, meses: int) -> date:
    """The same day `meses` months later; a day the month lacks falls back to its last day."""
    indice = fecha.month - 1 + meses
    anio, mes = fecha.year + indice // 12, indice % 12 + 1
    return date(anio, mes, min(fecha.day, calendar.monthrange(anio, mes)[1]))


def tasa_mensual(tasa_interes_anual: Decimal) -> Decimal:
    """(1 + tasa/100)^(1/12) - 1, the monthly rate equivalent to an effective annual one."""
    with localcontext() as ctx:
        ctx.prec = 40
        base = 1 + Decimal(tasa_interes_anual) / 100
        return (base.ln() / 12).exp() - 1


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENTAVO, rounding=ROUND_HALF_UP)


def plan_separacion(valor_separacion: Decimal, fecha: date) -> list[CuotaPlan]:
    """A separación's plan: its single deposit cuota (none when the deposit is zero)."""
    valor = _money(valor_separacion)
    if valor <= 0:
        return []
    return [CuotaPlan(1, ConceptoCuota.SEPARACION, fecha, valor, valor, CERO, CERO)]


def _cuotas_sin_interes(financiado: Decimal, plazo: int) -> list[tuple[Decimal, Decimal]]:
    """(capital, interes) per installment: the whole-peso floor, remainder on the last."""
    parte = (financiado / plazo).quantize(PESO, rounding=ROUND_DOWN)
    partes = [parte] * (plazo - 1) + [financiado - parte * (plazo - 1)]
    return [(_money(capital), CERO) for capital in partes]


def _cuotas_frances(
    financiado: Decimal, plazo: int, tasa_anual: Decimal
) -> list[tuple[Decimal, Decimal]]:
    """French system: a constant installment (in whole pesos), interest on the
    outstanding balance (whole pesos); the last capital absorbs the rounding."""
    i = tasa_mensual(tasa_anual)
    with localcontext() as ctx:
        ctx.prec = 40
        exacta = financiado * i / (1 - (1 + i) ** -plazo)
    cuota = exacta.quantize(PESO, rounding=ROUND_HALF_UP)
    resultado = []
    pendiente = financiado
    for numero in range(1, plazo + 1):
        interes = (pendiente * i).quantize(PESO, rounding=ROUND_HALF_UP)
        ultima = numero == plazo
        capital = pendiente if ultima else min(max(cuota - interes, CERO), pendiente)
        pendiente -= capital
        resultado.append((_money(capital), _money(interes)))
    return resultado


def generar_plan(
    *,
    valor_total: Decimal,
    valor_separacion: Decimal,
    cuota_inicial: Decimal,
    plazo_meses: int,
    tasa_interes_anual: Decimal = CERO,
    fecha: date,
    fecha_separacion: date | None = None,
) -> list[CuotaPlan]:
    """A venta's whole plan; the capital of its cuotas sums to valor_total exactly."""
    valor_total = _money(valor_total)
    valor_separacion = _money(valor_separacion or 0)
    cuota_inicial = _money(cuota_inicial)
    if plazo_meses < 1:
        raise ValueError("plazo_meses must be at least 1")
    if not (0 <= valor_separacion <= cuota_inicial <= valor_total):
        raise ValueError("expected 0 <= valor_separacion <= cuota_inicial <= valor_total")

    cuotas: list[CuotaPlan] = []
    saldo = valor_total

    def agregar(concepto: str, vence: date, capital: Decimal, interes: Decimal) -> None:
        nonlocal saldo
        saldo -= capital
        cuotas.append(
            CuotaPlan(len(cuotas) + 1, concepto, vence, capital + interes, capital, interes, saldo)
        )

    if valor_separacion > 0:
        agregar(ConceptoCuota.SEPARACION, fecha_separacion or fecha, valor_separacion, CERO)

    financiado = cuota_inicial - valor_separacion
    tasa = Decimal(tasa_interes_anual or 0)
    if tasa > 0 and financiado > 0:
        partes = _cuotas_frances(financiado, plazo_meses, tasa)
    else:
        partes = _cuotas_sin_interes(financiado, plazo_meses)
    for mes, (capital, interes) in enumerate(partes, start=1):
        # Each due date from the original one, so a 31st stays a 31st when it can.
        agregar(ConceptoCuota.CUOTA_INICIAL, sumar_meses(fecha, mes), capital, interes)

    saldo_final = valor_total - cuota_inicial
    if saldo_final > 0:
        agregar(ConceptoCuota.SALDO_FINAL, sumar_meses(fecha, plazo_meses + 1), saldo_final, CERO)
    return cuotas
