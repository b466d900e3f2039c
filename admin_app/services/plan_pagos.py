"""The plan de amortización of a venta: pure arithmetic on Decimal, no database.

docs/dominio.md: a "Separación" cuota (the deposit), then monthly "Cuota inicial"
installments (whole-peso floor of the equal share, the last takes the
remainder; French system when there is interest), then the "Saldo final".
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

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


def tasa_mensual(tasa_interes_anual: Decimal, meses: int = 1) -> Decimal:
    """(1 + tasa/100)^(meses/12) - 1, the rate of a period of `meses` months
    equivalent to an effective annual one (monthly by default)."""
    with localcontext() as ctx:
        ctx.prec = 40
        base = 1 + Decimal(tasa_interes_anual) / 100
        return (base.ln() * meses / 12).exp() - 1


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
    financiado: Decimal, plazo: int, tasa_anual: Decimal, frecuencia: int = 1
) -> list[tuple[Decimal, Decimal]]:
    """French system: a constant installment (in whole pesos), interest on the
    outstanding balance (whole pesos); the last capital absorbs the rounding.
    `plazo` counts installments, each `frecuencia` months long."""
    i = tasa_mensual(tasa_anual, frecuencia)
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
    frecuencia_meses: int = 1,
) -> list[CuotaPlan]:
    """A venta's whole plan; the capital of its cuotas sums to valor_total exactly.
    The cuota inicial is paid in plazo_meses / frecuencia_meses installments, one
    every frecuencia_meses months (a plan de pago's frequency; monthly by default)."""
    valor_total = _money(valor_total)
    valor_separacion = _money(valor_separacion or 0)
    cuota_inicial = _money(cuota_inicial)
    frecuencia = frecuencia_meses or 1
    if plazo_meses < 1 or frecuencia < 1 or plazo_meses % frecuencia:
        raise ValueError("plazo_meses must be a positive multiple of frecuencia_meses")
    cantidad = plazo_meses // frecuencia
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
        partes = _cuotas_frances(financiado, cantidad, tasa, frecuencia)
    else:
        partes = _cuotas_sin_interes(financiado, cantidad)
    for numero, (capital, interes) in enumerate(partes, start=1):
        # Each due date from the original one, so a 31st stays a 31st when it can.
        vence = sumar_meses(fecha, numero * frecuencia)
        agregar(ConceptoCuota.CUOTA_INICIAL, vence, capital, interes)

    saldo_final = valor_total - cuota_inicial
    if saldo_final > 0:
        agregar(ConceptoCuota.SALDO_FINAL, sumar_meses(fecha, plazo_meses + 1), saldo_final, CERO)
    return cuotas


# --- planes de pago: the economic summary of a price under a plan ---------------

CONTADO = "contado"
MENSUAL = "mensual"
DESCUENTO_VALOR = "valor"
DESCUENTO_PORCENTAJE = "porcentaje"
SOBRE_CUOTA_INICIAL = "cuota_inicial"


@dataclass(frozen=True)
class TerminosPlan:
    """What a plan de pago says (the model PlanPago, or a copy of it on a quote)."""

    tipo: str
    valor_separacion: Decimal
    porcentaje_cuota_inicial: Decimal
    plazo_meses: int
    frecuencia_meses: int = 1
    descuento_tipo: str | None = None
    descuento_valor: Decimal = CERO
    descuento_sobre: str | None = None
    tasa_interes_anual: Decimal = CERO

    @classmethod
    def de(cls, plan) -> "TerminosPlan":
        """The terms of any object that has them as attributes (a PlanPago)."""
        return cls(
            tipo=plan.tipo,
            valor_separacion=Decimal(plan.valor_separacion or 0),
            porcentaje_cuota_inicial=Decimal(plan.porcentaje_cuota_inicial or 0),
            plazo_meses=int(plan.plazo_meses or 1),
            frecuencia_meses=int(plan.frecuencia_meses or 1),
            descuento_tipo=plan.descuento_tipo or None,
            descuento_valor=Decimal(plan.descuento_valor or 0),
            descuento_sobre=plan.descuento_sobre or None,
            tasa_interes_anual=Decimal(plan.tasa_interes_anual or 0),
        )


@dataclass(frozen=True)
class ResumenEconomico:
    precio_bruto: Decimal
    descuento: Decimal
    valor_total: Decimal
    cuota_inicial: Decimal
    valor_separacion: Decimal
    saldo_cuota_inicial: Decimal  # cuota inicial less the separation, paid in installments
    saldo_final: Decimal  # paid at the deed
    plazo_meses: int
    frecuencia_meses: int
    numero_cuotas: int
    tasa_interes_anual: Decimal
    porcentaje_cuota_inicial: Decimal


class PlanInaplicable(ValueError):
    """The plan cannot be applied to this price; `campo` names what to change."""

    def __init__(self, campo: str, mensaje: str) -> None:
        super().__init__(mensaje)
        self.campo = campo
        self.mensaje = mensaje


def _pesos_arriba(valor: Decimal) -> Decimal:
    return _money(Decimal(valor).quantize(PESO, rounding=ROUND_CEILING))


def _pesos(valor: Decimal) -> Decimal:
    return _money(Decimal(valor).quantize(PESO, rounding=ROUND_HALF_UP))


def _texto_pesos(valor: Decimal) -> str:
    entero = int(valor.quantize(PESO, rounding=ROUND_HALF_UP))
    return "$ " + f"{entero:,}".replace(",", ".")


def _descuento(plan: TerminosPlan, base: Decimal) -> Decimal:
    if plan.descuento_tipo == DESCUENTO_PORCENTAJE:
        return _pesos(base * plan.descuento_valor / 100)
    if plan.descuento_tipo == DESCUENTO_VALOR:
        return _money(plan.descuento_valor)
    return CERO


def resumen_economico(precio_bruto: Decimal, plan: TerminosPlan) -> ResumenEconomico:
    """From the gross price and a plan: the discount, valor_total, cuota inicial,
    separación, saldo de cuota inicial and saldo final. Pure, in Decimal.

    The cuota inicial is the plan's percentage of the price, rounded up to the peso
    (never below the percentage); `contado` takes the whole price. A discount on
    the total lowers the price before the percentage; one on the cuota inicial is
    taken from the cuota inicial (and so from the price). PlanInaplicable when the
    discount or the separation does not fit this price."""
    if not isinstance(plan, TerminosPlan):
        plan = TerminosPlan.de(plan)
    bruto = _money(precio_bruto)
    if bruto <= 0:
        raise PlanInaplicable("precio_bruto", "El precio debe ser mayor que cero.")
    contado = plan.tipo == CONTADO
    porcentaje = Decimal(100) if contado else Decimal(plan.porcentaje_cuota_inicial)
    if plan.descuento_tipo and plan.descuento_sobre == SOBRE_CUOTA_INICIAL and not contado:
        ci_bruta = min(_pesos_arriba(bruto * porcentaje / 100), bruto)
        descuento = _descuento(plan, ci_bruta)
        if descuento > ci_bruta:
            raise PlanInaplicable(
                "descuento_valor",
                f"El descuento ({_texto_pesos(descuento)}) supera la cuota inicial "
                f"({_texto_pesos(ci_bruta)}).",
            )
        valor_total = bruto - descuento
        cuota_inicial = ci_bruta - descuento
    else:
        descuento = _descuento(plan, bruto)
        if descuento >= bruto:
            raise PlanInaplicable(
                "descuento_valor",
                f"El descuento ({_texto_pesos(descuento)}) no puede igualar ni superar el "
                f"precio ({_texto_pesos(bruto)}).",
            )
        valor_total = bruto - descuento
        cuota_inicial = (
            valor_total
            if contado
            else min(_pesos_arriba(valor_total * porcentaje / 100), valor_total)
        )
    separacion = _money(plan.valor_separacion)
    if separacion > cuota_inicial:
        raise PlanInaplicable(
            "valor_separacion",
            f"La separación del plan ({_texto_pesos(separacion)}) supera la cuota inicial "
            f"({_texto_pesos(cuota_inicial)}).",
        )
    plazo = max(int(plan.plazo_meses or 1), 1)
    frecuencia = plazo if contado else (1 if plan.tipo == MENSUAL else plan.frecuencia_meses or 1)
    if plazo % frecuencia:
        raise PlanInaplicable(
            "frecuencia_meses",
            f"La frecuencia ({frecuencia} meses) debe dividir el plazo ({plazo} meses).",
        )
    return ResumenEconomico(
        precio_bruto=bruto,
        descuento=descuento,
        valor_total=valor_total,
        cuota_inicial=cuota_inicial,
        valor_separacion=separacion,
        saldo_cuota_inicial=cuota_inicial - separacion,
        saldo_final=valor_total - cuota_inicial,
        plazo_meses=plazo,
        frecuencia_meses=frecuencia,
        numero_cuotas=plazo // frecuencia,
        tasa_interes_anual=Decimal(plan.tasa_interes_anual or 0),
        porcentaje_cuota_inicial=porcentaje,
    )


def cuotas_de_resumen(
    resumen: ResumenEconomico, fecha: date, fecha_separacion: date | None = None
) -> list[CuotaPlan]:
    """The plan's cuotas: the separation, the installments every frecuencia months
    (the first one frecuencia months after `fecha`), the saldo final."""
    return generar_plan(
        valor_total=resumen.valor_total,
        valor_separacion=resumen.valor_separacion,
        cuota_inicial=resumen.cuota_inicial,
        plazo_meses=resumen.plazo_meses,
        frecuencia_meses=resumen.frecuencia_meses,
        tasa_interes_anual=resumen.tasa_interes_anual,
        fecha=fecha,
        fecha_separacion=fecha_separacion,
    )
