"""Planes de pago (admins) and cotizaciones (everyone) in the back office. The rules
are services.planes_pago's and services.cotizaciones'; these views collect input,
commit and show what the services say."""

import io

from flask import flash, redirect, request, send_file, url_for
from flask_admin import expose
from flask_admin.contrib.sqla.filters import BaseSQLAFilter, FilterEqual, IntEqualFilter
from flask_login import current_user
from sqlalchemy import select
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..database import clave_entera
from ..entradas import RegistroInexistente
from ..extensions import db
from ..formatting import format_cop, format_date, today_bogota
from ..models import (
    Cotizacion,
    DescuentoSobre,
    EstadoCotizacion,
    PlanPago,
    Proyecto,
    TipoDescuento,
    TipoOperacion,
    TipoPlan,
    Usuario,
)
from ..models.planes import FRECUENCIAS
from ..pdf.cotizacion import pdf_cotizacion
from ..services import cotizaciones as servicio_cotizaciones
from ..services import planes_pago as servicio
from ..services.errors import ServiceError
from ..validators import LongitudMaxima, Obligatorio
from .base import SecureModelView, save
from .campos import (
    PLAZO_MAXIMO_CUOTA_INICIAL_MESES,
    CampoDecimal,
    CampoDinero,
    CampoEntero,
    CampoTasa,
    Formulario,
    FormularioAdmin,
    campo_fecha,
)
from .formularios import OpcionesVivasMixin, entero_o_none, opciones_formas_pago


def _opciones(labels: dict) -> list[tuple[str, str]]:
    return list(labels.items())


class PlanPagoForm(FormularioAdmin):
    id_proyecto = SelectField(
        "Proyecto",
        coerce=entero_o_none,
        validate_choice=False,
        validators=[Obligatorio("Seleccione el proyecto.")],
    )
    nombre = StringField(
        "Nombre", validators=[Obligatorio(), LongitudMaxima(PlanPago.nombre.type.length)]
    )
    tipo = SelectField(
        "Tipo",
        choices=_opciones(TipoPlan.LABELS),
        validate_choice=False,
        description="Especial: solo lo usan administradores (y directores comerciales).",
    )
    valor_separacion = CampoDinero("Valor de la separación", validators=[Optional()])
    porcentaje_cuota_inicial = CampoTasa(
        "Cuota inicial (%)", validators=[Optional()], description="Contado: 100 %."
    )
    plazo_meses = CampoEntero(
        "Plazo de la cuota inicial (meses)",
        validators=[Optional()],
        minimo=1,
        maximo=PLAZO_MAXIMO_CUOTA_INICIAL_MESES,
    )
    frecuencia_meses = SelectField(
        "Frecuencia de las cuotas (meses)",
        choices=[(str(f), str(f)) for f in FRECUENCIAS],
        coerce=entero_o_none,
        validate_choice=False,
    )
    porcentaje_escritura = CampoTasa(
        "Escritura (%)", validators=[Optional()], description="Vacío: 100 menos la cuota inicial."
    )
    descuento_tipo = SelectField(
        "Descuento",
        choices=[("", "Sin descuento"), *_opciones(TipoDescuento.LABELS)],
        validate_choice=False,
    )
    descuento_valor = CampoDecimal(
        "Valor del descuento", validators=[Optional()], description="Pesos o porcentaje."
    )
    descuento_sobre = SelectField(
        "Descuento sobre", choices=_opciones(DescuentoSobre.LABELS), validate_choice=False
    )
    tasa_interes_anual = CampoTasa("Tasa de interés efectiva anual (%)", validators=[Optional()])
    beneficio = TextAreaField(
        "Beneficio", validators=[Optional(), LongitudMaxima(PlanPago.beneficio.type.length)]
    )
    activo = BooleanField("Activo", default=True)

    def datos(self) -> dict:
        campos = {nombre: self[nombre].data for nombre in servicio.CAMPOS_PLAN}
        campos["id_proyecto"] = self.id_proyecto.data
        return campos


def _pesos(view, context, model, name):
    return format_cop(getattr(model, name))


