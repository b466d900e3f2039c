"""Parqueaderos in the admin: list, form, details (operations, bitácora, price
history), export, and the creation of a numbered range in one transaction
("P-001 a P-120 en la torre 2"). The rules are services.parqueaderos'."""

from flask import flash, redirect, request
from flask_admin import expose
from flask_admin.contrib.sqla.filters import FilterEqual, FilterLike, IntEqualFilter
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import aliased
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Optional

from ..extensions import db
from ..formatting import format_cop
from ..models import (
    Apartamento,
    Cliente,
    EstadoInmueble,
    Parqueadero,
    Proyecto,
    TipoParqueadero,
    Torre,
)
from ..security import safe_path_or
from ..services import parqueaderos as servicio
from ..validators import LongitudMaxima
from .apartamentos import estados_filtro
from .base import SecureModelView, save
from .campos import CampoDinero, CampoEntero, Formulario, FormularioAdmin
from .export import StreamingExportMixin, numero, sql_text
from .formularios import (
    DineroMayorQue,
    DineroMenorQue,
    OpcionesVivasMixin,
    campos,
    entero_o_none,
    opciones_proyectos_filtro,
)
from .locales import opciones_torres
from .scale import ScaleListMixin
from .unidades import UnidadAdminMixin


def opciones_tipos() -> list[tuple[str, str]]:
    filas = db.session.execute(
        select(TipoParqueadero.id, TipoParqueadero.nombre).order_by(TipoParqueadero.id)
    )
    return [("", "— Seleccione —")] + [(str(i), n) for i, n in filas]


def tipos_filtro():
    return [(n, n) for n in db.session.scalars(select(TipoParqueadero.nombre))]


def _campo_torre() -> SelectField:
    return SelectField(
        "Torre", coerce=entero_o_none, validate_choice=False, validators=[Optional()]
    )


def _campo_tipo() -> SelectField:
    return SelectField("Tipo", coerce=entero_o_none, validate_choice=False, validators=[Optional()])


class ParqueaderoForm(FormularioAdmin):
    id_torre = _campo_torre()
    numero = StringField(
        "Número",
        validators=[
            InputRequired("Indique el número."),
            LongitudMaxima(Parqueadero.numero.type.length),
        ],
    )
    id_tipo_parqueadero = _campo_tipo()
    precio = CampoDinero(
        "Precio", validators=[InputRequired("Indique el precio.")], minimo_excluido=True
    )
    id_apartamento = CampoEntero(
        "Incluido en el apartamento (id)",
        validators=[Optional()],
        minimo=1,
        description="Vacío: un parqueadero libre, que se vende como adicional.",
    )


class RangoForm(Formulario):
    id_torre = _campo_torre()
    prefijo = StringField("Prefijo", validators=[Optional(), LongitudMaxima(9)], default="P-")
    desde = CampoEntero("Desde", validators=[InputRequired("Indique el primer número.")], minimo=0)
    hasta = CampoEntero("Hasta", validators=[InputRequired("Indique el último número.")], minimo=0)
    relleno = CampoEntero(
        "Cifras (relleno con ceros)",
        validators=[Optional()],
        minimo=0,
        maximo=servicio.RELLENO_MAXIMO,
        default=3,
        description="3 da P-001, P-002...; 0, sin ceros.",
    )
    id_tipo_parqueadero = _campo_tipo()
    precio = CampoDinero(
        "Precio de cada uno", validators=[InputRequired("Indique el precio.")], minimo_excluido=True
    )


