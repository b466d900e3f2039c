"""Clientes in the admin."""

from .base import SecureModelView


class ClienteView(SecureModelView):
    column_list = (
        "documento",
        "nombre",
        "tipo_cliente",
        "tipo_documento",
        "telefono",
        "correo",
        "created_at",
    )
    column_labels = {
        "documento": "Documento",
        "nombre": "Nombre",
        "tipo_cliente": "Tipo de cliente",
        "tipo_documento": "Tipo de documento",
        "direccion": "Dirección",
        "telefono": "Teléfono",
        "correo": "Correo",
        "created_at": "Creado",
        "updated_at": "Actualizado",
    }
    form_columns = (
        "documento",
        "nombre",
        "tipo_cliente",
        "tipo_documento",
        "direccion",
        "telefono",
        "correo",
    )
    column_searchable_list = ("documento", "nombre_busqueda")
