"""The "Reportes" menu: cartera por edades, recaudo and calendario de cartera.

Read-only pages for the roles `puede_ver_reportes` allows (a digitador gets a
403); each figure links to the cuotas or pagos behind it, and each table is
exported to CSV or XLSX with the lists' streaming writers.
"""

from datetime import date, timedelta

from flask import Response, abort, flash, request, stream_with_context, url_for
from flask_admin import BaseView, expose
from flask_login import current_user
from sqlalchemy import select
from werkzeug.utils import secure_filename

from ..extensions import db
from ..formatting import format_date, today_bogota
from ..hojas import csv_chunks, neutralize
from ..limites import fecha_fuera_de_rango
from ..models import Proyecto
from ..reportes import cartera as servicio
from ..reportes import grafico, puede_ver_reportes
from ..services.plan_pagos import sumar_meses
from .base import SecureMixin
from .export import XLSX_MIMETYPE, YIELD_PER, numero, xlsx_chunks
from .formularios import entero_o_none

REPORTES = "Reportes"
FORMATOS = ("csv", "xlsx")
LIMITE_FILAS = 200  # groups on the page; the export has all of them
LIMITE_CUOTAS = 500


def _fecha(nombre: str, defecto: date) -> date:
    valor = request.args.get(nombre, "").strip()
    if not valor:
        return defecto
    try:
        dia = date.fromisoformat(valor)
    except ValueError:
        dia = None
    if dia is None or fecha_fuera_de_rango(dia):
        flash(f"Se ignoró la fecha «{valor[:20]}»: no es una fecha válida.", "error")
        return defecto
    return dia


def _proyecto() -> int | None:
    valor = request.args.get("proyecto", "").strip()
    if not valor:
        return None
    if valor.isdigit() and len(valor) < 10 and db.session.get(Proyecto, int(valor)) is not None:
        return int(valor)
    flash("Se ignoró el proyecto indicado: no existe.", "error")
    return None


def _opcion(nombre: str, opciones: tuple[str, ...]) -> str:
    valor = request.args.get(nombre, "")
    return valor if valor in opciones else opciones[0]


def _proyectos() -> list[tuple[int, str]]:
    return list(db.session.execute(select(Proyecto.id, Proyecto.nombre).order_by(Proyecto.nombre)))


def _descarga(nombre: str, formato: str, encabezados: list[str], filas) -> Response:
    if formato == "csv":
        cuerpo, mimetype = csv_chunks(encabezados, filas), "text/csv; charset=utf-8"
    else:
        cuerpo, mimetype = xlsx_chunks(encabezados, filas, nombre), XLSX_MIMETYPE
    archivo = secure_filename(f"{nombre}_{today_bogota():%Y-%m-%d}.{formato}")
    return Response(
        stream_with_context(cuerpo),
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={archivo}"},
    )


def _texto(valor) -> str:
    return neutralize(str(valor or ""))


def _dinero(valor) -> str:
    return numero(f"{valor:.2f}")


def _filas_stream(stmt):
    stmt = stmt.execution_options(yield_per=YIELD_PER, stream_results=True)
    for particion in db.session.connection().execute(stmt).partitions():
        yield from particion


class ReporteView(SecureMixin, BaseView):
    def is_accessible(self) -> bool:
        return current_user.is_authenticated and puede_ver_reportes(current_user)

    def _formato(self, formato: str) -> str:
        if formato not in FORMATOS:
            abort(404)
        return formato


