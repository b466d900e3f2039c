"""Tipos de apartamento and políticas de precio (admins), and the two-step form
("Vista previa", then "Confirmar") that every edit of a tipo, a policy or a
project's prima goes through: the preview computes the new prices without saving."""

from flask import Response, g, request
from flask_admin import expose
from flask_admin.contrib.sqla.filters import IntEqualFilter
from werkzeug.utils import secure_filename
from wtforms.validators import Optional

from ..extensions import db
from ..formatting import format_cop, format_number, today_bogota
from ..hojas import csv_chunks, neutralize
from ..models import PoliticaPrecio, TipoApartamento
from ..services import precios as servicio
from ..services.errors import ServiceError
from .base import SecureModelView, add_form_errors
from .campos import CampoDecimal, CampoDinero, CampoEntero, CampoFecha, CampoTasa
from .export import XLSX_MIMETYPE, Numero, xlsx_chunks
from .formularios import OpcionesVivasMixin, opciones_proyectos_filtro

ENCABEZADOS = ["Apartamento", "Piso", "Precio antes", "Precio después", "Diferencia"]


def filas_vista_previa(cambios: list[servicio.Cambio]) -> list[list]:
    return [
        [
            neutralize(c.unidad.etiqueta),
            Numero(c.unidad.piso),
            Numero(c.precio_antes),
            Numero(c.precio_despues),
            Numero(c.precio_despues - c.precio_antes),
        ]
        for c in cambios
    ]


class VistaPreviaPreciosMixin:
    """A save that moves prices is shown first: the form's submit computes the
    preview (nothing saved) and the page offers "Confirmar" and the exports."""

    create_template = "admin/precios/create.html"
    edit_template = "admin/precios/edit.html"
    vista_previa_al_crear = True

    def cambios_de_precio(self, model, is_created: bool) -> list[servicio.Cambio] | None:
        """Validate `model` (the form applied, unsaved) and compute its price changes;
        None when this edit cannot move a price (it is then saved at once)."""
        raise NotImplementedError

    def vista_previa_actual(self):
        return g.get("vista_previa_precios")

    def requiere_vista_previa(self, is_created: bool) -> bool:
        return not is_created or self.vista_previa_al_crear

    def _calcular(self, form, model):
        """(valid, changes): the preview of applying the form to `model` (None: a new row)."""
        is_created = model is None
        try:
            with db.session.no_autoflush:
                if is_created:
                    model = self.build_new_instance()
                form.populate_obj(model)
                return True, self.cambios_de_precio(model, is_created)
        except ServiceError as exc:
            add_form_errors(form, exc.errors, exc.message)
            return False, None
        finally:
            db.session.rollback()

    def _previa(self, form, model, guardar):
        """Show the preview (False: the form is shown again), or save what moves no price."""
        valido, cambios = self._calcular(form, model)
        if not valido:
            return False
        if cambios is None:
            if model is not None:
                db.session.refresh(model)
            return guardar()
        g.vista_previa_precios = {
            "resumen": servicio.resumen(cambios),
            "cambios": cambios,
            "total": len(cambios),
        }
        return False

    def create_model(self, form):
        if self.requiere_vista_previa(True) and not request.form.get("confirmar"):
            return self._previa(
                form, None, lambda: super(VistaPreviaPreciosMixin, self).create_model(form)
            )
        return super().create_model(form)

    def update_model(self, form, model) -> bool:
        if not request.form.get("confirmar"):
            return self._previa(
                form, model, lambda: super(VistaPreviaPreciosMixin, self).update_model(form, model)
            )
        return super().update_model(form, model)

    def _exportar(self, model):
        form = self.create_form() if model is None else self.edit_form(obj=model)
        if not form.validate():
            return None
        valido, cambios = self._calcular(form, model)
        if not valido:
            return None
        formato = request.form["exportar"]
        filas = filas_vista_previa(cambios or [])
        if formato == "csv":
            cuerpo = csv_chunks(ENCABEZADOS, ([str(v) for v in fila] for fila in filas))
            mimetype = "text/csv; charset=utf-8"
        else:
            cuerpo, mimetype = xlsx_chunks(ENCABEZADOS, filas, "Vista previa"), XLSX_MIMETYPE
        nombre = secure_filename(f"vista_previa_precios_{today_bogota():%Y-%m-%d}.{formato}")
        return Response(
            b"".join(cuerpo),
            mimetype=mimetype,
            headers={"Content-Disposition": f"attachment; filename={nombre}"},
        )

    def _pide_exportar(self) -> bool:
        return request.method == "POST" and request.form.get("exportar") in ("csv", "xlsx")

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        if self._pide_exportar() and self.can_create:
            respuesta = self._exportar(None)
            if respuesta is not None:
                return respuesta
        return super().create_view()

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        if self._pide_exportar() and self.can_edit:
            model = self.get_one(request.args.get("id", ""))
            respuesta = self._exportar(model) if model is not None else None
            if respuesta is not None:
                return respuesta
        return super().edit_view()


