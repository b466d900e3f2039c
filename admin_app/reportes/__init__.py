"""Reportes de cartera y recaudo, estados de cuenta: who may see them, and the figures."""

from ..models import Usuario, Venta

# Roles that read the reports; issue 17 adds contador and gerente to the users table.
ROLES_REPORTES = frozenset({"admin", "contador", "gerente"})


def puede_ver_reportes(usuario: Usuario | None) -> bool:
    """The one rule the admin views and the API ask: a digitador is refused."""
    return bool(usuario is not None and getattr(usuario, "rol", None) in ROLES_REPORTES)


def asesor_de(venta: Venta) -> Usuario | None:
    """The asesor of an operation: for now the user who created it (its first
    bitácora entry from the admin), or None. Issue 17 replaces this with ventas.id_asesor."""
    from sqlalchemy import select

    from ..extensions import db
    from ..models import Bitacora

    usuario = db.session.scalar(
        select(Bitacora.actor)
        .where(Bitacora.tabla == "ventas", Bitacora.registro == str(venta.id))
        .order_by(Bitacora.fecha, Bitacora.id)
        .limit(1)
    )
    if not usuario or ":" in usuario:  # token:<prefijo>, comando:<name>
        return None
    return db.session.scalar(select(Usuario).where(Usuario.username == usuario))
