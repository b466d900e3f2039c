"""trabajos: background jobs (imports) with their state, progress, files and result"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade():
    op.create_table(
        "trabajos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tipo", sa.String(length=40), nullable=False),
        sa.Column("funcion", sa.String(length=120), nullable=True),
        sa.Column("estado", sa.String(length=20), nullable=False),
        sa.Column("fase", sa.String(length=40), nullable=True),
        sa.Column("hechos", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("intento", sa.Integer(), nullable=False),
        sa.Column("parametros", sa.JSON(), nullable=False),
        sa.Column("resultado", sa.JSON(), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("nombre_archivo", sa.String(length=200), nullable=True),
        sa.Column("entrada", sa.LargeBinary(), nullable=True),
        sa.Column("salida", sa.LargeBinary(), nullable=True),
        sa.Column("id_usuario", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("iniciado_en", sa.DateTime(timezone=True), nullable=True),
        sa.Column("latido_en", sa.DateTime(timezone=True), nullable=True),
        sa.Column("terminado_en", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "estado IN ('en_cola', 'en_curso', 'terminado', 'fallido')",
            name=op.f("ck_trabajos_estado_valido"),
        ),
        sa.ForeignKeyConstraint(
            ["id_usuario"],
            ["usuarios.id"],
            name=op.f("fk_trabajos_id_usuario_usuarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trabajos")),
    )
    with op.batch_alter_table("trabajos", schema=None) as batch_op:
        batch_op.create_index(
            "ix_trabajos_usuario_tipo", ["id_usuario", "tipo", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("trabajos", schema=None) as batch_op:
        batch_op.drop_index("ix_trabajos_usuario_tipo")
    op.drop_table("trabajos")
