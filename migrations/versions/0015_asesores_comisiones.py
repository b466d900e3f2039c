"""asesores y comisiones: roles, directors, each venta's asesor, comisiones, liquidaciones, metas"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"

ROLES = ("admin", "digitador", "asesor", "director_comercial", "contador", "gerente")
ROLES_ANTES = ("admin", "digitador")


def _roles(roles) -> str:
    return "rol IN (" + ", ".join(f"'{r}'" for r in roles) + ")"


def _sin_claves_foraneas(conn) -> None:
    """SQLite rebuilds usuarios and ventas to add a key column; dropping the old
    table would trip the keys that reference it (sesiones' CASCADE would even
    empty it): keys off outside a transaction, as in 0007 and 0010, then checked
    again; the connection gets them back when it returns to the pool."""
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


def _dinero(conn):
    # As 0007 left money: integer centavos on SQLite, Numeric(18, 2) on PostgreSQL.
    return sa.BigInteger() if conn.dialect.name == "sqlite" else sa.Numeric(18, 2)


def _momentos():
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def _fk(tabla: str, columna: str, destino: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [columna],
        [f"{destino}.id"],
        name=op.f(f"fk_{tabla}_{columna}_{destino}"),
        onupdate="RESTRICT",
        ondelete="RESTRICT",
    )


def _indices(tabla: str, *columnas: str) -> None:
    for columna in ("created_at", *columnas):
        op.create_index(op.f(f"ix_{tabla}_{columna}"), tabla, [columna], unique=False)


def _usuarios_y_ventas(conn) -> None:
    if conn.dialect.name == "sqlite":
        _sin_claves_foraneas(conn)
    rotas_antes = _rotas(conn)
    indices = _indices_sqlite(conn, ("usuarios", "ventas", "proyectos"))
    with warnings.catch_warnings():
        # Reflection meets the catalogs' lower(nombre) indexes it cannot read: untouched.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        with op.batch_alter_table("usuarios") as batch_op:
            batch_op.add_column(sa.Column("id_director", sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f("ix_usuarios_id_director"), ["id_director"])
            batch_op.create_foreign_key(
                batch_op.f("fk_usuarios_id_director_usuarios"),
                "usuarios",
                ["id_director"],
                ["id"],
                ondelete="SET NULL",
            )
            batch_op.drop_constraint(batch_op.f("ck_usuarios_rol_valido"), type_="check")
            batch_op.create_check_constraint(batch_op.f("ck_usuarios_rol_valido"), _roles(ROLES))
            batch_op.create_check_constraint(
                batch_op.f("ck_usuarios_director_no_propio"),
                "id_director IS NULL OR id_director <> id",
            )
        with op.batch_alter_table("proyectos") as batch_op:
            batch_op.add_column(
                sa.Column("porcentaje_causacion_comision", sa.Numeric(5, 2), nullable=True)
            )
            batch_op.create_check_constraint(
                batch_op.f("ck_proyectos_porcentaje_causacion_comision_rango"),
                "porcentaje_causacion_comision IS NULL OR (porcentaje_causacion_comision >= 0"
                " AND porcentaje_causacion_comision <= 100)",
            )
        with op.batch_alter_table("ventas") as batch_op:
            batch_op.add_column(sa.Column("id_asesor", sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f("ix_ventas_id_asesor"), ["id_asesor"])
            batch_op.create_foreign_key(
                batch_op.f("fk_ventas_id_asesor_usuarios"),
                "usuarios",
                ["id_asesor"],
                ["id"],
                onupdate="RESTRICT",
                ondelete="RESTRICT",
            )
    _reponer_indices(conn, indices)
    if _rotas(conn) != rotas_antes:
        raise RuntimeError("La migración dejó referencias rotas; se deshace.")


def _indices_sqlite(conn, tablas) -> dict[str, str]:
    """SQLite's indexes on `tablas` (name -> DDL): batch mode rebuilds a table from
    what it can reflect and loses an index on an expression (lower(username))."""
    if conn.dialect.name != "sqlite":
        return {}
    filas = conn.execute(
        sa.text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name IN (" + ", ".join(f"'{t}'" for t in tablas) + ")"
        )
    ).all()
    return dict(filas)


def _reponer_indices(conn, indices: dict[str, str]) -> None:
    if not indices:
        return
    existen = set(
        conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars()
    )
    for nombre, ddl in indices.items():
        if nombre not in existen:
            conn.execute(sa.text(ddl))


def _asignar_asesores(conn) -> None:
    """Each existing operation goes to who recorded it, as the bitácora says
    (an admin user by name, an API token by its prefix); the rest stay without
    asesor ("Sin asesor"), for an admin to reassign in bulk."""
    creacion = (
        "FROM bitacora b WHERE b.tabla = 'ventas' AND b.accion = 'crear'"
        " AND b.registro = CAST(ventas.id AS VARCHAR(20))"
    )
    conn.execute(
        sa.text(
            "UPDATE ventas SET id_asesor = (SELECT u.id FROM usuarios u WHERE u.username = "
            f"(SELECT b.actor {creacion} ORDER BY b.id LIMIT 1)) WHERE id_asesor IS NULL"
        )
    )
    conn.execute(
        sa.text(
            "UPDATE ventas SET id_asesor = (SELECT t.id_usuario FROM api_tokens t WHERE"
            " 'token:' || t.prefijo = "
            f"(SELECT b.actor {creacion} ORDER BY b.id LIMIT 1)) WHERE id_asesor IS NULL"
        )
    )


def upgrade():
    conn = op.get_bind()
    _usuarios_y_ventas(conn)
    _asignar_asesores(conn)
    dinero = _dinero(conn)

    op.create_table(
        "politicas_comision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_proyecto", sa.Integer(), nullable=False),
        sa.Column("id_usuario", sa.Integer(), nullable=False),
        sa.Column("tipo", sa.String(length=10), nullable=False),
        sa.Column("porcentaje", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("vigente_desde", sa.Date(), nullable=False),
        sa.Column("vigente_hasta", sa.Date(), nullable=True),
        *_momentos(),
        sa.CheckConstraint(
            "tipo IN ('propia', 'equipo')", name=op.f("ck_politicas_comision_tipo_valido")
        ),
        sa.CheckConstraint(
            "porcentaje >= 0 AND porcentaje <= 100",
            name=op.f("ck_politicas_comision_porcentaje_rango"),
        ),
        sa.CheckConstraint(
            "vigente_hasta IS NULL OR vigente_hasta >= vigente_desde",
            name=op.f("ck_politicas_comision_vigencia_ordenada"),
        ),
        _fk("politicas_comision", "id_proyecto", "proyectos"),
        _fk("politicas_comision", "id_usuario", "usuarios"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_politicas_comision")),
    )
    _indices("politicas_comision", "id_proyecto", "id_usuario")
    op.create_index(
        "ix_politicas_comision_clave",
        "politicas_comision",
        ["id_usuario", "id_proyecto", "tipo", "vigente_desde"],
    )

    op.create_table(
        "liquidaciones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("numero", sa.String(length=20), nullable=False),
        sa.Column("fecha", sa.Date(), nullable=False),
        sa.Column("estado", sa.String(length=10), nullable=False),
        sa.Column("total", dinero, nullable=False),
        sa.Column("fecha_pago", sa.Date(), nullable=True),
        sa.Column("referencia", sa.String(length=60), nullable=True),
        sa.Column("id_usuario", sa.Integer(), nullable=False),
        *_momentos(),
        sa.CheckConstraint(
            "estado = 'liquidada' OR (fecha_pago IS NOT NULL AND referencia IS NOT NULL)",
            name=op.f("ck_liquidaciones_pagada_con_fecha_y_referencia"),
        ),
        sa.CheckConstraint(
            "estado IN ('liquidada', 'pagada')", name=op.f("ck_liquidaciones_estado_valido")
        ),
        _fk("liquidaciones", "id_usuario", "usuarios"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_liquidaciones")),
        sa.UniqueConstraint("numero", name=op.f("uq_liquidaciones_numero")),
    )
    _indices("liquidaciones", "id_usuario")

    op.create_table(
        "comisiones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_venta", sa.Integer(), nullable=False),
        sa.Column("id_usuario", sa.Integer(), nullable=False),
        sa.Column("id_proyecto", sa.Integer(), nullable=False),
        sa.Column("id_politica", sa.Integer(), nullable=True),
        sa.Column("id_liquidacion", sa.Integer(), nullable=True),
        sa.Column("tipo", sa.String(length=10), nullable=False),
        sa.Column("es_ajuste", sa.Boolean(), nullable=False),
        sa.Column("estado", sa.String(length=10), nullable=False),
        sa.Column("fecha", sa.Date(), nullable=False),
        sa.Column("base", dinero, nullable=False),
        sa.Column("porcentaje", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("valor", dinero, nullable=False),
        *_momentos(),
        sa.CheckConstraint(
            "estado = 'causada' OR estado = 'anulada' OR id_liquidacion IS NOT NULL",
            name=op.f("ck_comisiones_liquidada_con_liquidacion"),
        ),
        sa.CheckConstraint(
            "estado IN ('causada', 'liquidada', 'pagada', 'anulada')",
            name=op.f("ck_comisiones_estado_valido"),
        ),
        sa.CheckConstraint("tipo IN ('propia', 'equipo')", name=op.f("ck_comisiones_tipo_valido")),
        sa.CheckConstraint(
            "porcentaje >= 0 AND porcentaje <= 100", name=op.f("ck_comisiones_porcentaje_rango")
        ),
        _fk("comisiones", "id_liquidacion", "liquidaciones"),
        _fk("comisiones", "id_politica", "politicas_comision"),
        _fk("comisiones", "id_proyecto", "proyectos"),
        _fk("comisiones", "id_usuario", "usuarios"),
        _fk("comisiones", "id_venta", "ventas"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comisiones")),
    )
    _indices("comisiones", "id_liquidacion", "id_politica", "id_proyecto", "id_usuario", "id_venta")
    # The report (a period, maybe one beneficiary) read from the index alone.
    op.create_index(
        "ix_comisiones_fecha",
        "comisiones",
        ["fecha", "id_usuario", "id_proyecto", "estado", "valor"],
    )
    op.create_index(
        "ix_comisiones_usuario_fecha",
        "comisiones",
        ["id_usuario", "fecha", "id_proyecto", "estado", "valor"],
    )
    op.create_index(
        "uq_comisiones_venta_beneficiario_tipo",
        "comisiones",
        ["id_venta", "id_usuario", "tipo"],
        unique=True,
        sqlite_where=sa.text("es_ajuste = 0"),
        postgresql_where=sa.text("es_ajuste = false"),
    )

    op.create_table(
        "metas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_proyecto", sa.Integer(), nullable=True),
        sa.Column("id_usuario", sa.Integer(), nullable=True),
        sa.Column("anio", sa.Integer(), nullable=False),
        sa.Column("mes", sa.Integer(), nullable=False),
        sa.Column("tipo", sa.String(length=10), nullable=False),
        sa.Column("meta", sa.Numeric(precision=18, scale=2), nullable=False),
        *_momentos(),
        sa.CheckConstraint(
            "tipo IN ('valor', 'unidades', 'recaudo')", name=op.f("ck_metas_tipo_valido")
        ),
        sa.CheckConstraint("anio >= 2000 AND anio <= 2200", name=op.f("ck_metas_anio_rango")),
        sa.CheckConstraint("mes >= 1 AND mes <= 12", name=op.f("ck_metas_mes_rango")),
        sa.CheckConstraint("meta > 0", name=op.f("ck_metas_meta_positiva")),
        _fk("metas", "id_proyecto", "proyectos"),
        _fk("metas", "id_usuario", "usuarios"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metas")),
    )
    _indices("metas", "id_proyecto", "id_usuario")
    op.create_index("ix_metas_periodo", "metas", ["anio", "mes"])
    op.create_index(
        "uq_metas_clave",
        "metas",
        [
            sa.text("coalesce(id_proyecto, 0)"),
            sa.text("coalesce(id_usuario, 0)"),
            "anio",
            "mes",
            "tipo",
        ],
        unique=True,
    )


def downgrade():
    conn = op.get_bind()
    for tabla in ("metas", "comisiones", "liquidaciones", "politicas_comision"):
        op.drop_table(tabla)
    # Users of the new roles cannot stay: they become digitadores (no deletes, no writes lost).
    op.execute("UPDATE usuarios SET rol = 'digitador' WHERE rol NOT IN ('admin', 'digitador')")
    if conn.dialect.name == "sqlite":
        _sin_claves_foraneas(conn)
    indices = _indices_sqlite(conn, ("usuarios", "ventas", "proyectos"))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        with op.batch_alter_table("proyectos") as batch_op:
            batch_op.drop_constraint(
                batch_op.f("ck_proyectos_porcentaje_causacion_comision_rango"), type_="check"
            )
            batch_op.drop_column("porcentaje_causacion_comision")
        with op.batch_alter_table("ventas") as batch_op:
            batch_op.drop_constraint(batch_op.f("fk_ventas_id_asesor_usuarios"), type_="foreignkey")
            batch_op.drop_index(batch_op.f("ix_ventas_id_asesor"))
            batch_op.drop_column("id_asesor")
        with op.batch_alter_table("usuarios") as batch_op:
            batch_op.drop_constraint(batch_op.f("ck_usuarios_director_no_propio"), type_="check")
            batch_op.drop_constraint(batch_op.f("ck_usuarios_rol_valido"), type_="check")
            batch_op.create_check_constraint(
                batch_op.f("ck_usuarios_rol_valido"), _roles(ROLES_ANTES)
            )
            batch_op.drop_constraint(
                batch_op.f("fk_usuarios_id_director_usuarios"), type_="foreignkey"
            )
            batch_op.drop_index(batch_op.f("ix_usuarios_id_director"))
            batch_op.drop_column("id_director")
    _reponer_indices(
        conn,
        {
            n: d
            for n, d in indices.items()
            if n not in ("ix_usuarios_id_director", "ix_ventas_id_asesor")
        },
    )
