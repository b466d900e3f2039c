"""Edit conflicts: the version a user loaded travels with the form (`_version`).

Flask-Admin reloads the row on POST, so the version_id_col alone only guards
the instant between that reload and the commit. Here a save whose form was
loaded at an older version is refused, the message lists what the other
person changed (from the bitacora), and the form keeps what this user typed,
now carrying the current version so that saving again is a conscious choice.
"""

from flask import flash, request
from markupsafe import Markup, escape
from sqlalchemy import inspect
from wtforms import Form, HiddenField

from ..audit import ACTUALIZAR, CREAR, VERSION_COLUMN, registro_key
from ..extensions import db
from ..formatting import format_datetime
from ..models import Bitacora

VERSION_FIELD = "_version"
# A record edited more often than this between two loads is not worth listing in full.
MAX_ENTRIES = 200


class VersionField(HiddenField):
    """Travels with the form; never copied onto the model."""

    def populate_obj(self, obj, name) -> None:
        pass


def is_versioned(model) -> bool:
    return model is not None and inspect(type(model)).version_id_col is not None


def add_version_field(form: Form, model) -> Form:
    """Carry the loaded version in a hidden field (rendered with the form's hidden fields).

    WTForms ignores declared fields whose name starts with "_", so the bound
    field is added to the form instance directly.
    """
    if not is_versioned(model):
        return form
    field = VersionField().bind(form=form, name=VERSION_FIELD, prefix=getattr(form, "_prefix", ""))
    formdata = request.form if request.method == "POST" and VERSION_FIELD in request.form else None
    field.process(formdata, getattr(model, VERSION_COLUMN))
    form._fields[VERSION_FIELD] = field
    return form


def _seen_version(field) -> int | None:
    try:
        return int(field.data)
    except (TypeError, ValueError):
        return None


def changes_since(model, seen_version: int) -> tuple[dict[str, list], list[Bitacora]]:
    """{column: [value the user saw, current value]} and the entries after seen_version."""
    state = inspect(model)
    tabla = state.mapper.local_table.name
    registro = registro_key(state.identity)
    recent = db.session.scalars(
        db.select(Bitacora)
        .where(Bitacora.tabla == tabla, Bitacora.registro == registro)
        .order_by(Bitacora.id.desc())
        .limit(MAX_ENTRIES)
    ).all()
    # Everything after the entry that produced the version the user saw (its
    # creation for version 1); bulk updates log no version, so order decides.
    later = []
    for entry in recent:
        version = (entry.cambios or {}).get(VERSION_COLUMN)
        produced_seen = (version and version[1] == seen_version) or (
            seen_version == 1 and entry.accion == CREAR
        )
        if produced_seen:
            break
        if entry.accion == ACTUALIZAR:
            later.append(entry)
    later.reverse()
    merged: dict[str, list] = {}
    for entry in later:
        for column, (old, new) in entry.cambios.items():
            if column == VERSION_COLUMN:
                continue
            if column in merged:
                merged[column][1] = new
            else:
                merged[column] = [old, new]
    return {k: v for k, v in merged.items() if v[0] != v[1]}, later


def _label(view, form: Form, column: str) -> str:
    labels = view.column_labels or {}
    candidates = [column]
    if column.startswith("id_"):
        candidates.append(column[3:])  # id_tipo_cliente -> tipo_cliente
    if column.endswith("_cliente"):
        candidates.append("cliente")
    for name in candidates:
        if name in labels:
            return str(labels[name])
        field = form._fields.get(name)
        if field is not None and field.label is not None:
            return str(field.label.text)
    return column.replace("_", " ").capitalize()


def _shown(value) -> str:
    return "(vacío)" if value in (None, "") else f"«{value}»"


def conflict_message(view, form: Form, model, seen_version: int) -> Markup:
    changes, entries = changes_since(model, seen_version)
    who = sorted({entry.actor for entry in entries})
    when = format_datetime(entries[-1].fecha) if entries else ""
    head = "Otra persona guardó este registro mientras usted lo editaba"
    if who:
        head += f" ({', '.join(who)}, {when})"
    parts = [escape(head + "; no se guardaron sus cambios.")]
    if changes:
        items = Markup("").join(
            Markup("<li>{}: {} → {}</li>").format(
                _label(view, form, column), _shown(old), _shown(new)
            )
            for column, (old, new) in changes.items()
        )
        parts.append(Markup(" Lo que cambió: <ul class='mb-1'>{}</ul>").format(items))
    parts.append(
        escape(
            " Lo que usted escribió sigue en el formulario: revíselo y guarde de nuevo "
            "si quiere reemplazar esos cambios."
        )
    )
    return Markup("").join(parts)


def refuse_stale_edit(view, form: Form) -> bool:
    """True (after flashing what changed) when an edit form was loaded at an older
    version than the record has now. The hidden field then takes the current
    version, so saving the re-shown form again is a deliberate overwrite."""
    field = form._fields.get(VERSION_FIELD)
    model = getattr(form, "_obj", None)
    if field is None or model is None or request.method != "POST":
        return False
    seen = _seen_version(field)
    current = getattr(model, VERSION_COLUMN, None)
    if seen is None or current is None or seen == current:
        return False
    flash(conflict_message(view, form, model, seen), "error")
    field.data = current
    return True
