"""The audit log (bitacora): every create, update and delete of the business
tables, written by the session in the same transaction as the change.

A listener on every SQLAlchemy Session sees what each flush wrote, whoever
flushed it (admin view, API, command, service), and bulk-inserts one row per
change. A rollback takes the entries with it. Bulk statements that bypass the
unit of work (`session.execute(insert(...))`) call `registrar()` themselves.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

import click
from flask import g, has_app_context, has_request_context
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from .models import (
    Apartamento,
    Bitacora,
    Cliente,
    Comision,
    Cotizacion,
    EstadoInmueble,
    FormaPago,
    Liquidacion,
    Local,
    MedioPago,
    Meta,
    OperacionUnidad,
    Pago,
    Parqueadero,
    PlanPago,
    PoliticaComision,
    PoliticaPrecio,
    Proyecto,
    TipoApartamento,
    TipoCliente,
    TipoDocumento,
    TipoParqueadero,
    Torre,
    Usuario,
    Venta,
)
from .models.base import utcnow

CREAR = "crear"
ACTUALIZAR = "actualizar"
ELIMINAR = "eliminar"
ACCIONES = {CREAR: "Creación", ACTUALIZAR: "Modificación", ELIMINAR: "Eliminación"}

ORIGEN_ADMIN = "admin"
ORIGEN_API = "api"
ORIGEN_COMANDO = "comando"
ORIGEN_SISTEMA = "sistema"

# Cuotas and pagos_cuotas are derived from ventas and pagos; sessions, tokens
# and login attempts are security plumbing, not business records.
AUDITED_MODELS = (
    Cliente,
    Apartamento,
    Venta,
    Pago,
    TipoCliente,
    TipoDocumento,
    EstadoInmueble,
    FormaPago,
    MedioPago,
    Proyecto,
    Torre,
    Usuario,
    # Issue 15's units.
    Local,
    Parqueadero,
    TipoParqueadero,
    OperacionUnidad,
    TipoApartamento,
    PoliticaPrecio,
    PlanPago,
    Cotizacion,
    PoliticaComision,
    Comision,
    Liquidacion,
    Meta,
)
AUDITED_TABLES = frozenset(model.__tablename__ for model in AUDITED_MODELS)

# Never written to the log, whatever table they appear in.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash"})
# Bookkeeping that every save touches: noise in a diff.
QUIET_COLUMNS = frozenset({"created_at", "updated_at", "version", "nombre_busqueda"})
VERSION_COLUMN = "version"

_installed = False
_columns_cache: dict = {}


# -- who --------------------------------------------------------------------------
def current_actor() -> tuple[str, str]:
    """(actor, origen) of the change being flushed now."""
    if has_app_context() and g.get("actor"):
        return str(g.actor)[:80], str(g.get("origen") or ORIGEN_API)[:20]
    if has_request_context():
        # Only a user already loaded for this request: loading one here would
        # query (and write the session row) in the middle of a flush.
        user = g.get("_login_user")
        if user is not None and getattr(user, "is_authenticated", False):
            return user.username, ORIGEN_ADMIN
        return "sistema", ORIGEN_SISTEMA
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        # "flask users create" -> "comando:users create"
        path = ctx.command_path.split(" ", 1)
        name = path[1] if len(path) > 1 else ctx.info_name or "desconocido"
        return f"comando:{name}"[:80], ORIGEN_COMANDO
    return "sistema", ORIGEN_SISTEMA


# -- what ---------------------------------------------------------------------------
def json_safe(value: Any) -> Any:
    """A JSON value that reads like the form: Decimal as text, dates in ISO."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return json_safe(value.value)
    if isinstance(value, float):
        return str(Decimal(str(value)))
    return str(value)


def registro_key(identity: tuple | None) -> str:
    return "/".join(str(part) for part in identity or ())[:60]


def _registro(state, mapper) -> str:
    # A row inserted by this flush has its key in its dict, not yet in its identity.
    if state.identity is not None:
        return registro_key(state.identity)
    values = state.dict
    return registro_key(
        tuple(values.get(mapper.get_property_by_column(col).key) for col in mapper.primary_key)
    )


def _columns(mapper) -> list[tuple[str, str]]:
    """(attribute key, column name) of the columns worth logging."""
    cached = _columns_cache.get(mapper)
    if cached is None:
        cached = [
            (prop.key, prop.columns[0].name)
            for prop in mapper.column_attrs
            if prop.columns[0].name not in SECRET_COLUMNS
            and prop.columns[0].name not in QUIET_COLUMNS
        ]
        _columns_cache[mapper] = cached
    return cached


