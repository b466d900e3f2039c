"""What deleting a record would remove, or what blocks it, shown before the delete.

Generic: one COUNT per foreign key that references the record's table (every
one is indexed); the catalogs count a row's uses the same way. A reference
whose rows the ORM deletes along (cascade) is a consequence; any other one
blocks the delete, as the database would.
"""

from collections.abc import Iterator

from sqlalchemy import ForeignKey, Table, func, inspect, select
from sqlalchemy.orm import RelationshipDirection

from ..extensions import db
from ..services.clientes import motivo_no_eliminable

# Table -> (singular, plural), as a user says them.
NOMBRES = {
    "clientes": ("cliente", "clientes"),
    "apartamentos": ("apartamento", "apartamentos"),
    "ventas": ("venta o separación", "ventas o separaciones"),
    "cuotas": ("cuota del plan de pagos", "cuotas del plan de pagos"),
    "pagos": ("pago", "pagos"),
    "pagos_cuotas": ("aplicación de pago a cuotas", "aplicaciones de pago a cuotas"),
    "torres": ("torre", "torres"),
    "proyectos": ("proyecto", "proyectos"),
    "usuarios": ("usuario", "usuarios"),
    "sesiones": ("sesión abierta", "sesiones abiertas"),
    "api_tokens": ("token de API", "tokens de API"),
}


def cantidad(tabla: str, count: int) -> str:
    """ "12 clientes", "1 venta o separación": rows of a table as a user says them."""
    singular, plural = NOMBRES.get(tabla, (tabla, tabla))
    return f"{count} {singular if count == 1 else plural}"


def references(model) -> Iterator[tuple[Table, ForeignKey, int]]:
    """(table, foreign key, rows) for each foreign key with rows that reference
    `model`: one COUNT per foreign key into its table."""
    mapper = inspect(model).mapper
    table = mapper.local_table
    for other in db.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not table:
                continue
            value = getattr(model, mapper.get_property_by_column(fk.column).key)
            count = db.session.scalar(
                select(func.count()).select_from(other).where(fk.parent == value)
            )
            if count:
                yield other, fk, count


def delete_consequences(model) -> tuple[list[str], list[str]]:
    """(what blocks deleting model, what else the delete would remove)."""
    mapper = inspect(model).mapper
    if mapper.local_table.name == "clientes":
        # The clients' own rule, worded as the delete itself words it.
        motivo = motivo_no_eliminable(model)
        return ([motivo] if motivo else []), []
    cascaded = {
        rel.mapper.local_table.name
        for rel in mapper.relationships
        if rel.cascade.delete and rel.direction is RelationshipDirection.ONETOMANY
    }
    blockers: list[str] = []
    removed: list[str] = []
    for other, fk, count in references(model):
        if other.name in cascaded or (fk.ondelete or "").upper() == "CASCADE":
            removed.append(f"se eliminarán {cantidad(other.name, count)}")
        else:
            blockers.append(f"tiene {cantidad(other.name, count)}")
    return blockers, removed
