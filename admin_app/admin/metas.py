"""Metas (admin, gerente, director), their monthly cumplimiento with a 12-month
trend, and the asesor's home page: his operations, his month."""

from dataclasses import dataclass
from decimal import Decimal

from flask import request
from flask_admin import BaseView, expose
from flask_admin.contrib.sqla.filters import FilterEqual, IntEqualFilter
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectField

from ..auth import permisos
from ..database import clave_entera
from ..extensions import db
from ..formatting import today_bogota
from ..models import Comision, EstadoComision, Meta, TipoMeta, Venta
from ..services import metas as servicio
from ..services.asesores import equipo_de
from ..services.errors import ServiceError
from .base import SecureMixin, SecureModelView
from .campos import CampoDecimal, CampoEntero, FormularioAdmin
from .comisiones import opciones_asesores, opciones_proyectos
from .formularios import entero_o_none

MESES_OPCIONES = [(str(i), nombre.capitalize()) for i, nombre in enumerate(servicio.MESES, 1)]


def usuarios_visibles(usuario) -> list[int] | None:
    if permisos.puede(usuario, permisos.METAS_TODAS):
        return None
    return [usuario.id, *equipo_de(usuario.id)]


class MetaForm(FormularioAdmin):
    id_proyecto = SelectField("Proyecto", coerce=entero_o_none, validate_choice=False)
    id_usuario = SelectField("Asesor", coerce=entero_o_none, validate_choice=False)
    anio = CampoEntero("Año", minimo=2000, maximo=2200)
    mes = SelectField("Mes", coerce=entero_o_none, choices=MESES_OPCIONES, validate_choice=False)
    tipo = SelectField(
        "Tipo", choices=[("", "— Seleccione —"), *TipoMeta.LABELS.items()], validate_choice=False
    )
    # Not `meta`: WTForms keeps a form's options under that name.
    valor_meta = CampoDecimal(
        "Meta",
        minimo=Decimal(0),
        minimo_excluido=True,
        description="Unidades (número entero) o pesos (valor vendido, recaudo).",
    )


CAMPOS_META = ("id_proyecto", "id_usuario", "anio", "mes", "tipo")


def _datos_meta(form) -> servicio.DatosMeta:
    datos = {c: getattr(form, c).data for c in CAMPOS_META}
    return servicio.DatosMeta(**datos, meta=form.valor_meta.data)


def _guardar(form, meta=None):
    """The service's call, its errors on `meta` put on the form's `valor_meta`."""
    try:
        return servicio.guardar_meta(_datos_meta(form), meta)
    except ServiceError as exc:
        if "meta" in exc.errors:
            exc.errors["valor_meta"] = exc.errors.pop("meta")
        raise


class MetaView(SecureModelView):
    form = MetaForm
    column_default_sort = ("id", True)
    column_list = ("anio", "mes", "proyecto", "usuario", "tipo", "meta")
    column_details_list = ("id", *column_list, "created_at", "updated_at")
    column_export_list = column_list
    column_labels = {
        "anio": "Año",
        "mes": "Mes",
        "proyecto": "Proyecto",
        "usuario": "Asesor",
        "tipo": "Tipo",
        "meta": "Meta",
    }
    column_formatters = {
        "tipo": lambda v, c, m, n: m.tipo_label,
        "mes": lambda v, c, m, n: servicio.MESES[m.mes - 1].capitalize(),
        "proyecto": lambda v, c, m, n: m.proyecto or "Todos",
        "usuario": lambda v, c, m, n: m.usuario or "Todo el equipo",
    }
    column_filters = (
        FilterEqual(Meta.tipo, "Tipo", options=list(TipoMeta.LABELS.items())),
        IntEqualFilter(Meta.anio, "Año"),
    )

    def _visibles(self, query):
        usuarios = usuarios_visibles(current_user)
        return query if usuarios is None else query.filter(Meta.id_usuario.in_(usuarios))

    def get_query(self):
        return self._visibles(super().get_query())

    def get_count_query(self):
        return self._visibles(super().get_count_query())

    def _opciones(self, form):
        form.id_proyecto.choices = opciones_proyectos("Todos los proyectos")
        form.id_usuario.choices = opciones_asesores("Todo el equipo")
        return form

    def create_form(self, obj=None):
        form = self._opciones(super().create_form(obj))
        if request.method == "GET":
            hoy = today_bogota()
            form.anio.data = form.anio.data or hoy.year
            form.mes.data = form.mes.data or hoy.month
        return form

    def edit_form(self, obj=None):
        form = self._opciones(super().edit_form(obj))
        if obj is not None and request.method == "GET":
            form.valor_meta.data = obj.meta
        return form

    def create_record(self, form):
        return _guardar(form)

    def update_record(self, form, model) -> None:
        _guardar(form, model)

    def delete_record(self, model) -> None:
        servicio.eliminar_meta(model)


# --- the trend chart: server-side SVG, as the dashboard's ----------------------------

