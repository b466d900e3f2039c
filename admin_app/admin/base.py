"""The base of every admin view: access control, Spanish errors, safe saves."""

import logging

from flask import abort, flash, redirect, request, url_for
from flask_admin import AdminIndexView
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla._compat import _get_deprecated_session
from flask_login import current_user
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import Form

from ..integrity import describe_integrity_error
from ..security import safe_path_or
from ..services.errors import ServiceError

log = logging.getLogger(__name__)

SAVE_FAILED = "No se pudo guardar. Revise los campos marcados."
STALE = (
    "Otra persona modificó este registro mientras usted lo editaba. "
    "Recargue la página para ver los cambios y vuelva a intentarlo."
)
BUSY = "La base de datos está ocupada por otra operación simultánea; intente de nuevo."


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


class SecureMixin:
    """Login required for every view; admin_only views refuse digitadores."""

    admin_only = False

    def is_accessible(self) -> bool:
        if not current_user.is_authenticated:
            return False
        return current_user.es_admin or not self.admin_only

    def inaccessible_callback(self, name, **kwargs):
        if current_user.is_authenticated:
            abort(403)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    def is_visible(self) -> bool:
        return self.is_accessible()


class SecureModelView(SecureMixin, ModelView):
    page_size = 20
    can_set_page_size = True
    page_size_options = (20, 50, 100)
    can_view_details = True
    can_export = True
    export_types = ["csv", "xlsx"]
    # Only admins delete; the property is read per request.
    admin_can_delete = True
    column_display_pk = True
    create_modal = False
    edit_modal = False

    @property
    def can_delete(self) -> bool:
        return bool(
            self.admin_can_delete and current_user.is_authenticated and current_user.es_admin
        )

    @can_delete.setter
    def can_delete(self, value) -> None:  # Flask-Admin assigns it in __init__
        pass

    @property
    def db_session(self):
        return _get_deprecated_session(self.session)

    def get_save_return_url(self, model, is_created=False):
        return safe_path_or(request.args.get("url"), self.get_url(".index_view"))

    # -- saving -----------------------------------------------------------------
    def _save(self, form: Form, model, is_created: bool) -> bool:
        try:
            if is_created:
                form.populate_obj(model)
                self.db_session.add(model)
            else:
                self.populate_for_update(form, model)
            self._on_model_change(form, model, is_created)
            self.db_session.commit()
            return True
        except ServiceError as exc:
            self.db_session.rollback()
            add_form_errors(form, exc.errors, exc.message)
        except IntegrityError as exc:
            self.db_session.rollback()
            field, message = describe_integrity_error(exc)
            add_form_errors(form, {field: [message]} if field else {}, message)
        except StaleDataError:
            self.db_session.rollback()
            flash(STALE, "error")
        except OperationalError as exc:
            self.db_session.rollback()
            log.warning("Operational error while saving: %s", exc)
            flash(BUSY, "error")
        return False

    def populate_for_update(self, form: Form, model) -> None:
        form.populate_obj(model)

    def create_model(self, form: Form):
        model = self.build_new_instance()
        if not self._save(form, model, is_created=True):
            return False
        self.after_model_change(form, model, True)
        return model

    def update_model(self, form: Form, model) -> bool:
        if not self._save(form, model, is_created=False):
            return False
        self.after_model_change(form, model, False)
        return True

    def delete_model(self, model) -> bool:
        try:
            self.on_model_delete(model)
            self.db_session.flush()
            self.db_session.delete(model)
            self.db_session.commit()
        except ServiceError as exc:
            self.db_session.rollback()
            flash(exc.message, "error")
            return False
        except IntegrityError as exc:
            self.db_session.rollback()
            flash(describe_integrity_error(exc)[1], "error")
            return False
        self.after_model_delete(model)
        return True

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
