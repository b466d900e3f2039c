"""Ventas y separaciones in the admin: the list, a custom creation form, the
details page with its plan and payments, and the actions on an operation.
Every rule is the services'; these views collect input, commit and show errors."""

import io
import json
from datetime import date

from flask import abort, flash, redirect, request, send_file
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import FilterEqual, IntEqualFilter
from flask_wtf import FlaskForm
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import aliased
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..extensions import db
from ..formatting import format_cop, format_date, today_bogota
from ..models import (
    Apartamento,
    Cliente,
    EstadoOperacion,
    FormaPago,
    Proyecto,
    TipoOperacion,
    Torre,
    Venta,
)
from ..services import ventas as servicio
from ..services.errors import ServiceError
from ..services.estado_cuenta import resumen_venta
from ..text import fold
from ..validators import LongitudMaxima
from .base import SecureModelView
from .campos import (
    PLAZO_MAXIMO_CUOTA_INICIAL_MESES,
    CampoDinero,
    CampoEntero,
    CampoTasa,
    campo_fecha,
)
from .export import StreamingExportMixin, etiqueta_sql, numero, sql_text
from .formularios import (
    OpcionesVivasMixin,
    ejecutar,
    entero_o_none,
    filas_seleccionadas,
    filtros_de_fecha,
    opciones_formas_pago,
    opciones_proyectos_filtro,
    proyectos_activos,
    reglas_de,
)
from .scale import ScaleListMixin

APARTAMENTO_INEXISTENTE = "Seleccione un apartamento de la lista."


def campo_plazo() -> CampoEntero:
    return CampoEntero(
        "Plazo de la cuota inicial (meses)",
        validators=[Optional()],
        minimo=1,
        maximo=PLAZO_MAXIMO_CUOTA_INICIAL_MESES,
    )


def campo_tasa(**kwargs) -> CampoTasa:
    return CampoTasa("Tasa de interés efectiva anual (%)", validators=[Optional()], **kwargs)


class OperacionForm(FlaskForm):
    tipo_operacion = RadioField(
        "Tipo de operación",
        choices=[(TipoOperacion.SEPARACION, "Separación"), (TipoOperacion.VENTA, "Venta")],
        default=TipoOperacion.VENTA,
        validators=[InputRequired("Seleccione si es una venta o una separación.")],
    )
    documento_cliente = StringField(
        "Documento del cliente",
        validators=[InputRequired("Indique el cliente (documento).")],
        description="Se completa al elegir el cliente en la búsqueda; también puede escribirlo.",
    )
    id_proyecto = SelectField("Proyecto", validate_choice=False, validators=[Optional()])
    id_apartamento = CampoEntero(
        "Apartamento",
        validators=[InputRequired("Seleccione el apartamento.")],
        description="Solo se listan los apartamentos disponibles del proyecto.",
        minimo=1,
        mensaje_rango=APARTAMENTO_INEXISTENTE,
    )
    fecha = campo_fecha("Fecha de la operación", requerida=True)
    valor_total = CampoDinero(
        "Valor total",
        validators=[Optional()],
        description="Vacío: el precio del apartamento.",
        minimo_excluido=True,
    )
    valor_separacion = CampoDinero("Valor de la separación", validators=[Optional()])
    fecha_limite_separacion = campo_fecha("Fecha límite de la separación")
    id_forma_pago = SelectField("Forma de pago", validate_choice=False, validators=[Optional()])
    cuota_inicial = CampoDinero("Cuota inicial", validators=[Optional()])
    plazo_cuota_inicial_meses = campo_plazo()
    tasa_interes_anual = campo_tasa(default=0)
    observaciones = TextAreaField("Observaciones", validators=[Optional(), LongitudMaxima(300)])


class ConversionForm(FlaskForm):
    fecha = campo_fecha("Fecha de la venta", requerida=True)
    valor_total = CampoDinero("Valor total", validators=[Optional()], minimo_excluido=True)
    id_forma_pago = SelectField("Forma de pago", validate_choice=False, validators=[Optional()])
    cuota_inicial = CampoDinero("Cuota inicial", validators=[Optional()])
    plazo_cuota_inicial_meses = campo_plazo()
    tasa_interes_anual = campo_tasa(default=0)


