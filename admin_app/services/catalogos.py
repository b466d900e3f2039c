"""Rules of the catalogs and the projects' sales settings.

A catalog row is found by what people type (its code or its name, folded as the
import folds them), so no name or code may equal another row's name or code:
a tipo de documento named «CC» would take CC's clients on the next import.
"""

from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from ..limites import PLAZO_MAXIMO_CUOTA_INICIAL_MESES, PLAZO_MAXIMO_SEPARACION_DIAS
from ..models import Proyecto
from ..text import fold
from ..validators import TextoVisible
from .errors import Errores
from .precios import validar_prima

YA_EXISTE = "Ya existe un registro con ese nombre o código (sin distinguir mayúsculas ni tildes)."
OBLIGATORIO = "Este campo es obligatorio."


def _textos(fila) -> list[tuple[str, str]]:
    """(field, text) a row is known by: its name, and its code where it has one."""
    campos = [("nombre", fila.nombre)]
    if hasattr(type(fila), "codigo"):
        campos.insert(0, ("codigo", fila.codigo))
    return campos


def validar_catalogo(fila) -> None:
    """Trim the row's texts; refuse blanks, invisible text, over-long text and any
    name or code equal (folded) to another row's name or code."""
    errores = Errores()
    tipo = type(fila)
    for campo, valor in _textos(fila):
        valor = (valor or "").strip()
        setattr(fila, campo, valor.upper() if campo == "codigo" else valor)
        largo = getattr(tipo, campo).type.length
        if not valor:
            errores.add(campo, OBLIGATORIO)
        elif len(valor) > largo:
            errores.add(campo, f"No puede tener más de {largo} caracteres.")
        else:
            try:
                TextoVisible().check(valor)
            except ValueError as exc:
                errores.add(campo, str(exc))
    errores.raise_if_any()
    with db.session.no_autoflush:  # the new row must not find itself
        otras = [o for o in db.session.scalars(select(tipo)) if o is not fila]
    ocupados = {fold(texto) for otra in otras for _campo, texto in _textos(otra) if texto}
    for campo, valor in _textos(fila):
        if fold(valor) in ocupados:
            errores.add(campo, YA_EXISTE)
    errores.raise_if_any()


def validar_proyecto(proyecto: Proyecto) -> None:
    """A project's sales settings within sensible bounds, whoever saves it."""
    errores = Errores()
    proyecto.nombre = (proyecto.nombre or "").strip()
    proyecto.ciudad = (proyecto.ciudad or "").strip()
    for campo in ("nombre", "ciudad"):
        valor = getattr(proyecto, campo)
        largo = getattr(Proyecto, campo).type.length
        if not valor:
            errores.add(campo, OBLIGATORIO)
        elif len(valor) > largo:
            errores.add(campo, f"No puede tener más de {largo} caracteres.")
    porcentaje = proyecto.porcentaje_cuota_inicial_min
    if porcentaje is None or not Decimal(0) <= porcentaje <= Decimal(100):
        errores.add("porcentaje_cuota_inicial_min", "Debe estar entre 0 y 100.")
    elif porcentaje != porcentaje.quantize(Decimal("0.01")):
        errores.add("porcentaje_cuota_inicial_min", "Admite como máximo dos decimales.")
    if proyecto.valor_min_separacion is None or proyecto.valor_min_separacion < 0:
        errores.add("valor_min_separacion", "No puede ser negativo.")
    for campo, maximo, unidad in (
        ("plazo_max_cuota_inicial_meses", PLAZO_MAXIMO_CUOTA_INICIAL_MESES, "meses"),
        ("plazo_max_separacion_dias", PLAZO_MAXIMO_SEPARACION_DIAS, "días"),
    ):
        valor = getattr(proyecto, campo)
        if valor is None or not 1 <= valor <= maximo:
            errores.add(campo, f"Debe estar entre 1 y {maximo} {unidad}.")
    validar_prima(proyecto, errores)
    dias = proyecto.dias_validez_cotizacion
    if dias is None:
        proyecto.dias_validez_cotizacion = dias = 7
    if not 1 <= dias <= PLAZO_MAXIMO_SEPARACION_DIAS:
        errores.add(
            "dias_validez_cotizacion",
            f"Debe estar entre 1 y {PLAZO_MAXIMO_SEPARACION_DIAS} días.",
        )
    clausulas = (proyecto.clausulas_cotizacion or "").strip() or None
    proyecto.clausulas_cotizacion = clausulas
    largo = Proyecto.clausulas_cotizacion.type.length
    if clausulas and len(clausulas) > largo:
        errores.add("clausulas_cotizacion", f"No puede tener más de {largo} caracteres.")
    errores.raise_if_any()
