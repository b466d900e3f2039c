"""The admin home: the dashboard (inventory, sales per month, collections, alerts)."""

from dataclasses import dataclass

from flask import redirect, url_for
from flask_admin import expose
from flask_login import current_user

from ..auth import permisos
from ..formatting import today_bogota
from ..services import tablero
from .base import SecureIndexView

# The chart's drawing area, in SVG user units (the SVG scales to its box).
ANCHO, ALTO = 720, 240
MARGEN_IZQ, MARGEN_INF, MARGEN_SUP = 40, 36, 12


@dataclass(frozen=True)
class Barra:
    x: float
    y: float
    alto: float
    valor: int


@dataclass(frozen=True)
class GrupoMes:
    etiqueta: str
    x_centro: float
    ventas: Barra
    separaciones: Barra


def _escala(maximo: int) -> int:
    """A round top for the axis (4 grid steps of 1, 2 or 5 x 10^k) so lines fall on integers."""
    potencia = 1
    while True:
        for paso in (1, 2, 5):
            if 4 * paso * potencia >= maximo:
                return 4 * paso * potencia
        potencia *= 10


def grafico_operaciones(meses: list[tablero.OperacionesMes]) -> dict:
    """Bar geometry for the inline SVG chart (no script, no CDN: CSP allows neither)."""
    tope = _escala(max([m.ventas for m in meses] + [m.separaciones for m in meses] + [1]))
    alto_util = ALTO - MARGEN_INF - MARGEN_SUP
    ancho_grupo = (ANCHO - MARGEN_IZQ) / max(len(meses), 1)
    ancho_barra = ancho_grupo * 0.34

    def barra(x: float, valor: int) -> Barra:
        alto = alto_util * valor / tope
        return Barra(round(x, 1), round(MARGEN_SUP + alto_util - alto, 1), round(alto, 1), valor)

    grupos = []
    for indice, mes in enumerate(meses):
        inicio = MARGEN_IZQ + indice * ancho_grupo
        centro = inicio + ancho_grupo / 2
        grupos.append(
            GrupoMes(
                etiqueta=mes.etiqueta,
                x_centro=round(centro, 1),
                ventas=barra(centro - ancho_barra - 1, mes.ventas),
                separaciones=barra(centro + 1, mes.separaciones),
            )
        )
    lineas = [
        (round(MARGEN_SUP + alto_util * (1 - paso / 4), 1), tope * paso // 4) for paso in range(5)
    ]
    return {
        "ancho": ANCHO,
        "alto": ALTO,
        "margen_izq": MARGEN_IZQ,
        "base": ALTO - MARGEN_INF,
        "ancho_barra": round(ancho_barra, 1),
        "grupos": grupos,
        "lineas": lineas,
    }


class HomeView(SecureIndexView):
    @expose("/")
    def index(self):
        if not permisos.puede(current_user, permisos.TABLERO):
            return redirect(url_for(permisos.pagina_de_inicio(current_user)))
        hoy = today_bogota()
        meses = tablero.operaciones_por_mes(hoy)
        return self.render(
            "admin/home.html",
            hoy=hoy,
            inventario=tablero.inventario_por_proyecto(),
            inventario_otras=tablero.inventario_locales_parqueaderos(),
            meses=meses,
            grafico=grafico_operaciones(meses),
            recaudo=tablero.recaudo_del_mes(hoy),
            vencidas=tablero.cuotas_vencidas(hoy),
            por_caducar=tablero.separaciones_por_caducar(hoy),
            dias_por_caducar=tablero.DIAS_POR_CADUCAR,
        )