class EdicionForm(FlaskForm):
    valor_total = CampoDinero("Valor total", validators=[Optional()], minimo_excluido=True)
    cuota_inicial = CampoDinero("Cuota inicial", validators=[Optional()])
    plazo_cuota_inicial_meses = campo_plazo()
    tasa_interes_anual = campo_tasa()
    fecha = campo_fecha("Fecha de la venta")


class AnulacionForm(FlaskForm):
    motivo_anulacion = TextAreaField(
        "Motivo de la anulación", validators=[Optional(), LongitudMaxima(300)]
    )


def _opciones_proyecto() -> list[tuple[str, str]]:
    return [("", "— Seleccione —")] + [(str(p.id), p.nombre) for p in proyectos_activos()]


def _cliente_fmt(view, context, model, name):
    return f"{model.cliente.nombre} ({model.documento_cliente})"


def _money_fmt(view, context, model, name):
    return format_cop(getattr(model, name))


def _date_fmt(view, context, model, name):
    return format_date(getattr(model, name))


def operacion_export_sql(venta) -> tuple[dict, list]:
    """For the plain-row exports (export_sql): the texts of an operation's tipo,
    client and apartment as SQL over `venta` (Venta or an alias), and the outer
    joins they need, on aliases of their own so they stay clear of the joins
    a list's filters add."""
    cliente, apartamento = aliased(Cliente), aliased(Apartamento)
    torre, proyecto = aliased(Torre), aliased(Proyecto)
    textos = {
        "tipo_operacion": sql_text(etiqueta_sql(venta.tipo_operacion, TipoOperacion.LABELS)),
        "documento_cliente": sql_text(venta.documento_cliente),
        "nombre_cliente": sql_text(cliente.nombre),
        "proyecto": sql_text(proyecto.nombre),
        "apartamento": sql_text(torre.nombre + " - " + apartamento.numero),
    }
    joins = [
        (cliente, cliente.documento == venta.documento_cliente),
        (apartamento, apartamento.id == venta.id_apartamento),
        (torre, torre.id == apartamento.id_torre),
        (proyecto, proyecto.id == torre.id_proyecto),
    ]
    return textos, joins


