"""Form pieces shared by the sales pages: money as Colombians type it, catalog
choices read per request, and running a service call with errors on the fields."""

import logging
import re
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from flask import flash
from flask_admin.contrib.sqla.filters import (
    DateBetweenFilter,
    DateGreaterFilter,
    DateSmallerFilter,
    FilterGreater,
    FilterSmaller,
)
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import DecimalField
from wtforms.widgets import TextInput

from ..errors import db_fault_message
from ..extensions import db
from ..formatting import format_number
from ..integrity import describe_integrity_error
from ..models import FormaPago, MedioPago, Proyecto
from ..services.errors import ServiceError
from ..services.ventas import reglas_proyecto
from .base import STALE, add_form_errors

log = logging.getLogger(__name__)

# "250.000.000" (dots for thousands) vs "250000000.50" (a decimal point).
_MILES = re.compile(r"\d{1,3}(\.\d{3})+")


def parse_dinero(texto: str) -> Decimal:
    """`$ 250.000.000`, `250000000`, `1.234,50` or `1234.50` -> Decimal."""
    limpio = texto.replace("$", "").replace(" ", "").replace("\u00a0", "")
    if "," in limpio:
        limpio = limpio.replace(".", "").replace(",", ".")
    elif _MILES.fullmatch(limpio):
        limpio = limpio.replace(".", "")
    valor = Decimal(limpio)
    if not valor.is_finite():
        raise InvalidOperation(texto)
    return valor


class CampoDinero(DecimalField):
    """A peso amount; accepts the thousands dots people type. A text box, not
    type=number: browsers refuse `5.000.000` in a number input."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.pop("places", None)  # Flask-Admin's converter passes one; pesos keep theirs
        render_kw = {
            "inputmode": "decimal",
            "autocomplete": "off",
            **(kwargs.pop("render_kw", None) or {}),
        }
        super().__init__(label, validators, places=None, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_dinero(valuelist[0])
        except (InvalidOperation, ValueError):
            self.data = None
            raise ValueError("Escriba un valor en pesos, por ejemplo 250.000.000.") from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return formato_dinero(Decimal(self.data))


def formato_dinero(valor: Decimal) -> str:
    """How a clerk types it back: `250.000.000`, or `250.000.000,50` with cents."""
    centavos = valor.quantize(Decimal("0.01")) % 1
    return format_number(valor, 2 if centavos else 0)


def opciones_formas_pago() -> list[tuple[str, str]]:
    filas = db.session.execute(select(FormaPago.id, FormaPago.nombre).order_by(FormaPago.nombre))
    return [("", "— Seleccione —")] + [(str(i), n) for i, n in filas]


def opciones_medios_pago() -> list[tuple[str, str]]:
    filas = db.session.execute(select(MedioPago.id, MedioPago.nombre).order_by(MedioPago.nombre))
    return [("", "— Seleccione —")] + [(str(i), n) for i, n in filas]


def proyectos_activos() -> list[Proyecto]:
    return list(
        db.session.scalars(select(Proyecto).where(Proyecto.activo).order_by(Proyecto.nombre))
    )


def reglas_de(proyecto: Proyecto) -> list[str]:
    """The project's rules as the service words them (it reads them off an apartment)."""
    apartamento = SimpleNamespace(torre=SimpleNamespace(proyecto=proyecto), precio=None)
    return reglas_proyecto(apartamento)["descripcion"]


def entero_o_none(valor) -> int | None:
    try:
        return int(valor) if valor not in (None, "") else None
    except (TypeError, ValueError):
        return None


def ejecutar(form, accion):
    """Run `accion()` (a service call) and commit. On a broken rule roll back,
    put each message on its field and return None."""
    session = db.session
    try:
        resultado = accion()
        session.commit()
        return resultado
    except ServiceError as exc:
        session.rollback()
        add_form_errors(form, exc.errors, exc.message)
    except IntegrityError as exc:
        session.rollback()
        field, message = describe_integrity_error(exc)
        add_form_errors(form, {field: [message]} if field else {}, message)
    except StaleDataError:
        session.rollback()
        flash(STALE, "error")
    except OperationalError as exc:
        session.rollback()
        log.warning("Operational error while saving: %s", exc)
        flash(db_fault_message(exc), "error")
    return None


def opciones_proyectos_filtro():
    return [(str(i), n) for i, n in db.session.execute(select(Proyecto.id, Proyecto.nombre))]


class OpcionesVivasMixin:
    """Filters whose options come from the database are read per request:
    Flask-Admin reads them once, when the app is built (no tables yet)."""

    opciones_vivas: dict[str, callable] = {}

    def _get_filter_groups(self):
        groups = super()._get_filter_groups()
        for label, items in (groups or {}).items():
            opciones = self.opciones_vivas.get(label)
            if opciones is not None:
                for item in items:
                    item["options"] = opciones()
        return groups


class _FiltroDinero:
    """Money filters read what people type (`250.000.000`) as an exact Decimal."""

    def validate(self, value) -> bool:
        try:
            parse_dinero(value)
        except (InvalidOperation, ValueError):
            return False
        return True

    def clean(self, value) -> Decimal:
        return parse_dinero(value)


class DineroMayorQue(_FiltroDinero, FilterGreater):
    def operation(self) -> str:
        return "desde"


class DineroMenorQue(_FiltroDinero, FilterSmaller):
    def operation(self) -> str:
        return "hasta"


def filtros_de_fecha(columna, nombre: str = "Fecha") -> list:
    return [
        DateBetweenFilter(columna, nombre),
        DateGreaterFilter(columna, nombre),
        DateSmallerFilter(columna, nombre),
    ]


def filas_seleccionadas(model, ids) -> list:
    """The rows ticked in a list for a bulk action (integer keys; a page at most)."""
    claves = [int(valor) for valor in ids if str(valor).isdigit()]
    return list(db.session.scalars(select(model).where(model.id.in_(claves)).order_by(model.id)))
