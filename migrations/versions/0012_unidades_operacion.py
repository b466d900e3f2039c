"""unidades de una operación: operacion_unidades, ventas.id_local/id_parqueadero, bloqueos"""

import warnings

import sqlalchemy as sa
from alembic import op

import admin_app.models.base

revision = "0012"
down_revision = "0011"

UNA_UNIDAD = (
    "(CASE WHEN id_apartamento IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN id_local IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN id_parqueadero IS NULL THEN 0 ELSE 1 END) = 1"
)
UNIDADES = ("apartamentos", "locales", "parqueaderos")


def _fk(tabla: str, columna: str, destino: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [columna],
        [f"{destino}.id"],
        name=op.f(f"fk_{tabla}_{columna}_{destino}"),
        onupdate="RESTRICT",
        ondelete="RESTRICT",
    )


def _sin_claves_foraneas(conn) -> None:
    """SQLite rebuilds ventas, and dropping the old table would trip the RESTRICT
    keys of cuotas and pagos: keys off outside a transaction, as in 0007 and 0010;
    the connection gets them back when it returns to the pool."""
    raw = conn.connection.dbapi_connection
    if raw.in_transaction:
        raw.commit()
    raw.execute("PRAGMA foreign_keys = OFF")
    sa.event.listen(
        conn.engine.pool,
        "checkin",
        lambda dbapi_connection, _record: dbapi_connection.execute("PRAGMA foreign_keys = ON"),
        once=True,
    )


def _rotas(conn) -> int:
    if conn.dialect.name != "sqlite":
        return 0
    return len(conn.execute(sa.text("PRAGMA foreign_key_check")).all())


def _reconstruir_ventas(conn, cambios) -> None:
    if conn.dialect.name == "sqlite":
        _sin_claves_foraneas(conn)
    rotas_antes = _rotas(conn)
    with warnings.catch_warnings(), op.batch_alter_table("ventas", schema=None) as batch_op:
        # Reflection meets the catalogs' lower(nombre) indexes it cannot read: untouched.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        cambios(batch_op)
    if _rotas(conn) != rotas_antes:
        raise RuntimeError("La migración dejó referencias rotas; se deshace.")


