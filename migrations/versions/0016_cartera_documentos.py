"""cartera y documentos: recibos de caja numerados, registro de accesos, avisos (outbox) y opt-out de recordatorios"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"

MOMENTO = sa.DateTime(timezone=True)
# Money as the Dinero type stores it: integer centavos on SQLite, Numeric(18, 2) elsewhere.
DINERO = sa.Numeric(18, 2).with_variant(sa.BigInteger(), "sqlite")
RESTRICT = {"ondelete": "RESTRICT", "onupdate": "RESTRICT"}


def upgrade():
    op.create_table(
        "consecutivos",
        sa.Column("nombre", sa.String(length=40), nullable=False),
        sa.Column("ultimo", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("ultimo >= 0", name=op.f("ck_consecutivos_ultimo_no_negativo")),
        sa.PrimaryKeyConstraint("nombre", name=op.f("pk_consecutivos")),
    )
    op.create_table(
        "recibos_caja",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("numero", sa.BigInteger(), nullable=False),
        sa.Column("id_pago", sa.Integer(), nullable=True),
        sa.Column("id_venta", sa.Integer(), nullable=False),
        sa.Column("documento_cliente", sa.String(length=40), nullable=False),
        sa.Column("fecha", sa.Date(), nullable=False),
        sa.Column("valor", DINERO, nullable=False),
        sa.Column("medio_pago", sa.String(length=80), nullable=False),
        sa.Column("referencia", sa.String(length=60), nullable=True),
        sa.Column("anulado_en", MOMENTO, nullable=True),
        sa.Column("created_at", MOMENTO, nullable=False),
        sa.Column("updated_at", MOMENTO, nullable=False),
        sa.CheckConstraint(
            "id_pago IS NOT NULL OR anulado_en IS NOT NULL",
            name=op.f("ck_recibos_caja_con_pago_o_anulado"),
        ),
        sa.CheckConstraint("numero >= 1", name=op.f("ck_recibos_caja_numero_positivo")),
        sa.CheckConstraint("valor > 0", name=op.f("ck_recibos_caja_valor_positivo")),
        sa.ForeignKeyConstraint(
            ["documento_cliente"],
            ["clientes.documento"],
            name=op.f("fk_recibos_caja_documento_cliente_clientes"),
            **RESTRICT,
        ),
        sa.ForeignKeyConstraint(
            ["id_pago"], ["pagos.id"], name=op.f("fk_recibos_caja_id_pago_pagos"), **RESTRICT
        ),
        sa.ForeignKeyConstraint(
            ["id_venta"], ["ventas.id"], name=op.f("fk_recibos_caja_id_venta_ventas"), **RESTRICT
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recibos_caja")),
        sa.UniqueConstraint("numero", name=op.f("uq_recibos_caja_numero")),
    )
    with op.batch_alter_table("recibos_caja", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recibos_caja_created_at"), ["created_at"])
        batch_op.create_index(
            batch_op.f("ix_recibos_caja_documento_cliente"), ["documento_cliente"]
        )
        batch_op.create_index(batch_op.f("ix_recibos_caja_id_pago"), ["id_pago"])
        batch_op.create_index(batch_op.f("ix_recibos_caja_id_venta"), ["id_venta"])
        batch_op.create_index(
            "uq_recibos_caja_pago",
            ["id_pago"],
            unique=True,
            sqlite_where=sa.text("id_pago IS NOT NULL"),
            postgresql_where=sa.text("id_pago IS NOT NULL"),
        )

    # The payments already recorded get their receipts, numbered in the order they came.
    op.execute(
        "INSERT INTO recibos_caja (numero, id_pago, id_venta, documento_cliente, fecha, valor,"
        " medio_pago, referencia, created_at, updated_at)"
        " SELECT ROW_NUMBER() OVER (ORDER BY p.id), p.id, p.id_venta, v.documento_cliente,"
        " p.fecha, p.valor, m.nombre, p.referencia, p.created_at, p.created_at"
        " FROM pagos p JOIN ventas v ON v.id = p.id_venta"
        " JOIN medios_pago m ON m.id = p.id_medio_pago"
    )
    op.execute(
        "INSERT INTO consecutivos (nombre, ultimo) SELECT 'recibo_caja', COUNT(*) FROM recibos_caja"
    )

    op.create_table(
        "registro_accesos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fecha", MOMENTO, nullable=False),
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("id_usuario", sa.Integer(), nullable=True),
        sa.Column("exito", sa.Boolean(), nullable=False),
        sa.Column("motivo", sa.String(length=20), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["id_usuario"],
            ["usuarios.id"],
            name=op.f("fk_registro_accesos_id_usuario_usuarios"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registro_accesos")),
    )
    with op.batch_alter_table("registro_accesos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registro_accesos_fecha"), ["fecha"])
        batch_op.create_index(batch_op.f("ix_registro_accesos_id_usuario"), ["id_usuario"])
        batch_op.create_index("ix_registro_accesos_username_fecha", ["username", "fecha"])

    op.create_table(
        "avisos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tipo", sa.String(length=40), nullable=False),
        sa.Column("clave", sa.String(length=200), nullable=False),
        sa.Column("destinatario", sa.String(length=150), nullable=False),
        sa.Column("asunto", sa.String(length=200), nullable=False),
        sa.Column("texto", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("estado", sa.String(length=12), nullable=False),
        sa.Column("intentos", sa.Integer(), nullable=False),
        sa.Column("proximo_intento", MOMENTO, nullable=False),
        sa.Column("enviado_en", MOMENTO, nullable=True),
        sa.Column("ultimo_error", sa.String(length=500), nullable=True),
        sa.Column("id_venta", sa.Integer(), nullable=True),
        sa.Column("created_at", MOMENTO, nullable=False),
        sa.Column("updated_at", MOMENTO, nullable=False),
        sa.CheckConstraint(
            "estado IN ('pendiente', 'enviando', 'enviado', 'fallido')",
            name=op.f("ck_avisos_estado_valido"),
        ),
        sa.CheckConstraint("intentos >= 0", name=op.f("ck_avisos_intentos_no_negativos")),
        sa.ForeignKeyConstraint(
            ["id_venta"], ["ventas.id"], name=op.f("fk_avisos_id_venta_ventas"), **RESTRICT
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_avisos")),
        sa.UniqueConstraint("clave", name=op.f("uq_avisos_clave")),
    )
    with op.batch_alter_table("avisos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_avisos_created_at"), ["created_at"])
        batch_op.create_index("ix_avisos_estado_proximo", ["estado", "proximo_intento"])
        batch_op.create_index(batch_op.f("ix_avisos_id_venta"), ["id_venta"])
        batch_op.create_index(batch_op.f("ix_avisos_tipo"), ["tipo"])

    op.create_table(
        "avisos_intentos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_aviso", sa.Integer(), nullable=False),
        sa.Column("fecha", MOMENTO, nullable=False),
        sa.Column("exito", sa.Boolean(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["id_aviso"],
            ["avisos.id"],
            name=op.f("fk_avisos_intentos_id_aviso_avisos"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_avisos_intentos")),
    )
    with op.batch_alter_table("avisos_intentos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_avisos_intentos_id_aviso"), ["id_aviso"])

    # A new column with a constant default: ALTER TABLE ADD COLUMN on both databases.
    # Not batch mode: on SQLite it would copy clientes, and the copy loses the rowids
    # (and triggers) that the search index clientes_fts is keyed by.
    op.add_column(
        "clientes",
        sa.Column("recibir_recordatorios", sa.Boolean(), server_default=sa.true(), nullable=False),
    )


def downgrade():
    # In place on both (SQLite >= 3.35), for the same reason as the upgrade.
    op.execute("ALTER TABLE clientes DROP COLUMN recibir_recordatorios")
    op.drop_table("avisos_intentos")
    op.drop_table("avisos")
    op.drop_table("registro_accesos")
    op.drop_table("recibos_caja")
    op.drop_table("consecutivos")
