"""Colombian formats: money `$ 250.000.000`, dates `25/11/2026`, Bogotá time."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from flask import Flask

from .config import TIME_ZONE

BOGOTA = ZoneInfo(TIME_ZONE)


_UNIT, _CENT = Decimal("1"), Decimal("0.01")


def format_cop(value: Decimal | int | None, cents: bool = False) -> str:
    """`$ 250.000.000` (or `$ 1.234,50` with cents); exact, no float."""
    if value is None:
        return ""
    # A venta's details page formats 140 amounts: integers skip Decimal entirely.
    if type(value) is int and not cents:
        return f"{'-' if value < 0 else ''}$ {abs(value):,}".replace(",", ".")
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if cents:
        amount = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
        whole, frac = divmod(amount, 1)
        text = f"{int(whole):,}".replace(",", ".") + "," + f"{int(frac * 100):02d}"
    else:
        text = f"{int(amount.quantize(_UNIT, rounding=ROUND_HALF_UP)):,}".replace(",", ".")
    return f"{sign}$ {text}"


def format_number(value: Decimal | int | None, decimals: int = 0) -> str:
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    amount = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    whole = f"{int(abs(amount)):,}".replace(",", ".")
    sign = "-" if amount < 0 else ""
    if decimals:
        frac = str(amount).split(".")[1]
        return f"{sign}{whole},{frac}"
    return f"{sign}{whole}"


def to_bogota(moment: datetime) -> datetime:
    return moment.astimezone(BOGOTA)


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_bogota(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return to_bogota(value).strftime("%d/%m/%Y %H:%M")


def today_bogota() -> date:
    return datetime.now(BOGOTA).date()


def init_formatting(app: Flask) -> None:
    app.jinja_env.filters["cop"] = format_cop
    app.jinja_env.filters["numero"] = format_number
    app.jinja_env.filters["fecha"] = format_date
    app.jinja_env.filters["fecha_hora"] = format_datetime
