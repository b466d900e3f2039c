"""Bulk actions that find the right rows for any primary key.

Flask-Admin escapes each key for the list's checkboxes (get_pk_value: "." -> "..",
"," -> ".,") but its stock actions compare the escaped text with the column, so
a key holding "." or "," matches nothing, or another row. These helpers undo
the escaping first.
"""

from flask_admin.tools import iterdecode
from sqlalchemy import select


def decode_pks(ids) -> list[str]:
    """The stored keys behind the checkbox values of a single-column primary key."""
    keys = []
    for value in ids:
        parts = iterdecode(value)
        if len(parts) == 1:  # anything else was not produced by get_pk_value
            keys.append(parts[0])
    return keys


def models_for_action(view, ids) -> list:
    """The view's rows selected in the list, in key order (a page at most)."""
    keys = decode_pks(ids)
    if not keys:
        return []
    pk = getattr(view.model, view._primary_key)
    stmt = select(view.model).where(pk.in_(keys)).order_by(pk)
    return list(view.db_session.scalars(stmt).unique())
