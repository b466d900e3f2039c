"""Pagos in the admin: registered from a venta (or the list), corrected and
deleted by admins; the services apply them to the cuotas."""

from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual, IntEqualFilter
from flask_login import current_user
from sqlalchemy.orm import aliased
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..database import clave_entera
from ..entradas import RegistroInexistente
from ..extensions import db
from ..formatting import format_cop, format_date, today_bogota
from ..models import MedioPago, Pago, Venta
from ..services import pagos as servicio
from ..services.estado_cuenta import resumen_venta
from ..validators import LongitudMaxima
from .base import SecureModelView, save
from .campos import CampoDinero, CampoEntero, Formulario, campo_fecha
from .columnas_operacion import columnas_operacion
from .export import StreamingExportMixin, numero, sql_text
from .formularios import (
    OpcionesVivasMixin,
    campos,
    entero_o_none,
    filtros_de_fecha,
    opciones_medios_pago,
    opciones_proyectos_filtro,
)
from .scale import ScaleListMixin


class PagoForm(Formulario):
    id_venta = CampoEntero(
        "Número de la venta o separación",
        validators=[InputRequired("Indique la venta o separación.")],
        minimo=1,
        mensaje_rango="No existe una operación con ese número.",
    )
    fecha = campo_fecha("Fecha del pago", requerida=True)
    valor = CampoDinero(
        "Valor", validators=[InputRequired("Indique el valor del pago.")], minimo_excluido=True
    )
    id_medio_pago = SelectField(
        "Medio de pago",
        coerce=entero_o_none,
        validate_choice=False,
        validators=[InputRequired("Seleccione el medio de pago.")],
    )
    referencia = StringField(
        "Referencia", validators=[Optional(), LongitudMaxima(Pago.referencia.type.length)]
    )
    observaciones = TextAreaField(
        "Observaciones", validators=[Optional(), LongitudMaxima(Pago.observaciones.type.length)]
    )


def _medios_filtro():
    return [(str(i), n) for i, n in db.session.execute(db.select(MedioPago.id, MedioPago.nombre))]


