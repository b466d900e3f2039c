"""The login log in the admin (admins only): every success and failure, with
filters by date, user, result and IP, exported like any list."""

from flask_admin.contrib.sqla import filters

from ..formatting import format_datetime
from ..models import MotivoAcceso, RegistroAcceso
from .base import SecureModelView
from .export import (
    StreamingExportMixin,
    datetime_formatter,
    label_sql,
    sql_datetime,
    sql_text,
)
from .scale import ScaleListMixin

RESULTADOS = (("1", "Correcto"), ("0", "Fallido"))


class RegistroAccesoView(ScaleListMixin, StreamingExportMixin, SecureModelView):
    admin_only = True
    can_create = False
    can_edit = False
    admin_can_delete = False
    can_view_details = False
    column_display_pk = False
    column_default_sort = ("id", True)
    page_size = 50
    column_list = ("fecha", "username", "exito", "motivo", "ip", "user_agent")
    column_labels = {
        "fecha": "Fecha",
        "username": "Usuario",
        "exito": "Resultado",
        "motivo": "Detalle",
        "ip": "IP",
        "user_agent": "Navegador",
    }
    column_searchable_list = ("username",)
    column_filters = (
        filters.DateTimeBetweenFilter(RegistroAcceso.fecha, "Fecha"),
        filters.DateTimeGreaterFilter(RegistroAcceso.fecha, "Fecha"),
        filters.DateTimeSmallerFilter(RegistroAcceso.fecha, "Fecha"),
        filters.FilterEqual(RegistroAcceso.username, "Usuario"),
        filters.BooleanEqualFilter(RegistroAcceso.exito, "Resultado", options=RESULTADOS),
        filters.FilterEqual(
            RegistroAcceso.motivo, "Detalle", options=tuple(MotivoAcceso.LABELS.items())
        ),
        filters.FilterEqual(RegistroAcceso.ip, "IP"),
    )
    column_formatters = {
        "fecha": lambda v, c, m, n: format_datetime(m.fecha),
        "exito": lambda v, c, m, n: "Correcto" if m.exito else "Fallido",
        "motivo": lambda v, c, m, n: m.motivo_label,
    }

    def export_sql(self):
        columns = [
            (sql_datetime(RegistroAcceso.fecha), datetime_formatter()),
            (sql_text(RegistroAcceso.username), None),
            (RegistroAcceso.exito, lambda v: "Correcto" if v else "Fallido"),
            (sql_text(label_sql(RegistroAcceso.motivo, MotivoAcceso.LABELS)), None),
            (sql_text(RegistroAcceso.ip), None),
            (sql_text(RegistroAcceso.user_agent), None),
        ]
        return columns, []
