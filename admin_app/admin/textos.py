"""Flask-Admin's own words in Spanish: its buttons, yes/no values and the
timestamps every model carries, shown in Bogotá time."""

from datetime import date, datetime

from flask_admin import babel
from flask_admin.model import typefmt
from markupsafe import Markup

from ..formatting import format_date, format_datetime

# Where Flask-Admin's Spanish catalog says it otherwise ("Salvar" for Save).
CORRECCIONES = {
    "Save": "Guardar",
    "Save and Add Another": "Guardar y crear otro",
    "Save and Continue Editing": "Guardar y seguir editando",
    # Flask-Admin's relation fields (torre, proyecto...) say this of an unknown id.
    "Not a valid choice": "Elija una opción de la lista.",
}
# Every model's bookkeeping columns: the version is the edit lock, not for people.
ETIQUETAS = {"created_at": "Creado", "updated_at": "Actualizado"}
OCULTAS = {"version"}


_catalogo = babel.gettext


def gettext(texto: str, **variables) -> str:
    if texto in CORRECCIONES:
        return CORRECCIONES[texto] % variables if variables else CORRECCIONES[texto]
    return _catalogo(texto, **variables)


_formularios = babel.Translations.gettext


_formularios_plural = babel.Translations.ngettext
# One message for a text longer than its column, in every door (limites.py).
LARGO = "Field cannot be longer than %(max)d characters."


def _gettext_formularios(self, texto: str) -> str:
    return CORRECCIONES.get(texto) or _formularios(self, texto)


def _ngettext_formularios(self, singular: str, plural: str, n: int) -> str:
    if plural == LARGO:
        return "No puede tener más de %(max)d caracteres."
    return _formularios_plural(self, singular, plural, n)


# Flask-Admin hands `babel.gettext` to every template it renders (as `_gettext`),
# read at render time, and its forms translate through babel.Translations:
# corrected here once, for every view.
babel.gettext = gettext
babel.Translations.gettext = _gettext_formularios
babel.Translations.ngettext = _ngettext_formularios


def si_no(_view, value, _name) -> str:
    return "Sí" if value else "No"


def si_no_icono(_view, value, _name) -> Markup:
    icono = "fa-check-circle" if value else "fa-minus-circle"
    return Markup('<span class="fa {}" title="{}"></span>').format(
        icono, si_no(_view, value, _name)
    )


def _momento(_view, value, _name) -> str:
    return format_datetime(value)


def _fecha(_view, value, _name) -> str:
    return format_date(value)


LISTA = {**typefmt.BASE_FORMATTERS, bool: si_no_icono, datetime: _momento, date: _fecha}
DETALLE = {**typefmt.DETAIL_FORMATTERS, bool: si_no, datetime: _momento, date: _fecha}
EXPORTACION = {**typefmt.EXPORT_FORMATTERS, bool: si_no, datetime: _momento, date: _fecha}


def columnas_en_espanol(columnas: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(name, label) pairs without the version and with the timestamps in Spanish."""
    return [
        (nombre, ETIQUETAS.get(nombre, etiqueta))
        for nombre, etiqueta in columnas
        if nombre not in OCULTAS
    ]
