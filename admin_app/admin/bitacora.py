"""The bitacora in the admin: the global log (admins) and one record's history.

Read-only: the views offer no create, edit or delete, and the session refuses
to flush a change to an entry (audit.py).
"""

import json

from flask import abort, g, has_request_context, request, url_for
from flask_admin import BaseView, expose
from flask_admin.contrib.sqla import filters
from markupsafe import Markup, escape
from sqlalchemy import Text, cast, inspect, select

from ..audit import ACCIONES, AUDITED_TABLES, VERSION_COLUMN, registro_key
from ..database import MAX_INT
from ..extensions import db
from ..formatting import format_datetime
from ..models import (
    Bitacora,
    EstadoInmueble,
    FormaPago,
    MedioPago,
    TipoCliente,
    TipoDocumento,
)
from .base import SecureMixin, SecureModelView
from .export import (
    StreamingExportMixin,
    datetime_formatter,
    label_sql,
    neutralize,
    sql_datetime,
    sql_text,
)
from .scale import ScaleListMixin

ORIGENES = {"admin": "Admin", "api": "API", "comando": "Comando", "sistema": "Sistema"}
TABLAS = {
    "clientes": "Clientes",
    "apartamentos": "Apartamentos",
    "ventas": "Ventas y separaciones",
    "pagos": "Pagos",
    "tipos_cliente": "Tipos de cliente",
    "tipos_documento": "Tipos de documento",
    "estados_inmueble": "Estados de inmueble",
    "formas_pago": "Formas de pago",
    "medios_pago": "Medios de pago",
    "proyectos": "Proyectos",
    "torres": "Torres",
    "usuarios": "Usuarios",
    "locales": "Locales",
    "parqueaderos": "Parqueaderos",
    "tipos_parqueadero": "Tipos de parqueadero",
    "operacion_unidades": "Unidades de operaciones",
}
HISTORY_PAGE_SIZE = 50


# Columns named alike in several tables, as people call them.
CAMPOS = {
    "id_estado_inmueble": "Estado",
    "id_tipo_cliente": "Tipo de cliente",
    "id_tipo_documento": "Tipo de documento",
    "id_forma_pago": "Forma de pago",
    "id_medio_pago": "Medio de pago",
    "id_torre": "Torre",
    "id_proyecto": "Proyecto",
    "id_apartamento": "Apartamento",
    "id_local": "Local",
    "id_parqueadero": "Parqueadero",
    "id_tipo_parqueadero": "Tipo de parqueadero",
    "bloqueo_motivo": "Motivo del bloqueo",
    "bloqueado_hasta": "Bloqueado hasta",
    "id_venta": "Operación",
    "documento_cliente": "Cliente",
    "created_at": "Creado",
    "updated_at": "Actualizado",
    "activo": "Activo",
}
# A catalog id in a change is shown by the catalog row's name.
CATALOGOS = {
    "id_estado_inmueble": EstadoInmueble,
    "id_tipo_cliente": TipoCliente,
    "id_tipo_documento": TipoDocumento,
    "id_forma_pago": FormaPago,
    "id_medio_pago": MedioPago,
}


def _shown(value, column: str | None = None) -> str:
    if value in (None, ""):
        return "(vacío)"
    if isinstance(value, bool):
        return "Sí" if value else "No"
    modelo = CATALOGOS.get(column)
    if modelo is not None and isinstance(value, int):
        return _nombres_catalogo(modelo).get(value, str(value))
    return str(value)


def _nombres_catalogo(modelo) -> dict[int, str]:
    """A catalog's names by id, read once per request: session.get per change
    queried again each time (the identity map lets go of the rows), 54 queries
    and 40 ms on a bitácora page of payments."""
    cache = g.setdefault("bitacora_catalogos", {}) if has_request_context() else {}
    if modelo not in cache:
        cache[modelo] = {fila.id: str(fila) for fila in db.session.scalars(select(modelo))}
    return cache[modelo]


def etiqueta(column: str, labels: dict | None = None) -> str:
    """A changed column as people call it: the view's label, else CAMPOS."""
    for name in (column, column[3:] if column.startswith("id_") else None):
        if name and labels and name in labels:
            return str(labels[name])
    return CAMPOS.get(column) or column.replace("_", " ").capitalize()


def _etiquetas_de(admin, tabla: str) -> dict:
    for view in admin._views:
        if getattr(getattr(view, "model", None), "__tablename__", None) == tabla:
            return getattr(view, "column_labels", None) or {}
    return {}


def cambios_html(cambios: dict | None, labels: dict | None = None) -> Markup:
    if not cambios:
        return Markup("")
    # escape() and an f-string, not Markup.format: 386 format calls were a third of
    # the bitácora list's time (string.Formatter is slow); the HTML is the same.
    items = "".join(
        f"<li><b>{escape(etiqueta(column, labels))}</b>: "
        f"{escape(_shown(old, column))} → {escape(_shown(new, column))}</li>"
        for column, (old, new) in cambios.items()
        if column != VERSION_COLUMN
    )
    return Markup(f"<ul class='list-unstyled mb-0'>{items}</ul>")  # noqa: S704 - escaped above


def cambios_texto(cambios: dict | None) -> str:
    return "; ".join(
        f"{column}: {_shown(old)} -> {_shown(new)}"
        for column, (old, new) in (cambios or {}).items()
        if column != VERSION_COLUMN
    )


def historial_url(model) -> str | None:
    """The history page of a record, or None when its table is not audited."""
    state = inspect(model)
    tabla = state.mapper.local_table.name
    if tabla not in AUDITED_TABLES or state.identity is None:
        return None
    return url_for("historial.index", tabla=tabla, registro=registro_key(state.identity))


