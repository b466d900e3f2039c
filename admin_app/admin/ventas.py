"""Ventas y separaciones in the admin: the list, a custom creation form, the
details page with its plan and payments, and the actions on an operation.
Every rule is the services'; these views collect input, commit and show errors."""

import io
import json

from flask import flash, redirect, request, send_file
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import FilterEqual, IntEqualFilter
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..database import clave_entera
from ..entradas import RegistroInexistente
from ..extensions import db
from ..formatting import format_cop, format_date, today_bogota
from ..models import (
    Apartamento,
    Cliente,
    EstadoOperacion,
    FormaPago,
    Local,
    Parqueadero,
    TipoOperacion,
    Torre,
    Venta,
)
from ..services import ventas as servicio
from ..services.errors import ServiceError
from ..services.estado_cuenta import resumen_venta
from ..text import fold
from ..validators import LongitudMaxima
from .asesores import FILTROS as FILTROS_ASESOR
from .asesores import AsignacionAsesorMixin, asesor_fmt, export_asesor, opciones_asesores_filtro
from .autocomplete import buscar_parqueaderos_disponibles
from .base import SecureModelView, save
from .campos import (
    PLAZO_MAXIMO_CUOTA_INICIAL_MESES,
    CampoDinero,
    CampoEntero,
    CampoTasa,
    Formulario,
    campo_fecha,
)
from .columnas_operacion import columnas_operacion
from .export import StreamingExportMixin, label_sql, numero, sql_text
from .formularios import (
    OpcionesVivasMixin,
    campos,
    entero_o_none,
    filas_seleccionadas,
    filtros_de_fecha,
    opciones_formas_pago,
    opciones_proyectos_filtro,
    proyectos_activos,
    reglas_de,
)
from .plan_xlsx import plan_xlsx
from .scale import ScaleListMixin
from .simulacion import opciones_planes, simular_desde

APARTAMENTO_INEXISTENTE = "Seleccione un apartamento de la lista."
UNIDAD_INEXISTENTE = "Seleccione una unidad de la lista."
# Without JavaScript the form lists this many free parqueaderos of the project.
ADICIONALES_LISTADOS = 30


def campo_plazo() -> CampoEntero:
    return CampoEntero(
        "Plazo de la cuota inicial (meses)",
        validators=[Optional()],
        minimo=1,
        maximo=PLAZO_MAXIMO_CUOTA_INICIAL_MESES,
    )


def campo_tasa(**kwargs) -> CampoTasa:
    return CampoTasa("Tasa de interés efectiva anual (%)", validators=[Optional()], **kwargs)


def campo_forma_pago() -> SelectField:
    return SelectField(
        "Forma de pago", coerce=entero_o_none, validate_choice=False, validators=[Optional()]
    )


class OperacionForm(Formulario):
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
        validators=[Optional()],
        description="Solo se listan los apartamentos disponibles del proyecto.",
        minimo=1,
        mensaje_rango=APARTAMENTO_INEXISTENTE,
    )
    id_local = CampoEntero(
        "Local", validators=[Optional()], minimo=1, mensaje_rango=UNIDAD_INEXISTENTE
    )
    id_parqueadero = CampoEntero(
        "Parqueadero vendido solo",
        validators=[Optional()],
        minimo=1,
        mensaje_rango=UNIDAD_INEXISTENTE,
        description="Solo a quien ya es propietario de una unidad del proyecto.",
    )
    adicionales = SelectMultipleField(
        "Parqueaderos adicionales",
        coerce=entero_o_none,
        validate_choice=False,
        validators=[Optional()],
        description="Del mismo proyecto; cada uno suma su precio al valor total.",
    )
    fecha = campo_fecha("Fecha de la operación", requerida=True)
    valor_total = CampoDinero(
        "Valor total",
        validators=[Optional()],
        description="Vacío: el precio de la unidad más el de sus adicionales.",
        minimo_excluido=True,
    )
    valor_separacion = CampoDinero("Valor de la separación", validators=[Optional()])
    fecha_limite_separacion = campo_fecha("Fecha límite de la separación")
    id_forma_pago = campo_forma_pago()
    cuota_inicial = CampoDinero("Cuota inicial", validators=[Optional()])
    plazo_cuota_inicial_meses = campo_plazo()
    tasa_interes_anual = campo_tasa(default=0)
    observaciones = TextAreaField(
        "Observaciones", validators=[Optional(), LongitudMaxima(Venta.observaciones.type.length)]
    )
    id_plan_pago = SelectField(
        "Plan de pago",
        coerce=entero_o_none,
        validate_choice=False,
        validators=[Optional()],
        description="Con un plan, el valor total, la separación, la cuota inicial, el plazo y "
        "la tasa salen de él. Sin plan: las reglas del proyecto.",
    )


