"""Reading requests: the JSON body, query strings, typed fields, pagination, If-Match.

Type errors are collected per field (a `Campos` accumulator) so one 422 can
list every failing field at once; the business rules stay in the services.
"""

import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import request
from sqlalchemy import func, inspect, select

from ..conteos import contar_compartido
from ..extensions import db
from . import api_bp
from .errors import ApiError

MAX_INT = 2**31 - 1  # the database's INTEGER
MAX_MONEY = Decimal("9999999999999999.99")  # Numeric(18, 2)
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONEY = re.compile(r"-?\d+(\.\d+)?")
NUL_MESSAGE = "No puede contener el carácter nulo."


class Campos(dict):
    """field -> [messages], raised together as one 422."""

    def add(self, campo: str, mensaje: str) -> None:
        self.setdefault(campo, []).append(mensaje)

    def merge(self, otros: dict[str, list[str]], *, keep_existing: bool = True) -> None:
        for campo, mensajes in otros.items():
            if keep_existing and campo in self:
                continue  # our type error already explains that field
            for mensaje in mensajes:
                self.add(campo, mensaje)

    def raise_if_any(self, message: str = "Revise los campos marcados.") -> None:
        if self:
            raise ApiError(422, message, dict(self))


@api_bp.before_request
def reject_nul_characters():
    """No database stores a NUL character in text (PostgreSQL refuses it): say so early."""
    if any("\x00" in str(value) for value in (request.view_args or {}).values()):
        raise ApiError(404)
    campos = Campos()
    for key, value in request.args.items(multi=True):
        if "\x00" in value or "\x00" in key:
            campos.add(key.replace("\x00", ""), NUL_MESSAGE)
    campos.raise_if_any()


def _reject_constant(name: str):
    raise ValueError(name)


