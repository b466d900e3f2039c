"""The outbox in the admin (admins only): every notice with its state and attempts;
a notice can be resent (it goes back to the queue and is sent after the commit)."""

from datetime import timedelta

from flask import flash
from flask_admin.actions import action
from flask_admin.contrib.sqla import filters
from markupsafe import Markup, escape

from ..avisos.envio import reenviar
from ..formatting import format_datetime
from ..models import Aviso, EstadoAviso, TipoAviso
from ..models.base import utcnow
from .base import SecureModelView, save
from .formularios import filas_seleccionadas

ATASCADO = timedelta(minutes=10)


def _intentos_html(view, context, model, name) -> Markup:
    items = "".join(
        f"<li>{escape(format_datetime(i.fecha))}: "
        f"{'enviado' if i.exito else escape(i.error or 'falló')}</li>"
        for i in model.intentos_envio
    )
    return Markup(f"<ul class='list-unstyled mb-0'>{items}</ul>")  # noqa: S704 - escaped


class AvisoView(SecureModelView):
    admin_only = True
    can_create = False
    can_edit = False
    admin_can_delete = False
    can_export = False
    column_default_sort = ("id", True)
    page_size = 50
    column_list = (
        "id",
        "created_at",
        "tipo",
        "destinatario",
        "asunto",
        "estado",
        "intentos",
        "enviado_en",
        "ultimo_error",
    )
    column_details_list = (*column_list, "proximo_intento", "texto", "intentos_envio")
    column_labels = {
        "id": "Número",
        "created_at": "Creado",
        "tipo": "Tipo",
        "destinatario": "Destinatario",
        "asunto": "Asunto",
        "estado": "Estado",
        "intentos": "Intentos",
        "enviado_en": "Enviado",
        "ultimo_error": "Último error",
        "proximo_intento": "Próximo intento",
        "texto": "Texto",
        "intentos_envio": "Intentos de envío",
    }
    column_searchable_list = ("destinatario",)
    column_filters = (
        filters.FilterEqual(Aviso.estado, "Estado", options=tuple(EstadoAviso.LABELS.items())),
        filters.FilterEqual(Aviso.tipo, "Tipo", options=tuple(TipoAviso.LABELS.items())),
        filters.FilterEqual(Aviso.destinatario, "Destinatario"),
    )
    column_formatters = {
        "created_at": lambda v, c, m, n: format_datetime(m.created_at),
        "enviado_en": lambda v, c, m, n: format_datetime(m.enviado_en) if m.enviado_en else "",
        "proximo_intento": lambda v, c, m, n: format_datetime(m.proximo_intento),
        "tipo": lambda v, c, m, n: m.tipo_label,
        "estado": lambda v, c, m, n: m.estado_label,
        "intentos_envio": _intentos_html,
    }
    column_formatters_detail = column_formatters

    @action("reenviar", "Reenviar", "¿Reenviar los avisos seleccionados?")
    def action_reenviar(self, ids) -> None:
        # One being sent right now is left alone; one stuck sending (its sender died
        # after the server may have taken it) can be resent once it is clearly stuck.
        atascado = utcnow() - ATASCADO
        avisos = [
            a
            for a in filas_seleccionadas(Aviso, ids)
            if a.estado != EstadoAviso.ENVIANDO or a.updated_at < atascado
        ]

        def operacion():
            for aviso in avisos:
                reenviar(aviso)
            return avisos

        if save(None, operacion) is not None:
            flash(f"{len(avisos)} avisos puestos de nuevo en la cola de envío.", "success")
