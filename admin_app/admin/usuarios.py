"""Users: admins create them, change roles, deactivate and reset passwords."""

from wtforms import PasswordField, SelectField
from wtforms.validators import Optional

from ..auth.passwords import MIN_LENGTH
from ..models import Rol
from ..services import usuarios
from .base import SecureModelView


class UsuarioView(SecureModelView):
    admin_only = True
    admin_can_delete = False  # users are deactivated, so the audit trail keeps its names
    can_export = False
    column_list = ("username", "nombre_completo", "rol", "activo", "created_at")
    column_details_list = (
        "username",
        "nombre_completo",
        "rol",
        "activo",
        "created_at",
        "updated_at",
    )
    column_searchable_list = ("username", "nombre_completo")
    column_filters = ("rol", "activo")
    column_labels = {
        "username": "Usuario",
        "nombre_completo": "Nombre completo",
        "rol": "Rol",
        "activo": "Activo",
        "created_at": "Creado",
        "updated_at": "Actualizado",
        "nueva_contrasena": "Nueva contraseña",
    }
    column_formatters = {"rol": lambda v, c, m, n: Rol.LABELS.get(m.rol, m.rol)}
    form_columns = ("username", "nombre_completo", "rol", "activo", "nueva_contrasena")
    form_excluded_columns = ("password_hash",)
    form_extra_fields = {
        "nueva_contrasena": PasswordField(
            "Nueva contraseña",
            validators=[Optional()],
            description=(
                f"Al menos {MIN_LENGTH} caracteres. Déjela vacía al editar para no cambiarla."
            ),
            render_kw={"autocomplete": "new-password"},
        )
    }
    form_overrides = {"rol": SelectField}
    form_args = {
        "rol": {"choices": [(r, Rol.LABELS[r]) for r in Rol.ALL], "label": "Rol"},
        "username": {"label": "Usuario"},
        "nombre_completo": {"label": "Nombre completo"},
    }

    def on_model_change(self, form, model, is_created):
        usuarios.guardar_usuario(model, form.nueva_contrasena.data or None)
