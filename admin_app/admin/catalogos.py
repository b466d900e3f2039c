"""Catalogs, proyectos and torres: admin-only, in the Catálogos menu."""

from .base import SecureModelView


class CatalogoView(SecureModelView):
    admin_only = True
    column_list = ("id", "nombre")
    form_columns = ("nombre",)
    column_labels = {"id": "Id", "nombre": "Nombre"}
    column_searchable_list = ("nombre",)


class TipoDocumentoView(CatalogoView):
    column_list = ("id", "codigo", "nombre")
    form_columns = ("codigo", "nombre")
    column_labels = {"id": "Id", "codigo": "Código", "nombre": "Nombre"}


class ProyectoView(SecureModelView):
    admin_only = True
    column_list = (
        "nombre",
        "ciudad",
        "porcentaje_cuota_inicial_min",
        "valor_min_separacion",
        "plazo_max_cuota_inicial_meses",
        "plazo_max_separacion_dias",
        "activo",
    )
    form_columns = column_list
    column_labels = {
        "nombre": "Nombre",
        "ciudad": "Ciudad",
        "porcentaje_cuota_inicial_min": "% mínimo de cuota inicial",
        "valor_min_separacion": "Valor mínimo de separación",
        "plazo_max_cuota_inicial_meses": "Plazo máximo cuota inicial (meses)",
        "plazo_max_separacion_dias": "Plazo máximo de separación (días)",
        "activo": "Activo",
    }


class TorreView(SecureModelView):
    admin_only = True
    column_list = ("proyecto", "nombre")
    form_columns = ("proyecto", "nombre")
    column_labels = {"proyecto": "Proyecto", "nombre": "Nombre"}