ANCHO, ALTO = 720, 220
MARGEN_IZQ, MARGEN_INF, MARGEN_SUP = 44, 34, 12


@dataclass(frozen=True)
class BarraMes:
    etiqueta: str
    x: float
    x_centro: float
    y: float
    alto: float
    porcentaje: Decimal | None
    alerta: bool


def grafico_tendencia(meses: list[servicio.MesTendencia]) -> dict:
    """Bars of each month's % of its goal (capped at the axis top), a line at 100 %
    and one at 80 %."""
    valores = [m.porcentaje for m in meses if m.porcentaje is not None]
    tope = max([Decimal(100), *valores])
    tope = Decimal(int((tope + 24) // 25 * 25))
    alto_util = ALTO - MARGEN_INF - MARGEN_SUP
    ancho_mes = (ANCHO - MARGEN_IZQ) / max(len(meses), 1)
    barras = []
    for indice, mes in enumerate(meses):
        x = MARGEN_IZQ + indice * ancho_mes
        porcentaje = mes.porcentaje
        alto = float(alto_util * (porcentaje or 0) / tope)
        barras.append(
            BarraMes(
                etiqueta=mes.etiqueta,
                x=round(x + ancho_mes * 0.2, 1),
                x_centro=round(x + ancho_mes / 2, 1),
                y=round(MARGEN_SUP + alto_util - alto, 1),
                alto=round(alto, 1),
                porcentaje=porcentaje,
                alerta=porcentaje is not None and porcentaje < servicio.UMBRAL_ALERTA,
            )
        )

    def linea(valor: Decimal) -> float:
        return round(float(MARGEN_SUP + alto_util * (1 - valor / tope)), 1)

    return {
        "ancho": ANCHO,
        "alto": ALTO,
        "margen_izq": MARGEN_IZQ,
        "base": ALTO - MARGEN_INF,
        "ancho_barra": round(ancho_mes * 0.6, 1),
        "barras": barras,
        "y_100": linea(Decimal(100)),
        "y_80": linea(servicio.UMBRAL_ALERTA),
        "y_tope": linea(tope),
        "tope": tope,
    }


def _mes_pedido() -> tuple[int, int]:
    hoy = today_bogota()
    anio = clave_entera(request.args.get("anio", ""))
    mes = clave_entera(request.args.get("mes", ""))
    if anio is None or not 2000 <= anio <= 2200:
        anio = hoy.year
    if mes is None or not 1 <= mes <= 12:
        mes = hoy.month
    return anio, mes


class CumplimientoView(SecureMixin, BaseView):
    """Each goal of a month: meta, real, % and a bar; below 80 % flagged; the
    12-month trend of one goal."""

    @expose("/")
    def index(self):
        anio, mes = _mes_pedido()
        filas = servicio.cumplimiento(anio, mes, usuarios_visibles(current_user))
        elegida = clave_entera(request.args.get("meta", ""))
        # Without a choice, the first goal in units: its trend reads only the ventas.
        por_defecto = next((f for f in filas if f.meta.tipo == TipoMeta.UNIDADES), None)
        por_defecto = por_defecto or (filas[0] if filas else None)
        actual = next((f for f in filas if f.meta.id == elegida), por_defecto)
        grafico = None
        if actual is not None:
            meta = actual.meta
            meses = servicio.tendencia(anio, mes, meta.tipo, meta.id_usuario, meta.id_proyecto)
            grafico = grafico_tendencia(meses)
        return self.render(
            "admin/metas/cumplimiento.html",
            anio=anio,
            mes=mes,
            nombre_mes=servicio.MESES[mes - 1],
            filas=filas,
            actual=actual,
            grafico=grafico,
            meses=MESES_OPCIONES,
            umbral=servicio.UMBRAL_ALERTA,
        )


class AsesorInicioView(SecureMixin, BaseView):
    """The asesor's (and director's) home: his month, his latest operations."""

    def is_visible(self) -> bool:
        return current_user.is_authenticated and current_user.rol in (
            "asesor",
            "director_comercial",
        )

    @expose("/")
    def index(self):
        hoy = today_bogota()
        propias = [current_user.id]
        metas = servicio.cumplimiento(hoy.year, hoy.month, propias)
        operaciones = db.session.scalars(
            select(Venta)
            .where(Venta.id_asesor == current_user.id)
            .order_by(Venta.fecha.desc(), Venta.id.desc())
            .limit(10)
        ).all()
        comisiones = dict(
            db.session.execute(
                select(Comision.estado, func.sum(Comision.valor))
                .where(Comision.id_usuario == current_user.id)
                .group_by(Comision.estado)
            ).all()
        )
        return self.render(
            "admin/metas/asesor_inicio.html",
            hoy=hoy,
            nombre_mes=servicio.MESES[hoy.month - 1],
            metas=metas,
            operaciones=operaciones,
            comisiones=comisiones,
            estados=EstadoComision.LABELS,
            puede_vender=permisos.puede(current_user, "ventas:crear"),
            umbral=servicio.UMBRAL_ALERTA,
        )