def _porcentaje(view, context, model, name):
    valor = getattr(model, name)
    return "" if valor is None else f"{valor.normalize():f} %".replace(".", ",")


def _descuento(view, context, model, name):
    if not model.descuento_tipo:
        return "Sin descuento"
    sobre = DescuentoSobre.LABELS.get(model.descuento_sobre, "").lower()
    if model.descuento_tipo == TipoDescuento.PORCENTAJE:
        return f"{model.descuento_valor.normalize():f} % sobre {sobre}".replace(".", ",")
    return f"{format_cop(model.descuento_valor)} sobre {sobre}"


class PlanPagoView(SecureModelView):
    admin_only = True
    form = PlanPagoForm
    column_list = (
        "proyecto",
        "nombre",
        "tipo",
        "valor_separacion",
        "porcentaje_cuota_inicial",
        "plazo_meses",
        "frecuencia_meses",
        "descuento_tipo",
        "activo",
    )
    column_details_list = (
        "proyecto",
        "nombre",
        "tipo",
        "valor_separacion",
        "porcentaje_cuota_inicial",
        "porcentaje_escritura",
        "plazo_meses",
        "frecuencia_meses",
        "descuento_tipo",
        "tasa_interes_anual",
        "beneficio",
        "activo",
    )
    column_export_list = column_details_list
    column_labels = {
        "proyecto": "Proyecto",
        "nombre": "Nombre",
        "tipo": "Tipo",
        "valor_separacion": "Separación",
        "porcentaje_cuota_inicial": "Cuota inicial",
        "porcentaje_escritura": "Escritura",
        "plazo_meses": "Plazo (meses)",
        "frecuencia_meses": "Frecuencia (meses)",
        "descuento_tipo": "Descuento",
        "tasa_interes_anual": "Tasa anual",
        "beneficio": "Beneficio",
        "activo": "Activo",
    }
    column_formatters = {
        "tipo": lambda v, c, m, n: m.tipo_label,
        "valor_separacion": _pesos,
        "porcentaje_cuota_inicial": _porcentaje,
        "porcentaje_escritura": _porcentaje,
        "tasa_interes_anual": _porcentaje,
        "descuento_tipo": _descuento,
    }
    column_formatters_detail = column_formatters
    column_searchable_list = ("nombre",)
    column_filters = (
        IntEqualFilter(PlanPago.id_proyecto, "Proyecto"),
        FilterEqual(PlanPago.tipo, "Tipo", options=_opciones(TipoPlan.LABELS)),
        "activo",
    )
    column_sortable_list = (("proyecto", "proyecto.nombre"), "nombre", "tipo", "activo")
    column_default_sort = [("id_proyecto", False), ("nombre", False)]

    def _proyectos(self, form: PlanPagoForm) -> PlanPagoForm:
        filas = db.session.execute(select(Proyecto.id, Proyecto.nombre).order_by(Proyecto.nombre))
        form.id_proyecto.choices = [("", "— Seleccione —")] + [(str(i), n) for i, n in filas]
        return form

    def create_form(self, obj=None):
        form = self._proyectos(super().create_form(obj))
        if request.method == "GET" and request.args.get("id_proyecto"):
            form.id_proyecto.data = entero_o_none(request.args.get("id_proyecto"))
        return form

    def edit_form(self, obj=None):
        form = self._proyectos(super().edit_form(obj))
        form.id_proyecto.render_kw = {"disabled": True}
        form.id_proyecto.description = "Un plan no cambia de proyecto."
        if request.method == "POST" and obj is not None:
            form.id_proyecto.data = obj.id_proyecto
        return form

    def create_record(self, form: PlanPagoForm) -> PlanPago:
        return servicio.crear_plan(form.datos())

    def update_record(self, form: PlanPagoForm, model: PlanPago) -> None:
        servicio.actualizar_plan(model, form.datos())

    def delete_record(self, model: PlanPago) -> None:
        servicio.eliminar_plan(model)


# --- cotizaciones ---------------------------------------------------------------------


