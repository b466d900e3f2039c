"""The inventory as scripts and the admin load it: proyectos (with the prima de
altura), torres (with nivel_inicio_prima) and apartamentos (with a tipo or a typed
base price). Every save reprices what it touches (services/precios.py); these
flush, never commit."""

from decimal import Decimal

from sqlalchemy import delete, func, inspect, select

from ..extensions import db
from ..limites import PISO_MAXIMO, PISO_MINIMO
from ..models import Apartamento, HistorialPrecio, Proyecto, Torre, Venta
from ..validators import TextoVisible
from . import precios
from .catalogos import validar_proyecto
from .errors import Conflict, Errores, ValidationFailed

AREA_MAXIMA = Decimal("999999.99")  # Numeric(8, 2)
ESPACIOS_MAXIMO = 50
NIVEL_MAXIMO = PISO_MAXIMO


def _nombre_unico(modelo, mensaje: str, *alcance) -> None:
    cls = type(modelo)
    stmt = select(cls.id).where(func.lower(cls.nombre) == (modelo.nombre or "").lower())
    for columna in alcance:
        stmt = stmt.where(getattr(cls, columna) == getattr(modelo, columna))
    if modelo.id is not None:
        stmt = stmt.where(cls.id != modelo.id)
    with db.session.no_autoflush:
        if db.session.scalar(stmt.limit(1)) is not None:
            raise ValidationFailed.on_field("nombre", mensaje)


# --- proyectos -------------------------------------------------------------------------


def guardar_proyecto(proyecto: Proyecto) -> Proyecto:
    """Create or edit a project (fields already set); a new prima reprices it."""
    validar_proyecto(proyecto)
    _nombre_unico(proyecto, "Ya existe un proyecto con ese nombre.")
    prima_cambiada = proyecto.id is not None and precios.prima_cambio(proyecto)
    if proyecto.id is None:
        db.session.add(proyecto)
    db.session.flush()
    precios.tras_guardar_proyecto(proyecto, prima_cambiada)
    return proyecto


def eliminar_proyecto(proyecto: Proyecto) -> None:
    usos = db.session.scalar(select(func.count()).where(Torre.id_proyecto == proyecto.id))
    if usos:
        raise Conflict.on_field(
            "id", f"No se puede eliminar «{proyecto.nombre}»: tiene {usos} torres."
        )
    db.session.delete(proyecto)
    db.session.flush()


# --- torres ----------------------------------------------------------------------------


def guardar_torre(torre: Torre) -> Torre:
    """Create or edit a torre; a new nivel_inicio_prima reprices its project."""
    errores = Errores()
    if torre.proyecto is not None:
        torre.id_proyecto = torre.proyecto.id
    with db.session.no_autoflush:
        if not torre.id_proyecto or db.session.get(Proyecto, torre.id_proyecto) is None:
            errores.add("id_proyecto", "Seleccione un proyecto que exista.")
    torre.nombre = (torre.nombre or "").strip()
    largo = Torre.nombre.type.length
    if not torre.nombre:
        errores.add("nombre", "Este campo es obligatorio.")
    elif len(torre.nombre) > largo:
        errores.add("nombre", f"No puede tener más de {largo} caracteres.")
    else:
        try:
            TextoVisible().check(torre.nombre)
        except ValueError as exc:
            errores.add("nombre", str(exc))
    if torre.nivel_inicio_prima is None:
        torre.nivel_inicio_prima = 2
    elif not 0 <= torre.nivel_inicio_prima <= NIVEL_MAXIMO:
        errores.add("nivel_inicio_prima", f"Debe ser un número entero entre 0 y {NIVEL_MAXIMO}.")
    errores.raise_if_any()
    _nombre_unico(torre, "Ya existe una torre con ese nombre en el proyecto.", "id_proyecto")
    nuevo = torre.id is None
    nivel_cambiado = not nuevo and inspect(torre).attrs.nivel_inicio_prima.history.has_changes()
    if nuevo:
        db.session.add(torre)
    db.session.flush()
    precios.tras_guardar_torre(torre, nivel_cambiado)
    return torre