class ConversionForm(Formulario):
    fecha = campo_fecha("Fecha de la venta", requerida=True)
    valor_total = CampoDinero("Valor total", validators=[Optional()], minimo_excluido=True)
    id_forma_pago = campo_forma_pago()
    cuota_inicial = CampoDinero("Cuota inicial", validators=[Optional()])
    plazo_cuota_inicial_meses = campo_plazo()
    tasa_interes_anual = campo_tasa(default=0)


class EdicionForm(Formulario):
    valor_total = CampoDinero("Valor total", validators=[Optional()], minimo_excluido=True)
    cuota_inicial = CampoDinero("Cuota inicial", validators=[Optional()])
    plazo_cuota_inicial_meses = campo_plazo()
    tasa_interes_anual = campo_tasa()
    fecha = campo_fecha("Fecha de la venta")


class AnulacionForm(Formulario):
    motivo_anulacion = TextAreaField(
        "Motivo de la anulación",
        validators=[Optional(), LongitudMaxima(Venta.motivo_anulacion.type.length)],
    )


class ProyectoDeLaUnidad(IntEqualFilter):
    """Operations whose main unit (apartamento, local or parqueadero) is of the project."""

    def apply(self, query, value, alias=None):
        apartamentos = (
            select(Apartamento.id)
            .join(Torre, Apartamento.id_torre == Torre.id)
            .where(Torre.id_proyecto == value)
        )
        locales = select(Local.id).where(Local.id_proyecto == value)
        parqueaderos = (
            select(Parqueadero.id)
            .join(Torre, Parqueadero.id_torre == Torre.id)
            .where(Torre.id_proyecto == value)
        )
        return query.filter(
            or_(
                Venta.id_apartamento.in_(apartamentos),
                Venta.id_local.in_(locales),
                Venta.id_parqueadero.in_(parqueaderos),
            )
        )


def _opciones_proyecto() -> list[tuple[str, str]]:
    return [("", "— Seleccione —")] + [(str(p.id), p.nombre) for p in proyectos_activos()]


def _cliente_fmt(view, context, model, name):
    return f"{model.cliente.nombre} ({model.documento_cliente})"


def _money_fmt(view, context, model, name):
    return format_cop(getattr(model, name))


def _date_fmt(view, context, model, name):
    return format_date(getattr(model, name))


