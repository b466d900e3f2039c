"""Locales (commercial units): in a torre or outside the towers of a project.
precio = round(area_m2 × valor_m2) to the peso, set here and frozen while an
operation holds the local. The estado moves as every unit's (services/unidades.py).
These flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..integrity import describe_integrity_error
from ..models import EstadoInmueble, HistorialPrecio, Local, MotivoPrecio, Proyecto, Torre
from ..models.base import DINERO_MAXIMO
from .errors import Errores, ValidationFailed
from .historial_precios import clave_unidad, registrar_precio
from .unidades import estados_inmueble, exigir_precio_libre, exigir_sin_operaciones

AREA_MAXIMA = Decimal("999999.99")  # Numeric(8, 2)


@dataclass
class DatosLocal:
    numero: str | None
    area_m2: Decimal | None
    valor_m2: Decimal | None
    id_proyecto: int | None = None  # taken from the torre when one is given
    id_torre: int | None = None


def precio_local(area_m2: Decimal, valor_m2: Decimal) -> Decimal:
    """round(area_m2 × valor_m2) to the peso (half up)."""
    return (
        (Decimal(area_m2) * Decimal(valor_m2))
        .quantize(Decimal("1"), ROUND_HALF_UP)
        .quantize(Decimal("0.01"))
    )


def limpiar_numero(numero) -> str | None:
    return numero.strip() if isinstance(numero, str) else numero


def validar_numero(errores: Errores, numero: str | None, largo: int) -> None:
    if not numero:
        errores.add("numero", "Indique el número.")
    elif len(numero) > largo:
        errores.add("numero", f"No puede tener más de {largo} caracteres.")
    elif not all(ch.isprintable() for ch in numero):
        errores.add("numero", "Tiene caracteres de control o invisibles; escríbalo de nuevo.")


def _validar(datos: DatosLocal, local: Local | None) -> tuple[DatosLocal, Decimal]:
    datos = DatosLocal(
        numero=limpiar_numero(datos.numero),
        area_m2=datos.area_m2,
        valor_m2=datos.valor_m2,
        id_proyecto=datos.id_proyecto,
        id_torre=datos.id_torre,
    )
    errores = Errores()
    validar_numero(errores, datos.numero, Local.numero.type.length)
    torre = db.session.get(Torre, datos.id_torre) if datos.id_torre else None
    if datos.id_torre and torre is None:
        errores.add("id_torre", "La torre seleccionada no existe.")
    if torre is not None:
        if datos.id_proyecto and datos.id_proyecto != torre.id_proyecto:
            errores.add("id_torre", f"La torre {torre} no es del proyecto seleccionado.")
        datos.id_proyecto = torre.id_proyecto
    if not datos.id_proyecto:
        if not errores.get("id_torre"):
            errores.add("id_proyecto", "Seleccione el proyecto (o la torre) del local.")
    elif db.session.get(Proyecto, datos.id_proyecto) is None:
        errores.add("id_proyecto", "El proyecto seleccionado no existe.")
    if datos.area_m2 is None or not 0 < datos.area_m2 <= AREA_MAXIMA:
        errores.add("area_m2", "El área debe ser mayor que cero (m², hasta 999.999,99).")
    if datos.valor_m2 is None or datos.valor_m2 <= 0:
        errores.add("valor_m2", "El valor del m² debe ser mayor que cero.")
    precio = None
    if not errores.get("area_m2") and not errores.get("valor_m2"):
        precio = precio_local(datos.area_m2, datos.valor_m2)
        if precio <= 0:
            errores.add("valor_m2", "El precio (área × valor del m²) debe ser mayor que cero.")
        elif precio > DINERO_MAXIMO:
            errores.add("valor_m2", "El precio (área × valor del m²) es demasiado grande.")
    if datos.numero and datos.id_proyecto and not errores.get("numero"):
        _exigir_numero_libre(errores, datos, local)
    errores.raise_if_any()
    return datos, precio


def _exigir_numero_libre(errores: Errores, datos: DatosLocal, local: Local | None) -> None:
    mismo_lugar = (
        Local.id_torre == datos.id_torre
        if datos.id_torre
        else (Local.id_torre.is_(None)) & (Local.id_proyecto == datos.id_proyecto)
    )
    stmt = select(Local.id).where(mismo_lugar, Local.numero == datos.numero)
    if local is not None and local.id is not None:
        stmt = stmt.where(Local.id != local.id)
    with db.session.no_autoflush:
        if db.session.scalar(stmt.limit(1)) is not None:
            lugar = "la torre" if datos.id_torre else "el proyecto (fuera de las torres)"
            errores.add("numero", f"Ya existe un local con el número {datos.numero} en {lugar}.")


def flush_unidad() -> None:
    """Flush; a duplicate number that another clerk saved meanwhile is a field error."""
    try:
        db.session.flush()
    except IntegrityError as exc:
        campo, mensaje = describe_integrity_error(exc)
        if campo == "numero":
            raise ValidationFailed.on_field("numero", mensaje) from exc
        raise


def crear_local(datos: DatosLocal) -> Local:
    datos, precio = _validar(datos, None)
    local = Local(
        id_proyecto=datos.id_proyecto,
        id_torre=datos.id_torre,
        numero=datos.numero,
        area_m2=datos.area_m2,
        valor_m2=datos.valor_m2,
        precio=precio,
        id_estado_inmueble=estados_inmueble()[EstadoInmueble.DISPONIBLE],
    )
    db.session.add(local)
    flush_unidad()
    registrar_precio(local, None, precio, MotivoPrecio.MANUAL, "Creación del local")
    return local


def actualizar_local(local: Local, datos: DatosLocal) -> Local:
    datos, precio = _validar(datos, local)
    antes = local.precio
    local.id_proyecto = datos.id_proyecto
    local.id_torre = datos.id_torre
    local.numero = datos.numero
    local.area_m2 = datos.area_m2
    local.valor_m2 = datos.valor_m2
    local.precio = precio
    exigir_precio_libre(local)
    flush_unidad()
    registrar_precio(local, antes, precio, MotivoPrecio.MANUAL, "Edición del local")
    return local


def eliminar_local(local: Local) -> None:
    """Refused when the local has operations; its price history goes with it."""
    exigir_sin_operaciones(local)
    borrar_historial(local)
    db.session.delete(local)
    db.session.flush()


def borrar_historial(unidad) -> None:
    """The price history of a unit being deleted (it never had an operation)."""
    [(campo, ident)] = clave_unidad(unidad).items()
    db.session.execute(
        HistorialPrecio.__table__.delete().where(getattr(HistorialPrecio, campo) == ident)
    )