def eliminar_torre(torre: Torre) -> None:
    usos = db.session.scalar(select(func.count()).where(Apartamento.id_torre == torre.id))
    if usos:
        raise Conflict.on_field(
            "id", f"No se puede eliminar la torre «{torre.nombre}»: tiene {usos} apartamentos."
        )
    db.session.delete(torre)
    db.session.flush()


# --- apartamentos ----------------------------------------------------------------------


def validar_apartamento(apartamento: Apartamento, errores: Errores) -> None:
    with db.session.no_autoflush:
        if apartamento.torre is None and apartamento.id_torre is not None:
            apartamento.torre = db.session.get(Torre, apartamento.id_torre)
    if apartamento.torre is None:
        errores.add("id_torre", "Seleccione una torre que exista.")
    numero = (apartamento.numero or "").strip()
    apartamento.numero = numero
    largo = Apartamento.numero.type.length
    if not numero:
        errores.add("numero", "Este campo es obligatorio.")
    elif len(numero) > largo:
        errores.add("numero", f"No puede tener más de {largo} caracteres.")
    else:
        try:
            TextoVisible().check(numero)
        except ValueError as exc:
            errores.add("numero", str(exc))
    if apartamento.piso is None or not PISO_MINIMO <= apartamento.piso <= PISO_MAXIMO:
        errores.add("piso", f"Debe ser un número entero entre {PISO_MINIMO} y {PISO_MAXIMO}.")
    area = apartamento.area_m2
    if area is None or not 0 < Decimal(area) <= AREA_MAXIMA:
        errores.add("area_m2", f"El área debe ser mayor que 0 y a lo sumo {AREA_MAXIMA} m².")
    for campo in ("habitaciones", "banos"):
        valor = getattr(apartamento, campo)
        if valor is None or not 0 <= valor <= ESPACIOS_MAXIMO:
            errores.add(campo, f"Debe ser un número entero entre 0 y {ESPACIOS_MAXIMO}.")
    if apartamento.torre is not None and numero and not errores.get("numero"):
        stmt = select(Apartamento.id).where(
            Apartamento.id_torre == apartamento.torre.id, Apartamento.numero == numero
        )
        if apartamento.id is not None:
            stmt = stmt.where(Apartamento.id != apartamento.id)
        with db.session.no_autoflush:
            if db.session.scalar(stmt.limit(1)) is not None:
                errores.add("numero", "Ya existe un apartamento con ese número en la torre.")


def guardar_apartamento(apartamento: Apartamento) -> Apartamento:
    """Create or edit an apartment (fields already set): its base comes from its
    tipo or is typed, its price from the project's rules while Disponible, and a
    moved price is kept in historial_precios."""
    errores = Errores()
    validar_apartamento(apartamento, errores)
    if not errores.get("piso"):
        precios.precio_de_apartamento(apartamento, errores)
    errores.raise_if_any()
    if apartamento.torre is not None:
        apartamento.id_torre = apartamento.torre.id
    nuevo = apartamento.id is None
    historia = inspect(apartamento).attrs.precio.history
    antes = None if nuevo or not historia.deleted else historia.deleted[0]
    if nuevo:
        db.session.add(apartamento)
    db.session.flush()
    if nuevo or historia.deleted:
        precios.registrar_precio_apartamento(apartamento, antes)
    return apartamento


def eliminar_apartamento(apartamento: Apartamento) -> None:
    """An apartment with operations is never deleted (409); its price history goes with it."""
    usos = db.session.scalar(select(func.count()).where(Venta.id_apartamento == apartamento.id))
    if usos:
        raise Conflict.on_field(
            "id",
            f"No se puede eliminar el apartamento {apartamento}: tiene {usos} "
            "ventas o separaciones.",
        )
    db.session.execute(
        delete(HistorialPrecio).where(HistorialPrecio.id_apartamento == apartamento.id)
    )
    db.session.delete(apartamento)
    db.session.flush()