class VentaView(ScaleListMixin, OpcionesVivasMixin, StreamingExportMixin, SecureModelView):
    can_create = True
    can_edit = False
    list_template = "admin/ventas/list.html"
    details_template = "admin/ventas/details.html"
    column_default_sort = ("id", True)
    column_list = (
        "id",
        "tipo_operacion",
        "estado_operacion",
        "cliente",
        "apartamento",
        "fecha",
        "valor_total",
    )
    column_sortable_list = ("id", "tipo_operacion", "estado_operacion", "fecha", "valor_total")
    column_labels = {
        "id": "Número",
        "tipo_operacion": "Tipo",
        "estado_operacion": "Estado",
        "cliente": "Cliente",
        "documento_cliente": "Documento del cliente",
        "cliente.nombre_busqueda": "Nombre del cliente",
        "apartamento": "Apartamento",
        "fecha": "Fecha",
        "valor_total": "Valor total",
        "proyecto": "Proyecto",
        "valor_separacion": "Separación",
        "cuota_inicial": "Cuota inicial",
        "plazo_cuota_inicial_meses": "Plazo (meses)",
        "tasa_interes_anual": "Tasa anual (%)",
        "forma_pago": "Forma de pago",
        "nombre_cliente": "Nombre del cliente",
    }
    column_formatters = {
        "tipo_operacion": lambda v, c, m, n: m.tipo_label,
        "estado_operacion": lambda v, c, m, n: m.estado_label,
        "cliente": _cliente_fmt,
        "valor_total": _money_fmt,
        "fecha": _date_fmt,
    }
    column_searchable_list = ("documento_cliente", "cliente.nombre_busqueda")
    column_filters = (
        FilterEqual(Venta.tipo_operacion, "Tipo", options=list(TipoOperacion.LABELS.items())),
        FilterEqual(Venta.estado_operacion, "Estado", options=list(EstadoOperacion.LABELS.items())),
        IntEqualFilter("apartamento.torre.id_proyecto", "Proyecto"),
        *filtros_de_fecha(Venta.fecha),
        FilterEqual(Venta.documento_cliente, "Documento del cliente"),
    )
    opciones_vivas = {"Proyecto": opciones_proyectos_filtro}
    column_export_list = (
        "id",
        "tipo_operacion",
        "estado_operacion",
        "documento_cliente",
        "nombre_cliente",
        "proyecto",
        "apartamento",
        "fecha",
        "valor_total",
        "valor_separacion",
        "cuota_inicial",
        "plazo_cuota_inicial_meses",
        "tasa_interes_anual",
        "forma_pago",
    )
    column_formatters_export = {
        "tipo_operacion": lambda v, c, m, n: m.tipo_label,
        "estado_operacion": lambda v, c, m, n: m.estado_label,
        "nombre_cliente": lambda v, c, m, n: m.cliente.nombre,
        "proyecto": lambda v, c, m, n: m.apartamento.torre.proyecto.nombre,
        "apartamento": lambda v, c, m, n: f"{m.apartamento.torre.nombre} - {m.apartamento.numero}",
        "forma_pago": lambda v, c, m, n: m.forma_pago.nombre if m.forma_pago else "",
    }

    def export_sql(self):
        # Plain rows, the same columns and texts as column_export_list above.
        textos, joins = operacion_export_sql(Venta)
        forma = aliased(FormaPago)
        columns = [
            (Venta.id, numero),
            (textos["tipo_operacion"], None),
            (sql_text(etiqueta_sql(Venta.estado_operacion, EstadoOperacion.LABELS)), None),
            (textos["documento_cliente"], None),
            (textos["nombre_cliente"], None),
            (textos["proyecto"], None),
            (textos["apartamento"], None),
            (Venta.fecha, format_date),
            (Venta.valor_total, numero),
            (Venta.valor_separacion, numero),
            (Venta.cuota_inicial, numero),
            (Venta.plazo_cuota_inicial_meses, numero),
            (Venta.tasa_interes_anual, numero),
            (sql_text(forma.nombre), None),
        ]
        return columns, [*joins, (forma, forma.id == Venta.id_forma_pago)]

    # -- list -----------------------------------------------------------------
    def _apply_search(self, query, count_query, joins, count_joins, search):
        # Names are stored folded (no accents, lower case): fold what was typed too.
        return super()._apply_search(query, count_query, joins, count_joins, fold(search))

    def delete_record(self, model) -> None:
        servicio.eliminar_operacion(model)

    @action(
        "anular",
        "Anular",
        "¿Anular las operaciones seleccionadas? Se liberan sus apartamentos; "
        "los registros y sus pagos se conservan.",
    )
    def action_anular(self, ids):
        anuladas, rechazadas = [], []
        for venta in filas_seleccionadas(Venta, ids):
            try:
                servicio.anular_operacion(venta, "Anulación en lote")
                db.session.commit()
                anuladas.append(f"#{venta.id}")
            except ServiceError as exc:
                db.session.rollback()
                rechazadas.append(exc.message)
        if anuladas:
            flash(f"Operaciones anuladas: {', '.join(anuladas)}.", "success")
        for mensaje in rechazadas:
            flash(mensaje, "error")

    # -- creation -------------------------------------------------------------
    def _formulario_operacion(self) -> OperacionForm:
        if request.method == "POST":
            form = OperacionForm()
        else:
            tipo = request.args.get("tipo_operacion")
            form = OperacionForm(
                tipo_operacion=tipo if tipo in TipoOperacion.ALL else TipoOperacion.VENTA,
                documento_cliente=request.args.get("documento_cliente", ""),
                fecha=today_bogota(),
                tasa_interes_anual=0,
            )
        form.id_proyecto.choices = _opciones_proyecto()
        form.id_forma_pago.choices = opciones_formas_pago()
        return form

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        form = self._formulario_operacion()
        if form.validate_on_submit():
            datos = servicio.DatosOperacion(
                tipo_operacion=form.tipo_operacion.data,
                documento_cliente=form.documento_cliente.data.strip().upper(),
                id_apartamento=form.id_apartamento.data,
                fecha=form.fecha.data,
                valor_separacion=form.valor_separacion.data or servicio.CERO,
                id_forma_pago=entero_o_none(form.id_forma_pago.data),
                valor_total=form.valor_total.data,
                fecha_limite_separacion=form.fecha_limite_separacion.data,
                cuota_inicial=form.cuota_inicial.data,
                plazo_cuota_inicial_meses=form.plazo_cuota_inicial_meses.data,
                tasa_interes_anual=form.tasa_interes_anual.data or servicio.CERO,
                observaciones=(form.observaciones.data or "").strip() or None,
            )
            venta = ejecutar(form, lambda: servicio.crear_operacion(datos))
            if venta is not None:
                flash(f"{venta.tipo_label} #{venta.id} registrada.", "success")
                return redirect(self.get_url(".details_view", id=venta.id))
        elif request.method == "POST":
            flash("No se pudo guardar. Revise los campos marcados.", "error")
        return self._render_formulario(form)

    def _render_formulario(self, form: OperacionForm):
        cliente = apartamento = None
        documento = (form.documento_cliente.data or "").strip().upper()
        if documento:
            cliente = db.session.get(Cliente, documento)
        if form.id_apartamento.data:
            apartamento = db.session.get(Apartamento, form.id_apartamento.data)
        if apartamento is not None and not form.id_proyecto.data:
            form.id_proyecto.data = str(apartamento.torre.id_proyecto)
        proyectos = proyectos_activos()
        reglas = {str(p.id): reglas_de(p) for p in proyectos}
        return self.render(
            "admin/ventas/create.html",
            form=form,
            cliente=cliente,
            apartamento=apartamento,
            reglas=reglas,
            reglas_json=json.dumps(reglas, ensure_ascii=False),
            reglas_actuales=reglas.get(str(form.id_proyecto.data or ""), []),
            return_url=self.get_url(".index_view"),
        )

    # -- details and actions --------------------------------------------------
    def _venta(self) -> Venta:
        venta = db.session.get(Venta, request.args.get("id", type=int) or 0)
        if venta is None:
            abort(404)
        return venta

    def _form_conversion(self, venta: Venta) -> ConversionForm:
        form = (
            ConversionForm()
            if request.method == "POST"
            else ConversionForm(
                fecha=today_bogota(), valor_total=venta.valor_total, tasa_interes_anual=0
            )
        )
        form.id_forma_pago.choices = opciones_formas_pago()
        return form

    def _form_edicion(self, venta: Venta) -> EdicionForm:
        if request.method == "POST":
            return EdicionForm()
        return EdicionForm(
            valor_total=venta.valor_total,
            cuota_inicial=venta.cuota_inicial,
            plazo_cuota_inicial_meses=venta.plazo_cuota_inicial_meses,
            tasa_interes_anual=venta.tasa_interes_anual,
            fecha=venta.fecha,
        )

    def _render_detalle(self, venta: Venta, **forms):
        hoy = today_bogota()
        if venta.es_separacion and venta.estado_operacion == EstadoOperacion.VIGENTE:
            forms.setdefault("conversion", self._form_conversion(venta))
        if not venta.es_separacion and venta.estado_operacion == EstadoOperacion.VIGENTE:
            forms.setdefault("edicion", self._form_edicion(venta))
        forms.setdefault("anulacion", AnulacionForm(formdata=None))
        return self.render(
            self.details_template,
            venta=venta,
            model=venta,
            cuotas=[(c, c.estado(hoy)) for c in venta.cuotas],
            pagos=list(venta.pagos),
            resumen=resumen_venta(venta, hoy),
            reglas=servicio.reglas_proyecto(venta.apartamento)["descripcion"],
            vigente=venta.estado_operacion == EstadoOperacion.VIGENTE,
            return_url=self.get_url(".index_view"),
            **forms,
        )

    @expose("/details/")
    def details_view(self):
        return self._render_detalle(self._venta())

    @expose("/convertir/", methods=("POST",))
    def convertir_view(self):
        venta = self._venta()
        form = self._form_conversion(venta)
        if form.validate_on_submit():
            convertida = ejecutar(
                form,
                lambda: servicio.convertir_separacion(
                    venta,
                    cuota_inicial=form.cuota_inicial.data,
                    plazo_cuota_inicial_meses=form.plazo_cuota_inicial_meses.data,
                    id_forma_pago=entero_o_none(form.id_forma_pago.data),
                    tasa_interes_anual=form.tasa_interes_anual.data or servicio.CERO,
                    fecha=form.fecha.data,
                    valor_total=form.valor_total.data,
                ),
            )
            if convertida is not None:
                flash(f"La separación #{venta.id} ahora es una venta.", "success")
                return redirect(self.get_url(".details_view", id=venta.id))
        else:
            flash("No se pudo convertir. Revise los campos marcados.", "error")
        venta = self._venta()
        return self._render_detalle(venta, conversion=form, abrir="conversion")

    @expose("/editar-condiciones/", methods=("POST",))
    def editar_condiciones_view(self):
        venta = self._venta()
        form = EdicionForm()
        if form.validate_on_submit():
            editada = ejecutar(
                form,
                lambda: servicio.editar_venta(
                    venta,
                    valor_total=form.valor_total.data,
                    cuota_inicial=form.cuota_inicial.data,
                    plazo_cuota_inicial_meses=form.plazo_cuota_inicial_meses.data,
                    tasa_interes_anual=form.tasa_interes_anual.data,
                    fecha=form.fecha.data,
                ),
            )
            if editada is not None:
                flash("Condiciones actualizadas; el plan de pagos se regeneró.", "success")
                return redirect(self.get_url(".details_view", id=venta.id))
        else:
            flash("No se pudo guardar. Revise los campos marcados.", "error")
        venta = self._venta()
        return self._render_detalle(venta, edicion=form, abrir="edicion")

    @expose("/anular/", methods=("POST",))
    def anular_view(self):
        venta = self._venta()
        form = AnulacionForm()
        if form.validate_on_submit():
            motivo = form.motivo_anulacion.data
            if ejecutar(form, lambda: servicio.anular_operacion(venta, motivo)) is not None:
                flash(
                    f"{venta.tipo_label} #{venta.id} anulada; el apartamento quedó disponible.",
                    "success",
                )
                return redirect(self.get_url(".details_view", id=venta.id))
        venta = self._venta()
        return self._render_detalle(venta, anulacion=form, abrir="anulacion")

    @expose("/imprimir/")
    def imprimir_view(self):
        venta = self._venta()
        hoy = today_bogota()
        return self.render(
            "admin/ventas/imprimir.html",
            venta=venta,
            cuotas=[(c, c.estado(hoy)) for c in venta.cuotas],
            pagos=list(venta.pagos),
            resumen=resumen_venta(venta, hoy),
            hoy=hoy,
        )

    @expose("/plan.xlsx")
    def plan_xlsx_view(self):
        venta = self._venta()
        contenido = plan_xlsx(venta, today_bogota())
        return send_file(
            io.BytesIO(contenido),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            as_attachment=True,
            download_name=f"plan_{venta.tipo_operacion}_{venta.id}.xlsx",
        )