def _snapshot(state, mapper) -> dict[str, list]:
    """Loaded values only: reading an unloaded one would query (or fail, once deleted)."""
    values = state.dict
    return {name: json_safe(values[key]) for key, name in _columns(mapper) if key in values}


def _changes(state, mapper) -> dict[str, list]:
    changes: dict[str, list] = {}
    for key, name in _columns(mapper):
        history = state.attrs[key].history
        if not history.added and not history.deleted:
            continue
        old = json_safe(history.deleted[0]) if history.deleted else None
        new = json_safe(history.added[0]) if history.added else None
        if old != new:
            changes[name] = [old, new]
    if changes and mapper.version_id_col is not None:
        # The flush already bumped the counter; recording it lets an edit
        # conflict list what changed after the version a user saw.
        new_version = state.dict.get(VERSION_COLUMN)
        if isinstance(new_version, int):
            changes[VERSION_COLUMN] = [new_version - 1, new_version]
    return changes


def _entry(accion: str, tabla: str, registro: str, cambios: dict, who, fecha) -> dict:
    return {
        "fecha": fecha,
        "actor": who[0],
        "origen": who[1],
        "accion": accion,
        "tabla": tabla,
        "registro": registro,
        "cambios": cambios,
    }


def _collect(session: Session) -> list[dict]:
    who = None
    fecha = utcnow()
    rows: list[dict] = []

    def add(accion, obj, cambios_of):
        nonlocal who
        state = inspect(obj)
        mapper = state.mapper
        tabla = mapper.local_table.name
        if tabla not in AUDITED_TABLES:
            return
        cambios = cambios_of(state, mapper)
        if accion == ACTUALIZAR and not cambios:
            return
        if who is None:
            who = current_actor()
        rows.append(_entry(accion, tabla, _registro(state, mapper), cambios, who, fecha))

    for obj in session.new:
        add(CREAR, obj, lambda s, m: {k: [None, v] for k, v in _snapshot(s, m).items()})
    for obj in session.dirty:
        add(ACTUALIZAR, obj, _changes)
    for obj in session.deleted:
        add(ELIMINAR, obj, lambda s, m: {k: [v, None] for k, v in _snapshot(s, m).items()})
    return rows


def registrar(
    session: Session, accion: str, tabla: str, cambios_por_registro: dict[str, dict]
) -> None:
    """Log changes made by a bulk statement (no unit of work saw them).

    cambios_por_registro: {registro: {columna: [antes, despues]}}; secrets are dropped.
    """
    if not cambios_por_registro:
        return
    who, fecha = current_actor(), utcnow()
    rows = [
        _entry(
            accion,
            tabla,
            registro_key((registro,)),
            {
                k: [json_safe(v[0]), json_safe(v[1])]
                for k, v in cambios.items()
                if k not in SECRET_COLUMNS and k not in QUIET_COLUMNS
            },
            who,
            fecha,
        )
        for registro, cambios in cambios_por_registro.items()
    ]
    session.connection().execute(insert(Bitacora.__table__), rows)


# -- listeners ------------------------------------------------------------------------
def _before_flush(session: Session, _flush_context, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, Bitacora):
            raise PermissionError("La bitácora no se puede modificar ni eliminar.")


def _after_flush(session: Session, _flush_context) -> None:
    rows = _collect(session)
    if rows:
        # Core executemany on the flush's own connection: same transaction, one round trip.
        session.connection().execute(insert(Bitacora.__table__), rows)


def _want_old_values(model) -> None:
    """Make a change to an expired attribute load the old value first, so the
    diff has it (one refresh of that row, only when it was expired)."""
    for prop in inspect(model).column_attrs:
        if prop.columns[0].name in SECRET_COLUMNS or prop.columns[0].name in QUIET_COLUMNS:
            continue
        event.listen(getattr(model, prop.key), "set", _noop_set, active_history=True)


def _noop_set(_target, value, _oldvalue, _initiator):
    return value


def install_audit() -> None:
    """Listen on every Session (admin, API, commands, scripts); idempotent."""
    global _installed
    if _installed:
        return
    _installed = True
    for model in AUDITED_MODELS:
        _want_old_values(model)
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