def upgrade():
    for tabla in UNIDADES:
        with op.batch_alter_table(tabla, schema=None) as batch_op:
            batch_op.add_column(sa.Column("bloqueo_motivo", sa.String(length=300), nullable=True))
            batch_op.add_column(sa.Column("bloqueado_por", sa.String(length=150), nullable=True))
            batch_op.add_column(
                sa.Column(
                    "bloqueado_en",
                    admin_app.models.base.UTCDateTime(timezone=True),
                    nullable=True,
                )
            )
            batch_op.add_column(sa.Column("bloqueado_hasta", sa.Date(), nullable=True))

    def ventas_con_unidad(batch_op) -> None:
        batch_op.add_column(sa.Column("id_local", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("id_parqueadero", sa.Integer(), nullable=True))
        batch_op.alter_column("id_apartamento", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_ventas_id_local"), ["id_local"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ventas_id_parqueadero"), ["id_parqueadero"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_ventas_id_local_locales"),
            "locales",
            ["id_local"],
            ["id"],
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_ventas_id_parqueadero_parqueaderos"),
            "parqueaderos",
            ["id_parqueadero"],
            ["id"],
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_ventas_una_unidad_principal"), sa.text(UNA_UNIDAD)
        )

    _reconstruir_ventas(op.get_bind(), ventas_con_unidad)

    op.create_table(
        "operacion_unidades",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_venta", sa.Integer(), nullable=False),
        sa.Column("id_apartamento", sa.Integer(), nullable=True),
        sa.Column("id_local", sa.Integer(), nullable=True),
        sa.Column("id_parqueadero", sa.Integer(), nullable=True),
        sa.Column("rol", sa.String(length=10), nullable=False),
        sa.Column("precio", admin_app.models.base.Dinero(precision=18, scale=2), nullable=False),
        sa.Column("vigente", sa.Boolean(), nullable=False),
        sa.CheckConstraint(UNA_UNIDAD, name=op.f("ck_operacion_unidades_una_unidad")),
        sa.CheckConstraint(
            "rol IN ('principal', 'adicional', 'incluido')",
            name=op.f("ck_operacion_unidades_rol_valido"),
        ),
        sa.CheckConstraint("precio >= 0", name=op.f("ck_operacion_unidades_precio_no_negativo")),
        sa.CheckConstraint(
            "rol <> 'incluido' OR precio = 0",
            name=op.f("ck_operacion_unidades_incluido_sin_precio"),
        ),
        _fk("operacion_unidades", "id_venta", "ventas"),
        _fk("operacion_unidades", "id_apartamento", "apartamentos"),
        _fk("operacion_unidades", "id_local", "locales"),
        _fk("operacion_unidades", "id_parqueadero", "parqueaderos"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operacion_unidades")),
    )
    with op.batch_alter_table("operacion_unidades", schema=None) as batch_op:
        for columna in ("id_venta", "id_apartamento", "id_local", "id_parqueadero"):
            batch_op.create_index(
                batch_op.f(f"ix_operacion_unidades_{columna}"), [columna], unique=False
            )
        for tipo, columna in (
            ("apartamento", "id_apartamento"),
            ("local", "id_local"),
            ("parqueadero", "id_parqueadero"),
        ):
            batch_op.create_index(
                f"uq_operacion_unidades_{tipo}_vigente",
                [columna],
                unique=True,
                sqlite_where=sa.text("vigente"),
                postgresql_where=sa.text("vigente"),
            )
    # Every existing operation sold one apartment, at its valor_total.
    op.execute(
        "INSERT INTO operacion_unidades (id_venta, id_apartamento, rol, precio, vigente) "
        "SELECT id, id_apartamento, 'principal', valor_total, "
        "CASE WHEN estado_operacion = 'vigente' THEN TRUE ELSE FALSE END "
        "FROM ventas ORDER BY id"
    )


def downgrade():
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT count(*) FROM ventas WHERE id_apartamento IS NULL")).scalar():
        raise RuntimeError(
            "Hay operaciones de locales o parqueaderos; la versión anterior no las admite."
        )
    with op.batch_alter_table("operacion_unidades", schema=None) as batch_op:
        for tipo in ("parqueadero", "local", "apartamento"):
            batch_op.drop_index(
                f"uq_operacion_unidades_{tipo}_vigente",
                sqlite_where=sa.text("vigente"),
                postgresql_where=sa.text("vigente"),
            )
        for columna in ("id_parqueadero", "id_local", "id_apartamento", "id_venta"):
            batch_op.drop_index(batch_op.f(f"ix_operacion_unidades_{columna}"))
    op.drop_table("operacion_unidades")

    def ventas_sin_unidad(batch_op) -> None:
        batch_op.drop_constraint(batch_op.f("ck_ventas_una_unidad_principal"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_ventas_id_parqueadero_parqueaderos"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_ventas_id_local_locales"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_ventas_id_parqueadero"))
        batch_op.drop_index(batch_op.f("ix_ventas_id_local"))
        batch_op.alter_column("id_apartamento", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("id_parqueadero")
        batch_op.drop_column("id_local")

    _reconstruir_ventas(conn, ventas_sin_unidad)
    for tabla in reversed(UNIDADES):
        # On SQLite each table is rebuilt (keys are off since _reconstruir_ventas).
        with warnings.catch_warnings(), op.batch_alter_table(tabla, schema=None) as batch_op:
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
            batch_op.drop_column("bloqueado_hasta")
            batch_op.drop_column("bloqueado_en")
            batch_op.drop_column("bloqueado_por")
            batch_op.drop_column("bloqueo_motivo")
