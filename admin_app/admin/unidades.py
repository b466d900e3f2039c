"""What the admin views of every unit kind share (apartamentos, locales,
parqueaderos): the bloqueo with motivo, who, when and hasta (admins), the
details' operations and price history, and deletes refused while a unit has
operations. The rules are services.unidades'."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.model.template import TemplateLinkRowAction
from flask_login import current_user
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import Optional

from ..database import clave_entera
from ..extensions import db
from ..formatting import format_datetime, today_bogota
from ..hojas import csv_chunks, neutralize
from ..models import HistorialPrecio, Venta
from ..security import safe_path_or
from ..services import unidades as servicio
from ..services.errors import ServiceError, ValidationFailed
from ..services.historial_precios import clave_unidad
from ..services.locales import borrar_historial
from ..validators import LongitudMaxima
from .base import add_form_errors
from .campos import Formulario, campo_fecha
from .export import numero

HISTORIAL_MAXIMO = 200


class BloqueoForm(Formulario):
    motivo = StringField(
        "Motivo del bloqueo",
        validators=[Optional(), LongitudMaxima(servicio.LARGO_MOTIVO)],
        description="Obligatorio: por qué no se puede vender (reservado a la gerencia, obra...).",
    )
    hasta = campo_fecha("Bloqueado hasta")


class UnidadAdminMixin:
    """Mixed into a unit's SecureModelView; `model` is its model class."""

    details_template = "admin/unidades/details.html"
    # The singular with its article, for messages: "el local", "el parqueadero".
    nombre_unidad = "la unidad"

    # -- bloqueo (admins) -----------------------------------------------------
    def get_list_row_actions(self):
        acciones = list(super().get_list_row_actions())
        if current_user.is_authenticated and current_user.es_admin:
            acciones.append(TemplateLinkRowAction("unidad_acciones.bloqueo", "Bloqueo"))
        return acciones

    def is_action_allowed(self, name: str) -> bool:
        if name in ("bloquear", "desbloquear"):
            return current_user.is_authenticated and current_user.es_admin
        return super().is_action_allowed(name)

    def _unidades(self, ids) -> list:
        claves = [clave_entera(i) for i in ids]
        claves = [c for c in claves if c is not None]
        if not claves:
            return []
        return list(db.session.scalars(select(self.model).where(self.model.id.in_(claves))))

    @expose("/bloqueo/", methods=("GET", "POST"))
    def bloqueo_view(self):
        if not current_user.es_admin:
            abort(403)
        return_url = safe_path_or(request.values.get("url"), self.get_url(".index_view"))
        ids = request.values.getlist("id") or request.values.get("ids", "").split(",")
        unidades = self._unidades(ids)
        if not unidades:
            abort(404)
        if request.method == "POST" and request.form.get("accion") == "desbloquear":
            self._desbloquear(unidades)
            return redirect(return_url)
        form = BloqueoForm(request.form if request.method == "POST" else None)
        if request.method == "POST" and form.validate() and self._bloquear(unidades, form):
            return redirect(return_url)
        return self.render(
            "admin/unidades/bloqueo.html", form=form, unidades=unidades, return_url=return_url
        )

    def _bloquear(self, unidades: list, form: BloqueoForm) -> bool:
        hechos = []
        for unidad in unidades:
            try:
                servicio.bloquear(unidad, form.motivo.data, form.hasta.data, today_bogota())
                db.session.commit()
                hechos.append(str(unidad))
            except ValidationFailed as exc:
                # The same motivo and date fail for every unit: back to the form.
                db.session.rollback()
                add_form_errors(form, exc.errors, exc.message)
                return False
            except ServiceError as exc:
                db.session.rollback()
                flash(exc.message, "error")
        if hechos:
            flash(f"Quedó bloqueado: {'; '.join(hechos)}.", "success")
        return True

    def _desbloquear(self, unidades: list) -> None:
        hechos = []
        for unidad in unidades:
            try:
                servicio.desbloquear(unidad)
                db.session.commit()
                hechos.append(str(unidad))
            except ServiceError as exc:
                db.session.rollback()
                flash(exc.message, "error")
        if hechos:
            flash(f"Quedó desbloqueado (Disponible): {'; '.join(hechos)}.", "success")

    @action("bloquear", "Bloquear", "¿Bloquear las unidades seleccionadas? Se pedirá el motivo.")
    def action_bloquear(self, ids):
        return redirect(
            self.get_url(".bloqueo_view", ids=",".join(ids), url=self.get_url(".index_view"))
        )

    @action("desbloquear", "Desbloquear", "¿Dejar disponibles las unidades seleccionadas?")
    def action_desbloquear(self, ids):
        self._desbloquear(self._unidades(ids))

    # -- deletes: never a unit with operations ----------------------------------
    def delete_record(self, model) -> None:
        servicio.exigir_sin_operaciones(model)
        borrar_historial(model)
        db.session.delete(model)
        db.session.flush()

    def delete_blockers(self, model) -> tuple[list[str], list[str]]:
        cuantas = servicio.contar_operaciones(model)
        if cuantas:
            return [f"Tiene {cuantas} operaciones (ventas o separaciones)."], []
        return super().delete_blockers(model)

    # -- details ------------------------------------------------------------------
    def operaciones(self, unidad) -> list[Venta]:
        return list(db.session.scalars(servicio.operaciones_de(unidad).limit(HISTORIAL_MAXIMO)))

    def historial_precios(self, unidad) -> list[HistorialPrecio]:
        [(campo, ident)] = clave_unidad(unidad).items()
        return list(
            db.session.scalars(
                select(HistorialPrecio)
                .where(getattr(HistorialPrecio, campo) == ident)
                .order_by(HistorialPrecio.fecha.desc(), HistorialPrecio.id.desc())
                .limit(HISTORIAL_MAXIMO)
            )
        )

    def historial_precios_url(self, unidad) -> str:
        return url_for(".historial_precios_csv", id=unidad.id)

    @expose("/historial_precios.csv")
    def historial_precios_csv(self):
        unidad = self.get_one(request.args.get("id", ""))
        if unidad is None:
            abort(404)
        filas = [
            [
                format_datetime(h.fecha),
                h.motivo_label,
                "" if h.precio_antes is None else numero(h.precio_antes),
                numero(h.precio_despues),
                neutralize(h.detalle or ""),
            ]
            for h in self.historial_precios(unidad)
        ]
        encabezados = ["Fecha", "Motivo", "Precio antes", "Precio después", "Detalle"]
        nombre = f"historial_precios_{self.endpoint}_{unidad.id}.csv"
        return Response(
            csv_chunks(encabezados, filas),
            mimetype="text/csv; charset=utf-8",
            headers={"Content-Disposition": f"attachment; filename={nombre}"},
        )
