"""textos acotados: pagos.observaciones becomes String(500), like every other text"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def _cambiar_tipo(desde, hacia) -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        # SQLite rebuilds the table, and dropping the old one would trip the RESTRICT
        # keys of pagos_cuotas: keys off outside a transaction, as in 0007, then
        # checked again; the connection gets them back when it returns to the pool.
        raw = conn.connection.dbapi_connection
        if raw.in_transaction:
            raw.commit()
        raw.execute("PRAGMA foreign_keys = OFF")
        sa.event.listen(
            conn.engine.pool,
            "checkin",
            lambda dbapi_connection, _record: dbapi_connection.execute(
                "PRAGMA foreign_keys = ON"
            ),
            once=True,
        )
    rotas_antes = _rotas(conn)
    with warnings.catch_warnings(), op.batch_alter_table("pagos") as batch_op:
        # Reflection meets the catalogs' lower(nombre) indexes it cannot read: untouched.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        batch_op.alter_column("observaciones", existing_type=desde, type_=hacia)
    if _rotas(conn) != rotas_antes:
        raise RuntimeError("La migración dejó referencias rotas; se deshace.")


def _rotas(conn) -> int:
    if conn.dialect.name != "sqlite":
        return 0
    return len(conn.execute(sa.text("PRAGMA foreign_key_check")).all())


def upgrade():
    # Longer notes (the API took 5 MB) keep their first 500 characters.
    op.execute(
        "UPDATE pagos SET observaciones = substr(observaciones, 1, 500) "
        "WHERE length(observaciones) > 500"
    )
    _cambiar_tipo(sa.Text(), sa.String(500))


def downgrade():
    _cambiar_tipo(sa.String(500), sa.Text())
