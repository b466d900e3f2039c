"""Import clientes: upload -> check (a job) -> preview -> confirm (a job) -> report.

The uploaded file is kept on the import's `trabajos` row, in the database, so
whichever machine answers the next request, or runs the job, has it. Both
steps run in the background (admin_app.jobs); the page follows the progress
(a small JSON status polled by the page, or a refresh without JavaScript), and
the user's recent imports are listed on the upload page to come back to.
"""

import os

from flask import Response, abort, flash, jsonify, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_login import current_user

from .. import jobs
from ..extensions import db
from ..formatting import format_number
from ..jobs import importar_clientes as trabajo_importar
from ..models import EstadoTrabajo, Trabajo
from ..services import importar_clientes as servicio
from .base import SecureMixin

RECIENTES = 10
TEXTO_FASE = {
    trabajo_importar.REVISION: "Revisando las filas",
    trabajo_importar.VERIFICACION: "Revisando las filas otra vez antes de guardar",
    trabajo_importar.GUARDADO: "Guardando los clientes",
}


def texto_avance(trabajo: Trabajo) -> str:
    if trabajo.estado == EstadoTrabajo.EN_COLA:
        return "En cola, esperando turno…"
    if trabajo.estado != EstadoTrabajo.EN_CURSO:
        return trabajo.estado_label
    if trabajo.total is None:
        return "Leyendo el archivo…"
    return (
        f"{TEXTO_FASE.get(trabajo.fase, 'Trabajando')}: "
        f"{format_number(trabajo.hechos)} de {format_number(trabajo.total)}"
    )


class ImportarClientesView(SecureMixin, BaseView):
    """Digitadores may import (create); updating existing clients is an explicit choice."""

    @expose("/", methods=("GET", "POST"))
    def index(self):
        if request.method == "GET":
            return self._subir()
        archivo = request.files.get("archivo")
        if archivo is None or not archivo.filename:
            flash("Elija un archivo CSV o Excel (.xlsx) para importar.", "error")
            return self._subir(), 400
        contenido = archivo.read(servicio.MAX_BYTES + 1)
        try:
            servicio.revisar_tamano(contenido)
        except servicio.ArchivoInvalido as exc:
            flash(exc.message, "error")
            return self._subir(), 400
        jobs.limpiar(trabajo_importar.TIPO)
        trabajo = jobs.nuevo(
            trabajo_importar.TIPO,
            current_user.id,
            parametros={"actualizar": request.form.get("actualizar") == "1"},
            entrada=contenido,
            nombre_archivo=os.path.basename(archivo.filename)[:200],
        )
        jobs.enqueue(trabajo_importar.REVISAR, trabajo.id, fase=trabajo_importar.REVISION)
        return redirect(url_for(".trabajo", id=trabajo.id))

    @expose("/<int:id>")
    def trabajo(self, id: int):
        trabajo = self._trabajo(id)
        if trabajo.activo:
            template = "admin/importar/progreso.html"
        elif trabajo.estado == EstadoTrabajo.FALLIDO:
            template = "admin/importar/fallido.html"
        elif trabajo.fase == trabajo_importar.REVISION:
            template = "admin/importar/vista_previa.html"
        else:
            template = "admin/importar/resultado.html"
        return self.render(
            template,
            trabajo=trabajo,
            resultado=trabajo.resultado or {},
            texto=texto_avance(trabajo),
            servicio=servicio,
            limite=trabajo_importar.MUESTRAS,
        )

    @expose("/<int:id>/estado")
    def estado(self, id: int):
        trabajo = self._trabajo(id)
        return jsonify(
            id=trabajo.id,
            estado=trabajo.estado,
            fase=trabajo.fase,
            hechos=trabajo.hechos,
            total=trabajo.total,
            porcentaje=trabajo.porcentaje,
            texto=texto_avance(trabajo),
            activo=trabajo.activo,
            error=(trabajo.error or {}).get("mensaje"),
        )

    @expose("/<int:id>/confirmar", methods=("POST",))
    def confirmar(self, id: int):
        trabajo = self._trabajo(id)
        en_cola = jobs.enqueue(
            trabajo_importar.IMPORTAR,
            trabajo.id,
            fase=trabajo_importar.VERIFICACION,
            solo_si={"estado": EstadoTrabajo.TERMINADO, "fase": trabajo_importar.REVISION},
        )
        if not en_cola:
            flash("Esta importación ya se confirmó.", "error")
        return redirect(url_for(".trabajo", id=id))

    @expose("/<int:id>/reintentar", methods=("POST",))
    def reintentar(self, id: int):
        if not jobs.reintentar(self._trabajo(id)):
            flash("Esta importación no se puede reintentar; suba el archivo de nuevo.", "error")
        return redirect(url_for(".trabajo", id=id))

    @expose("/<int:id>/rechazos.csv")
    def rechazos(self, id: int):
        data = self._trabajo(id).salida
        if data is None:
            abort(404)
        return Response(
            data,
            mimetype="text/csv; charset=utf-8",
            headers={"Content-Disposition": "attachment; filename=clientes_rechazados.csv"},
        )

    def _subir(self):
        recientes = list(
            db.session.scalars(
                db.select(Trabajo)
                .where(
                    Trabajo.id_usuario == current_user.id,
                    Trabajo.tipo == trabajo_importar.TIPO,
                )
                .order_by(Trabajo.id.desc())
                .limit(RECIENTES)
            )
        )
        jobs.vigilar(recientes)
        return self.render("admin/importar/subir.html", recientes=recientes, texto=texto_avance)

    def _trabajo(self, id: int) -> Trabajo:
        """The user's own import (another user's is not found), its heartbeat checked."""
        trabajo = db.session.get(Trabajo, id)
        if (
            trabajo is None
            or trabajo.tipo != trabajo_importar.TIPO
            or trabajo.id_usuario != current_user.id
        ):
            abort(404)
        jobs.vigilar([trabajo])
        return trabajo