class PagoView(ScaleListMixin, OpcionesVivasMixin, StreamingExportMixin, SecureModelView):
    can_create = True
    list_template = "admin/ventas/list.html"
    column_default_sort = [("fecha", True), ("id", True)]
    column_list = ("id", "fecha", "valor", "medio_pago", "referencia", "venta", "cliente")
    column_sortable_list = ("id", "fecha", "valor", "referencia")
    column_labels = {
        "id": "Número",
        "venta": "Operación",
        "cliente": "Cliente",
        "fecha": "Fecha",
        "valor": "Valor",
        "medio_pago": "Medio de pago",
        "referencia": "Referencia",
        "observaciones": "Observaciones",
        "documento_cliente": "Documento del cliente",
        "nombre_cliente": "Nombre del cliente",
        "proyecto": "Proyecto",
        "apartamento": "Apartamento",
        "tipo_operacion": "Tipo de operación",
    }
    column_formatters = {
        "fecha": lambda v, c, m, n: format_date(m.fecha),
        "valor": lambda v, c, m, n: format_cop(m.valor),
        "medio_pago": lambda v, c, m, n: m.medio_pago.nombre,
        "venta": lambda v, c, m, n: str(m.venta),
        "cliente": lambda v, c, m, n: f"{m.venta.cliente.nombre} ({m.venta.documento_cliente})",
    }
    column_details_list = ("id", "venta", "cliente", "fecha", "valor", "medio_pago", "referencia")
    column_formatters_detail = column_formatters
    column_searchable_list = ("referencia",)
    column_filters = (
        *filtros_de_fecha(Pago.fecha),
        IntEqualFilter(Pago.id_medio_pago, "Medio de pago"),
        IntEqualFilter("venta.id_proyecto", "Proyecto"),
        FilterEqual("venta.documento_cliente", "Documento del cliente"),
        IntEqualFilter(Pago.id_venta, "Operación número"),
    )
    opciones_vivas = {"Medio de pago": _medios_filtro, "Proyecto": opciones_proyectos_filtro}
    column_export_list = (
        "id",
        "fecha",
        "valor",
        "medio_pago",
        "referencia",
        "id_venta",
        "tipo_operacion",
        "documento_cliente",
        "nombre_cliente",
        "proyecto",
        "apartamento",
        "observaciones",
    )

    def export_sql(self):
        # The accounting export reads plain rows (600.000 pagos, no ORM object
        # each), with the same columns and texts as column_export_list above.
        venta, medio = aliased(Venta), aliased(MedioPago)
        textos, joins = columnas_operacion(venta)
        columns = [
            (Pago.id, numero),
            (Pago.fecha, format_date),
            (Pago.valor, numero),
            (sql_text(medio.nombre), None),
            (sql_text(Pago.referencia), None),
            (Pago.id_venta, numero),
            (textos["tipo_operacion"], None),
            (textos["documento_cliente"], None),
            (textos["nombre_cliente"], None),
            (textos["proyecto"], None),
            (textos["apartamento"], None),
            (sql_text(Pago.observaciones), None),
        ]
        return columns, [
            (medio, medio.id == Pago.id_medio_pago),
            (venta, venta.id == Pago.id_venta),
            *joins,
        ]

    @property
    def can_edit(self) -> bool:
        return current_user.is_authenticated and current_user.es_admin

    @can_edit.setter
    def can_edit(self, value) -> None:  # Flask-Admin assigns it in __init__
        pass

    def delete_record(self, model) -> None:
        servicio.eliminar_pago(model)

    def _form(self, **defaults) -> PagoForm:
        form = PagoForm() if request.method == "POST" else PagoForm(**defaults)
        form.id_medio_pago.choices = opciones_medios_pago()
        return form

    def _render_form(self, form: PagoForm, pago: Pago | None = None):
        venta = db.session.get(Venta, form.id_venta.data) if form.id_venta.data else None
        resumen = resumen_venta(venta, today_bogota()) if venta else None
        return self.render(
            "admin/pagos/form.html",
            form=form,
            pago=pago,
            venta=venta,
            resumen=resumen,
            desde_venta=clave_entera(request.args.get("id_venta")) if venta else None,
            return_url=self.get_url(".index_view"),
        )

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        form = self._form(
            id_venta=clave_entera(request.args.get("id_venta")),
            fecha=today_bogota(),
            id_medio_pago="",
        )
        if form.validate_on_submit():
            venta = db.session.get(Venta, form.id_venta.data)
            if venta is None:
                form.id_venta.errors.append(f"No existe la operación #{form.id_venta.data}.")
            else:
                pago = save(
                    form, lambda: servicio.registrar_pago(venta, **campos(form, "id_venta"))
                )
                if pago is not None:
                    flash(f"Pago de {format_cop(pago.valor)} registrado.", "success")
                    return redirect(self.get_url("ventas.details_view", id=venta.id))
        return self._render_form(form)

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        if not self.can_edit:
            abort(403)
        pago = db.session.get(Pago, clave_entera(request.args.get("id")) or 0)
        if pago is None:
            raise RegistroInexistente()
        form = self._form(
            id_venta=pago.id_venta,
            fecha=pago.fecha,
            valor=pago.valor,
            id_medio_pago=str(pago.id_medio_pago),
            referencia=pago.referencia,
            observaciones=pago.observaciones,
        )
        # The payment stays on its venta; only its own data is corrected.
        form.id_venta.data = pago.id_venta
        if form.validate_on_submit():
            corregido = save(
                form,
                lambda: servicio.corregir_pago(
                    pago,
                    fecha=form.fecha.data,
                    valor=form.valor.data,
                    id_medio_pago=form.id_medio_pago.data,
                    referencia=form.referencia.data or "",
                    observaciones=form.observaciones.data or "",
                ),
            )
            if corregido is not None:
                flash("Pago corregido; los pagos de la venta se volvieron a aplicar.", "success")
                return redirect(self.get_url("ventas.details_view", id=pago.id_venta))
            pago = db.session.get(Pago, pago.id)
        return self._render_form(form, pago)
