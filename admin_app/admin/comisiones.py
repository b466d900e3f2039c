"""Políticas de comisión, comisiones (list, report, XLSX, liquidation) and liquidaciones."""

import io
from decimal import Decimal

import xlsxwriter
from flask import abort, flash, redirect, request, send_file, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import FilterEqual, IntEqualFilter
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired

from ..auth import permisos
from ..extensions import db
from ..formatting import format_cop, format_date, today_bogota
from ..models import (
    Comision,
    EstadoComision,
    EstadoLiquidacion,
    Liquidacion,
    PoliticaComision,
    Proyecto,
    Rol,
    TipoComision,
    Usuario,
)
from ..services import comisiones as servicio
from .base import SecureModelView, save
from .campos import CampoTasa, Formulario, FormularioAdmin, campo_fecha
from .formularios import entero_o_none, filtros_de_fecha


def opciones_asesores(vacio: str | None = "— Seleccione —") -> list[tuple[str, str]]:
    usuarios = db.session.execute(
        select(Usuario.id, Usuario.nombre_completo, Usuario.username)
        .where(Usuario.rol.in_(Rol.VENDEN))
        .order_by(Usuario.nombre_completo)
    ).all()
    opciones = [(str(i), f"{n} ({u})") for i, n, u in usuarios]
    return ([("", vacio)] if vacio else []) + opciones


def opciones_proyectos(vacio: str | None = "— Seleccione —") -> list[tuple[str, str]]:
    proyectos = db.session.execute(select(Proyecto.id, Proyecto.nombre).order_by(Proyecto.nombre))
    return ([("", vacio)] if vacio else []) + [(str(i), n) for i, n in proyectos]


def _dinero(view, context, model, name):
    return format_cop(getattr(model, name), cents=True)


def _porcentaje(view, context, model, name):
    return f"{getattr(model, name):.2f} %".replace(".", ",")


def _fecha(view, context, model, name):
    return format_date(getattr(model, name))


# --- políticas -------------------------------------------------------------------


class PoliticaForm(FormularioAdmin):
    id_usuario = SelectField("Usuario", coerce=entero_o_none, validate_choice=False)
    id_proyecto = SelectField("Proyecto", coerce=entero_o_none, validate_choice=False)
    tipo = SelectField(
        "Tipo",
        choices=[("", "— Seleccione —"), *TipoComision.LABELS.items()],
        description="Propia: sus ventas. Equipo: las ventas de los asesores que dirige.",
    )
    porcentaje = CampoTasa("Porcentaje", description="Entre 0 y 100, ej. 3,5.")
    vigente_desde = campo_fecha("Vigente desde")
    vigente_hasta = campo_fecha("Vigente hasta")


CAMPOS_POLITICA = ("id_proyecto", "id_usuario", "tipo", "porcentaje", "vigente_desde")


def _datos_politica(form) -> servicio.DatosPolitica:
    datos = {c: getattr(form, c).data for c in CAMPOS_POLITICA}
    return servicio.DatosPolitica(**datos, vigente_hasta=form.vigente_hasta.data)


