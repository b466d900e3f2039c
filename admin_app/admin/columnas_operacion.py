"""The columns an operation brings to a plain-row export (export_sql): the sales
list and the payments list (each payment with its operation) share them."""

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..models import (
    Apartamento,
    Cliente,
    Local,
    OperacionUnidad,
    Parqueadero,
    Proyecto,
    RolUnidad,
    TipoOperacion,
    Torre,
)
from .export import label_sql, sql_text


def columnas_operacion(venta) -> tuple[dict, list]:
    """For the plain-row exports (export_sql): the texts of an operation's tipo,
    client, main unit (apartamento, local or parqueadero) and parqueaderos
    adicionales as SQL over `venta` (Venta or an alias), and the outer joins they
    need, on aliases of their own so they stay clear of the joins a list's
    filters add."""
    cliente, apartamento = aliased(Cliente), aliased(Apartamento)
    local, parqueadero = aliased(Local), aliased(Parqueadero)
    torre, torre_local, torre_parqueadero = aliased(Torre), aliased(Torre), aliased(Torre)
    proyecto, proyecto_local, proyecto_parqueadero = (
        aliased(Proyecto),
        aliased(Proyecto),
        aliased(Proyecto),
    )
    # The parqueaderos adicionales, "Torre 1 P-001, Torre 1 P-002", in one subquery.
    torre_adicional, adicional = aliased(Torre), aliased(Parqueadero)
    adicionales = (
        select(func.aggregate_strings(torre_adicional.nombre + " " + adicional.numero, ", "))
        .select_from(OperacionUnidad)
        .join(adicional, adicional.id == OperacionUnidad.id_parqueadero)
        .join(torre_adicional, torre_adicional.id == adicional.id_torre)
        .where(OperacionUnidad.id_venta == venta.id, OperacionUnidad.rol == RolUnidad.ADICIONAL)
        .scalar_subquery()
    )
    textos = {
        "tipo_operacion": sql_text(label_sql(venta.tipo_operacion, TipoOperacion.LABELS)),
        "documento_cliente": sql_text(venta.documento_cliente),
        "nombre_cliente": sql_text(cliente.nombre),
        "proyecto": sql_text(
            func.coalesce(proyecto.nombre, proyecto_local.nombre, proyecto_parqueadero.nombre)
        ),
        "apartamento": sql_text(
            func.coalesce(
                torre.nombre + " - " + apartamento.numero,
                "Local " + local.numero,
                torre_parqueadero.nombre + " - " + parqueadero.numero,
            )
        ),
        "adicionales": sql_text(adicionales),
    }
    joins = [
        (cliente, cliente.documento == venta.documento_cliente),
        (apartamento, apartamento.id == venta.id_apartamento),
        (torre, torre.id == apartamento.id_torre),
        (proyecto, proyecto.id == torre.id_proyecto),
        (local, local.id == venta.id_local),
        (torre_local, torre_local.id == local.id_torre),
        (proyecto_local, proyecto_local.id == local.id_proyecto),
        (parqueadero, parqueadero.id == venta.id_parqueadero),
        (torre_parqueadero, torre_parqueadero.id == parqueadero.id_torre),
        (proyecto_parqueadero, proyecto_parqueadero.id == torre_parqueadero.id_proyecto),
    ]
    return textos, joins
