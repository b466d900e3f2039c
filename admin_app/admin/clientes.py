"""Clientes in the admin: list, search, filters, forms, inline operations, safe deletes."""

import re
from datetime import UTC, datetime, time, timedelta

from flask import Response, flash, g, has_app_context, request
from flask_admin.actions import action
from flask_admin.contrib.sqla import filters as sqla_filters
from flask_admin.model import filters as base_filters
from sqlalchemy import and_, exists, func, select, union
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from wtforms import SelectField, StringField

from ..avisos.preferencias import fijar_recordatorios
from ..extensions import db
from ..formatting import BOGOTA, format_date
from ..models import (
    Apartamento,
    Cliente,
    Cuota,
    Local,
    Pago,
    Parqueadero,
    TipoCliente,
    TipoDocumento,
    Venta,
)
from ..search import contar_nombre, es_documento, filtrar_clientes, palabras
from ..services import clientes as clientes_service
from ..services.errors import Conflict, ValidationFailed
from ..services.importar_clientes import ENCABEZADOS
from ..validators import Correo, LongitudMaxima, Obligatorio, Telefono
from .actions import decode_pks, models_for_action
from .base import SecureModelView
from .campos import FormularioAdmin
from .export import StreamingExportMixin, csv_chunks, date_formatter, sql_datetime, sql_text
from .formularios import entero_o_none
from .scale import ScaleListMixin

INLINE_LIMIT = 100  # rows shown inline; a client with more gets a link to the full list


class ClienteForm(FormularioAdmin):
    documento = StringField(
        "Documento",
        validators=[Obligatorio(), LongitudMaxima(Cliente.documento.type.length)],
        description="Sin dígito de verificación aparte: un NIT se escribe 900.123.456-8.",
    )
    nombre = StringField(
        "Nombre", validators=[Obligatorio(), LongitudMaxima(Cliente.nombre.type.length)]
    )
    id_tipo_cliente = SelectField(
        "Tipo de cliente",
        coerce=entero_o_none,
        validate_choice=False,  # existence is checked by the service, with its message
        validators=[Obligatorio("Seleccione el tipo de cliente.")],
    )
    id_tipo_documento = SelectField(
        "Tipo de documento",
        coerce=entero_o_none,
        validate_choice=False,
        validators=[Obligatorio("Seleccione el tipo de documento.")],
    )
    direccion = StringField("Dirección", validators=[LongitudMaxima(Cliente.direccion.type.length)])
    telefono = StringField(
        "Teléfono", validators=[LongitudMaxima(Cliente.telefono.type.length), Telefono()]
    )
    correo = StringField(
        "Correo", validators=[LongitudMaxima(Cliente.correo.type.length), Correo()]
    )
    # A select, not a checkbox: a form (or a script) that does not send it changes nothing.
    recibir_recordatorios = SelectField(
        "Recibir recordatorios por correo",
        choices=[("1", "Sí"), ("0", "No")],
        default="1",
        validate_choice=False,
        description="Cuotas por vencer y separaciones por caducar. Los correos de una "
        "operación nueva se envían siempre.",
    )

    def recordatorios(self) -> bool | None:
        """True or False as chosen; None when the form did not carry the field."""
        campo = self.recibir_recordatorios
        if not campo.raw_data:
            return None
        return campo.raw_data[0] != "0"

    def datos(self) -> dict:
        return {name: self[name].data for name in clientes_service.CAMPOS}


_TELEFONO = re.compile(r"[+(]?[\d\s()+-]*\d[\d\s()+-]*")
_TOP = "\U0010ffff"  # above any character: `col >= q AND col < q + _TOP` is a prefix range


def _prefix(column, value: str):
    return and_(column >= value, column < value + _TOP)


def filtrar_lista_clientes(stmt, q: str | None, en_orden: bool = False):
    """The list's search: correo and teléfono here, documento and nombre in
    filtrar_clientes (admin_app.search); every branch can use an index.
    `en_orden`: a page in an indexed order (see filtrar_clientes)."""
    texto = re.sub(r"\s+", " ", (q or "").strip())
    if not texto:
        return stmt
    if "@" in texto:
        return stmt.filter(_prefix(Cliente.correo, texto.lower()))
    if _TELEFONO.fullmatch(texto):  # a number: a documento or a phone
        # One IN over a UNION, not an OR: PostgreSQL then uses both indexes
        # instead of scanning every client.
        por_documento = filtrar_clientes(select(Cliente.documento), texto)
        por_telefono = select(Cliente.documento).where(_prefix(Cliente.telefono, texto))
        return stmt.filter(Cliente.documento.in_(union(por_documento, por_telefono)))
    return filtrar_clientes(stmt, texto, en_orden=en_orden)


