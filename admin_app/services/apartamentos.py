"""Apartamentos: how an apartment's estado moves (Disponible, Separado, Vendido,
Bloqueado). The rules are those of every unit (services/unidades.py); these names
stay for the apartments' callers. These flush, never commit."""

from ..models import Apartamento
from .unidades import _SIN_CAMBIO, estados_inmueble, mover_unidad
from .unidades import exigir_precio_libre as _exigir_precio_libre

__all__ = ["estados_inmueble", "exigir_precio_libre", "mover_apartamento"]


def mover_apartamento(
    apartamento: Apartamento, desde: str, hacia: str, documento_cliente=_SIN_CAMBIO
) -> bool:
    """Move the apartment from estado `desde` to `hacia`, only if it still is in
    `desde` (services.unidades.mover_unidad): True when it moved."""
    return mover_unidad(apartamento, desde, hacia, documento_cliente)


def exigir_precio_libre(apartamento: Apartamento) -> None:
    _exigir_precio_libre(apartamento)
