"""Parqueaderos (parking spaces and storage rooms) of a torre: one at a time or a
numbered range in one transaction ("P-001 a P-120 en la torre 2"). One with
id_apartamento is *incluido* in that apartment and is sold with it. The estado
moves as every unit's (services/unidades.py). These flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import insert, select

from ..audit import CREAR, registrar
from ..extensions import db
from ..models import (
    Apartamento,
    EstadoInmueble,
    MotivoPrecio,
    Parqueadero,
    TipoParqueadero,
    Torre,
)
from ..models.base import utcnow
from .errors import Errores
from .historial_precios import registrar_precio, registrar_precios
from .locales import borrar_historial, flush_unidad, limpiar_numero, validar_numero
from .unidades import estados_inmueble, exigir_precio_libre, exigir_sin_operaciones

# A range creates at most this many parqueaderos at once.
RANGO_MAXIMO = 2000
RELLENO_MAXIMO = 6


@dataclass
class DatosParqueadero:
    id_torre: int | None
    numero: str | None
    id_tipo_parqueadero: int | None
    precio: Decimal | None
    id_apartamento: int | None = None  # incluido in this apartment


@dataclass
class DatosRango:
    id_torre: int | None
    desde: int | None
    hasta: int | None
    id_tipo_parqueadero: int | None
    precio: Decimal | None
    prefijo: str | None = ""
    relleno: int | None = 0  # zero-padding: 3 gives 001


def _validar_comunes(errores: Errores, id_torre, id_tipo, precio) -> Torre | None:
    torre = db.session.get(Torre, id_torre) if id_torre else None
    if torre is None:
        errores.add("id_torre", "Seleccione la torre." if not id_torre else "La torre no existe.")
    if not id_tipo:
        errores.add("id_tipo_parqueadero", "Seleccione el tipo de parqueadero.")
    elif db.session.get(TipoParqueadero, id_tipo) is None:
        errores.add("id_tipo_parqueadero", "El tipo de parqueadero seleccionado no existe.")
    if precio is None or precio <= 0:
        errores.add("precio", "El precio debe ser mayor que cero.")
    return torre


def _validar(datos: DatosParqueadero, parqueadero: Parqueadero | None) -> DatosParqueadero:
    datos.numero = limpiar_numero(datos.numero)
    errores = Errores()
    validar_numero(errores, datos.numero, Parqueadero.numero.type.length)
    torre = _validar_comunes(errores, datos.id_torre, datos.id_tipo_parqueadero, datos.precio)
    if datos.id_apartamento:
        apartamento = db.session.get(Apartamento, datos.id_apartamento)
        if apartamento is None:
            errores.add("id_apartamento", "El apartamento seleccionado no existe.")
        elif torre is not None and apartamento.torre.id_proyecto != torre.id_proyecto:
            errores.add(
                "id_apartamento",
                f"El apartamento {apartamento} es de otro proyecto; un parqueadero incluido "
                "es del proyecto de su apartamento.",
            )
    if torre is not None and datos.numero and not errores.get("numero"):
        stmt = select(Parqueadero.id).where(
            Parqueadero.id_torre == torre.id, Parqueadero.numero == datos.numero
        )
        if parqueadero is not None and parqueadero.id is not None:
            stmt = stmt.where(Parqueadero.id != parqueadero.id)
        with db.session.no_autoflush:
            if db.session.scalar(stmt.limit(1)) is not None:
                errores.add(
                    "numero",
                    f"Ya existe un parqueadero con el número {datos.numero} en la torre {torre}.",
                )
    errores.raise_if_any()
    return datos


def crear_parqueadero(datos: DatosParqueadero) -> Parqueadero:
    datos = _validar(datos, None)
    parqueadero = Parqueadero(
        id_torre=datos.id_torre,
        numero=datos.numero,
        id_tipo_parqueadero=datos.id_tipo_parqueadero,
        precio=datos.precio,
        id_apartamento=datos.id_apartamento or None,
        id_estado_inmueble=estados_inmueble()[EstadoInmueble.DISPONIBLE],
    )
    db.session.add(parqueadero)
    flush_unidad()
    registrar_precio(parqueadero, None, datos.precio, MotivoPrecio.MANUAL, "Creación")
    return parqueadero


def actualizar_parqueadero(parqueadero: Parqueadero, datos: DatosParqueadero) -> Parqueadero:
    datos = _validar(datos, parqueadero)
    antes = parqueadero.precio
    parqueadero.id_torre = datos.id_torre
    parqueadero.numero = datos.numero
    parqueadero.id_tipo_parqueadero = datos.id_tipo_parqueadero
    parqueadero.precio = datos.precio
    parqueadero.id_apartamento = datos.id_apartamento or None
    exigir_precio_libre(parqueadero)
    flush_unidad()
    registrar_precio(parqueadero, antes, datos.precio, MotivoPrecio.MANUAL, "Edición")
    return parqueadero


def eliminar_parqueadero(parqueadero: Parqueadero) -> None:
    """Refused when the parqueadero has operations; its price history goes with it."""
    exigir_sin_operaciones(parqueadero)
    borrar_historial(parqueadero)
    db.session.delete(parqueadero)
    db.session.flush()


def numeros_del_rango(prefijo: str, desde: int, hasta: int, relleno: int) -> list[str]:
    """("P-", 1, 3, 3) -> ["P-001", "P-002", "P-003"]."""
    return [f"{prefijo}{n:0{relleno}d}" for n in range(desde, hasta + 1)]


def crear_rango(datos: DatosRango) -> list[int]:
    """Create every parqueadero of the range, or none: a number already used in the
    torre refuses the whole range, naming the numbers. Returns the new ids."""
    prefijo = (datos.prefijo or "").strip()
    relleno = datos.relleno or 0
    errores = Errores()
    torre = _validar_comunes(errores, datos.id_torre, datos.id_tipo_parqueadero, datos.precio)
    if datos.desde is None or datos.desde < 0:
        errores.add("desde", "Indique el primer número del rango (0 o más).")
    if datos.hasta is None or datos.hasta < 0:
        errores.add("hasta", "Indique el último número del rango (0 o más).")
    if not 0 <= relleno <= RELLENO_MAXIMO:
        errores.add("relleno", f"El relleno con ceros va de 0 a {RELLENO_MAXIMO} cifras.")
    if not all(ch.isprintable() for ch in prefijo):
        errores.add("prefijo", "Tiene caracteres de control o invisibles; escríbalo de nuevo.")
    if not errores.get("desde") and not errores.get("hasta"):
        if datos.hasta < datos.desde:
            errores.add("hasta", "El último número no puede ser menor que el primero.")
        elif datos.hasta - datos.desde + 1 > RANGO_MAXIMO:
            errores.add("hasta", f"Un rango crea como máximo {RANGO_MAXIMO} parqueaderos.")
    errores.raise_if_any()
    numeros = numeros_del_rango(prefijo, datos.desde, datos.hasta, relleno)
    largo = Parqueadero.numero.type.length
    if max(len(n) for n in numeros) > largo:
        errores.add(
            "prefijo",
            f"Los números no pueden tener más de {largo} caracteres ({numeros[-1]}).",
        )
        errores.raise_if_any()
    usados = list(
        db.session.scalars(
            select(Parqueadero.numero)
            .where(Parqueadero.id_torre == torre.id, Parqueadero.numero.in_(numeros))
            .order_by(Parqueadero.numero)
        )
    )
    if usados:
        muestra = ", ".join(usados[:10]) + (" ..." if len(usados) > 10 else "")
        errores.add(
            "desde",
            f"La torre {torre} ya tiene {len(usados)} de esos números ({muestra}); "
            "no se creó ninguno. Elija otro rango.",
        )
        errores.raise_if_any()
    disponible = estados_inmueble()[EstadoInmueble.DISPONIBLE]
    filas = [
        {
            "id_torre": torre.id,
            "numero": numero,
            "id_tipo_parqueadero": datos.id_tipo_parqueadero,
            "precio": datos.precio,
            "id_estado_inmueble": disponible,
        }
        for numero in numeros
    ]
    # One INSERT for the range (the unit of work would go row by row).
    ahora = utcnow()
    for fila in filas:
        fila.update(created_at=ahora, updated_at=ahora, version=1)
    db.session.execute(insert(Parqueadero), filas)
    flush_unidad()
    ids = list(
        db.session.scalars(
            select(Parqueadero.id).where(
                Parqueadero.id_torre == torre.id, Parqueadero.numero.in_(numeros)
            )
        )
    )
    registrar_precios(
        [{"id_parqueadero": i, "precio_antes": None, "precio_despues": datos.precio} for i in ids],
        MotivoPrecio.MANUAL,
        f"Creación del rango {numeros[0]} a {numeros[-1]}",
    )
    registrar(
        db.session,
        CREAR,
        Parqueadero.__tablename__,
        {i: {"rango": [None, f"{numeros[0]} a {numeros[-1]}"]} for i in ids},
    )
    return ids
