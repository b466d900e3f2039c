"""The base of every admin view: access control, Spanish errors, safe saves."""

import logging
from datetime import date
from decimal import Decimal
from urllib.parse import quote_plus

from flask import abort, flash, g, redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla._compat import _get_deprecated_session
from flask_admin.helpers import flash_errors, get_redirect_target
from flask_admin.model.template import (
    BaseListRowAction,
    DeleteRowAction,
    EditRowAction,
    ViewRowAction,
)
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import Form

from ..auth import permisos
from ..database import MAX_INT, clave_entera
from ..entradas import NULO as NUL
from ..errors import db_fault_message
from ..extensions import db
from ..integrity import describe_integrity_error
from ..security import safe_path_or
from ..services.errors import ServiceError
from . import textos
from .campos import FormularioAdmin
from .conflicts import add_version_field, refuse_stale_edit
from .delete_preview import delete_consequences

log = logging.getLogger(__name__)

SAVE_FAILED = "No se pudo guardar. Revise los campos marcados."
# A record's links differ only in its id: see SecureModelView.get_url.
_ID_PLACEHOLDER = "0idplaceholder0"
_QUERY_SAFE = "!$'()*,/:;?@"  # what werkzeug leaves unquoted in a query string
_STATIC_URLS: dict[tuple, str] = {}
# A filter's date is a plausible year; a number fits an INTEGER or a money column.
ANIO_MINIMO_FILTRO, ANIO_MAXIMO_FILTRO = 1900, 2200
NUMERO_MAXIMO_FILTRO = Decimal("9999999999999999.99")
FILTRO_INVALIDO = "Se ignoró el filtro «{filtro}»: el valor «{valor}» no es válido."
STALE = (
    "Otra persona modificó este registro mientras usted lo editaba. "
    "Recargue la página para ver los cambios y vuelva a intentarlo."
)

NO_DELETE = "No tiene permiso para eliminar."
NO_ACTION = "No tiene permiso para esta acción."


def add_form_errors(form: Form, errors: dict[str, list[str]], message: str) -> None:
    """Put each message on its field; what has no field goes to a flash."""
    orphan = []
    for field_name, messages in errors.items():
        field = getattr(form, field_name, None)
        if field is None:
            orphan.extend(messages)
            continue
        field.errors = list(field.errors or []) + list(messages)
    flash(" ".join(orphan) if orphan else message or SAVE_FAILED, "error")


def save(form: Form | None, operation):
    """Run `operation()` (a service call or a model change) and commit; return its
    result. A broken rule, a constraint, a stale edit or a busy database rolls back,
    puts the messages on the form's fields (or in a flash without a form) and
    returns None."""
    session = db.session
    try:
        result = operation()
        session.commit()
        return result
    except ServiceError as exc:
        session.rollback()
        errors = exc.errors
        message = exc.message
    except IntegrityError as exc:
        session.rollback()
        field, message = describe_integrity_error(exc)
        errors = {field: [message]} if field else {}
    except StaleDataError:
        session.rollback()
        errors, message = {}, STALE
    except OperationalError as exc:
        session.rollback()
        log.warning("Operational error while saving: %s", exc)
        errors, message = {}, db_fault_message(exc)
    if form is None:
        flash(message, "error")
    else:
        add_form_errors(form, errors, message)
    return None


# Flask-Admin's row_actions.link macro, written in Python.
_ROW_LINK = '<a class="icon" href="{url}" title="{title}">\n  <span class="{icon}"></span>\n</a>'


class RowLink(BaseListRowAction):
    """A row's icon link (details, edit, delete preview) rendered without Jinja.

    Flask-Admin renders each through a template action that looks up and calls two
    macros: 3 links on 20 rows make 200 of the 800 Jinja calls of the client list
    (bench.perfil: jinja2 runtime call 800 -> 601 a page). Same HTML, one string
    format per link.
    """

    def __init__(self, icon_class: str, endpoint: str, title: str, return_url=None) -> None:
        super().__init__(title=title)
        self.icon_class = icon_class
        self.endpoint = endpoint
        self.return_url = return_url  # None: the list's own return_url

    def render(self, context, row_id, row):
        url = self.return_url() if self.return_url else context.resolve("return_url")
        href = context.resolve("get_url")(self.endpoint, id=row_id, url=url)
        return Markup(  # noqa: S704 - every part escaped
            _ROW_LINK.format(
                url=escape(href), title=escape(self.title or ""), icon=escape(self.icon_class)
            )
        )


