"""Import clientes: upload -> preview row by row -> confirm -> report of rejected rows.

The uploaded file waits between preview and confirm in the instance folder
under a random name, with a small JSON beside it (owner, options), so any
worker can serve the confirmation. Files older than a day are swept away.
"""

import contextlib
import json
import os
import re
import secrets
import time

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, OperationalError

from ..extensions import db
from ..integrity import describe_integrity_error
from ..services import importar_clientes as servicio
from ..services.errors import ServiceError
from .base import SecureMixin
from .export import csv_chunks, neutralize

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,60}$")
MAX_AGE_SECONDS = 24 * 3600
PREVIEW_ROWS = 500  # per kind; the counts and the report cover every row


def _folder() -> str:
    folder = current_app.config.get("IMPORT_DIR") or os.path.join(
        current_app.instance_path, "importaciones"
    )
    os.makedirs(folder, exist_ok=True)
    return folder


def _path(token: str, suffix: str) -> str:
    if not TOKEN.match(token or ""):
        abort(404)
    return os.path.join(_folder(), f"{token}{suffix}")


def _sweep() -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for entry in os.scandir(_folder()):
        if entry.is_file() and entry.stat().st_mtime < limit:
            with contextlib.suppress(OSError):  # another worker removed it first
                os.remove(entry.path)


def _load_meta(token: str) -> dict:
    try:
        with open(_path(token, ".json"), encoding="utf-8") as handle:
            meta = json.load(handle)
    except (OSError, ValueError):
        abort(404)
    if meta.get("usuario") != current_user.id:
        abort(404)
    return meta


def _save_meta(token: str, meta: dict) -> None:
    temporary = _path(token, ".json.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(meta, handle)
    os.replace(temporary, _path(token, ".json"))


def reporte_rechazos(analisis: servicio.Analisis) -> bytes:
    """CSV of the rejected rows and why, written as the exports are (BOM, no formulas)."""
    columnas = list(servicio.ENCABEZADOS)
    filas = (
        [
            str(fila.numero),
            *(neutralize(fila.valores.get(c, "")) for c in columnas),
            neutralize(" ".join(fila.errores)),
        ]
        for fila in analisis.rechazadas
    )
    return b"".join(csv_chunks(["Fila", *servicio.ENCABEZADOS.values(), "Motivos"], filas))


class ImportarClientesView(SecureMixin, BaseView):
    """Digitadores may import (create); updating existing clients is an explicit choice."""

    @expose("/", methods=("GET", "POST"))
    def index(self):
        if request.method == "GET":
            return self.render("admin/importar/subir.html")
        archivo = request.files.get("archivo")
        if archivo is None or not archivo.filename:
            flash("Elija un archivo CSV o Excel (.xlsx) para importar.", "error")
            return self.render("admin/importar/subir.html"), 400
        contenido = archivo.read(servicio.MAX_BYTES + 1)
        actualizar = request.form.get("actualizar") == "1"
        try:
            analisis = servicio.analizar(archivo.filename, contenido, actualizar=actualizar)
        except servicio.ArchivoInvalido as exc:
            flash(exc.message, "error")
            return self.render("admin/importar/subir.html"), 400
        finally:
            db.session.rollback()  # the analysis only reads

        _sweep()
        token = secrets.token_urlsafe(24)
        with open(_path(token, ".archivo"), "wb") as handle:
            handle.write(contenido)
        with open(_path(token, ".rechazos.csv"), "wb") as handle:
            handle.write(reporte_rechazos(analisis))
        _save_meta(
            token,
            {
                "usuario": current_user.id,
                "nombre": os.path.basename(archivo.filename)[:200],
                "actualizar": actualizar,
                "aplicada": False,
            },
        )
        return redirect(url_for(".vista_previa", token=token))

    @expose("/vista-previa/<token>")
    def vista_previa(self, token: str):
        meta = _load_meta(token)
        if meta.get("aplicada"):
            return redirect(url_for(".resultado", token=token))
        analisis = self._analizar(token, meta)
        if analisis is None:
            return redirect(url_for(".index"))
        return self.render(
            "admin/importar/vista_previa.html",
            token=token,
            meta=meta,
            analisis=analisis,
            servicio=servicio,
            limite=PREVIEW_ROWS,
        )

    @expose("/confirmar/<token>", methods=("POST",))
    def confirmar(self, token: str):
        meta = _load_meta(token)
        if meta.get("aplicada"):
            flash("Esta importación ya se aplicó.", "error")
            return redirect(url_for(".resultado", token=token))
        analisis = self._analizar(token, meta)
        if analisis is None:
            return redirect(url_for(".index"))
        try:
            creados, actualizados = servicio.aplicar(analisis)
            db.session.commit()
        except (ServiceError, IntegrityError, OperationalError) as exc:
            db.session.rollback()
            if isinstance(exc, IntegrityError):
                detalle = describe_integrity_error(exc)[1]
            elif isinstance(exc, ServiceError):
                detalle = exc.message
            else:
                detalle = "La base de datos está ocupada; intente de nuevo."
            flash(
                "No se importó ningún cliente: " + detalle + " Revise la vista previa de nuevo.",
                "error",
            )
            return redirect(url_for(".vista_previa", token=token))
        with open(_path(token, ".rechazos.csv"), "wb") as handle:
            handle.write(reporte_rechazos(analisis))
        meta.update(
            aplicada=True,
            creados=creados,
            actualizados=actualizados,
            sin_cambios=analisis.contar(servicio.SIN_CAMBIOS),
            rechazadas=len(analisis.rechazadas),
        )
        _save_meta(token, meta)
        with contextlib.suppress(OSError):
            os.remove(_path(token, ".archivo"))
        return redirect(url_for(".resultado", token=token))

    @expose("/resultado/<token>")
    def resultado(self, token: str):
        meta = _load_meta(token)
        if not meta.get("aplicada"):
            return redirect(url_for(".vista_previa", token=token))
        return self.render("admin/importar/resultado.html", token=token, meta=meta)

    @expose("/rechazos/<token>.csv")
    def rechazos(self, token: str):
        _load_meta(token)
        try:
            with open(_path(token, ".rechazos.csv"), "rb") as handle:
                data = handle.read()
        except OSError:
            abort(404)
        return Response(
            data,
            mimetype="text/csv; charset=utf-8",
            headers={"Content-Disposition": "attachment; filename=clientes_rechazados.csv"},
        )

    def _analizar(self, token: str, meta: dict):
        try:
            with open(_path(token, ".archivo"), "rb") as handle:
                contenido = handle.read()
        except OSError:
            flash("El archivo de esta importación ya no está; súbalo de nuevo.", "error")
            return None
        try:
            return servicio.analizar(meta["nombre"], contenido, actualizar=meta["actualizar"])
        except servicio.ArchivoInvalido as exc:
            flash(exc.message, "error")
            return None
