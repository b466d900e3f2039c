"""Ventas y separaciones in the admin."""

from .base import SecureModelView


class VentaView(SecureModelView):
    can_create = False
    can_edit = False
    column_list = (
        "id",
        "tipo_operacion",
        "estado_operacion",
        "cliente",
        "apartamento",
        "fecha",
        "valor_total",
    )
    column_labels = {
        "id": "Número",
        "tipo_operacion": "Tipo",
        "estado_operacion": "Estado",
        "cliente": "Cliente",
        "apartamento": "Apartamento",
        "fecha": "Fecha",
        "valor_total": "Valor total",
    }
