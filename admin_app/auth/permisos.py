"""Who may do what: one table, role -> permissions, asked by the admin views
(`SecureMixin`), the API (`api/auth.py`) and the pages of other modules.

A permission is "area:accion" (`ventas:crear`). The areas are the business's
(clientes, ventas, comisiones...); the actions are ver, crear, editar, eliminar
and exportar, plus a few named ones (`ventas:asignar_asesor`,
`comisiones:todas`). DOMAIN.md, Part 2, "Asesores, comisiones, metas", says
what each role may do; tests/auth/test_permisos.py walks every view and every
endpoint for every role from this table.
"""

from __future__ import annotations

from ..models.usuarios import Rol

VER, CREAR, EDITAR, ELIMINAR, EXPORTAR = "ver", "crear", "editar", "eliminar", "exportar"
ACCIONES = (VER, CREAR, EDITAR, ELIMINAR, EXPORTAR)

AREAS = (
    "inicio",
    "clientes",
    "apartamentos",
    "ventas",
    "pagos",
    "importar",
    "catalogos",
    "usuarios",
    "bitacora",
    "asesores",
    "politicas_comision",
    "comisiones",
    "liquidaciones",
    "metas",
    "reportes",
    "cotizaciones",
    "planes_pago",
)
# Named permissions beyond the five actions.
ASIGNAR_ASESOR = "ventas:asignar_asesor"  # change a venta's asesor (with a motivo)
COMISIONES_TODAS = "comisiones:todas"  # every beneficiary's, not only one's own
COMISIONES_EQUIPO = "comisiones:equipo"  # one's own and one's team's
METAS_TODAS = "metas:todas"  # every goal's compliance, not only one's own and team's
REPORTES = "reportes:ver"  # the reports (issue 18's puede_ver_reportes)
TABLERO = "inicio:tablero"  # the dashboard as the home page
PLAN_ESPECIAL = "planes_pago:especial"  # sell on an especial plan (terms typed freely)


def _todo(area: str, *acciones: str) -> set[str]:
    return {f"{area}:{accion}" for accion in (acciones or ACCIONES)}


def _leer(*areas: str) -> set[str]:
    return {f"{area}:{accion}" for area in areas for accion in (VER, EXPORTAR)}


_TODAS = set().union(*(_todo(area) for area in AREAS))
_VENDE = (
    _todo("clientes", VER, CREAR, EDITAR, EXPORTAR)
    | _todo("ventas", VER, CREAR, EDITAR, EXPORTAR)
    | _todo("pagos", VER, CREAR, EXPORTAR)
    | _leer("apartamentos")
    | _todo("cotizaciones", VER, CREAR, EDITAR, EXPORTAR)
    | {"planes_pago:ver"}
    | {"inicio:ver", "asesores:ver", "comisiones:ver", "comisiones:exportar", "metas:ver"}
)
_ESPECIALES = {
    ASIGNAR_ASESOR,
    COMISIONES_TODAS,
    COMISIONES_EQUIPO,
    METAS_TODAS,
    REPORTES,
    TABLERO,
    PLAN_ESPECIAL,
}

PERMISOS: dict[str, frozenset[str]] = {
    Rol.ADMIN: frozenset(_TODAS | _ESPECIALES),
    # As before the roles: the daily work, no catalogs, users, audit log or deletes.
    Rol.DIGITADOR: frozenset(
        _todo("clientes", VER, CREAR, EDITAR, EXPORTAR)
        | _todo("apartamentos", VER, CREAR, EDITAR, EXPORTAR)
        | _todo("ventas", VER, CREAR, EDITAR, EXPORTAR)
        | _todo("pagos", VER, CREAR, EXPORTAR)
        | _todo("importar", VER, CREAR)
        | _todo("cotizaciones", VER, CREAR, EDITAR, EXPORTAR)
        | {"planes_pago:ver"}
        | {"inicio:ver", TABLERO}
    ),
    Rol.ASESOR: frozenset(_VENDE),
    Rol.DIRECTOR_COMERCIAL: frozenset(
        _VENDE
        | _todo("metas", VER, CREAR, EDITAR, EXPORTAR)
        | {ASIGNAR_ASESOR, COMISIONES_EQUIPO, REPORTES, PLAN_ESPECIAL}
    ),
    # Reads and exports everything, writes nothing.
    Rol.CONTADOR: frozenset(
        _leer(*(a for a in AREAS if a not in ("usuarios", "importar")))
        | {COMISIONES_TODAS, METAS_TODAS, REPORTES}
    ),
    # Everything an admin sees, the reports and metas; no users nor catalog changes.
    Rol.GERENTE: frozenset(
        _leer(*(a for a in AREAS if a not in ("usuarios", "importar")))
        | _todo("clientes", VER, CREAR, EDITAR, EXPORTAR)
        | _todo("ventas", VER, CREAR, EDITAR, EXPORTAR)
        | _todo("pagos", VER, CREAR, EXPORTAR)
        | _todo("politicas_comision", VER, CREAR, EDITAR, EXPORTAR)
        | _todo("liquidaciones", VER, CREAR, EDITAR, EXPORTAR)
        | _todo("metas", VER, CREAR, EDITAR, EXPORTAR)
        | _todo("cotizaciones", VER, CREAR, EDITAR, EXPORTAR)
        | {ASIGNAR_ASESOR, COMISIONES_TODAS, METAS_TODAS, REPORTES, TABLERO}
    ),
}

