"""Apartamentos in the admin."""

from .base import SecureModelView


class ApartamentoView(SecureModelView):
    column_list = (
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
    column_labels = {
        "torre": "Torre",
        "numero": "Número",
        "piso": "Piso",
        "area_m2": "Área (m²)",
        "habitaciones": "Habitaciones",
        "banos": "Baños",
        "precio": "Precio",
        "estado": "Estado",
        "propietario": "Propietario",
    }
    form_columns = ("torre", "numero", "piso", "area_m2", "habitaciones", "banos", "precio")