def _valor_admisible(valor) -> bool:
    """A filter's cleaned value the database can compare: no year 9999, no
    20-digit number, no NaN."""
    if isinstance(valor, list | tuple):
        return all(_valor_admisible(v) for v in valor)
    if isinstance(valor, date):
        return ANIO_MINIMO_FILTRO <= valor.year <= ANIO_MAXIMO_FILTRO
    if isinstance(valor, bool):
        return True
    if isinstance(valor, int):
        return -MAX_INT <= valor <= MAX_INT
    if isinstance(valor, float | Decimal):
        return valor == valor and abs(valor) <= NUMERO_MAXIMO_FILTRO
    return True


def filtro_valido(flt, value: str) -> bool:
    try:
        return bool(flt.validate(value)) and _valor_admisible(flt.clean(value))
    except (ValueError, ArithmeticError, TypeError):
        return False


class SecureMixin:
    """Login required for every view; what each role may do is asked of the
    permission table (auth/permisos.py) by the view's area; a view with no area
    there needs a login only (admin_only ones, an admin)."""

    admin_only = False

    @property
    def area(self) -> str | None:
        return permisos.VISTAS.get(getattr(self, "endpoint", None))

    def puede(self, accion: str) -> bool:
        if not current_user.is_authenticated:
            return False
        if self.area is None:
            return current_user.es_admin or not self.admin_only
        return permisos.puede(current_user, f"{self.area}:{accion}")

    def is_accessible(self) -> bool:
        return self.puede(permisos.VER)

    # The pages that write, whichever view defines them, ask their action too.
    ACCIONES_DE_PAGINA = {
        "create_view": permisos.CREAR,
        "edit_view": permisos.EDITAR,
        "convertir_view": permisos.EDITAR,
        "editar_condiciones_view": permisos.EDITAR,
        "anular_view": permisos.EDITAR,
        "bloqueo_view": permisos.EDITAR,
        "export": permisos.EXPORTAR,
    }

    def _handle_view(self, name, **kwargs):
        respuesta = super()._handle_view(name, **kwargs)
        accion = self.ACCIONES_DE_PAGINA.get(name)
        if respuesta is None and accion is not None and not self.puede(accion):
            abort(403)
        return respuesta

    def inaccessible_callback(self, name, **kwargs):
        if current_user.is_authenticated:
            abort(403)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    def is_visible(self) -> bool:
        return self.is_accessible()

    def get_url(self, endpoint: str, **kwargs) -> str:
        # A list page builds details, edit and delete links for each row: 60 of its
        # 107 url_for on the client list (3.8 ms of 25). Within a request, a link
        # that differs only in its `id` query argument is built once with a
        # placeholder, which is then replaced by the id quoted as werkzeug does.
        if endpoint.endswith(".static"):
            return self._static_url(endpoint, **kwargs)
        row_id = kwargs.get("id")
        if type(row_id) not in (str, int):
            return super().get_url(endpoint, **kwargs)
        key = (endpoint, *sorted((k, v) for k, v in kwargs.items() if k != "id"))
        try:
            templates = g.setdefault("url_templates", {})
            template = templates.get(key)
        except TypeError:  # an argument that cannot be a key
            return super().get_url(endpoint, **kwargs)
        if template is None:
            template = super().get_url(endpoint, **{**kwargs, "id": _ID_PLACEHOLDER})
            query = template.find("?")
            # Only a query argument found once is safe to replace (not a path part).
            if (
                query < 0
                or template.count(_ID_PLACEHOLDER) != 1
                or template.find(_ID_PLACEHOLDER) < query
            ):
                template = ""
            templates[key] = template
        if not template:
            return super().get_url(endpoint, **kwargs)
        return template.replace(_ID_PLACEHOLDER, quote_plus(str(row_id), safe=_QUERY_SAFE))

    def _static_url(self, endpoint: str, **kwargs) -> str:
        # Flask-Admin's CSS and scripts: 12 url_for on every page, always the same
        # URL for the same file and script root; kept for the life of the process.
        try:
            key = (request.script_root, self.admin.url, endpoint, *sorted(kwargs.items()))
            url = _STATIC_URLS.get(key)
        except TypeError:
            return super().get_url(endpoint, **kwargs)
        if url is None:
            url = _STATIC_URLS[key] = super().get_url(endpoint, **kwargs)
        return url


