"""Reportes de cartera y recaudo, estados de cuenta: who may see them, and the figures."""

from ..auth import permisos
from ..extensions import db
from ..models import Usuario, Venta


def puede_ver_reportes(usuario: Usuario | None) -> bool:
    """The one rule the admin views and the API ask (auth/permisos.py: reportes:ver,
    admin, gerente, contador and director; a digitador or an asesor is refused)."""
    return permisos.puede(usuario, permisos.REPORTES)


def asesor_de(venta: Venta) -> Usuario | None:
    """The asesor of an operation (ventas.id_asesor, services/asesores.py)."""
    if venta.id_asesor is None:
        return None
    return db.session.get(Usuario, venta.id_asesor)