class CarteraView(ReporteView):
    def _parametros(self):
        return (
            _fecha("fecha", today_bogota()),
            _proyecto(),
            _opcion("agrupar", servicio.AGRUPACIONES),
        )

    @expose("/")
    def index(self):
        fecha, id_proyecto, agrupar = self._parametros()
        cartera = servicio.cartera_por_edades(
            fecha, agrupar=agrupar, id_proyecto=id_proyecto, limite=LIMITE_FILAS
        )
        etiquetas = [servicio.ETIQUETAS_TRAMO[c] for c in servicio.CLAVES_TRAMO]
        chart = grafico.barras(
            etiquetas, ["Cartera vencida"], [[cartera.totales[c]] for c in servicio.CLAVES_TRAMO]
        )
        return self.render(
            "admin/reportes/cartera.html",
            cartera=cartera,
            tramos=servicio.TRAMOS,
            grafico=chart,
            proyectos=_proyectos(),
            id_proyecto=id_proyecto,
            agrupar=agrupar,
            limite=LIMITE_FILAS,
        )

    @expose("/exportar/<formato>/")
    def exportar(self, formato: str):
        formato = self._formato(formato)
        fecha, id_proyecto, agrupar = self._parametros()
        cartera = servicio.cartera_por_edades(fecha, agrupar=agrupar, id_proyecto=id_proyecto)
        primera = {"proyecto": "Proyecto", "asesor": "Asesor"}.get(agrupar, "Cliente")
        encabezados = [primera]
        if agrupar == "cliente":
            encabezados.append("Documento")
        encabezados += [*(t[1] for t in servicio.TRAMOS), "Total", "Cuotas"]

        def filas():
            for fila in cartera.filas:
                salida = [_texto(fila.nombre)]
                if agrupar == "cliente":
                    salida.append(_texto(fila.clave))
                salida += [_dinero(fila.tramos[c]) for c in servicio.CLAVES_TRAMO]
                yield [*salida, _dinero(fila.total), numero(fila.cuotas)]

        return _descarga(f"cartera_{fecha:%Y%m%d}", formato, encabezados, filas())

    def _cuotas_args(self):
        fecha, id_proyecto, _agrupar = self._parametros()
        tramo = request.args.get("tramo") or None
        if tramo not in (None, *servicio.CLAVES_TRAMO):
            tramo = None
        documento = (request.args.get("documento") or "").strip()[:40] or None
        asesor = entero_o_none(request.args.get("asesor"))
        return fecha, id_proyecto, tramo, documento, asesor

    @expose("/cuotas/")
    def cuotas(self):
        fecha, id_proyecto, tramo, documento, asesor = self._cuotas_args()
        stmt = servicio.cuotas_en_mora(
            fecha, id_proyecto=id_proyecto, documento=documento, tramo=tramo, asesor=asesor
        ).subquery()
        filas = db.session.execute(
            select(stmt)
            .order_by(stmt.c.fecha_vencimiento, stmt.c.id_cuota)
            .limit(LIMITE_CUOTAS + 1)
        ).all()
        return self.render(
            "admin/reportes/cuotas.html",
            fecha=fecha,
            filas=filas[:LIMITE_CUOTAS],
            truncado=len(filas) > LIMITE_CUOTAS,
            tramo=servicio.ETIQUETAS_TRAMO.get(tramo or "", "Todos los tramos"),
            documento=documento,
            proyecto=db.session.get(Proyecto, id_proyecto) if id_proyecto else None,
        )

    @expose("/cuotas/exportar/<formato>/")
    def cuotas_exportar(self, formato: str):
        formato = self._formato(formato)
        fecha, id_proyecto, tramo, documento, asesor = self._cuotas_args()
        stmt = servicio.cuotas_en_mora(
            fecha, id_proyecto=id_proyecto, documento=documento, tramo=tramo, asesor=asesor
        ).subquery()
        encabezados = [
            "Operación",
            "Cuota",
            "Concepto",
            "Vencimiento",
            "Días vencida",
            "Valor",
            "Pendiente",
            "Proyecto",
            "Cliente",
        ]

        def filas():
            for f in _filas_stream(
                select(stmt).order_by(stmt.c.fecha_vencimiento, stmt.c.id_cuota)
            ):
                yield [
                    numero(f.id_venta),
                    numero(f.numero),
                    _texto(f.concepto),
                    format_date(f.fecha_vencimiento),
                    numero((fecha - f.fecha_vencimiento).days),
                    _dinero(f.valor),
                    _dinero(f.pendiente),
                    _texto(f.proyecto),
                    _texto(f.documento_cliente),
                ]

        return _descarga(f"cartera_cuotas_{fecha:%Y%m%d}", formato, encabezados, filas())


class RecaudoView(ReporteView):
    def _parametros(self):
        hoy = today_bogota()
        hasta = _fecha("hasta", hoy)
        desde = _fecha("desde", sumar_meses(hasta.replace(day=1), -11))
        if desde > hasta:
            flash("La fecha inicial es posterior a la final; se intercambiaron.", "error")
            desde, hasta = hasta, desde
        if (hasta - desde).days > 3660:
            flash("El periodo se limitó a diez años.", "error")
            desde = hasta - timedelta(days=3660)
        return desde, hasta, _opcion("agrupar", ("mes", "semana", "dia")), _proyecto()

    @expose("/")
    def index(self):
        desde, hasta, agrupar, id_proyecto = self._parametros()
        if agrupar == "dia" and (hasta - desde).days > 366:
            flash("Por día se muestra a lo sumo un año; se agrupó por mes.", "error")
            agrupar = "mes"
        datos = servicio.recaudo(desde, hasta, agrupar=agrupar, id_proyecto=id_proyecto)
        chart = grafico.barras(
            [f.etiqueta for f in datos.filas], ["Recaudo"], [[f.total] for f in datos.filas]
        )
        return self.render(
            "admin/reportes/recaudo.html",
            datos=datos,
            grafico=chart,
            proyectos=_proyectos(),
            id_proyecto=id_proyecto,
            agrupar=agrupar,
        )

    @expose("/exportar/<formato>/")
    def exportar(self, formato: str):
        formato = self._formato(formato)
        desde, hasta, agrupar, id_proyecto = self._parametros()
        datos = servicio.recaudo(desde, hasta, agrupar=agrupar, id_proyecto=id_proyecto)
        encabezados = ["Periodo", *datos.medios, "Total", "Pagos"]

        def filas():
            for f in datos.filas:
                yield [
                    _texto(f.etiqueta),
                    *(_dinero(f.por_medio.get(m, 0)) for m in datos.medios),
                    _dinero(f.total),
                    numero(f.pagos),
                ]

        return _descarga(f"recaudo_{desde:%Y%m%d}_{hasta:%Y%m%d}", formato, encabezados, filas())

    @expose("/pagos/")
    def pagos(self):
        desde, hasta, _agrupar, id_proyecto = self._parametros()
        medio = (request.args.get("medio") or "").strip()[:60] or None
        stmt = servicio.pagos_del_periodo(desde, hasta, id_proyecto).subquery()
        consulta = select(stmt).order_by(stmt.c.fecha, stmt.c.id_pago)
        if medio:
            consulta = consulta.where(stmt.c.medio == medio)
        filas = db.session.execute(consulta.limit(LIMITE_CUOTAS + 1)).all()
        return self.render(
            "admin/reportes/pagos.html",
            desde=desde,
            hasta=hasta,
            medio=medio,
            filas=filas[:LIMITE_CUOTAS],
            truncado=len(filas) > LIMITE_CUOTAS,
        )


