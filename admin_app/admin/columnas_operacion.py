"""The columns an operation brings to a plain-row export (export_sql): the sales
list and the payments list (each payment with its operation) share them."""

from sqlalchemy.orm import aliased

from ..models import Apartamento, Cliente, Proyecto, TipoOperacion, Torre
from .export import label_sql, sql_text


def columnas_operacion(venta) -> tuple[dict, list]:
    """For the plain-row exports (export_sql): the texts of an operation's tipo,
    client and apartment as SQL over `venta` (Venta or an alias), and the outer
    joins they need, on aliases of their own so they stay clear of the joins
    a list's filters add."""
    cliente, apartamento = aliased(Cliente), aliased(Apartamento)
    torre, proyecto = aliased(Torre), aliased(Proyecto)
    textos = {
        "tipo_operacion": sql_text(label_sql(venta.tipo_operacion, TipoOperacion.LABELS)),
        "documento_cliente": sql_text(venta.documento_cliente),
        "nombre_cliente": sql_text(cliente.nombre),
        "proyecto": sql_text(proyecto.nombre),
        "apartamento": sql_text(torre.nombre + " - " + apartamento.numero),
    }
    joins = [
        (cliente, cliente.documento == venta.documento_cliente),
        (apartamento, apartamento.id == venta.id_apartamento),
        (torre, torre.id == apartamento.id_torre),
        (proyecto, proyecto.id == torre.id_proyecto),
    ]
    return textos, joins