class BitacoraView(ScaleListMixin, StreamingExportMixin, SecureModelView):
    # The fastest-growing table of all: one row per change, kept for years.
    admin_only = True
    can_create = False
    can_edit = False
    admin_can_delete = False
    can_view_details = True
    column_display_pk = False
    column_default_sort = ("id", True)
    page_size = 50
    column_list = ("fecha", "actor", "origen", "accion", "tabla", "registro", "cambios")
    column_labels = {
        "fecha": "Fecha",
        "actor": "Quién",
        "origen": "Origen",
        "accion": "Acción",
        "tabla": "Tabla",
        "registro": "Registro",
        "cambios": "Cambios",
    }
    column_searchable_list = ("registro",)
    column_filters = (
        filters.FilterLike(Bitacora.actor, "Quién"),
        filters.FilterEqual(Bitacora.actor, "Quién (exacto)"),
        filters.FilterEqual(Bitacora.tabla, "Tabla", options=tuple(TABLAS.items())),
        filters.FilterEqual(Bitacora.accion, "Acción", options=tuple(ACCIONES.items())),
        filters.FilterEqual(Bitacora.origen, "Origen", options=tuple(ORIGENES.items())),
        filters.DateTimeBetweenFilter(Bitacora.fecha, "Fecha"),
        filters.DateTimeGreaterFilter(Bitacora.fecha, "Fecha"),
        filters.DateTimeSmallerFilter(Bitacora.fecha, "Fecha"),
        filters.FilterEqual(Bitacora.registro, "Registro"),
    )
    column_formatters = {
        "fecha": lambda v, c, m, n: format_datetime(m.fecha),
        "accion": lambda v, c, m, n: ACCIONES.get(m.accion, m.accion),
        "origen": lambda v, c, m, n: ORIGENES.get(m.origen, m.origen),
        "tabla": lambda v, c, m, n: TABLAS.get(m.tabla, m.tabla),
        "cambios": lambda v, c, m, n: cambios_html(m.cambios, _etiquetas_de(v.admin, m.tabla)),
    }
    column_formatters_detail = {
        **column_formatters,
        "cambios": lambda v, c, m, n: cambios_html(m.cambios, _etiquetas_de(v.admin, m.tabla)),
    }

    def export_sql(self):
        # Plain rows: the log is the largest table; same texts as the formatters above.
        columns = [
            (sql_datetime(Bitacora.fecha), datetime_formatter()),
            (sql_text(Bitacora.actor), None),
            (sql_text(label_sql(Bitacora.origen, ORIGENES)), None),
            (sql_text(label_sql(Bitacora.accion, ACCIONES)), None),
            (sql_text(Bitacora.tabla), None),
            (sql_text(Bitacora.registro), None),
            (cast(Bitacora.cambios, Text), _cambios_exportados),  # text: parsed below
        ]
        return columns, []


# The stored JSON has no surrounding blanks: raw_decode skips json.loads'
# whitespace scans, a sixth of the time of a million-entry export.
_leer_json = json.JSONDecoder().raw_decode


def _cambios_exportados(cambios: str) -> str:
    return neutralize(cambios_texto(_leer_json(cambios)[0]))


class HistorialView(SecureMixin, BaseView):
    """/admin/bitacora/registro/?tabla=clientes&registro=<key>: one record's history,
    for whoever may see that table in the admin."""

    def is_visible(self) -> bool:
        return False

    def _table_view(self, tabla: str):
        for view in self.admin._views:
            model = getattr(view, "model", None)
            if model is not None and getattr(model, "__tablename__", None) == tabla:
                return view
        return None

    @expose("/")
    def index(self):
        tabla = request.args.get("tabla", "")
        registro = request.args.get("registro", "")
        if tabla not in AUDITED_TABLES or not registro:
            abort(404)
        table_view = self._table_view(tabla)
        if table_view is None or not table_view.is_accessible():
            abort(403)
        page = min(max(request.args.get("page", 1, type=int), 1), MAX_INT // HISTORY_PAGE_SIZE)
        query = db.select(Bitacora).where(Bitacora.tabla == tabla, Bitacora.registro == registro)
        total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))
        entries = db.session.scalars(
            query.order_by(Bitacora.id.desc())
            .limit(HISTORY_PAGE_SIZE)
            .offset((page - 1) * HISTORY_PAGE_SIZE)
        ).all()
        labels = getattr(table_view, "column_labels", None) or {}
        record = table_view.get_one(registro) if hasattr(table_view, "get_one") else None
        return self.render(
            "admin/bitacora/registro.html",
            tabla=tabla,
            tabla_label=TABLAS.get(tabla, tabla),
            registro=registro,
            record=record,
            entries=entries,
            total=total,
            page=page,
            pages=max((total + HISTORY_PAGE_SIZE - 1) // HISTORY_PAGE_SIZE, 1),
            acciones=ACCIONES,
            origenes=ORIGENES,
            label_of=lambda column: etiqueta(column, labels),
            shown=_shown,
            details_url=(
                url_for(f"{table_view.endpoint}.details_view", id=registro) if record else None
            ),
            escape=escape,
        )


def add_bitacora_views(admin, session) -> None:
    admin.add_view(BitacoraView(Bitacora, session, name="Bitácora", endpoint="bitacora"))
    admin.add_view(
        HistorialView(name="Historial", url="/admin/bitacora/registro", endpoint="historial")
    )
