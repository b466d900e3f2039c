"""Catalogs, proyectos and torres: admin-only, in the Catálogos menu.

Names are unique regardless of case (checked here for a field message; the
database indexes enforce it), rows in use are never deleted, and the seeded
rows that the code looks up by name or code keep that name or code.
"""

from sqlalchemy import func, inspect, select
from wtforms import TextAreaField

from ..extensions import db
from ..models import PlanPago
from ..models.catalogos import SEED
from ..services import inventario, precios
from ..services.catalogos import validar_catalogo, validar_proyecto
from ..services.errors import Conflict, ValidationFailed
from .base import SecureModelView
from .campos import (
    PLAZO_MAXIMO_CUOTA_INICIAL_MESES,
    PLAZO_MAXIMO_SEPARACION_DIAS,
    CampoDinero,
    CampoEntero,
    CampoTasa,
)
from .delete_preview import cantidad, references
from .precios import VistaPreviaPreciosMixin

SYSTEM_NAMES = {
    "tipos_cliente": set(SEED["tipos_cliente"]),
    "estados_inmueble": set(SEED["estados_inmueble"]),
}
SYSTEM_CODES = {codigo for codigo, _nombre in SEED["tipos_documento"]}


def previous_value(model, attribute: str):
    """The stored value of `attribute` before this edit (None for a new row)."""
    history = inspect(model).attrs[attribute].history
    if history.deleted:
        return history.deleted[0]
    return None if inspect(model).pending or inspect(model).transient else getattr(model, attribute)


class InUseGuardMixin:
    """A referenced row is refused with how many records use it; the FKs refuse it too."""

    def on_model_delete(self, model) -> None:
        uses = [cantidad(other.name, count) for other, _fk, count in references(model)]
        if uses:
            raise Conflict(f"No se puede eliminar «{model}»: está en uso por {', '.join(uses)}.")
        super().on_model_delete(model)


def check_unique_name(model, message: str, *scope) -> None:
    """Case-insensitive uniqueness of `nombre` (within `scope` columns), as a field error."""
    nombre = (model.nombre or "").strip()
    model.nombre = nombre
    cls = type(model)
    stmt = select(cls.id).where(func.lower(cls.nombre) == nombre.lower())
    for column in scope:
        stmt = stmt.where(getattr(cls, column) == getattr(model, column))
    if model.id is not None:
        stmt = stmt.where(cls.id != model.id)
    with db.session.no_autoflush:  # the new row must not find itself
        if db.session.scalar(stmt.limit(1)) is not None:
            raise ValidationFailed.on_field("nombre", message)


class CatalogoView(InUseGuardMixin, SecureModelView):
    admin_only = True
    column_list = ("id", "nombre")
    form_columns = ("nombre",)
    column_labels = {"id": "Id", "nombre": "Nombre"}
    column_searchable_list = ("nombre",)
    column_default_sort = "id"
    column_export_exclude_list = ("version",)

    def system_names(self) -> set[str]:
        return SYSTEM_NAMES.get(self.model.__tablename__, set())

    def on_model_change(self, form, model, is_created) -> None:
        antes = previous_value(model, "nombre")
        if not is_created and antes in self.system_names() and model.nombre != antes:
            raise ValidationFailed.on_field(
                "nombre",
                f"«{antes}» es un valor del sistema que la aplicación usa; no se puede renombrar.",
            )
        validar_catalogo(model)

    def on_model_delete(self, model) -> None:
        if model.nombre in self.system_names():
            raise Conflict(
                f"«{model.nombre}» es un valor del sistema que la aplicación usa; "
                "no se puede eliminar."
            )
        super().on_model_delete(model)


class TipoDocumentoView(CatalogoView):
    column_list = ("id", "codigo", "nombre")
    form_columns = ("codigo", "nombre")
    column_labels = {"id": "Id", "codigo": "Código", "nombre": "Nombre"}
    column_searchable_list = ("codigo", "nombre")

    def on_model_change(self, form, model, is_created) -> None:
        antes = previous_value(model, "codigo")
        model.codigo = (model.codigo or "").strip().upper()
        if not is_created and antes in SYSTEM_CODES and model.codigo != antes:
            raise ValidationFailed.on_field(
                "codigo",
                f"El código {antes} lo usan las reglas de validación de documentos; "
                "no se puede cambiar.",
            )
        super().on_model_change(form, model, is_created)

    def on_model_delete(self, model) -> None:
        if model.codigo in SYSTEM_CODES:
            raise Conflict(
                f"El tipo de documento {model.codigo} lo usan las reglas de validación; "
                "no se puede eliminar."
            )
        super().on_model_delete(model)