FORMATO_DINERO = '"$" #,##0.00'
ENCABEZADOS_PLAN = (
    "Número",
    "Concepto",
    "Vencimiento",
    "Valor",
    "Capital",
    "Interés",
    "Saldo",
    "Pagado",
    "Estado",
)


def plan_xlsx(venta: Venta, hoy: date) -> bytes:
    """The plan de amortización as a spreadsheet: money as numbers with a format."""
    libro = Workbook()
    hoja = libro.active
    hoja.title = "Plan de pagos"
    negrita = Font(bold=True)
    hoja.append([f"{venta.tipo_label} #{venta.id}"])
    hoja.append(["Cliente", f"{venta.cliente.nombre} ({venta.documento_cliente})"])
    hoja.append(["Apartamento", str(venta.apartamento)])
    hoja.append(["Valor total", venta.valor_total])
    hoja.cell(row=4, column=2).number_format = FORMATO_DINERO
    hoja.append([])
    hoja.append(list(ENCABEZADOS_PLAN))
    for celda in hoja[hoja.max_row]:
        celda.font = negrita
    hoja["A1"].font = negrita
    for cuota in venta.cuotas:
        hoja.append(
            [
                cuota.numero,
                cuota.concepto,
                cuota.fecha_vencimiento,
                cuota.valor,
                cuota.capital,
                cuota.interes,
                cuota.saldo,
                cuota.valor_pagado,
                cuota.estado(hoy),
            ]
        )
        fila = hoja.max_row
        hoja.cell(row=fila, column=3).number_format = "DD/MM/YYYY"
        for columna in range(4, 9):
            hoja.cell(row=fila, column=columna).number_format = FORMATO_DINERO
    for letra, ancho in zip("ABCDEFGHI", (9, 16, 13, 18, 18, 16, 18, 18, 11), strict=True):
        hoja.column_dimensions[letra].width = ancho
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()
