"""Bar charts drawn on the server as inline SVG (no script, no CDN: the CSP allows
neither), like the dashboard's: the geometry here, the markup in a template macro."""

from dataclasses import dataclass
from decimal import Decimal

from ..formatting import format_cop

ANCHO, ALTO = 720, 240
MARGEN_IZQ, MARGEN_INF, MARGEN_SUP = 96, 36, 12


@dataclass(frozen=True)
class Barra:
    x: float
    y: float
    ancho: float
    alto: float
    serie: int
    titulo: str


@dataclass(frozen=True)
class Etiqueta:
    x: float
    texto: str


def escala(maximo: int) -> int:
    """A round top for the axis (4 grid steps of 1, 2 or 5 x 10^k)."""
    potencia = 1
    while True:
        for paso in (1, 2, 5):
            if 4 * paso * potencia >= maximo:
                return 4 * paso * potencia
        potencia *= 10


def barras(categorias: list[str], series: list[str], valores: list[list[Decimal]]) -> dict:
    """Grouped bars: `valores[i][j]` is category i's value in series j (pesos)."""
    enteros = [[int(v) for v in fila] for fila in valores]
    tope = escala(max([v for fila in enteros for v in fila] + [1]))
    alto_util = ALTO - MARGEN_INF - MARGEN_SUP
    ancho_grupo = (ANCHO - MARGEN_IZQ) / max(len(categorias), 1)
    ancho_barra = ancho_grupo * 0.8 / max(len(series), 1)
    lista, etiquetas = [], []
    for i, categoria in enumerate(categorias):
        inicio = MARGEN_IZQ + i * ancho_grupo + ancho_grupo * 0.1
        for j, serie in enumerate(series):
            valor = enteros[i][j]
            alto = alto_util * valor / tope
            lista.append(
                Barra(
                    x=round(inicio + j * ancho_barra, 1),
                    y=round(MARGEN_SUP + alto_util - alto, 1),
                    ancho=round(ancho_barra * 0.9, 1),
                    alto=round(alto, 1),
                    serie=j,
                    titulo=f"{categoria} - {serie}: {format_cop(valores[i][j])}",
                )
            )
        # Long series of periods: label one category in every few.
        cada = max(1, len(categorias) // 12)
        if i % cada == 0:
            etiquetas.append(Etiqueta(round(inicio + ancho_grupo * 0.4, 1), categoria))
    lineas = [
        (round(MARGEN_SUP + alto_util * (1 - paso / 4), 1), format_cop(tope * paso // 4))
        for paso in range(5)
    ]
    return {
        "ancho": ANCHO,
        "alto": ALTO,
        "margen_izq": MARGEN_IZQ,
        "base": ALTO - MARGEN_INF,
        "barras": lista,
        "etiquetas": etiquetas,
        "lineas": lineas,
        "series": series,
    }