class ProyectoView(VistaPreviaPreciosMixin, InUseGuardMixin, SecureModelView):
    admin_only = True
    vista_previa_al_crear = False  # a new project has no apartments yet
    column_list = (
        "nombre",
        "ciudad",
        "porcentaje_cuota_inicial_min",
        "valor_min_separacion",
        "plazo_max_cuota_inicial_meses",
        "plazo_max_separacion_dias",
        "porcentaje_causacion_comision",
        "activo",
        "prima_altura_activa",
        "prima_altura_base",
        "prima_altura_incremento",
    )
    column_details_list = (*column_list, "dias_validez_cotizacion", "clausulas_cotizacion")
    column_export_list = column_list
    form_columns = column_details_list
    details_template = "admin/proyectos/details.html"
    column_searchable_list = ("nombre", "ciudad")
    column_filters = ("ciudad", "activo")
    column_labels = {
        "nombre": "Nombre",
        "ciudad": "Ciudad",
        "porcentaje_cuota_inicial_min": "% mínimo de cuota inicial",
        "valor_min_separacion": "Valor mínimo de separación",
        "plazo_max_cuota_inicial_meses": "Plazo máximo cuota inicial (meses)",
        "plazo_max_separacion_dias": "Plazo máximo de separación (días)",
        "porcentaje_causacion_comision": "% de cuota inicial que causa la comisión",
        "activo": "Activo",
        "prima_altura_activa": "Prima de altura activa",
        "prima_altura_base": "Prima de altura base",
        "prima_altura_incremento": "Incremento de la prima por piso",
        "dias_validez_cotizacion": "Vigencia de una cotización (días)",
        "clausulas_cotizacion": "Cláusulas de la cotización",
    }
    column_descriptions = {
        "porcentaje_cuota_inicial_min": "Porcentaje del valor total, entre 0 y 100.",
        "valor_min_separacion": "En pesos; cero si no se exige un mínimo.",
        "prima_altura_base": "En pesos: la prima del piso donde empieza (nivel de la torre).",
        "prima_altura_incremento": "En pesos, por cada piso por encima de ese nivel.",
        "clausulas_cotizacion": "Texto fijo que se imprime al final de cada cotización.",
        "porcentaje_causacion_comision": (
            "Vacío o cero: la comisión se causa con la venta; si no, cuando se recauda "
            "este porcentaje de la cuota inicial."
        ),
    }
    form_overrides = {
        "porcentaje_cuota_inicial_min": CampoTasa,
        "porcentaje_causacion_comision": CampoTasa,
        "valor_min_separacion": CampoDinero,
        "prima_altura_base": CampoDinero,
        "prima_altura_incremento": CampoDinero,
        "plazo_max_cuota_inicial_meses": CampoEntero,
        "plazo_max_separacion_dias": CampoEntero,
        "dias_validez_cotizacion": CampoEntero,
        "clausulas_cotizacion": TextAreaField,
    }
    form_args = {
        "plazo_max_cuota_inicial_meses": {
            "minimo": 1,
            "maximo": PLAZO_MAXIMO_CUOTA_INICIAL_MESES,
        },
        "plazo_max_separacion_dias": {"minimo": 1, "maximo": PLAZO_MAXIMO_SEPARACION_DIAS},
        "dias_validez_cotizacion": {"minimo": 1, "maximo": 365},
    }

    def planes_de(self, proyecto) -> list:
        """The project's plans de pago, for its details page."""
        return list(
            db.session.scalars(
                select(PlanPago)
                .where(PlanPago.id_proyecto == proyecto.id)
                .order_by(PlanPago.activo.desc(), PlanPago.nombre)
            )
        )

    def cambios_de_precio(self, model, is_created):
        validar_proyecto(model)
        check_unique_name(model, "Ya existe un proyecto con ese nombre.")
        if is_created or not precios.prima_cambio(model):
            return None
        return precios.vista_previa(model, prima=precios.prima_de(model))

    def create_record(self, form):
        model = self.build_new_instance()
        form.populate_obj(model)
        return inventario.guardar_proyecto(model)

    def update_record(self, form, model) -> None:
        form.populate_obj(model)
        inventario.guardar_proyecto(model)


class TorreView(InUseGuardMixin, SecureModelView):
    admin_only = True
    column_list = ("proyecto", "nombre", "nivel_inicio_prima")
    column_export_list = column_list
    form_columns = ("proyecto", "nombre", "nivel_inicio_prima")
    column_labels = {
        "proyecto": "Proyecto",
        "nombre": "Nombre",
        "nivel_inicio_prima": "Piso donde empieza la prima de altura",
    }
    form_overrides = {"nivel_inicio_prima": CampoEntero}
    form_args = {"nivel_inicio_prima": {"maximo": inventario.NIVEL_MAXIMO}}
    column_sortable_list = (("proyecto", "proyecto.nombre"), "nombre")
    column_searchable_list = ("nombre",)
    column_filters = ("proyecto.nombre",)
    column_default_sort = [("proyecto.nombre", False), ("nombre", False)]

    def create_record(self, form):
        model = self.build_new_instance()
        form.populate_obj(model)
        return inventario.guardar_torre(model)

    def update_record(self, form, model) -> None:
        form.populate_obj(model)
        inventario.guardar_torre(model)