def _proyecto_columna(v, c, m, n):
    return m.proyecto.nombre


class TipoApartamentoView(OpcionesVivasMixin, VistaPreviaPreciosMixin, SecureModelView):
    admin_only = True
    vista_previa_al_crear = False  # no apartment has a new tipo yet
    column_list = (
        "proyecto",
        "nombre",
        "area_construida",
        "area_privada",
        "habitaciones",
        "banos",
        "valor_m2",
        "valor_estimado",
    )
    column_details_list = column_list
    column_export_list = column_list
    column_sortable_list = ("nombre", "area_construida", "valor_m2")
    column_default_sort = [("id_proyecto", False), ("nombre", False)]
    column_searchable_list = ("nombre",)
    column_filters = (IntEqualFilter(TipoApartamento.id_proyecto, "Proyecto"),)
    opciones_vivas = {"Proyecto": opciones_proyectos_filtro}
    column_labels = {
        "proyecto": "Proyecto",
        "nombre": "Nombre",
        "area_construida": "Área construida (m²)",
        "area_privada": "Área privada (m²)",
        "habitaciones": "Habitaciones",
        "banos": "Baños",
        "valor_m2": "Valor del m²",
        "valor_estimado": "Valor estimado",
    }
    column_formatters = {
        "proyecto": _proyecto_columna,
        "area_construida": lambda v, c, m, n: format_number(m.area_construida, 2),
        "area_privada": lambda v, c, m, n: format_number(m.area_privada, 2),
        "valor_m2": lambda v, c, m, n: format_cop(m.valor_m2),
        "valor_estimado": lambda v, c, m, n: format_cop(m.valor_estimado),
    }
    column_formatters_detail = column_formatters
    column_formatters_export = {
        "proyecto": _proyecto_columna,
        "valor_estimado": lambda v, c, m, n: m.valor_estimado,
    }
    column_descriptions = {
        "valor_estimado": "Área construida × valor del m², redondeado hacia arriba al peso: "
        "el precio base de sus apartamentos."
    }
    form_columns = (
        "proyecto",
        "nombre",
        "area_construida",
        "area_privada",
        "habitaciones",
        "banos",
        "valor_m2",
    )
    form_overrides = {
        "area_construida": CampoDecimal,
        "area_privada": CampoDecimal,
        "habitaciones": CampoEntero,
        "banos": CampoEntero,
        "valor_m2": CampoDinero,
    }
    form_args = {
        "proyecto": {"label": "Proyecto"},
        "area_construida": {
            "label": "Área construida (m²)",
            "minimo_excluido": True,
            "maximo": servicio.AREA_MAXIMA,
        },
        "area_privada": {
            "label": "Área privada (m²)",
            "minimo_excluido": True,
            "maximo": servicio.AREA_MAXIMA,
        },
        "habitaciones": {"label": "Habitaciones", "maximo": servicio.ESPACIOS_MAXIMO},
        "banos": {"label": "Baños", "maximo": servicio.ESPACIOS_MAXIMO},
        "valor_m2": {"label": "Valor del m²", "minimo_excluido": True},
    }

    def cambios_de_precio(self, model, is_created):
        if model.proyecto is not None:
            model.id_proyecto = model.proyecto.id
        servicio.validar_tipo(model)
        if is_created:
            return []
        return servicio.vista_previa(model.proyecto, tipo=(model.id, model.valor_estimado))

    def create_record(self, form):
        model = self.build_new_instance()
        with db.session.no_autoflush:
            form.populate_obj(model)
        return servicio.guardar_tipo(model)

    def update_record(self, form, model) -> None:
        form.populate_obj(model)
        servicio.guardar_tipo(model)

    def delete_record(self, model) -> None:
        servicio.eliminar_tipo(model)