class CalendarioView(ReporteView):
    def _parametros(self):
        hoy = today_bogota()
        desde = _fecha("desde", sumar_meses(hoy.replace(day=1), -6))
        hasta = _fecha("hasta", sumar_meses(hoy.replace(day=1), 12))
        if desde > hasta:
            flash("La fecha inicial es posterior a la final; se intercambiaron.", "error")
            desde, hasta = hasta, desde
        if (hasta.year - desde.year) * 12 + hasta.month - desde.month > 120:
            flash("El calendario se limitó a diez años.", "error")
            hasta = sumar_meses(desde, 120)
        return desde, hasta, _proyecto(), hoy

    @expose("/")
    def index(self):
        desde, hasta, id_proyecto, hoy = self._parametros()
        datos = servicio.calendario(desde, hasta, hoy=hoy, id_proyecto=id_proyecto)
        chart = grafico.barras(
            [f.etiqueta for f in datos.filas],
            ["Programado", "Pendiente"],
            [[f.total_programado, f.total_pendiente] for f in datos.filas],
        )
        return self.render(
            "admin/reportes/calendario.html",
            datos=datos,
            grafico=chart,
            proyectos=_proyectos(),
            id_proyecto=id_proyecto,
        )

    @expose("/exportar/<formato>/")
    def exportar(self, formato: str):
        formato = self._formato(formato)
        desde, hasta, id_proyecto, hoy = self._parametros()
        datos = servicio.calendario(desde, hasta, hoy=hoy, id_proyecto=id_proyecto)
        encabezados = [
            "Mes",
            *(f"Programado {c}" for c in datos.conceptos),
            "Programado total",
            *(f"Pendiente {c}" for c in datos.conceptos),
            "Pendiente total",
        ]

        def filas():
            for f in datos.filas:
                yield [
                    _texto(f.etiqueta),
                    *(_dinero(f.programado[c]) for c in datos.conceptos),
                    _dinero(f.total_programado),
                    *(_dinero(f.pendiente[c]) for c in datos.conceptos),
                    _dinero(f.total_pendiente),
                ]

        return _descarga(f"calendario_{desde:%Y%m}_{hasta:%Y%m}", formato, encabezados, filas())

    @expose("/cuotas/")
    def cuotas(self):
        """The cuotas behind one month of the calendar (optionally one concepto)."""
        hoy = today_bogota()
        inicio = _fecha("mes", hoy.replace(day=1)).replace(day=1)
        fin = sumar_meses(inicio, 1) - timedelta(days=1)
        concepto = request.args.get("concepto") or None
        if concepto not in (None, *servicio.CONCEPTOS):
            concepto = None
        stmt = servicio.cuotas_del_calendario(inicio, fin, _proyecto()).subquery()
        consulta = select(stmt).order_by(stmt.c.fecha_vencimiento, stmt.c.id_cuota)
        if concepto:
            consulta = consulta.where(stmt.c.concepto == concepto)
        filas = db.session.execute(consulta.limit(LIMITE_CUOTAS + 1)).all()
        return self.render(
            "admin/reportes/cuotas_mes.html",
            inicio=inicio,
            concepto=concepto,
            filas=filas[:LIMITE_CUOTAS],
            truncado=len(filas) > LIMITE_CUOTAS,
        )


def add_reportes_views(admin) -> None:
    admin.add_view(
        CarteraView(name="Cartera por edades", endpoint="reporte_cartera", category=REPORTES)
    )
    admin.add_view(RecaudoView(name="Recaudo", endpoint="reporte_recaudo", category=REPORTES))
    admin.add_view(
        CalendarioView(
            name="Calendario de cartera", endpoint="reporte_calendario", category=REPORTES
        )
    )


def enlace_cuotas(**kwargs) -> str:
    return url_for("reporte_cartera.cuotas", **{k: v for k, v in kwargs.items() if v})