def _catalog_options(model, label):
    def options():
        if not has_app_context():  # Flask-Admin asks once at start-up; see _get_filter_groups
            return []
        return [
            (str(row.id), label(row))
            for row in db.session.scalars(select(model).order_by(model.id))
        ]

    return options


def _start_of(day) -> datetime:
    """Dates are typed as Bogotá days; timestamps are stored in UTC."""
    return datetime.combine(day, time.min, BOGOTA).astimezone(UTC)


class CreadoEntreFilter(sqla_filters.DateBetweenFilter):
    def apply(self, query, value, alias=None):
        start, end = value
        column = self.get_column(alias)
        return query.filter(
            column >= _start_of(start),
            column < _start_of(end + timedelta(days=1)),
        )

    def operation(self):
        return "entre"


class CreadoDesdeFilter(sqla_filters.DateGreaterFilter):
    def apply(self, query, value, alias=None):
        return query.filter(self.get_column(alias) >= _start_of(value))

    def operation(self):
        return "desde"


class CreadoHastaFilter(sqla_filters.DateSmallerFilter):
    def apply(self, query, value, alias=None):
        end = _start_of(value + timedelta(days=1))
        return query.filter(self.get_column(alias) < end)

    def operation(self):
        return "hasta"


class CatalogoFilter(sqla_filters.FilterEqual, base_filters.BaseIntFilter):
    def operation(self):
        return "es"


class ConVentasFilter(sqla_filters.BaseSQLAFilter):
    def __init__(self):
        super().__init__(
            Cliente.documento,
            "Ventas y separaciones",
            options=(("con", "Con ventas o separaciones"), ("sin", "Sin ventas ni separaciones")),
        )

    def validate(self, value) -> bool:
        return value in ("con", "sin")

    def apply(self, query, value, alias=None):
        tiene = exists().where(Venta.documento_cliente == Cliente.documento)
        return query.filter(tiene if value == "con" else ~tiene)

    def operation(self):
        return "filtro"


def operaciones_del_cliente(documento: str) -> tuple[list[dict], int]:
    """The client's latest ventas and separaciones with their pending balance (bounded)."""
    total = db.session.scalar(
        select(func.count()).select_from(Venta).where(Venta.documento_cliente == documento)
    )
    ventas = list(
        db.session.scalars(
            select(Venta)
            .where(Venta.documento_cliente == documento)
            .order_by(Venta.fecha.desc(), Venta.id.desc())
            .limit(INLINE_LIMIT)
        ).unique()
    )
    ids = [v.id for v in ventas]
    por_cuotas = (
        dict(
            db.session.execute(
                select(Cuota.id_venta, func.sum(Cuota.valor - Cuota.valor_pagado))
                .where(Cuota.id_venta.in_(ids))
                .group_by(Cuota.id_venta)
            ).all()
        )
        if ids
        else {}
    )
    pagado = (
        dict(
            db.session.execute(
                select(Pago.id_venta, func.sum(Pago.valor))
                .where(Pago.id_venta.in_(ids))
                .group_by(Pago.id_venta)
            ).all()
        )
        if ids
        else {}
    )
    filas = []
    for venta in ventas:
        if venta.id in por_cuotas:
            saldo = por_cuotas[venta.id]
        else:  # no plan yet: the price less what was paid
            saldo = venta.valor_total - (pagado.get(venta.id) or 0)
        filas.append({"venta": venta, "saldo": saldo})
    return filas, total


def apartamentos_del_cliente(documento: str) -> tuple[list[Apartamento], int]:
    total = db.session.scalar(
        select(func.count())
        .select_from(Apartamento)
        .where(Apartamento.documento_cliente == documento)
    )
    apartamentos = list(
        db.session.scalars(
            select(Apartamento)
            .where(Apartamento.documento_cliente == documento)
            .order_by(Apartamento.id)
            .limit(INLINE_LIMIT)
        ).unique()
    )
    return apartamentos, total


def otras_unidades_del_cliente(documento: str) -> list[tuple[str, object]]:
    """The locales and parqueaderos the client owns: (endpoint, unit), a few of each."""
    unidades = []
    for endpoint, modelo in (("locales", Local), ("parqueaderos", Parqueadero)):
        unidades += [
            (endpoint, unidad)
            for unidad in db.session.scalars(
                select(modelo)
                .where(modelo.documento_cliente == documento)
                .order_by(modelo.id)
                .limit(INLINE_LIMIT)
            ).unique()
        ]
    return unidades