# The admin's views by endpoint -> their area; a view not listed needs only a login
# (autocomplete; a record's history, which asks its table's view; the asesor's home).
VISTAS = {
    "admin": "inicio",
    "clientes": "clientes",
    "apartamentos": "apartamentos",
    "ventas": "ventas",
    "pagos": "pagos",
    "importar": "importar",
    "proyectos": "catalogos",
    "torres": "catalogos",
    "tipos_cliente": "catalogos",
    "estados_inmueble": "catalogos",
    "formas_pago": "catalogos",
    "medios_pago": "catalogos",
    "tipos_documento": "catalogos",
    "usuarios": "usuarios",
    "bitacora": "bitacora",
    "politicas_comision": "politicas_comision",
    "comisiones": "comisiones",
    "liquidaciones": "liquidaciones",
    "metas": "metas",
    "cumplimiento": "metas",
    # Issues 15 and 16: the other units are inventory like apartamentos; prices
    # and parking types are catalogs; quotes are the sales room's.
    "locales": "apartamentos",
    "parqueaderos": "apartamentos",
    "tipos_parqueadero": "catalogos",
    "tipos_apartamento": "catalogos",
    "politicas_precio": "catalogos",
    "planes_pago": "planes_pago",
    "cotizaciones": "cotizaciones",
    # Issue 18: receipts follow the payments, estados de cuenta the operations;
    # the reports ask reportes:ver themselves (reportes.puede_ver_reportes).
    "recibos": "pagos",
    "documentos": "ventas",
    "reporte_cartera": "reportes",
    "reporte_recaudo": "reportes",
    "reporte_calendario": "reportes",
    # The outbox and the login log are the administrator's, like the users.
    "avisos": "usuarios",
    "registro_accesos": "usuarios",
}
# The API's modules -> their area; GET asks ver, POST crear, PUT/PATCH editar,
# DELETE eliminar, unless the endpoint names its own permission (`requiere`).
MODULOS_API = {
    "clientes": "clientes",
    "ventas": "ventas",
    "pagos": "pagos",
    "inventario": "apartamentos",
    # Reference data every form needs: any token reads it.
    "catalogos": None,
    "asesores": "asesores",
    "comisiones": "comisiones",
    "metas": "metas",
    "unidades": "apartamentos",
    "precios": "catalogos",
    "planes_pago": "planes_pago",
    "cotizaciones": "cotizaciones",
    "documentos": "ventas",
    "reportes": "reportes",
    "avisos": "usuarios",
}
ACCION_DE_METODO = {
    "GET": VER,
    "HEAD": VER,
    "POST": CREAR,
    "PUT": EDITAR,
    "PATCH": EDITAR,
    "DELETE": ELIMINAR,
}


def permisos_de(rol: str | None) -> frozenset[str]:
    return PERMISOS.get(rol or "", frozenset())


def puede(usuario, permiso: str) -> bool:
    """May `usuario` (a Usuario, or None/anonymous) do `permiso` ("area:accion")?"""
    if usuario is None or not getattr(usuario, "is_authenticated", False):
        return False
    if not getattr(usuario, "activo", True):
        return False
    return permiso in permisos_de(usuario.rol)


def solo_admin(permiso: str) -> bool:
    """No role but the admin has it (the API words its refusal so)."""
    return [rol for rol, suyos in PERMISOS.items() if permiso in suyos] == [Rol.ADMIN]


def puede_ver_reportes(usuario) -> bool:
    return puede(usuario, REPORTES)


def requiere(permiso: str):
    """Marks an API endpoint with the permission it needs (api/auth.py asks it)."""

    def decorator(view):
        view.permiso = permiso
        return view

    return decorator


def pagina_de_inicio(usuario) -> str:
    """The endpoint a user lands on after login: the asesor his operations and
    metas, the contador the commission reports, the others the dashboard."""
    rol = getattr(usuario, "rol", None)
    if rol in (Rol.ASESOR, Rol.DIRECTOR_COMERCIAL):
        return "asesor_inicio.index"
    if rol == Rol.CONTADOR:
        return "comisiones.reporte_view"
    return "admin.index"
