"""historial_precios: every price change of a unit, whoever made it (docs/dominio.md,
"Precios"). The repricing and the manual edits of apartamentos, locales and
parqueaderos all write through here, in the transaction of the change."""

from __future__ import annotations

from decimal import Decimal

from flask import g, has_request_context
from sqlalchemy import insert

from ..extensions import db
from ..models import Apartamento, HistorialPrecio, Local, Parqueadero

_CLAVE = {Apartamento: "id_apartamento", Local: "id_local", Parqueadero: "id_parqueadero"}


def clave_unidad(unidad: Apartamento | Local | Parqueadero) -> dict[str, int]:
    """{"id_apartamento": 7} for an apartment: the one key historial_precios sets."""
    return {_CLAVE[type(unidad)]: unidad.id}


def usuario_actual_id() -> int | None:
    """The user acting in this request (admin session or API token); None for a command."""
    if not has_request_context():
        return None
    usuario = g.get("api_user") or g.get("_login_user")
    if usuario is None or not getattr(usuario, "is_authenticated", False):
        return None
    return usuario.id


def registrar_precio(
    unidad: Apartamento | Local | Parqueadero,
    antes: Decimal | None,
    despues: Decimal,
    motivo: str,
    detalle: str | None = None,
) -> None:
    """One row for one unit whose price moved; nothing when it did not move."""
    if antes is not None and antes == despues:
        return
    registrar_precios(
        [{**clave_unidad(unidad), "precio_antes": antes, "precio_despues": despues}],
        motivo,
        detalle,
    )


def registrar_precios(cambios: list[dict], motivo: str, detalle: str | None = None) -> None:
    """Many rows in one INSERT (a repricing moves thousands of units at once).

    Each change is {"id_apartamento" | "id_local" | "id_parqueadero": id,
    "precio_antes": ..., "precio_despues": ...}."""
    if not cambios:
        return
    id_usuario = usuario_actual_id()
    filas = [
        {
            "id_apartamento": None,
            "id_local": None,
            "id_parqueadero": None,
            **cambio,
            "motivo": motivo,
            "detalle": detalle[:300] if detalle else None,
            "id_usuario": id_usuario,
        }
        for cambio in cambios
    ]
    db.session.execute(insert(HistorialPrecio), filas)
