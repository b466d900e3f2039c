"""Pagos in the admin."""

from .base import SecureModelView


class PagoView(SecureModelView):
    can_create = False
    can_edit = False
    column_list = ("id", "venta", "fecha", "valor", "medio_pago", "referencia")
    column_labels = {
        "id": "Número",
        "venta": "Operación",
        "fecha": "Fecha",
        "valor": "Valor",
        "medio_pago": "Medio de pago",
        "referencia": "Referencia",
    }
