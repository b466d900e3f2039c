"""Locales in the admin: list, form, details (operations, bitácora, price history)
and export. The price is area × valor del m², computed by the service; the estado
is never typed (sales move it; admins block and unblock: admin/unidades.py)."""

from flask_admin.contrib.sqla.filters import FilterEqual, FilterLike, IntEqualFilter
from sqlalchemy import select
from sqlalchemy.orm import aliased
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Optional

from ..extensions import db
from ..formatting import format_cop, format_number
from ..models import Cliente, EstadoInmueble, Local, Proyecto, Torre
from ..services import locales as servicio
from ..validators import LongitudMaxima
from .apartamentos import estados_filtro
from .base import SecureModelView
from .campos import CampoDecimal, CampoDinero, FormularioAdmin
from .export import StreamingExportMixin, numero, sql_text
from .formularios import (
    DineroMayorQue,
    DineroMenorQue,
    OpcionesVivasMixin,
    campos,
    entero_o_none,
    opciones_proyectos_filtro,
)
from .scale import ScaleListMixin
from .unidades import UnidadAdminMixin


def opciones_proyectos() -> list[tuple[str, str]]:
    filas = db.session.execute(select(Proyecto.id, Proyecto.nombre).order_by(Proyecto.nombre))
    return [("", "— Seleccione —")] + [(str(i), n) for i, n in filas]


def opciones_torres(vacia: str = "— Seleccione —") -> list[tuple[str, str]]:
    filas = db.session.execute(
        select(Torre.id, Proyecto.nombre, Torre.nombre)
        .join(Proyecto, Torre.id_proyecto == Proyecto.id)
        .order_by(Proyecto.nombre, Torre.nombre)
    )
    return [("", vacia)] + [(str(i), f"{p} - {t}") for i, p, t in filas]


class LocalForm(FormularioAdmin):
    id_proyecto = SelectField(
        "Proyecto", coerce=entero_o_none, validate_choice=False, validators=[Optional()]
    )
    id_torre = SelectField(
        "Torre",
        coerce=entero_o_none,
        validate_choice=False,
        validators=[Optional()],
        description="Vacío: un local fuera de las torres del proyecto.",
    )
    numero = StringField(
        "Número",
        validators=[InputRequired("Indique el número."), LongitudMaxima(Local.numero.type.length)],
    )
    area_m2 = CampoDecimal(
        "Área (m²)",
        validators=[InputRequired("Indique el área.")],
        minimo_excluido=True,
        maximo=servicio.AREA_MAXIMA,
    )
    valor_m2 = CampoDinero(
        "Valor del m²",
        validators=[InputRequired("Indique el valor del m².")],
        minimo_excluido=True,
        description="El precio es área × valor del m², redondeado al peso.",
    )


class LocalView(
    UnidadAdminMixin, ScaleListMixin, OpcionesVivasMixin, StreamingExportMixin, SecureModelView
):
    list_template = "admin/unidades/list.html"
    nombre_unidad = "el local"
    form = LocalForm
    column_list = (
        "proyecto",
        "torre",
        "numero",
        "area_m2",
        "valor_m2",
        "precio",
        "estado",
        "propietario",
    )
    column_details_list = column_list
    column_sortable_list = ("numero", "area_m2", "valor_m2", "precio")
    column_default_sort = [("id_proyecto", False), ("numero", False)]
    column_labels = {
        "proyecto": "Proyecto",
        "torre": "Torre",
        "numero": "Número",
        "area_m2": "Área (m²)",
        "valor_m2": "Valor del m²",
        "precio": "Precio",
        "estado": "Estado",
        "propietario": "Propietario",
        "documento_cliente": "Documento del propietario",
    }
    column_formatters = {
        "proyecto": lambda v, c, m, n: m.proyecto.nombre,
        "torre": lambda v, c, m, n: m.torre.nombre if m.torre else "(fuera de las torres)",
        "area_m2": lambda v, c, m, n: format_number(m.area_m2, 2),
        "valor_m2": lambda v, c, m, n: format_cop(m.valor_m2),
        "precio": lambda v, c, m, n: format_cop(m.precio),
        "estado": lambda v, c, m, n: m.estado.nombre,
        "propietario": lambda v, c, m, n: str(m.propietario) if m.propietario else "",
    }
    column_formatters_detail = column_formatters
    column_export_list = column_details_list
    column_searchable_list = ("numero", "documento_cliente")
    column_filters = (
        IntEqualFilter(Local.id_proyecto, "Proyecto"),
        FilterLike("torre.nombre", "Torre"),
        FilterEqual("estado.nombre", "Estado"),
        DineroMayorQue(Local.precio, "Precio"),
        DineroMenorQue(Local.precio, "Precio"),
        DineroMayorQue(Local.area_m2, "Área (m²)"),
        DineroMenorQue(Local.area_m2, "Área (m²)"),
    )
    opciones_vivas = {"Proyecto": opciones_proyectos_filtro, "Estado": estados_filtro}

    def export_sql(self):
        torre, proyecto = aliased(Torre), aliased(Proyecto)
        estado, propietario = aliased(EstadoInmueble), aliased(Cliente)
        columns = [
            (sql_text(proyecto.nombre), None),
            (sql_text(torre.nombre), None),
            (sql_text(Local.numero), None),
            (Local.area_m2, numero),
            (Local.valor_m2, numero),
            (Local.precio, numero),
            (sql_text(estado.nombre), None),
            (sql_text(propietario.nombre + " (" + propietario.documento + ")"), None),
        ]
        joins = [
            (proyecto, proyecto.id == Local.id_proyecto),
            (torre, torre.id == Local.id_torre),
            (estado, estado.id == Local.id_estado_inmueble),
            (propietario, propietario.documento == Local.documento_cliente),
        ]
        return columns, joins

    def _con_opciones(self, form):
        form.id_proyecto.choices = opciones_proyectos()
        form.id_torre.choices = opciones_torres("— Fuera de las torres —")
        return form

    def create_form(self, obj=None):
        return self._con_opciones(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._con_opciones(super().edit_form(obj))

    def create_record(self, form):
        return servicio.crear_local(servicio.DatosLocal(**campos(form, "_version")))

    def update_record(self, form, model) -> None:
        servicio.actualizar_local(model, servicio.DatosLocal(**campos(form, "_version")))

    def delete_record(self, model) -> None:
        servicio.eliminar_local(model)
