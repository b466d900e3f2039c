"""dinero exacto: money as integer centavos on SQLite (its NUMERIC is a float)

PostgreSQL keeps Numeric(18, 2), already exact: nothing to do there.

On SQLite every amount is rewritten as integer centavos, rounded half up (as
PostgreSQL rounds to its 2 places), and the columns become BIGINT. A float
written from `339949121.99` comes back to that exact centavo: below 10^11 pesos
ROUND(x * 100) in SQL finds the centavo of a double with 2 decimals; larger
amounts, more decimals or text are read in Python from their shortest decimal form. A value that is no amount at all (Inf,
or beyond what BIGINT holds, as the forms let through before) stops the migration
with its table, row and column: no amount is invented.
"""

import warnings
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"

MONEY_COLUMNS = {
    "proyectos": ("valor_min_separacion",),
    "apartamentos": ("precio",),
    "ventas": ("valor_total", "valor_separacion", "cuota_inicial"),
    "cuotas": ("valor", "capital", "interes", "saldo", "valor_pagado"),
    "pagos": ("valor",),
    "pagos_cuotas": ("valor",),
}
NULLABLE = {("ventas", "cuota_inicial")}
# What BIGINT holds. An amount stored as 1e16 by the old float column (typed as
# 9999999999999999.99) is kept as the page showed it; new writes stop at Numeric(18, 2).
MAXIMO_CENTAVOS = 2**63 - 1
# Below this many pesos a double with 2 decimals, times 100, is within 0.003 of
# its exact centavo, so ROUND() finds it in SQL; anything else (more decimals,
# larger, text) is converted in Python from its shortest decimal form.
LIMITE_SQL = 10**11


def _normal(columna: str) -> str:
    return (
        f"({columna} IS NULL OR (typeof({columna}) IN ('integer', 'real')"
        f" AND abs({columna}) < {LIMITE_SQL}"
        f" AND abs({columna} * 100 - ROUND({columna} * 100)) < 0.01))"
    )


def _centavos(valor) -> int:
    if isinstance(valor, float):
        valor = repr(valor)  # the shortest text that reads back as this float
    try:
        pesos = Decimal(str(valor).strip())
    except InvalidOperation:
        raise ValueError(valor) from None
    if not pesos.is_finite():
        raise ValueError(valor)
    centavos = int(pesos.scaleb(2).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if abs(centavos) > MAXIMO_CENTAVOS:
        raise ValueError(valor)
    return centavos


def _convertir_a_centavos(conn, tabla: str, columnas: tuple[str, ...]) -> None:
    lista = ", ".join(columnas)
    normales = " AND ".join(_normal(c) for c in columnas)
    raras = conn.execute(sa.text(f"SELECT id, {lista} FROM {tabla} WHERE NOT ({normales})")).all()
    cambios, errores = [], []
    for fila in raras:
        nuevos = {"id": fila[0]}
        for columna, valor in zip(columnas, fila[1:], strict=True):
            if valor is None:
                nuevos[columna] = None
                continue
            try:
                nuevos[columna] = _centavos(valor)
            except ValueError:
                errores.append(f"{tabla}.{columna} id={fila[0]}: {valor!r}")
        cambios.append(nuevos)
    if errores:
        raise RuntimeError(
            "Estos valores no son montos en pesos (infinitos, texto o fuera de rango); "
            "corríjalos antes de migrar: " + "; ".join(errores[:50])
        )
    excluir = ""
    if cambios:
        excluir = " WHERE id NOT IN (" + ", ".join(str(c["id"]) for c in cambios) + ")"
    asignaciones = ", ".join(f"{c} = CAST(ROUND({c} * 100) AS INTEGER)" for c in columnas)
    conn.execute(sa.text(f"UPDATE {tabla} SET {asignaciones}{excluir}"))
    if cambios:
        asignar = ", ".join(f"{c} = :{c}" for c in columnas)
        conn.execute(sa.text(f"UPDATE {tabla} SET {asignar} WHERE id = :id"), cambios)


def _convertir_a_pesos(conn, tabla: str, columnas: tuple[str, ...]) -> None:
    # Text, read back by Numeric as an exact Decimal (a float would round large amounts).
    asignaciones = ", ".join(
        f"{c} = CASE WHEN {c} IS NULL THEN NULL ELSE "
        f"printf('%d.%02d', {c} / 100, abs({c}) % 100) END"
        for c in columnas
    )
    conn.execute(sa.text(f"UPDATE {tabla} SET {asignaciones}"))


def _cambiar_tipo(tabla: str, columnas: tuple[str, ...], desde, hacia) -> None:
    with warnings.catch_warnings(), op.batch_alter_table(tabla, schema=None) as batch_op:
        # Reflecting the table reflects the catalogs it references, whose
        # lower(nombre) indexes SQLAlchemy cannot read (and need not: untouched).
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        for columna in columnas:
            batch_op.alter_column(
                columna,
                existing_type=desde,
                type_=hacia,
                existing_nullable=(tabla, columna) in NULLABLE,
            )


def _sin_claves_foraneas(conn) -> None:
    """SQLite rebuilds a table to change a column's type, and dropping the old
    one trips the ON DELETE RESTRICT of the rows that reference it (a RESTRICT
    is never deferred). Foreign keys can only be switched off outside a
    transaction, so the earlier migrations of this run are committed first;
    the connection gets them back when it returns to the pool."""
    raw = conn.connection.dbapi_connection
    if raw.in_transaction:
        raw.commit()
    raw.execute("PRAGMA foreign_keys = OFF")
    sa.event.listen(conn.engine.pool, "checkin", _claves_foraneas_de_nuevo, once=True)


def _claves_foraneas_de_nuevo(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA foreign_keys = ON")


def _migrar(conn, convertir, desde, hacia) -> None:
    _sin_claves_foraneas(conn)
    rotas_antes = len(conn.execute(sa.text("PRAGMA foreign_key_check")).all())
    for tabla, columnas in MONEY_COLUMNS.items():
        convertir(conn, tabla, columnas)
        _cambiar_tipo(tabla, columnas, desde, hacia)
    if len(conn.execute(sa.text("PRAGMA foreign_key_check")).all()) != rotas_antes:
        raise RuntimeError("La migración dejó referencias rotas; se deshace.")


def upgrade():
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _migrar(conn, _convertir_a_centavos, sa.Numeric(18, 2), sa.BigInteger())


def downgrade():
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        _migrar(conn, _convertir_a_pesos, sa.BigInteger(), sa.Numeric(18, 2))