class VentaView(
    AsignacionAsesorMixin,
    ScaleListMixin,
    OpcionesVivasMixin,
    StreamingExportMixin,
    SecureModelView,
):
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
        "asesor",
    )
    column_sortable_list = ("id", "tipo_operacion", "estado_operacion", "fecha", "valor_total")
    column_labels = {
        "id": "Número",
        "tipo_operacion": "Tipo",
        "estado_operacion": "Estado",
        "cliente": "Cliente",
        "documento_cliente": "Documento del cliente",
        "cliente.nombre_busqueda": "Nombre del cliente",
        "apartamento": "Unidad",
        "adicionales": "Parqueaderos adicionales",
        "fecha": "Fecha",
        "valor_total": "Valor total",
        "proyecto": "Proyecto",
        "valor_separacion": "Separación",
        "cuota_inicial": "Cuota inicial",
        "plazo_cuota_inicial_meses": "Plazo (meses)",
        "tasa_interes_anual": "Tasa anual (%)",
        "forma_pago": "Forma de pago",
        "nombre_cliente": "Nombre del cliente",
        "asesor": "Asesor",
    }
    column_formatters = {
        "tipo_operacion": lambda v, c, m, n: m.tipo_label,
        "estado_operacion": lambda v, c, m, n: m.estado_label,
        "cliente": _cliente_fmt,
        "apartamento": lambda v, c, m, n: str(m.unidad),
        "valor_total": _money_fmt,
        "fecha": _date_fmt,
        "asesor": asesor_fmt,
    }
    column_searchable_list = ("documento_cliente", "cliente.nombre_busqueda")
    column_filters = (
        FilterEqual(Venta.tipo_operacion, "Tipo", options=list(TipoOperacion.LABELS.items())),
        FilterEqual(Venta.estado_operacion, "Estado", options=list(EstadoOperacion.LABELS.items())),
        ProyectoDeLaUnidad(Venta.id, "Proyecto"),
        *filtros_de_fecha(Venta.fecha),
        FilterEqual(Venta.documento_cliente, "Documento del cliente"),
        *FILTROS_ASESOR,
    )
    opciones_vivas = {"Proyecto": opciones_proyectos_filtro, "Asesor": opciones_asesores_filtro}
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
        "adicionales",
        "asesor",
    )

    def export_sql(self):
        # Plain rows, the same columns and texts as column_export_list above.
        textos, joins = columnas_operacion(Venta)
        forma = aliased(FormaPago)
        columns = [
            (Venta.id, numero),
            (textos["tipo_operacion"], None),
            (sql_text(label_sql(Venta.estado_operacion, EstadoOperacion.LABELS)), None),
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
            (textos["adicionales"], None),
        ]
        columna_asesor, join_asesor = export_asesor()
        columns.append(columna_asesor)
        return columns, [*joins, (forma, forma.id == Venta.id_forma_pago), join_asesor]

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
        form.id_plan_pago.choices = opciones_planes(current_user)
        return form

    @expose("/simular/")
    def simular_view(self):
        """The summary and cuotas of a plan for the chosen units, as an HTML fragment
        (the venta form's preview; the "Calcular" button renders the same)."""
        unidades = {
            campo: request.args.get(campo)
            for campo in ("id_apartamento", "id_local", "id_parqueadero")
        }
        unidades["adicionales"] = request.args.getlist("adicionales")
        simulacion, error = simular_desde(
            request.args.get("id_plan_pago"), unidades, request.args.get("fecha")
        )
        return self.render(
            "admin/ventas/_simulacion.html", simulacion=simulacion, error_simulacion=error
        )

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        form = self._formulario_operacion()
        if request.method == "POST" and "calcular" in request.form:
            # "Calcular" (works without JavaScript): the plan's summary and cuotas, nothing saved.
            unidades = {
                campo: getattr(form, campo).data
                for campo in ("id_apartamento", "id_local", "id_parqueadero", "adicionales")
            }
            simulacion, error = simular_desde(form.id_plan_pago.data, unidades, form.fecha.data)
            return self._render_form(form, simulacion=simulacion, error_simulacion=error)
        if form.validate_on_submit():
            valores = campos(form, "id_proyecto")
            valores["adicionales"] = [i for i in valores["adicionales"] or [] if i is not None]
            datos = servicio.DatosOperacion(**valores, usuario=current_user)
            venta = save(form, lambda: servicio.crear_operacion(datos))
            if venta is not None:
                flash(f"{venta.tipo_label} #{venta.id} registrada.", "success")
                return redirect(self.get_url(".details_view", id=venta.id))
        elif request.method == "POST":
            flash("No se pudo guardar. Revise los campos marcados.", "error")
        return self._render_form(form)

    def _render_form(self, form: OperacionForm, **extra):
        cliente = None
        documento = servicio.limpiar_documento(form.documento_cliente.data)
        if documento:
            cliente = db.session.get(Cliente, documento)
        unidades = {
            campo: db.session.get(modelo, getattr(form, campo).data)
            if getattr(form, campo).data
            else None
            for campo, modelo in (
                ("id_apartamento", Apartamento),
                ("id_local", Local),
                ("id_parqueadero", Parqueadero),
            )
        }
        principal = next((u for u in unidades.values() if u is not None), None)
        if principal is not None and not form.id_proyecto.data:
            form.id_proyecto.data = str(servicio.proyecto_de(principal).id)
        elegidos = [
            p
            for p in (
                db.session.get(Parqueadero, i) for i in form.adicionales.data or [] if i is not None
            )
            if p is not None
        ]
        libres = []
        id_proyecto = entero_o_none(form.id_proyecto.data)
        if id_proyecto is not None:
            ids = {p.id for p in elegidos}
            libres = [
                p
                for p in buscar_parqueaderos_disponibles(id_proyecto, "", ADICIONALES_LISTADOS)
                if p.id not in ids
            ]
        proyectos = proyectos_activos()
        reglas = {str(p.id): reglas_de(p) for p in proyectos}
        return self.render(
            "admin/ventas/create.html",
            form=form,
            cliente=cliente,
            apartamento=unidades["id_apartamento"],
            local=unidades["id_local"],
            parqueadero=unidades["id_parqueadero"],
            principal=principal,
            adicionales_elegidos=elegidos,
            adicionales_libres=libres,
            reglas=reglas,
            reglas_json=json.dumps(reglas, ensure_ascii=False),
            reglas_actuales=reglas.get(str(form.id_proyecto.data or ""), []),
            return_url=self.get_url(".index_view"),
            **extra,
        )

    # -- details and actions --------------------------------------------------
    def _venta(self) -> Venta:
        venta = db.session.get(Venta, clave_entera(request.args.get("id")) or 0)
        if venta is None:
            raise RegistroInexistente()
        return venta

    def _conversion_form(self, venta: Venta) -> ConversionForm:
        form = (
            ConversionForm()
            if request.method == "POST"
            else ConversionForm(
                fecha=today_bogota(), valor_total=venta.valor_total, tasa_interes_anual=0
            )
        )
        form.id_forma_pago.choices = opciones_formas_pago()
        return form

    def _edicion_form(self, venta: Venta) -> EdicionForm:
        if request.method == "POST":
            return EdicionForm()
        return EdicionForm(
            valor_total=venta.valor_total,
            cuota_inicial=venta.cuota_inicial,
            plazo_cuota_inicial_meses=venta.plazo_cuota_inicial_meses,
            tasa_interes_anual=venta.tasa_interes_anual,
            fecha=venta.fecha,
        )

    def _render_details(self, venta: Venta, **forms):
        hoy = today_bogota()
        if venta.es_separacion and venta.estado_operacion == EstadoOperacion.VIGENTE:
            forms.setdefault("conversion", self._conversion_form(venta))
        if not venta.es_separacion and venta.estado_operacion == EstadoOperacion.VIGENTE:
            forms.setdefault("edicion", self._edicion_form(venta))
        forms.setdefault("anulacion", AnulacionForm(formdata=None))
        return self.render(
            self.details_template,
            venta=venta,
            model=venta,
            cuotas=[(c, c.estado(hoy)) for c in venta.cuotas],
            pagos=list(venta.pagos),
            resumen=resumen_venta(venta, hoy),
            reglas=servicio.reglas_proyecto(venta.unidad)["descripcion"],
            vigente=venta.estado_operacion == EstadoOperacion.VIGENTE,
            return_url=self.get_url(".index_view"),
            **forms,
        )

    @expose("/details/")
    def details_view(self):
        return self._render_details(self._venta())

    @expose("/convertir/", methods=("POST",))
    def convertir_view(self):
        venta = self._venta()
        form = self._conversion_form(venta)
        return self._act(
            venta,
            form,
            "conversion",
            lambda: servicio.convertir_separacion(venta, **campos(form)),
            done=f"La separación #{venta.id} ahora es una venta.",
            invalid="No se pudo convertir. Revise los campos marcados.",
        )

    @expose("/editar-condiciones/", methods=("POST",))
    def editar_condiciones_view(self):
        venta = self._venta()
        form = EdicionForm()
        return self._act(
            venta,
            form,
            "edicion",
            lambda: servicio.editar_venta(venta, **campos(form)),
            done="Condiciones actualizadas; el plan de pagos se regeneró.",
            invalid="No se pudo guardar. Revise los campos marcados.",
        )

    @expose("/anular/", methods=("POST",))
    def anular_view(self):
        venta = self._venta()
        form = AnulacionForm()
        return self._act(
            venta,
            form,
            "anulacion",
            lambda: servicio.anular_operacion(venta, form.motivo_anulacion.data),
            done=f"{venta.tipo_label} #{venta.id} anulada; el apartamento quedó disponible.",
        )

    def _act(self, venta: Venta, form, name: str, operation, done: str, invalid: str = ""):
        """An action posted from the details page: saved, back to the details; refused,
        the details again with the action's form open and its errors."""
        if form.validate_on_submit():
            if save(form, operation) is not None:
                flash(done, "success")
                return redirect(self.get_url(".details_view", id=venta.id))
        elif invalid:
            flash(invalid, "error")
        return self._render_details(self._venta(), **{name: form}, abrir=name)

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