class FiltroEstadoCotizacion(BaseSQLAFilter):
    """Vigente, vencida or convertida: from id_venta and valida_hasta against today."""

    def apply(self, query, value, alias=None):
        hoy = today_bogota()
        if value == EstadoCotizacion.CONVERTIDA:
            return query.filter(Cotizacion.id_venta.is_not(None))
        if value == EstadoCotizacion.VENCIDA:
            return query.filter(Cotizacion.id_venta.is_(None), Cotizacion.valida_hasta < hoy)
        return query.filter(Cotizacion.id_venta.is_(None), Cotizacion.valida_hasta >= hoy)

    def operation(self) -> str:
        return "es"


def _opciones_asesores():
    filas = db.session.execute(select(Usuario.id, Usuario.nombre_completo).order_by(Usuario.id))
    return [(str(i), n) for i, n in filas]


def _opciones_proyectos():
    return [(str(i), n) for i, n in db.session.execute(select(Proyecto.id, Proyecto.nombre))]


class CotizacionForm(Formulario):
    id_plan_pago = SelectField(
        "Plan de pago",
        coerce=entero_o_none,
        validate_choice=False,
        validators=[InputRequired("Seleccione el plan de pago.")],
    )
    id_apartamento = CampoEntero(
        "Apartamento (número interno)",
        validators=[Optional()],
        minimo=1,
        description="O un local o un parqueadero como unidad principal.",
    )
    id_local = CampoEntero("Local (número interno)", validators=[Optional()], minimo=1)
    id_parqueadero = CampoEntero("Parqueadero (número interno)", validators=[Optional()], minimo=1)
    adicionales = StringField(
        "Parqueaderos adicionales",
        validators=[Optional(), LongitudMaxima(200)],
        description="Números internos separados por comas.",
    )
    documento_cliente = StringField(
        "Documento del cliente",
        validators=[Optional(), LongitudMaxima(40)],
        description="O, para un prospecto, su nombre, teléfono y correo.",
    )
    prospecto_nombre = StringField("Nombre del prospecto", validators=[Optional()])
    prospecto_telefono = StringField("Teléfono del prospecto", validators=[Optional()])
    prospecto_correo = StringField("Correo del prospecto", validators=[Optional()])
    fecha = campo_fecha("Fecha")
    valida_hasta = campo_fecha("Válida hasta")

    def datos(self) -> dict:
        datos = {
            "id_plan_pago": self.id_plan_pago.data,
            "id_apartamento": self.id_apartamento.data,
            "id_local": self.id_local.data,
            "id_parqueadero": self.id_parqueadero.data,
            "documento_cliente": self.documento_cliente.data,
            "fecha": self.fecha.data,
            "valida_hasta": self.valida_hasta.data,
        }
        if self.adicionales.data:
            datos["adicionales"] = [
                entero_o_none(parte) or parte for parte in self.adicionales.data.split(",")
            ]
        if not self.documento_cliente.data and (
            self.prospecto_nombre.data or self.prospecto_telefono.data or self.prospecto_correo.data
        ):
            datos["prospecto"] = {
                "nombre": self.prospecto_nombre.data,
                "telefono": self.prospecto_telefono.data,
                "correo": self.prospecto_correo.data,
            }
        return datos


class ConvertirCotizacionForm(Formulario):
    tipo_operacion = RadioField(
        "Convertir en",
        choices=[(TipoOperacion.SEPARACION, "Separación"), (TipoOperacion.VENTA, "Venta")],
        default=TipoOperacion.SEPARACION,
        validators=[InputRequired("Seleccione si es una venta o una separación.")],
    )
    fecha_limite_separacion = campo_fecha("Fecha límite de la separación")
    id_forma_pago = SelectField(
        "Forma de pago (venta)",
        coerce=entero_o_none,
        validate_choice=False,
        validators=[Optional()],
    )
    documento_cliente = StringField(
        "Documento del cliente",
        validators=[Optional(), LongitudMaxima(40)],
        description="Solo para una cotización de un prospecto ya registrado como cliente.",
    )


