"""Asesores: who sold each operation, who leads whom. Flush, never commit.

Every operation has an asesor, by default the user who records it; an admin,
gerente or director changes it with a motivo, which goes to the bitácora with
the change. A director leads the asesores whose `id_director` is his.
"""

from __future__ import annotations

from flask import g, has_app_context, has_request_context
from sqlalchemy import select

from .. import audit
from ..auth import permisos
from ..extensions import db
from ..models import EstadoOperacion, Rol, Usuario, Venta
from .errors import Conflict, Errores, Forbidden, ValidationFailed

MOTIVO_MAXIMO = 300
SIN_ASESOR = "Sin asesor"


def usuario_actual() -> Usuario | None:
    """The user acting now: the API token's owner, or the admin's logged-in user."""
    if not has_app_context():
        return None
    usuario = g.get("api_user")
    if usuario is not None:
        return usuario
    if has_request_context():
        from flask_login import current_user

        if current_user and getattr(current_user, "is_authenticated", False):
            return current_user._get_current_object()
    return None


def asesores_query():
    """Users who sell (asesores and directors), active ones first by name."""
    return select(Usuario).where(Usuario.rol.in_(Rol.VENDEN))


def equipo_de(id_director: int) -> list[int]:
    """The ids of the asesores `id_director` leads."""
    return list(db.session.scalars(select(Usuario.id).where(Usuario.id_director == id_director)))


def validar_asesor(errores: Errores, id_asesor: int | None, campo: str = "id_asesor"):
    """The user named as asesor, or None with the error added."""
    if id_asesor is None:
        return None
    usuario = db.session.get(Usuario, id_asesor)
    if usuario is None:
        errores.add(campo, f"No existe el usuario #{id_asesor}.")
    elif not usuario.activo:
        errores.add(campo, f"El usuario {usuario.username} está inactivo.")
    return usuario


def asesor_por_defecto() -> int | None:
    usuario = usuario_actual()
    return usuario.id if usuario is not None else None


def puede_cambiar_asesor(usuario: Usuario | None, venta: Venta | None = None) -> bool:
    """Admins and gerentes change any operation's asesor; a director, those of his
    team's operations or of his own (or the unassigned ones)."""
    if not permisos.puede(usuario, permisos.ASIGNAR_ASESOR):
        return False
    if usuario.rol != Rol.DIRECTOR_COMERCIAL or venta is None:
        return True
    return venta.id_asesor in (None, usuario.id, *equipo_de(usuario.id))


def cambiar_asesor(venta: Venta, id_asesor: int | None, motivo: str | None) -> Venta:
    """Give the operation another asesor; the motivo is required and audited.
    Its commissions follow (services/comisiones.py)."""
    from . import comisiones

    motivo = (motivo or "").strip()
    errores = Errores()
    if id_asesor is None:
        errores.add("id_asesor", "Seleccione el asesor.")
    nuevo = validar_asesor(errores, id_asesor)
    if nuevo is not None and nuevo.rol not in Rol.VENDEN:
        errores.add("id_asesor", f"{nuevo.username} no es asesor ni director comercial: no vende.")
    if not motivo:
        errores.add("motivo", "Indique el motivo del cambio de asesor.")
    elif len(motivo) > MOTIVO_MAXIMO:
        errores.add("motivo", f"No puede tener más de {MOTIVO_MAXIMO} caracteres.")
    errores.raise_if_any()
    actor = usuario_actual()
    if actor is not None and not puede_cambiar_asesor(actor, venta):
        raise Forbidden.on_field(
            "id_asesor",
            "Solo un administrador, un gerente o el director del equipo cambia el asesor.",
        )
    if venta.estado_operacion == EstadoOperacion.ANULADA:
        raise Conflict.on_field(
            "id_asesor", f"La operación #{venta.id} está anulada: su asesor ya no cambia."
        )
    if venta.id_asesor == id_asesor:
        return venta
    anterior = venta.id_asesor
    venta.id_asesor = id_asesor
    db.session.flush()
    audit.registrar(
        db.session,
        audit.ACTUALIZAR,
        Venta.__tablename__,
        {str(venta.id): {"id_asesor": [anterior, id_asesor], "motivo": [None, motivo]}},
    )
    comisiones.recalcular(venta)
    return venta


def reasignar_sin_asesor(ids: list[int], id_asesor: int, motivo: str) -> int:
    """The operations in `ids` that have no asesor go to `id_asesor` (the admin's
    bulk action on the "Sin asesor" bucket); returns how many."""
    ventas = db.session.scalars(
        select(Venta).where(Venta.id.in_(ids), Venta.id_asesor.is_(None)).order_by(Venta.id)
    ).all()
    for venta in ventas:
        cambiar_asesor(venta, id_asesor, motivo)
    return len(ventas)


def asignar_director(usuario: Usuario, id_director: int | None) -> Usuario:
    """Set who leads `usuario` (a director_comercial, active, not himself)."""
    errores = Errores()
    if id_director is not None:
        director = db.session.get(Usuario, id_director)
        if director is None:
            errores.add("id_director", f"No existe el usuario #{id_director}.")
        elif director.rol != Rol.DIRECTOR_COMERCIAL:
            errores.add(
                "id_director", f"{director.username} no es director comercial: no lidera equipo."
            )
        elif director.id == usuario.id:
            errores.add("id_director", "Un usuario no puede ser su propio director.")
        elif not director.activo:
            errores.add("id_director", f"El director {director.username} está inactivo.")
    errores.raise_if_any()
    usuario.id_director = id_director
    db.session.flush()
    return usuario


def director_por_nombre(username: str) -> Usuario:
    director = db.session.scalar(
        select(Usuario).where(db.func.lower(Usuario.username) == username.strip().lower())
    )
    if director is None:
        raise ValidationFailed.on_field("id_director", f"No existe el usuario {username}.")
    return director