class ClienteView(ScaleListMixin, StreamingExportMixin, SecureModelView):
    form = ClienteForm
    details_template = "admin/clientes/details.html"
    edit_template = "admin/clientes/edit.html"
    named_filter_urls = True
    column_list = (
        "documento",
        "nombre",
        "tipo_cliente",
        "tipo_documento",
        "telefono",
        "correo",
        "created_at",
    )
    column_details_list = (
        "documento",
        "nombre",
        "tipo_cliente",
        "tipo_documento",
        "direccion",
        "telefono",
        "correo",
        "recibir_recordatorios",
        "created_at",
        "updated_at",
    )
    column_export_list = column_list
    # The export's headers are the ones the import reads back.
    column_labels = {
        **ENCABEZADOS,
        "created_at": "Creado",
        "updated_at": "Actualizado",
        "recibir_recordatorios": "Recibe recordatorios",
    }
    column_sortable_list = (
        "documento",
        "nombre",
        ("tipo_cliente", "tipo_cliente.nombre"),
        ("tipo_documento", "tipo_documento.codigo"),
        "telefono",
        "correo",
        "created_at",
    )
    column_default_sort = ("created_at", True)
    column_formatters = {"created_at": lambda v, c, m, n: format_date(m.created_at)}
    column_formatters_detail = {
        "created_at": lambda v, c, m, n: format_date(m.created_at),
        "updated_at": lambda v, c, m, n: format_date(m.updated_at),
    }

    def export_sql(self):
        # The columns of column_export_list, as text worked out by the database.
        tipo_cliente, tipo_documento = aliased(TipoCliente), aliased(TipoDocumento)
        columns = [
            (sql_text(Cliente.documento), None),
            (sql_text(Cliente.nombre), None),
            (sql_text(tipo_cliente.nombre), None),
            (sql_text(tipo_documento.codigo), None),
            (sql_text(Cliente.telefono), None),
            (sql_text(Cliente.correo), None),
            (sql_datetime(Cliente.created_at), date_formatter()),
        ]
        joins = [
            (tipo_cliente, tipo_cliente.id == Cliente.id_tipo_cliente),
            (tipo_documento, tipo_documento.id == Cliente.id_tipo_documento),
        ]
        return columns, joins

    # The search itself is filtrar_lista_clientes; this list only turns the box on.
    column_searchable_list = ("documento",)
    column_filters = (
        CatalogoFilter(
            Cliente.id_tipo_cliente,
            "Tipo de cliente",
            options=_catalog_options(TipoCliente, lambda r: r.nombre),
        ),
        CatalogoFilter(
            Cliente.id_tipo_documento,
            "Tipo de documento",
            options=_catalog_options(TipoDocumento, str),
        ),
        CreadoEntreFilter(Cliente.created_at, "Creado"),
        CreadoDesdeFilter(Cliente.created_at, "Creado"),
        CreadoHastaFilter(Cliente.created_at, "Creado"),
        ConVentasFilter(),
    )

    def get_one(self, id):
        # Keys arrive escaped by get_pk_value; anything that does not decode to
        # one key names no client (instead of a 500 from session.get).
        keys = decode_pks([id or ""])
        return self.db_session.get(Cliente, keys[0]) if keys else None

    def _get_filter_groups(self):
        # Catalog options come from the database, which admins can change.
        self._refresh_filters_cache()
        return super()._get_filter_groups()

    def search_placeholder(self) -> str:
        return "Documento, nombre, correo o teléfono"

    # The sorts an index serves (None: column_default_sort, created_at): a page of
    # a common name walks that index and stops at the page (admin_app.search).
    _ORDEN_INDEXADO = frozenset({None, "documento", "nombre", "telefono", "correo", "created_at"})

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        # Per request (g), not on the view, which every request shares.
        g.clientes_en_orden = execute and sort_column in self._ORDEN_INDEXADO
        g.clientes_sin_filtros = not filters
        try:
            return super().get_list(
                page, sort_column, sort_desc, search, filters, execute, page_size
            )
        finally:
            for name in ("clientes_en_orden", "clientes_sin_filtros", "clientes_palabras"):
                g.pop(name, None)

    def _count_up_to(self, count_query, cap: int) -> int:
        # A name search alone: the capped count the search itself read (contar_nombre).
        words = g.get("clientes_palabras")
        if words and g.get("clientes_sin_filtros"):
            return contar_nombre(words, cap)
        return super()._count_up_to(count_query, cap)

    def _estimated_rows(self, count_query):
        # A name search alone was estimated already, by contar_nombre.
        if g.get("clientes_palabras") and g.get("clientes_sin_filtros"):
            return None
        return super()._estimated_rows(count_query)

    def _apply_search(self, query, count_query, joins, count_joins, search):
        # The count keeps the word index: it reads up to its cap, never walks.
        en_orden = g.get("clientes_en_orden", False)
        texto = re.sub(r"\s+", " ", (search or "").strip())
        nombre = texto and "@" not in texto and not _TELEFONO.fullmatch(texto)
        if nombre and not es_documento(texto) and (words := palabras(texto)):
            g.clientes_palabras = words
        query = filtrar_lista_clientes(query, search, en_orden=en_orden)
        if count_query is not None:
            count_query = filtrar_lista_clientes(count_query, search)
        return query, count_query, joins, count_joins

    # -- forms ----------------------------------------------------------------------
    def _fill_choices(self, form: ClienteForm) -> ClienteForm:
        vacio = [("", "Seleccione...")]
        form.id_tipo_cliente.choices = vacio + [
            (t.id, t.nombre)
            for t in db.session.scalars(select(TipoCliente).order_by(TipoCliente.id))
        ]
        form.id_tipo_documento.choices = vacio + [
            (t.id, str(t))
            for t in db.session.scalars(select(TipoDocumento).order_by(TipoDocumento.id))
        ]
        return form

    def create_form(self, obj=None):
        return self._fill_choices(super().create_form(obj))

    def edit_form(self, obj=None):
        form = self._fill_choices(super().edit_form(obj))
        # The key never changes: whatever a POST says, the form holds the stored one.
        form.documento.data = obj.documento
        form.documento.raw_data = [obj.documento]
        form.documento.render_kw = {"readonly": True}
        if obj is not None and not form.recibir_recordatorios.raw_data:
            form.recibir_recordatorios.data = "1" if obj.recibir_recordatorios else "0"
        form.documento.description = "El documento no se puede cambiar."
        return form

    def validate_form(self, form) -> bool:
        valid = super().validate_form(form)
        if not valid and isinstance(form, ClienteForm) and request.method == "POST":
            # Show every problem at once: add the service's findings to fields the
            # form did not already mark (the service runs on save otherwise).
            try:
                clientes_service.validar_datos_cliente(form.datos(), cliente=form._obj)
            except ValidationFailed as exc:
                for field_name, messages in exc.errors.items():
                    field = getattr(form, field_name, None)
                    if field is not None and not field.errors:
                        field.errors = list(messages)
        return valid

    def create_record(self, form: ClienteForm) -> Cliente:
        cliente = clientes_service.crear_cliente(form.datos())
        if form.recordatorios() is False:
            fijar_recordatorios(cliente, False)
        return cliente

    def update_record(self, form: ClienteForm, model: Cliente) -> None:
        datos = {name: form[name].data for name in clientes_service.CAMPOS_EDITABLES}
        clientes_service.actualizar_cliente(model, datos)
        if form.recordatorios() is not None:
            fijar_recordatorios(model, form.recordatorios())

    # -- related records inline ---------------------------------------------------------
    def render(self, template, **kwargs):
        model = kwargs.get("model")
        if isinstance(model, Cliente) and template in (self.details_template, self.edit_template):
            kwargs["operaciones"], kwargs["total_operaciones"] = operaciones_del_cliente(
                model.documento
            )
            kwargs["apartamentos"], kwargs["total_apartamentos"] = apartamentos_del_cliente(
                model.documento
            )
            kwargs["otras_unidades"] = otras_unidades_del_cliente(model.documento)
        return super().render(template, **kwargs)

    # -- deleting -------------------------------------------------------------------
    def delete_record(self, model: Cliente) -> None:
        try:
            clientes_service.eliminar_cliente(model)
        except IntegrityError as exc:
            # An operation was registered meanwhile; the foreign key kept the client.
            raise Conflict(f"No se puede eliminar a {model}: tiene ventas o apartamentos.") from exc

    @action(
        "delete",
        "Eliminar",
        "¿Eliminar los clientes seleccionados? Los que tengan ventas, separaciones "
        "o apartamentos se conservarán.",
    )
    def action_delete(self, ids) -> None:
        clientes = models_for_action(self, ids)
        motivos = clientes_service.motivos_no_eliminables([c.documento for c in clientes])
        conservados = [f"{c} ({motivos[c.documento]})" for c in clientes if c.documento in motivos]
        borrar = [c for c in clientes if c.documento not in motivos]
        try:
            for cliente in borrar:
                self.db_session.delete(cliente)
            self.db_session.commit()
        except IntegrityError:
            self.db_session.rollback()
            flash(
                "No se eliminó ningún cliente: alguno recibió una venta mientras tanto. "
                "Intente de nuevo.",
                "error",
            )
            return
        if borrar:
            flash(f"Se eliminaron {len(borrar)} cliente(s).", "success")
        if conservados:
            flash("No se eliminaron: " + "; ".join(conservados) + ".", "error")

    @action("exportar_seleccion", "Exportar seleccionados (CSV)")
    def action_exportar_seleccion(self, ids):
        query = self.db_session.query(Cliente).filter(Cliente.documento.in_(decode_pks(ids)))
        rows = self.export_rows(query.order_by(Cliente.documento))
        return Response(
            b"".join(csv_chunks(self.export_headers(), rows)),
            mimetype="text/csv; charset=utf-8",
            headers={"Content-Disposition": "attachment; filename=clientes_seleccionados.csv"},
        )
