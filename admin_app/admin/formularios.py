"""Form pieces shared by the sales pages: catalog choices and filter options read
per request, money filters. The fields themselves live in campos.py."""

from decimal import Decimal
from types import SimpleNamespace

from flask_admin.contrib.sqla.filters import (
    DateBetweenFilter,
    DateGreaterFilter,
    DateSmallerFilter,
    FilterGreater,
    FilterSmaller,
)
from sqlalchemy import select

from ..extensions import db
from ..models import FormaPago, MedioPago, Proyecto
from ..models.base import DINERO_MAXIMO
from ..services.ventas import reglas_proyecto
from .campos import ENTERO_MAXIMO, LARGO_MAXIMO, parse_dinero, parse_entero


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


def campos(form, *excluidos: str) -> dict:
    """The form's data by field name (no CSRF token): the keywords of the service
    the form feeds, its fields being named as the service's parameters."""
    return {
        campo.name: campo.data
        for campo in form
        if campo.name != "csrf_token" and campo.name not in excluidos
    }


def entero_o_none(valor) -> int | None:
    """A key chosen in a select (1 to what an INTEGER holds), or None: a tampered
    `id_forma_pago=99999999999999999999` is no choice, not an overflow."""
    try:
        numero = parse_entero(str(valor)) if valor not in (None, "") else None
    except ValueError:
        return None
    return numero if numero is not None and 1 <= numero <= ENTERO_MAXIMO else None


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
            return len(value) <= LARGO_MAXIMO and abs(parse_dinero(value)) <= DINERO_MAXIMO
        except ValueError:
            return False

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
    claves = [clave for clave in map(entero_o_none, ids) if clave is not None]
    return list(db.session.scalars(select(model).where(model.id.in_(claves)).order_by(model.id)))