def json_body(allowed: tuple[str, ...], campos: Campos, *, optional: bool = False) -> dict:
    """The request's JSON object; unknown keys are added to `campos` by name.

    With `optional`, an empty body counts as {} (POST /anular without a motivo)."""
    raw = request.get_data(cache=True)
    if optional and not raw.strip():
        return {}
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise ApiError(415)
    try:
        body = json.loads(raw.decode("utf-8"), parse_float=Decimal, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, "El cuerpo no es un JSON válido.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "El cuerpo debe ser un objeto JSON ({...}).")
    for key, value in body.items():
        if key not in allowed:
            campos.add(key, "Campo desconocido: este recurso no lo admite.")
        elif isinstance(value, str) and "\x00" in value:
            campos.add(key, NUL_MESSAGE)
    return {key: value for key, value in body.items() if key in allowed}


# -- typed values: each returns the value or None after recording why -----------------
def texto(body: dict, campo: str, campos: Campos):
    value = body.get(campo)
    if value is not None and not isinstance(value, str):
        campos.add(campo, "Debe ser un texto.")
        return None
    return value


def entero(body: dict, campo: str, campos: Campos, *, minimo: int = 1):
    value = body.get(campo)
    if value is None:
        return None
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        campos.add(campo, "Debe ser un número entero.")
        return None
    if not minimo <= value <= MAX_INT:
        campos.add(campo, f"Debe ser un número entero entre {minimo} y {MAX_INT}.")
        return None
    return value


def dinero(value, campo: str, campos: Campos, *, maximo: Decimal = MAX_MONEY):
    """Money (or a percentage) as a string "250000000.00" or an integer; at most 2 decimals."""
    if value is None:
        return None
    if isinstance(value, bool):
        campos.add(campo, 'Debe ser un valor en texto con dos decimales, ej. "250000000.00".')
        return None
    if isinstance(value, str):
        text = value.strip()
        if not _MONEY.fullmatch(text):
            campos.add(campo, 'Debe ser un valor en texto con dos decimales, ej. "250000000.00".')
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            campos.add(campo, "Debe ser un valor numérico.")
            return None
    elif isinstance(value, int):
        value = Decimal(value)
    elif not isinstance(value, Decimal):
        campos.add(campo, 'Debe ser un valor en texto con dos decimales, ej. "250000000.00".')
        return None
    if not value.is_finite() or abs(value) > maximo:
        campos.add(campo, f"El valor debe estar entre -{maximo} y {maximo}.")
        return None
    if value != value.quantize(Decimal("0.01")):
        campos.add(campo, "Admite como máximo dos decimales.")
        return None
    return value.quantize(Decimal("0.01"))


def dinero_campo(body: dict, campo: str, campos: Campos, **kwargs):
    return dinero(body.get(campo), campo, campos, **kwargs)


def fecha(value, campo: str, campos: Campos):
    if value is None:
        return None
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        campos.add(campo, 'Debe ser una fecha ISO 8601 (AAAA-MM-DD), ej. "2026-11-25".')
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        campos.add(campo, "La fecha no existe en el calendario.")
        return None


def fecha_campo(body: dict, campo: str, campos: Campos):
    return fecha(body.get(campo), campo, campos)


# -- query strings ----------------------------------------------------------------------
def query_int(campo: str, campos: Campos, *, minimo: int = 1, maximo: int = MAX_INT):
    raw = request.args.get(campo)
    if raw is None or raw == "":
        return None
    if not re.fullmatch(r"[+-]?\d{1,12}", raw.strip()) or not minimo <= int(raw) <= maximo:
        campos.add(campo, f"Debe ser un número entero entre {minimo} y {maximo}.")
        return None
    return int(raw)


def query_date(campo: str, campos: Campos):
    raw = request.args.get(campo)
    return fecha(raw, campo, campos) if raw else None


def query_money(campo: str, campos: Campos):
    raw = request.args.get(campo)
    return dinero(raw, campo, campos) if raw else None


def query_choice(campo: str, choices: tuple[str, ...], campos: Campos):
    raw = request.args.get(campo)
    if raw is None or raw == "":
        return None
    if raw not in choices:
        campos.add(campo, "Debe ser uno de: " + ", ".join(choices) + ".")
        return None
    return raw


def pagination(campos: Campos) -> tuple[int, int]:
    page = query_int("page", campos, minimo=1, maximo=1_000_000) or 1
    per_page = query_int("per_page", campos, minimo=1, maximo=MAX_PER_PAGE) or DEFAULT_PER_PAGE
    return page, per_page


def paginate(
    stmt,
    page: int,
    per_page: int,
    serialize,
    total_compartido: str | None = None,
    cursor=None,
    despues_de: str | None = None,
):
    """{"data": [...], "meta": {...}} for one page of `stmt` (a Select of one entity).

    `total_compartido` names an unfiltered list of a large table: its total is
    counted at most once a minute and shared by every worker (admin_app.conteos);
    meta then says how old it is. Filtered lists are counted exactly.

    `cursor` (the unique column `stmt` is ordered by) adds keyset pagination:
    meta.siguiente is the last row's key when more may follow, and
    `despues_de` asks for the rows after such a key, at the same cost however
    deep (a page number costs one index entry per row skipped).
    """

    def contar() -> int:
        return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))

    meta: dict = {"page": page, "per_page": per_page}
    if total_compartido:
        conteo = contar_compartido(total_compartido, contar)
        meta |= {"total": conteo.valor, "total_exacto": conteo.edad_s is None}
        if conteo.edad_s is not None:
            meta["total_contado_hace_s"] = conteo.edad_s
    else:
        meta |= {"total": contar(), "total_exacto": True}
    if cursor is not None and despues_de is not None:
        pagina = stmt.where(cursor > despues_de).limit(per_page)
    else:
        pagina = _pagina(stmt, page, per_page)
    rows = db.session.scalars(pagina).unique().all()
    if cursor is not None:
        lleno = len(rows) == per_page
        meta["siguiente"] = getattr(rows[-1], cursor.key) if rows and lleno else None
    return {"data": [serialize(row) for row in rows], "meta": meta}


def _pagina(stmt, page: int, per_page: int):
    """One page of `stmt`. Past the first, the offset is walked over the keys
    alone (an index-only scan of the sort index) and only the page's rows are
    read: page 10,000 of the clientes costs about 25 ms on PostgreSQL, not 850."""
    offset = (page - 1) * per_page
    keys = inspect(stmt.column_descriptions[0]["entity"]).primary_key
    if offset == 0 or len(keys) != 1:
        return stmt.limit(per_page).offset(offset)
    page_keys = stmt.with_only_columns(keys[0]).limit(per_page).offset(offset)
    return stmt.where(keys[0].in_(page_keys.scalar_subquery())).limit(per_page)


# -- optimistic locking ------------------------------------------------------------------
def etag(version: int) -> str:
    return f'"{version}"'


def check_if_match(version: int, what: str) -> None:
    """412 when the client's If-Match names a version other than the current one.

    Without If-Match the request proceeds (the version column still refuses a
    write that races another one)."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if "*" in tags:
        return
    # Weak tags (W/"3") are accepted too: the version is what we compare.
    values = {tag.removeprefix("W/").strip('"') for tag in tags}
    if str(version) not in values:
        raise ApiError(
            412,
            f"{what} cambió desde que lo leyó (versión actual {version}); vuelva a leerlo "
            "y repita el cambio.",
            headers={"ETag": etag(version)},
        )
