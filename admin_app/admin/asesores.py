"""A venta's asesor in the admin: the column, filter and export lines the venta
list adds, the "Cambiar asesor" form of its details page and the bulk reassignment
of the list (the "Sin asesor" bucket). Rules: services/asesores.py."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import FilterEmpty, IntEqualFilter
from flask_login import current_user
from sqlalchemy.orm import aliased
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired

from ..auth import permisos
from ..extensions import db
from ..models import Usuario, Venta
from ..services import asesores as servicio
from ..services.errors import ServiceError
from .campos import Formulario
from .comisiones import opciones_asesores
from .export import sql_text
from .formularios import entero_o_none, filas_seleccionadas

FILTROS = (
    IntEqualFilter(Venta.id_asesor, "Asesor"),
    FilterEmpty(Venta.id_asesor, "Sin asesor"),
)


def asesor_fmt(view, context, model, name):
    return model.asesor.nombre_completo if model.asesor else servicio.SIN_ASESOR


def export_asesor():
    """The export's column and join (export_sql): the asesor's name."""
    asesor = aliased(Usuario)
    return (sql_text(asesor.nombre_completo), None), (asesor, asesor.id == Venta.id_asesor)


class AsesorForm(Formulario):
    id_asesor = SelectField("Asesor", coerce=entero_o_none, validate_choice=False)
    motivo = TextAreaField(
        "Motivo del cambio",
        validators=[InputRequired("Indique el motivo del cambio de asesor.")],
        description="Queda en la bitácora con el cambio.",
    )


def formulario_asesor(venta: Venta, form: AsesorForm | None = None) -> AsesorForm | None:
    """The details page's form, for those who may change this operation's asesor."""
    if not servicio.puede_cambiar_asesor(current_user, venta):
        return None
    form = form or AsesorForm(formdata=None, id_asesor=venta.id_asesor)
    form.id_asesor.choices = opciones_asesores()
    return form


class AsignacionAsesorMixin:
    """For VentaView: change one operation's asesor, or many at once."""

    @expose("/asesor/", methods=("POST",))
    def asesor_view(self):
        if not permisos.puede(current_user, permisos.ASIGNAR_ASESOR):
            abort(403)
        venta = self._venta()
        form = formulario_asesor(venta, AsesorForm())
        if form is None:
            abort(403)
        return self._act(
            venta,
            form,
            "asesor",
            lambda: servicio.cambiar_asesor(venta, form.id_asesor.data, form.motivo.data),
            done=f"Asesor de la operación #{venta.id} actualizado.",
            invalid="No se pudo cambiar el asesor. Revise los campos marcados.",
        )

    def is_action_allowed(self, name: str) -> bool:
        if name == "asignar_asesor":
            return permisos.puede(current_user, permisos.ASIGNAR_ASESOR)
        return super().is_action_allowed(name)

    @action("asignar_asesor", "Asignar asesor")
    def action_asignar_asesor(self, ids):
        claves = ",".join(str(c) for c in map(entero_o_none, ids) if c is not None)
        return redirect(url_for(".reasignar_view", ids=claves))

    @expose("/reasignar/", methods=("GET", "POST"))
    def reasignar_view(self):
        if not permisos.puede(current_user, permisos.ASIGNAR_ASESOR):
            abort(403)
        ids = [c for c in map(entero_o_none, request.values.get("ids", "").split(",")) if c]
        ventas = filas_seleccionadas(Venta, ids[:1000])
        form = AsesorForm()
        form.id_asesor.choices = opciones_asesores()
        if form.validate_on_submit():
            cambiadas, errores = [], []
            for venta in ventas:
                hecho = _cambiar(venta, form.id_asesor.data, form.motivo.data)
                (cambiadas if hecho is None else errores).append(hecho or f"#{venta.id}")
            if cambiadas:
                flash(f"Asesor asignado a las operaciones {', '.join(cambiadas)}.", "success")
            for mensaje in errores:
                flash(mensaje, "error")
            if cambiadas and not errores:
                return redirect(self.get_url(".index_view"))
        return self.render(
            "admin/ventas/reasignar.html",
            form=form,
            ventas=ventas,
            ids=",".join(str(v.id) for v in ventas),
            sin_asesor=servicio.SIN_ASESOR,
        )


def _cambiar(venta: Venta, id_asesor, motivo) -> str | None:
    """None when the operation took the new asesor; else why not."""
    try:
        servicio.cambiar_asesor(venta, id_asesor, motivo)
        db.session.commit()
        return None
    except ServiceError as exc:
        db.session.rollback()
        return f"#{venta.id}: {exc.message}"


def opciones_asesores_filtro():
    return opciones_asesores(None)
