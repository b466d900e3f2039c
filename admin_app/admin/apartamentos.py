"""Apartamentos in the admin. The estado is never typed: the sales workflow
moves it, and an admin may only block (with a motivo) or unblock it (admin/unidades.py)."""

from decimal import Decimal

from flask_admin.contrib.sqla.filters import FilterEqual, FilterLike, IntEqualFilter
from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..formatting import format_cop, format_number
from ..limites import PISO_MAXIMO, PISO_MINIMO
from ..models import Apartamento, Cliente, EstadoInmueble, Proyecto, Torre
from ..services.inventario import eliminar_apartamento, guardar_apartamento
from .base import SecureModelView
from .campos import CampoDecimal, CampoDinero, CampoEntero
from .export import StreamingExportMixin, numero, sql_text
from .formularios import (
    DineroMayorQue,
    DineroMenorQue,
    OpcionesVivasMixin,
    opciones_proyectos_filtro,
)
from .scale import ScaleListMixin
from .unidades import UnidadAdminMixin

# What an apartment form accepts: basements to the tallest towers, a few rooms.
ESPACIOS_MAXIMO = 50
AREA_MAXIMA = Decimal("999999.99")  # Numeric(8, 2)


def estados_filtro():
    return [(n, n) for n in db.session.scalars(select(EstadoInmueble.nombre))]


class ApartamentoView(
    UnidadAdminMixin, ScaleListMixin, OpcionesVivasMixin, StreamingExportMixin, SecureModelView
):
    list_template = "admin/unidades/list.html"
    nombre_unidad = "el apartamento"
    column_list = (
        "proyecto",
        "torre",
        "numero",
        "piso",
        "area_m2",
        "habitaciones",
        "precio",
        "estado",
        "propietario",
    )
    column_details_list = (
        "proyecto",
        "torre",
        "numero",
        "piso",
        "area_m2",
        "habitaciones",
        "banos",
        "tipo",
        "precio_base",
        "precio",
        "estado",
        "propietario",
    )
    column_sortable_list = ("numero", "piso", "area_m2", "habitaciones", "precio")
    column_default_sort = [("id_torre", False), ("numero", False)]
    column_labels = {
        "proyecto": "Proyecto",
        "torre": "Torre",
        "numero": "Número",
        "piso": "Piso",
        "area_m2": "Área (m²)",
        "habitaciones": "Habitaciones",
        "banos": "Baños",
        "precio": "Precio",
        "tipo": "Tipo de apartamento",
        "precio_base": "Precio base",
        "estado": "Estado",
        "propietario": "Propietario",
        "documento_cliente": "Documento del propietario",
    }
    column_formatters = {
        "proyecto": lambda v, c, m, n: m.torre.proyecto.nombre,
        "torre": lambda v, c, m, n: m.torre.nombre,
        "area_m2": lambda v, c, m, n: format_number(m.area_m2, 2),
        "precio": lambda v, c, m, n: format_cop(m.precio),
        "precio_base": lambda v, c, m, n: format_cop(m.precio_base),
        "tipo": lambda v, c, m, n: m.tipo.nombre if m.tipo else "",
        "estado": lambda v, c, m, n: m.estado.nombre,
        "propietario": lambda v, c, m, n: str(m.propietario) if m.propietario else "",
    }
    column_formatters_detail = column_formatters
    column_export_list = (
        "proyecto",
        "torre",
        "numero",
        "piso",
        "area_m2",
        "habitaciones",
        "banos",
        "precio",
        "estado",
        "propietario",
    )

    def export_sql(self):
        # Plain rows, the same columns and texts as column_export_list.
        torre, proyecto = aliased(Torre), aliased(Proyecto)
        estado, propietario = aliased(EstadoInmueble), aliased(Cliente)
        columns = [
            (sql_text(proyecto.nombre), None),
            (sql_text(torre.nombre), None),
            (sql_text(Apartamento.numero), None),
            (Apartamento.piso, numero),
            (Apartamento.area_m2, numero),
            (Apartamento.habitaciones, numero),
            (Apartamento.banos, numero),
            (Apartamento.precio, numero),
            (sql_text(estado.nombre), None),
            (sql_text(propietario.nombre + " (" + propietario.documento + ")"), None),
        ]
        joins = [
            (torre, torre.id == Apartamento.id_torre),
            (proyecto, proyecto.id == torre.id_proyecto),
            (estado, estado.id == Apartamento.id_estado_inmueble),
            (propietario, propietario.documento == Apartamento.documento_cliente),
        ]
        return columns, joins

    column_searchable_list = ("numero", "documento_cliente")
    column_filters = (
        IntEqualFilter("torre.id_proyecto", "Proyecto"),
        FilterLike("torre.nombre", "Torre"),
        FilterEqual("estado.nombre", "Estado"),
        DineroMayorQue(Apartamento.precio, "Precio"),
        DineroMenorQue(Apartamento.precio, "Precio"),
        DineroMayorQue(Apartamento.area_m2, "Área (m²)"),
        DineroMenorQue(Apartamento.area_m2, "Área (m²)"),
    )
    opciones_vivas = {"Proyecto": opciones_proyectos_filtro, "Estado": estados_filtro}
    form_columns = (
        "torre",
        "numero",
        "piso",
        "area_m2",
        "habitaciones",
        "banos",
        "tipo",
        "precio_base",
    )
    # Text boxes: `320.000.000` as clerks type it, each with its real bounds.
    form_overrides = {
        "precio_base": CampoDinero,
        "area_m2": CampoDecimal,
        "piso": CampoEntero,
        "habitaciones": CampoEntero,
        "banos": CampoEntero,
    }
    form_ajax_refs = {
        "torre": {
            "fields": ("nombre",),
            "page_size": 20,
            "placeholder": "Escriba el nombre de la torre",
        }
    }
    form_args = {
        "torre": {"label": "Torre"},
        "numero": {"label": "Número"},
        "piso": {"label": "Piso", "minimo": PISO_MINIMO, "maximo": PISO_MAXIMO},
        # Numeric(8, 2)
        "area_m2": {"label": "Área (m²)", "minimo_excluido": True, "maximo": AREA_MAXIMA},
        "habitaciones": {"label": "Habitaciones", "maximo": ESPACIOS_MAXIMO},
        "banos": {"label": "Baños", "maximo": ESPACIOS_MAXIMO},
        "tipo": {
            "label": "Tipo de apartamento",
            "description": "Con tipo, el precio base es su valor estimado.",
            # The empty choice has words: a screen reader reads the select2 link.
            "blank_text": "Sin tipo (precio base escrito)",
        },
        "precio_base": {
            "label": "Precio base",
            "minimo_excluido": True,
            "description": "Sin tipo, escríbalo. El precio sale de la base, la prima de "
            "altura y las políticas del proyecto.",
        },
    }

    # -- saving: the price follows the base (services/inventario, services/precios) ----
    def _guardar(self, model) -> Apartamento:
        model.id_tipo_apartamento = model.tipo.id if model.tipo is not None else None
        return guardar_apartamento(model)

    def create_record(self, form):
        model = self.build_new_instance()
        with db.session.no_autoflush:
            form.populate_obj(model)
        return self._guardar(model)

    def update_record(self, form, model) -> None:
        form.populate_obj(model)
        self._guardar(model)

    def delete_record(self, model) -> None:
        eliminar_apartamento(model)
