"""Bounds of the values people type, shared by the forms, the services and the API."""

from datetime import date

from .formatting import format_date, today_bogota

# A project's sales rules have sensible bounds, which its form and the sales forms state.
PLAZO_MAXIMO_CUOTA_INICIAL_MESES = 120
PLAZO_MAXIMO_SEPARACION_DIAS = 365
# What an apartment's piso may be: basements to the tallest towers.
PISO_MINIMO, PISO_MAXIMO = -10, 200
# Operations and payments happen from this day to ANIOS_ADELANTE years ahead.
FECHA_MINIMA = date(2000, 1, 1)
ANIOS_ADELANTE = 10


def fecha_maxima() -> date:
    hoy = today_bogota()
    try:
        return hoy.replace(year=hoy.year + ANIOS_ADELANTE)
    except ValueError:  # 29 February
        return hoy.replace(year=hoy.year + ANIOS_ADELANTE, day=28)


def fecha_fuera_de_rango(fecha: date | None) -> str | None:
    """The Spanish message when a business date is implausible, else None."""
    if fecha is None or FECHA_MINIMA <= fecha <= fecha_maxima():
        return None
    return f"Escriba una fecha entre {format_date(FECHA_MINIMA)} y {format_date(fecha_maxima())}."


def demasiado_largo(valor, columna) -> str | None:
    """The Spanish message when text does not fit its String(n) column, else None."""
    largo = columna.type.length
    if isinstance(valor, str) and len(valor.strip()) > largo:
        return f"No puede tener más de {largo} caracteres."
    return None