class PoliticaPrecioView(OpcionesVivasMixin, VistaPreviaPreciosMixin, SecureModelView):
    admin_only = True
    column_list = (
        "proyecto",
        "orden",
        "nombre",
        "ventas_por_escalon",
        "porcentaje_aumento",
        "aplica_desde",
        "activa",
    )
    column_details_list = column_list
    column_export_list = column_list
    column_sortable_list = ("orden", "nombre", "aplica_desde")
    column_default_sort = [("id_proyecto", False), ("orden", False)]
    column_searchable_list = ("nombre",)
    column_filters = (IntEqualFilter(PoliticaPrecio.id_proyecto, "Proyecto"),)
    opciones_vivas = {"Proyecto": opciones_proyectos_filtro}
    column_labels = {
        "proyecto": "Proyecto",
        "orden": "Orden",
        "nombre": "Nombre",
        "ventas_por_escalon": "Ventas por escalón",
        "porcentaje_aumento": "% de aumento",
        "aplica_desde": "Aplica desde",
        "activa": "Activa",
    }
    column_descriptions = {
        "ventas_por_escalon": "Unidades vendidas de este escalón; se acumulan en el orden de "
        "las políticas (5 y 5: desde la venta 5 y desde la 10).",
        "aplica_desde": "La política aplica desde este día aunque no se alcance el escalón.",
    }
    column_formatters = {
        "proyecto": _proyecto_columna,
        "porcentaje_aumento": lambda v, c, m, n: format_number(m.porcentaje_aumento, 4) + " %",
    }
    column_formatters_detail = column_formatters
    column_formatters_export = {"proyecto": _proyecto_columna}
    form_columns = (
        "proyecto",
        "nombre",
        "orden",
        "ventas_por_escalon",
        "porcentaje_aumento",
        "aplica_desde",
        "activa",
    )
    form_overrides = {
        "orden": CampoEntero,
        "ventas_por_escalon": CampoEntero,
        "porcentaje_aumento": CampoTasa,
        "aplica_desde": CampoFecha,
    }
    form_args = {
        "proyecto": {"label": "Proyecto"},
        "orden": {"label": "Orden", "minimo": 1, "maximo": servicio.ORDEN_MAXIMO},
        "ventas_por_escalon": {
            "label": "Ventas por escalón",
            "minimo": 1,
            "maximo": servicio.ESCALON_MAXIMO,
        },
        "porcentaje_aumento": {"label": "% de aumento", "lugares": 4},
        "aplica_desde": {"label": "Aplica desde", "validators": [Optional()]},
        "activa": {"label": "Activa"},
    }

    def cambios_de_precio(self, model, is_created):
        if model.proyecto is not None:
            model.id_proyecto = model.proyecto.id
        servicio.validar_politica(model)
        politica = servicio.Politica.de(model)
        return servicio.vista_previa(model.proyecto, politica=politica)

    def create_record(self, form):
        model = self.build_new_instance()
        with db.session.no_autoflush:
            form.populate_obj(model)
        return servicio.guardar_politica(model)

    def update_record(self, form, model) -> None:
        form.populate_obj(model)
        servicio.guardar_politica(model)

    def delete_record(self, model) -> None:
        servicio.eliminar_politica(model)