class SecureModelView(SecureMixin, ModelView):
    page_size = 20
    can_set_page_size = True
    page_size_options = (20, 50, 100)
    can_view_details = True
    # Flask-Admin's own XLSX needs tablib; StreamingExportMixin (export.py) adds "xlsx".
    export_types = ["csv"]
    # Only admins delete; the property is read per request.
    admin_can_delete = True
    form_base_class = FormularioAdmin
    column_display_pk = True
    create_modal = False
    edit_modal = False
    # Details pages link to the record's history and its delete preview; a view
    # with its own details template includes admin/bitacora/macros.html.
    details_template = "admin/bitacora/details.html"
    delete_confirm_template = "admin/model/delete_confirm.html"
    # Sí/No, dates in Bogotá time; no version, "Creado"/"Actualizado" (textos.py).
    column_type_formatters = textos.LISTA
    column_type_formatters_detail = textos.DETALLE
    column_type_formatters_export = textos.EXPORTACION

    def get_list_columns(self):
        return textos.columnas_en_espanol(super().get_list_columns())

    def get_details_columns(self):
        return textos.columnas_en_espanol(super().get_details_columns())

    def get_export_columns(self):
        return textos.columnas_en_espanol(super().get_export_columns())

    @property
    def can_delete(self) -> bool:
        return bool(self.admin_can_delete and self.puede(permisos.ELIMINAR))

    @can_delete.setter
    def can_delete(self, value) -> None:  # Flask-Admin assigns it in __init__
        pass

    # A view's can_create / can_edit / can_export say what the view offers; the
    # role's permissions (auth/permisos.py) say who gets it.
    configured_create = True
    configured_edit = True
    configured_export = True

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        for nombre in ("create", "edit", "export"):
            valor = cls.__dict__.get(f"can_{nombre}")
            if isinstance(valor, bool):
                setattr(cls, f"configured_{nombre}", valor)
                delattr(cls, f"can_{nombre}")

    @property
    def can_create(self) -> bool:
        return self.configured_create and self.puede(permisos.CREAR)

    @can_create.setter
    def can_create(self, value) -> None:
        pass

    @property
    def can_edit(self) -> bool:
        return self.configured_edit and self.puede(permisos.EDITAR)

    @can_edit.setter
    def can_edit(self, value) -> None:
        pass

    @property
    def can_export(self) -> bool:
        # Who may export is asked where the page is entered (_handle_view: "export");
        # here, what the buttons show to the user at hand.
        if not current_user.is_authenticated:
            return self.configured_export
        return self.configured_export and self.puede(permisos.EXPORTAR)

    @can_export.setter
    def can_export(self, value) -> None:
        pass

    @property
    def db_session(self):
        return _get_deprecated_session(self.session)

    # -- what a URL may ask for: an id, a page, a sort, a filter ---------------------
    def get_one(self, id):
        """The record an id in a URL names, or None for anything that names none
        (`abc`, `1e3`, `1,2`, a list, past the column's range)."""
        key_columns = self.model.__mapper__.primary_key
        if len(key_columns) == 1 and key_columns[0].type.python_type is int:
            key = clave_entera(id)
            return None if key is None else self.db_session.get(self.model, key)
        if not isinstance(id, str):
            return None
        return super().get_one(id)

    def _get_list_extra_args(self):
        args = super()._get_list_extra_args()
        # Past the last page the list is empty and says so; a page no database can
        # reach (OFFSET past 2^63) or a negative one is brought within range.
        args.page = min(max(args.page or 0, 0), MAX_INT // max(self.page_size_options))
        if args.page_size not in self.page_size_options:
            args.page_size = 0
        return args

    def _get_list_filter_args(self):
        if not self._filters:
            return None
        filters = []
        for arg, value in request.args.items():
            if not arg.startswith("flt") or "_" not in arg:
                continue
            pos, key = arg[3:].split("_", 1)
            if key not in self._filter_args:
                continue
            idx, flt = self._filter_args[key]
            if filtro_valido(flt, value):
                filters.append((pos, (idx, str(flt.name), value)))
            else:
                flash(FILTRO_INVALIDO.format(filtro=flt.name, valor=value[:40]), "error")
        return [f for _pos, f in sorted(filters, key=lambda n: n[0])]

    def valid_ids(self, ids: list[str]) -> list[str]:
        """The checkbox values that can name a row: no NUL; an integer key in range."""
        key_columns = self.model.__mapper__.primary_key
        entero = len(key_columns) == 1 and key_columns[0].type.python_type is int
        return [i for i in ids if NUL not in i and (not entero or clave_entera(i) is not None)]

    def handle_action(self, return_view=None):
        # Flask-Admin's, but the ids a URL or a form could forge never reach the query.
        form = self.action_form()
        if self.validate_form(form):
            ids = request.form.getlist("rowid")
            handler = self._actions_data.get(form.action.data)
            if handler and self.is_action_allowed(form.action.data):
                valid = self.valid_ids(ids)
                if len(valid) < len(ids):
                    flash("Se ignoraron identificadores que no corresponden a ningún registro.")
                response = handler[0](valid)
                if response is not None:
                    return response
        else:
            flash_errors(form, message="No se pudo ejecutar la acción. %(error)s")
        if return_view:
            return redirect(self.get_url("." + return_view))
        return redirect(get_redirect_target() or self.get_url(".index_view"))

    def get_save_return_url(self, model, is_created=False):
        return safe_path_or(request.args.get("url"), self.get_url(".index_view"))

    # -- saving: every write goes through save() ------------------------------------
    def create_record(self, form: Form):
        """How a new record is made; views backed by a service override this."""
        model = self.build_new_instance()
        form.populate_obj(model)
        self.db_session.add(model)
        self._on_model_change(form, model, True)
        return model

    def update_record(self, form: Form, model) -> None:
        """How a record takes the form's data; views backed by a service override this."""
        form.populate_obj(model)
        self._on_model_change(form, model, False)

    def create_model(self, form: Form):
        model = save(form, lambda: self.create_record(form))
        if model is None:
            return False
        self.after_model_change(form, model, True)
        return model

    def update_model(self, form: Form, model) -> bool:
        if save(form, lambda: self.update_record(form, model) or model) is None:
            return False
        self.after_model_change(form, model, False)
        return True

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        # save() turns a stale flush into the conflict message; one raised before it
        # (an autoflush while Flask-Admin loads or checks the row) gets the same words
        # and a fresh form, never a 500.
        try:
            return super().edit_view()
        except StaleDataError:
            db.session.rollback()
            flash(STALE, "error")
            return redirect(request.full_path)

    # -- refusals say so: a digitador's delete or bulk action is not a silent redirect --
    @expose("/delete/", methods=("POST",))
    def delete_view(self):
        if not self.can_delete:
            flash(NO_DELETE, "error")
            return redirect(get_redirect_target() or self.get_url(".index_view"))
        return super().delete_view()

    @expose("/action/", methods=("POST",))
    def action_view(self):
        accion = request.form.get("action", "")
        if accion in self._actions_data and not self.is_action_allowed(accion):
            flash(NO_DELETE if accion == "delete" else NO_ACTION, "error")
            return redirect(get_redirect_target() or self.get_url(".index_view"))
        return super().action_view()

    def delete_record(self, model) -> None:
        """How a record is removed; views backed by a service override this."""
        self.db_session.flush()
        self.db_session.delete(model)

    def delete_model(self, model) -> bool:
        def operation():
            self.on_model_delete(model)
            self.delete_record(model)
            return model

        if save(None, operation) is None:
            return False
        self.after_model_delete(model)
        return True

    # -- edit conflicts (conflicts.py) ------------------------------------------------
    def edit_form(self, obj=None):
        return add_version_field(super().edit_form(obj), obj)

    def validate_form(self, form: Form) -> bool:
        # A form loaded before someone else saved is refused, whatever it holds.
        return super().validate_form(form) and not refuse_stale_edit(self, form)

    # -- history and delete preview -------------------------------------------------------
    def historial_url(self, model) -> str | None:
        from .bitacora import historial_url

        return historial_url(model)

    def delete_confirm_url(self, model, return_url: str | None = None) -> str:
        return self.get_url(
            ".delete_confirm_view", id=self.get_pk_value(model), url=return_url or None
        )

    def get_list_row_actions(self):
        # The trash icon opens the preview instead of deleting straight from the list;
        # the stock links are rendered in Python (RowLink).
        def replace(action):
            if type(action) is ViewRowAction:
                icon = "fa fa-eye glyphicon glyphicon-eye-open"
                return RowLink(icon, ".details_view", action.title)
            if type(action) is EditRowAction:
                icon = "fa fa-pencil glyphicon glyphicon-pencil"
                return RowLink(icon, ".edit_view", action.title)
            if isinstance(action, DeleteRowAction):
                return RowLink(
                    "fa fa-trash glyphicon glyphicon-trash",
                    ".delete_confirm_view",
                    "Eliminar",
                    return_url=lambda: request.full_path,
                )
            return action

        return [replace(action) for action in super().get_list_row_actions()]

    def delete_blockers(self, model) -> tuple[list[str], list[str]]:
        """(what blocks deleting model, what else it would remove); views may refine it."""
        return delete_consequences(model)

    @expose("/delete/confirm/")
    def delete_confirm_view(self):
        return_url = get_redirect_target() or self.get_url(".index_view")
        if not self.can_delete:
            abort(403)
        model = self.get_one(request.args.get("id", ""))
        if model is None:
            flash("El registro no existe.", "error")
            return redirect(return_url)
        blockers, removed = self.delete_blockers(model)
        return self.render(
            self.delete_confirm_template,
            model=model,
            blockers=blockers,
            removed=removed,
            details_columns=self._details_columns,
            get_value=self.get_detail_value,
            delete_form=self.delete_form(),
            return_url=return_url,
        )

    def handle_view_exception(self, exc: Exception) -> bool:
        # Flask-Admin's stock message shows the SQL; say it in Spanish instead.
        if isinstance(exc, IntegrityError):
            flash(describe_integrity_error(exc)[1], "error")
            return True
        if isinstance(exc, ServiceError):
            flash(exc.message, "error")
            return True
        return super().handle_view_exception(exc)


class SecureIndexView(SecureMixin, AdminIndexView):
    pass