class PoliticaComisionView(SecureModelView):
    form = PoliticaForm
    column_list = ("usuario", "proyecto", "tipo", "porcentaje", "vigente_desde", "vigente_hasta")
    column_details_list = ("id", *column_list, "created_at", "updated_at")
    column_export_list = column_list
    column_default_sort = ("id", True)
    column_labels = {
        "usuario": "Usuario",
        "proyecto": "Proyecto",
        "tipo": "Tipo",
        "porcentaje": "Porcentaje",
        "vigente_desde": "Vigente desde",
        "vigente_hasta": "Vigente hasta",
    }
    column_formatters = {
        "tipo": lambda v, c, m, n: TipoComision.LABELS.get(m.tipo, m.tipo),
        "porcentaje": _porcentaje,
        "vigente_desde": _fecha,
        "vigente_hasta": _fecha,
    }
    column_filters = (
        FilterEqual(PoliticaComision.tipo, "Tipo", options=list(TipoComision.LABELS.items())),
    )

    def _opciones(self, form):
        form.id_usuario.choices = opciones_asesores()
        form.id_proyecto.choices = opciones_proyectos()
        return form

    def create_form(self, obj=None):
        return self._opciones(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._opciones(super().edit_form(obj))

    def create_record(self, form):
        return servicio.guardar_politica(_datos_politica(form))

    def update_record(self, form, model) -> None:
        servicio.guardar_politica(_datos_politica(form), model)

    def delete_record(self, model) -> None:
        servicio.eliminar_politica(model)


# --- comisiones ------------------------------------------------------------------


class FiltrosForm(Formulario):
    class Meta:
        csrf = False

    desde = campo_fecha("Desde")
    hasta = campo_fecha("Hasta")
    beneficiario = SelectField("Beneficiario", coerce=entero_o_none, validate_choice=False)
    proyecto = SelectField("Proyecto", coerce=entero_o_none, validate_choice=False)
    estado = SelectField(
        "Estado",
        choices=[("", "Todos"), *EstadoComision.LABELS.items()],
        validate_choice=False,
    )


def _filtros_de(form: FiltrosForm, usuario) -> servicio.Filtros:
    estado = form.estado.data if form.estado.data in EstadoComision.ALL else None
    return servicio.Filtros(
        beneficiario=form.beneficiario.data,
        proyecto=form.proyecto.data,
        estado=estado,
        desde=form.desde.data,
        hasta=form.hasta.data,
        visibles=servicio.visibles(usuario),
    )


def _filtros_form() -> FiltrosForm:
    form = FiltrosForm(request.args)
    form.validate()
    visibles = servicio.visibles(current_user)
    opciones = opciones_asesores("Todos")
    if visibles is not None:
        opciones = [o for o in opciones if o[0] == "" or int(o[0]) in visibles]
    form.beneficiario.choices = opciones
    form.proyecto.choices = opciones_proyectos("Todos")
    return form


class ComisionView(SecureModelView):
    can_create = False
    can_edit = False
    admin_can_delete = False
    list_template = "admin/comisiones/list.html"
    column_default_sort = ("id", True)
    column_list = (
        "id",
        "fecha",
        "usuario",
        "proyecto",
        "id_venta",
        "tipo",
        "es_ajuste",
        "base",
        "porcentaje",
        "valor",
        "estado",
        "liquidacion",
    )
    column_details_list = column_list
    column_export_list = column_list
    column_labels = {
        "id": "Número",
        "fecha": "Fecha",
        "usuario": "Beneficiario",
        "proyecto": "Proyecto",
        "id_venta": "Venta",
        "tipo": "Tipo",
        "es_ajuste": "Ajuste",
        "base": "Base",
        "porcentaje": "Porcentaje",
        "valor": "Valor",
        "estado": "Estado",
        "liquidacion": "Liquidación",
    }
    column_formatters = {
        "tipo": lambda v, c, m, n: TipoComision.LABELS.get(m.tipo, m.tipo),
        "estado": lambda v, c, m, n: m.estado_label,
        "base": _dinero,
        "valor": _dinero,
        "porcentaje": _porcentaje,
        "fecha": _fecha,
    }
    column_formatters_export = {
        "tipo": lambda v, c, m, n: TipoComision.LABELS.get(m.tipo, m.tipo),
        "estado": lambda v, c, m, n: m.estado_label,
    }
    column_filters = (
        FilterEqual(Comision.estado, "Estado", options=list(EstadoComision.LABELS.items())),
        IntEqualFilter(Comision.id_usuario, "Beneficiario"),
        IntEqualFilter(Comision.id_proyecto, "Proyecto"),
        *filtros_de_fecha(Comision.fecha),
    )

    def _visibles(self, query):
        visibles = servicio.visibles(current_user)
        return query if visibles is None else query.filter(Comision.id_usuario.in_(visibles))

    def get_query(self):
        return self._visibles(super().get_query())

    def get_count_query(self):
        return self._visibles(super().get_count_query())

    def get_one(self, id):
        comision = super().get_one(id)
        visibles = servicio.visibles(current_user)
        if comision is not None and visibles is not None and comision.id_usuario not in visibles:
            return None
        return comision

    def is_action_allowed(self, name: str) -> bool:
        if name == "liquidar":
            return permisos.puede(current_user, "liquidaciones:crear")
        return super().is_action_allowed(name)

    @action(
        "liquidar",
        "Liquidar",
        "¿Liquidar las comisiones causadas seleccionadas en una liquidación?",
    )
    def action_liquidar(self, ids):
        claves = [c for c in map(entero_o_none, ids) if c is not None]
        liquidacion = save(None, lambda: servicio.liquidar(ids=claves, usuario=current_user))
        if liquidacion is not None:
            flash(
                f"Liquidación {liquidacion.numero}: {len(claves)} comisiones por "
                f"{format_cop(liquidacion.total, cents=True)}.",
                "success",
            )

    # -- liquidar by filters: see the total, then settle ---------------------------
    @expose("/liquidar/", methods=("GET", "POST"))
    def liquidar_view(self):
        if not permisos.puede(current_user, "liquidaciones:crear"):
            abort(403)
        form = _filtros_form()
        filtros = _filtros_de(form, current_user)
        filtros.estado = EstadoComision.CAUSADA
        if request.method == "POST":
            liquidacion = save(
                None, lambda: servicio.liquidar(filtros=filtros, usuario=current_user)
            )
            if liquidacion is not None:
                flash(
                    f"Liquidación {liquidacion.numero} creada por "
                    f"{format_cop(liquidacion.total, cents=True)}.",
                    "success",
                )
                return redirect(url_for("liquidaciones.details_view", id=liquidacion.id))
        causadas = db.session.scalars(
            servicio.filtrar(select(Comision), filtros).order_by(Comision.fecha, Comision.id)
        ).all()
        total = sum((c.valor for c in causadas), Decimal("0.00"))
        return self.render(
            "admin/comisiones/liquidar.html", form=form, causadas=causadas, total=total
        )

    # -- the report ---------------------------------------------------------------------
    @expose("/reporte/")
    def reporte_view(self):
        form = _filtros_form()
        filas = servicio.reporte(_filtros_de(form, current_user))
        totales = _totales(filas)
        return self.render(
            "admin/comisiones/reporte.html",
            form=form,
            filas=filas,
            totales=totales,
            xlsx_url=url_for(".reporte_xlsx_view", **request.args),
        )

    @expose("/reporte.xlsx")
    def reporte_xlsx_view(self):
        if not self.can_export:
            abort(403)
        form = _filtros_form()
        filas = servicio.reporte(_filtros_de(form, current_user))
        return send_file(
            io.BytesIO(reporte_xlsx(filas)),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            as_attachment=True,
            download_name=f"comisiones_{today_bogota():%Y%m%d}.xlsx",
        )


ESTADOS_REPORTE = ("causada", "liquidada", "pagada", "anulada")


def _totales(filas) -> dict[str, Decimal]:
    totales = {e: sum((getattr(f, e) for f in filas), Decimal("0.00")) for e in ESTADOS_REPORTE}
    totales["total"] = sum((f.total for f in filas), Decimal("0.00"))
    return totales


def reporte_xlsx(filas) -> bytes:
    salida = io.BytesIO()
    libro = xlsxwriter.Workbook(salida, {"in_memory": True, "strings_to_formulas": False})
    hoja = libro.add_worksheet("Comisiones")
    negrita = libro.add_format({"bold": True})
    dinero = libro.add_format({"num_format": '"$" #,##0.00'})
    encabezados = (
        "Beneficiario",
        "Proyecto",
        "Comisiones",
        "Causada",
        "Liquidada",
        "Pagada",
        "Anulada",
        "Total",
    )
    hoja.write_row(0, 0, encabezados, negrita)
    for numero, fila in enumerate(filas, start=1):
        hoja.write_string(numero, 0, fila.beneficiario)
        hoja.write_string(numero, 1, fila.proyecto)
        hoja.write_number(numero, 2, fila.cantidad)
        for columna, valor in enumerate(
            (fila.causada, fila.liquidada, fila.pagada, fila.anulada, fila.total), start=3
        ):
            hoja.write_number(numero, columna, valor, dinero)
    totales = _totales(filas)
    ultima = len(filas) + 1
    hoja.write_string(ultima, 0, "Total", negrita)
    for columna, estado in enumerate((*ESTADOS_REPORTE, "total"), start=3):
        hoja.write_number(ultima, columna, totales[estado], dinero)
    hoja.set_column(0, 1, 28)
    hoja.set_column(2, 7, 18)
    libro.close()
    return salida.getvalue()


# --- liquidaciones ---------------------------------------------------------------


class PagoLiquidacionForm(Formulario):
    fecha = campo_fecha("Fecha del pago", requerida=True)
    referencia = StringField(
        "Referencia",
        validators=[InputRequired("Indique la referencia del pago.")],
        description="Transferencia, comprobante...",
    )


class LiquidacionView(SecureModelView):
    can_create = False
    can_edit = False
    admin_can_delete = False
    details_template = "admin/comisiones/liquidacion.html"
    column_default_sort = ("id", True)
    column_list = ("numero", "fecha", "estado", "total", "fecha_pago", "referencia", "usuario")
    column_details_list = column_list
    column_export_list = column_list
    column_labels = {
        "numero": "Número",
        "fecha": "Fecha",
        "estado": "Estado",
        "total": "Total",
        "fecha_pago": "Fecha de pago",
        "referencia": "Referencia",
        "usuario": "Liquidada por",
    }
    column_formatters = {
        "estado": lambda v, c, m, n: m.estado_label,
        "total": _dinero,
        "fecha": _fecha,
        "fecha_pago": _fecha,
    }
    column_filters = (
        FilterEqual(Liquidacion.estado, "Estado", options=list(EstadoLiquidacion.LABELS.items())),
        *filtros_de_fecha(Liquidacion.fecha),
    )

    @expose("/details/")
    def details_view(self):
        liquidacion = self.get_one(request.args.get("id", ""))
        if liquidacion is None:
            flash("El registro no existe.", "error")
            return redirect(self.get_url(".index_view"))
        return self._detalle(liquidacion, PagoLiquidacionForm(fecha=today_bogota()))

    def _detalle(self, liquidacion, form):
        return self.render(
            self.details_template,
            liquidacion=liquidacion,
            form=form,
            puede_pagar=self.puede(permisos.EDITAR)
            and liquidacion.estado == EstadoLiquidacion.LIQUIDADA,
            return_url=self.get_url(".index_view"),
        )

    @expose("/pagar/", methods=("POST",))
    def pagar_view(self):
        if not self.puede(permisos.EDITAR):
            abort(403)
        liquidacion = self.get_one(request.args.get("id", ""))
        if liquidacion is None:
            abort(404)
        form = PagoLiquidacionForm()
        if form.validate_on_submit():
            hecho = save(
                form,
                lambda: servicio.pagar(liquidacion, form.fecha.data, form.referencia.data),
            )
            if hecho is not None:
                flash(f"Liquidación {liquidacion.numero} marcada como pagada.", "success")
                return redirect(self.get_url(".details_view", id=liquidacion.id))
        return self._detalle(db.session.get(Liquidacion, liquidacion.id), form)
