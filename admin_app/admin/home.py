"""The admin home: the dashboard (inventory, sales per month, collections, alerts)."""

from dataclasses import dataclass

from flask import redirect, request, url_for
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import select

from ..auth import permisos
from ..extensions import db
from ..formatting import today_bogota
from ..models import Proyecto
from ..services import tablero
from ..services.plan_pagos import sumar_meses
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


PERIODOS = {
    3: "Últimos 3 meses",
    6: "Últimos 6 meses",
    12: "Últimos 12 meses",
    24: "Últimos 24 meses",
}


def _filtros_tablero() -> tuple[int | None, int | None]:
    """(months of the period or None: this month's figures, project id or None)."""
    periodo = request.args.get("periodo", "")
    meses = int(periodo) if periodo.isdigit() and int(periodo) in PERIODOS else None
    valor = request.args.get("proyecto", "")
    id_proyecto = int(valor) if valor.isdigit() and len(valor) < 10 else None
    if id_proyecto is not None and db.session.get(Proyecto, id_proyecto) is None:
        id_proyecto = None
    return meses, id_proyecto


class HomeView(SecureIndexView):
    @expose("/")
    def index(self):
        if not permisos.puede(current_user, permisos.TABLERO):
            return redirect(url_for(permisos.pagina_de_inicio(current_user)))
        hoy = today_bogota()
        periodo, id_proyecto = _filtros_tablero()
        n = periodo or 12
        meses = tablero.operaciones_por_mes(hoy, n, id_proyecto=id_proyecto)
        inicio = sumar_meses(hoy.replace(day=1), -(periodo - 1)) if periodo else None
        return self.render(
            "admin/home.html",
            hoy=hoy,
            periodo=periodo,
            periodos=PERIODOS,
            id_proyecto=id_proyecto,
            proyectos=db.session.execute(
                select(Proyecto.id, Proyecto.nombre).order_by(Proyecto.nombre)
            ).all(),
            inventario=tablero.inventario_por_proyecto(id_proyecto),
            inventario_otras=tablero.inventario_locales_parqueaderos(id_proyecto),
            meses=meses,
            grafico=grafico_operaciones(meses),
            recaudo=tablero.recaudo_del_mes(hoy, id_proyecto=id_proyecto, inicio=inicio),
            velocidad=tablero.velocidad_de_ventas(hoy, n, id_proyecto=id_proyecto),
            vencidas=tablero.cuotas_vencidas(hoy, id_proyecto=id_proyecto),
            por_caducar=tablero.separaciones_por_caducar(hoy, id_proyecto=id_proyecto),
            dias_por_caducar=tablero.DIAS_POR_CADUCAR,
        )