class ParqueaderoView(
    UnidadAdminMixin, ScaleListMixin, OpcionesVivasMixin, StreamingExportMixin, SecureModelView
):
    list_template = "admin/parqueaderos/list.html"
    nombre_unidad = "el parqueadero"
    form = ParqueaderoForm
    column_list = (
        "proyecto",
        "torre",
        "numero",
        "tipo",
        "precio",
        "estado",
        "apartamento",
        "propietario",
    )
    column_details_list = column_list
    column_sortable_list = ("numero", "precio")
    column_default_sort = [("id_torre", False), ("numero", False)]
    column_labels = {
        "proyecto": "Proyecto",
        "torre": "Torre",
        "numero": "Número",
        "tipo": "Tipo",
        "precio": "Precio",
        "estado": "Estado",
        "apartamento": "Incluido en",
        "propietario": "Propietario",
        "documento_cliente": "Documento del propietario",
    }
    column_formatters = {
        "proyecto": lambda v, c, m, n: m.torre.proyecto.nombre,
        "torre": lambda v, c, m, n: m.torre.nombre,
        "tipo": lambda v, c, m, n: m.tipo.nombre,
        "precio": lambda v, c, m, n: format_cop(m.precio),
        "estado": lambda v, c, m, n: m.estado.nombre,
        "apartamento": lambda v, c, m, n: str(m.apartamento) if m.apartamento else "",
        "propietario": lambda v, c, m, n: str(m.propietario) if m.propietario else "",
    }
    column_formatters_detail = column_formatters
    column_export_list = column_details_list
    column_searchable_list = ("numero", "documento_cliente")
    column_filters = (
        IntEqualFilter("torre.id_proyecto", "Proyecto"),
        FilterLike("torre.nombre", "Torre"),
        FilterEqual("estado.nombre", "Estado"),
        FilterEqual("tipo.nombre", "Tipo"),
        DineroMayorQue(Parqueadero.precio, "Precio"),
        DineroMenorQue(Parqueadero.precio, "Precio"),
    )
    opciones_vivas = {
        "Proyecto": opciones_proyectos_filtro,
        "Estado": estados_filtro,
        "Tipo": tipos_filtro,
    }

    def export_sql(self):
        torre, proyecto = aliased(Torre), aliased(Proyecto)
        estado, propietario = aliased(EstadoInmueble), aliased(Cliente)
        tipo, apartamento = aliased(TipoParqueadero), aliased(Apartamento)
        columns = [
            (sql_text(proyecto.nombre), None),
            (sql_text(torre.nombre), None),
            (sql_text(Parqueadero.numero), None),
            (sql_text(tipo.nombre), None),
            (Parqueadero.precio, numero),
            (sql_text(estado.nombre), None),
            (sql_text("Apto " + apartamento.numero), None),
            (sql_text(propietario.nombre + " (" + propietario.documento + ")"), None),
        ]
        joins = [
            (torre, torre.id == Parqueadero.id_torre),
            (proyecto, proyecto.id == torre.id_proyecto),
            (tipo, tipo.id == Parqueadero.id_tipo_parqueadero),
            (estado, estado.id == Parqueadero.id_estado_inmueble),
            (apartamento, apartamento.id == Parqueadero.id_apartamento),
            (propietario, propietario.documento == Parqueadero.documento_cliente),
        ]
        return columns, joins

    def _con_opciones(self, form):
        form.id_torre.choices = opciones_torres()
        form.id_tipo_parqueadero.choices = opciones_tipos()
        return form

    def create_form(self, obj=None):
        return self._con_opciones(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._con_opciones(super().edit_form(obj))

    def create_record(self, form):
        return servicio.crear_parqueadero(servicio.DatosParqueadero(**campos(form, "_version")))

    def update_record(self, form, model) -> None:
        servicio.actualizar_parqueadero(
            model, servicio.DatosParqueadero(**campos(form, "_version"))
        )

    def delete_record(self, model) -> None:
        servicio.eliminar_parqueadero(model)

    # -- a numbered range in one transaction ----------------------------------------
    @expose("/rango/", methods=("GET", "POST"))
    def rango_view(self):
        return_url = safe_path_or(request.values.get("url"), self.get_url(".index_view"))
        if not self.can_create:
            flash("No tiene permiso para crear parqueaderos.", "error")
            return redirect(return_url)
        form = RangoForm()
        form.id_torre.choices = opciones_torres()
        form.id_tipo_parqueadero.choices = opciones_tipos()
        if form.validate_on_submit():
            datos = servicio.DatosRango(**campos(form))
            ids = save(form, lambda: servicio.crear_rango(datos))
            if ids is not None:
                flash(f"Se crearon {len(ids)} parqueaderos.", "success")
                return redirect(return_url)
        return self.render(
            "admin/parqueaderos/rango.html",
            form=form,
            return_url=return_url,
            es_admin=current_user.es_admin,
        )