# Service error fields -> this form's fields.
_CAMPOS_FORMULARIO = {
    "prospecto.nombre": "prospecto_nombre",
    "prospecto.telefono": "prospecto_telefono",
    "prospecto.correo": "prospecto_correo",
    "prospecto": "prospecto_nombre",
}


def _estado_fmt(view, context, model, name):
    return EstadoCotizacion.LABELS[model.estado(today_bogota())]


class CotizacionView(OpcionesVivasMixin, SecureModelView):
    can_create = True
    can_edit = False
    admin_can_delete = False
    details_template = "admin/cotizaciones/details.html"
    column_list = (
        "numero",
        "fecha",
        "valida_hasta",
        "estado",
        "proyecto",
        "cliente",
        "plan_nombre",
        "valor_total",
        "usuario",
    )
    column_sortable_list = ("numero", "fecha", "valida_hasta", "valor_total")
    column_default_sort = ("id", True)
    column_labels = {
        "numero": "Número",
        "fecha": "Fecha",
        "valida_hasta": "Válida hasta",
        "estado": "Estado",
        "proyecto": "Proyecto",
        "cliente": "Cliente",
        "plan_nombre": "Plan",
        "valor_total": "Valor total",
        "usuario": "Asesor",
        "documento_cliente": "Documento del cliente",
        "prospecto_nombre": "Prospecto",
    }
    column_formatters = {
        "fecha": lambda v, c, m, n: format_date(m.fecha),
        "valida_hasta": lambda v, c, m, n: format_date(m.valida_hasta),
        "estado": _estado_fmt,
        "cliente": lambda v, c, m, n: m.nombre_cliente,
        "valor_total": lambda v, c, m, n: format_cop(m.valor_total),
        "usuario": lambda v, c, m, n: m.usuario.nombre_completo if m.usuario else "",
    }
    column_searchable_list = ("documento_cliente", "prospecto_nombre")
    column_filters = (
        IntEqualFilter(Cotizacion.id_usuario, "Asesor"),
        IntEqualFilter(Cotizacion.id_proyecto, "Proyecto"),
        FilterEqual(Cotizacion.documento_cliente, "Documento del cliente"),
        FiltroEstadoCotizacion(
            Cotizacion.valida_hasta, "Estado", options=_opciones(EstadoCotizacion.LABELS)
        ),
    )
    opciones_vivas = {"Asesor": _opciones_asesores, "Proyecto": _opciones_proyectos}
    column_export_list = (
        "numero",
        "fecha",
        "valida_hasta",
        "estado",
        "proyecto",
        "documento_cliente",
        "cliente",
        "plan_nombre",
        "precio_bruto",
        "descuento",
        "valor_total",
        "cuota_inicial",
        "usuario",
    )
    column_formatters_export = {
        "fecha": lambda v, c, m, n: format_date(m.fecha),
        "valida_hasta": lambda v, c, m, n: format_date(m.valida_hasta),
        "estado": _estado_fmt,
        "proyecto": lambda v, c, m, n: m.proyecto.nombre,
        "cliente": lambda v, c, m, n: m.nombre_cliente,
        "usuario": lambda v, c, m, n: m.usuario.nombre_completo if m.usuario else "",
    }

    def _apply_search(self, query, count_query, joins, count_joins, search):
        texto = search.strip()
        if texto.isdigit() and len(texto) < 10:
            numero = int(texto)
            return (
                query.filter(Cotizacion.numero == numero),
                count_query.filter(Cotizacion.numero == numero),
                joins,
                count_joins,
            )
        return super()._apply_search(query, count_query, joins, count_joins, search)

    # -- creation ----------------------------------------------------------------
    def _formulario(self) -> CotizacionForm:
        if request.method == "POST":
            form = CotizacionForm()
        else:
            form = CotizacionForm(
                documento_cliente=request.args.get("documento_cliente", ""),
                id_apartamento=entero_o_none(request.args.get("id_apartamento")),
                fecha=today_bogota(),
            )
        planes = db.session.execute(
            select(PlanPago.id, PlanPago.nombre, Proyecto.nombre, PlanPago.tipo)
            .join(Proyecto, Proyecto.id == PlanPago.id_proyecto)
            .where(PlanPago.activo)
            .order_by(Proyecto.nombre, PlanPago.nombre)
        )
        especial = servicio.puede_usar_plan_especial(current_user)
        form.id_plan_pago.choices = [("", "— Seleccione —")] + [
            (str(i), f"{proyecto} — {nombre}")
            for i, nombre, proyecto, tipo in planes
            if tipo != TipoPlan.ESPECIAL or especial
        ]
        return form

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        form = self._formulario()
        if form.validate_on_submit():

            def crear():
                try:
                    return servicio_cotizaciones.crear_cotizacion(form.datos(), current_user)
                except ServiceError as exc:
                    exc.errors = {_CAMPOS_FORMULARIO.get(k, k): v for k, v in exc.errors.items()}
                    raise

            cotizacion = save(form, crear)
            if cotizacion is not None:
                flash(f"{cotizacion} registrada.", "success")
                return redirect(self.get_url(".details_view", id=cotizacion.id))
        elif request.method == "POST":
            flash("No se pudo guardar. Revise los campos marcados.", "error")
        return self.render(
            "admin/cotizaciones/create.html", form=form, return_url=self.get_url(".index_view")
        )

    # -- details, PDF, conversion, copy -------------------------------------------
    def _cotizacion(self) -> Cotizacion:
        cotizacion = db.session.get(Cotizacion, clave_entera(request.args.get("id")) or 0)
        if cotizacion is None:
            raise RegistroInexistente()
        return cotizacion

    def _conversion_form(self) -> ConvertirCotizacionForm:
        form = ConvertirCotizacionForm()
        form.id_forma_pago.choices = opciones_formas_pago()
        return form

    def _render_details(self, cotizacion: Cotizacion, conversion=None, abrir=None):
        hoy = today_bogota()
        return self.render(
            self.details_template,
            cotizacion=cotizacion,
            model=cotizacion,
            estado=cotizacion.estado(hoy),
            resumen=servicio_cotizaciones.resumen_de(cotizacion),
            cuotas=servicio_cotizaciones.cuotas_de(cotizacion),
            conversion=conversion or self._conversion_form(),
            abrir=abrir,
            return_url=self.get_url(".index_view"),
        )

    @expose("/details/")
    def details_view(self):
        return self._render_details(self._cotizacion())

    @expose("/pdf/")
    def pdf_view(self):
        cotizacion = self._cotizacion()
        return send_file(
            io.BytesIO(pdf_cotizacion(cotizacion, today_bogota())),
            mimetype="application/pdf",
            as_attachment=True,
            download_name=f"cotizacion_{cotizacion.numero}.pdf",
        )

    @expose("/convertir/", methods=("POST",))
    def convertir_view(self):
        cotizacion = self._cotizacion()
        form = self._conversion_form()
        if form.validate_on_submit():
            venta = save(
                form,
                lambda: servicio_cotizaciones.convertir_cotizacion(
                    cotizacion,
                    tipo_operacion=form.tipo_operacion.data,
                    fecha_limite_separacion=form.fecha_limite_separacion.data,
                    id_forma_pago=form.id_forma_pago.data,
                    documento_cliente=form.documento_cliente.data,
                    usuario=current_user,
                ),
            )
            if venta is not None:
                flash(
                    f"{cotizacion} convertida en {venta.tipo_label.lower()} #{venta.id}.", "success"
                )
                return redirect(url_for("ventas.details_view", id=venta.id))
        else:
            flash("No se pudo convertir. Revise los campos marcados.", "error")
        return self._render_details(self._cotizacion(), conversion=form, abrir="conversion")

    @expose("/copiar/", methods=("POST",))
    def copiar_view(self):
        cotizacion = self._cotizacion()
        form = Formulario()
        if form.validate_on_submit():
            copia = save(
                None, lambda: servicio_cotizaciones.copiar_cotizacion(cotizacion, current_user)
            )
            if copia is not None:
                flash(f"{copia} creada a los precios de hoy.", "success")
                return redirect(self.get_url(".details_view", id=copia.id))
        return redirect(self.get_url(".details_view", id=cotizacion.id))
