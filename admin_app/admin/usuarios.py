"""Users: admins create them, change roles, deactivate and reset passwords."""

from sqlalchemy import select
from wtforms import PasswordField, SelectField
from wtforms.validators import Optional

from ..auth.passwords import MIN_LENGTH
from ..extensions import db
from ..models import Rol, Usuario
from ..services import asesores, usuarios
from .base import SecureModelView


def _id_o_nada(valor):
    if valor in (None, "", "None"):
        return None
    try:
        return int(valor)
    except (TypeError, ValueError):
        return None


def _con_directores(form):
    directores = db.session.scalars(
        select(Usuario)
        .where(Usuario.rol == Rol.DIRECTOR_COMERCIAL, Usuario.activo.is_(True))
        .order_by(Usuario.nombre_completo)
    )
    form.id_director.choices = [("", "— Sin director —")] + [
        (d.id, f"{d.nombre_completo} ({d.username})") for d in directores
    ]
    return form


class UsuarioView(SecureModelView):
    admin_only = True
    admin_can_delete = False  # users are deactivated, so the audit trail keeps its names
    can_export = False
    column_list = ("username", "nombre_completo", "rol", "director", "activo", "created_at")
    column_details_list = (
        "username",
        "nombre_completo",
        "rol",
        "director",
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
        "director": "Director",
        "id_director": "Director",
    }
    column_formatters = {"rol": lambda v, c, m, n: Rol.LABELS.get(m.rol, m.rol)}
    form_columns = (
        "username",
        "nombre_completo",
        "rol",
        "id_director",
        "activo",
        "nueva_contrasena",
    )
    form_excluded_columns = ("password_hash",)
    form_extra_fields = {
        "id_director": SelectField(
            "Director",
            coerce=_id_o_nada,
            validators=[Optional()],
            description="El director comercial que lidera a este asesor (su equipo).",
        ),
        "nueva_contrasena": PasswordField(
            "Nueva contraseña",
            validators=[Optional()],
            description=(
                f"Al menos {MIN_LENGTH} caracteres. Déjela vacía al editar para no cambiarla."
            ),
            render_kw={"autocomplete": "new-password"},
        ),
    }
    form_overrides = {"rol": SelectField}
    form_args = {
        "rol": {"choices": [(r, Rol.LABELS[r]) for r in Rol.ALL], "label": "Rol"},
        "username": {"label": "Usuario"},
        "nombre_completo": {"label": "Nombre completo"},
    }

    def create_form(self, obj=None):
        return _con_directores(super().create_form(obj))

    def edit_form(self, obj=None):
        return _con_directores(super().edit_form(obj))

    def on_model_change(self, form, model, is_created):
        id_director = model.id_director
        usuarios.guardar_usuario(model, form.nueva_contrasena.data or None)
        asesores.asignar_director(model, id_director)
