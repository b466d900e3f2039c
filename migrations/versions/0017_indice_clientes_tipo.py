"""indice clientes tipo: the filter by tipo de cliente in the list's order, whatever the statistics"""

from alembic import op

revision = "0017"
down_revision = "0016"


def upgrade():
    with op.batch_alter_table("clientes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_clientes_tipo_created_at",
            ["id_tipo_cliente", "created_at", "documento"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("clientes", schema=None) as batch_op:
        batch_op.drop_index("ix_clientes_tipo_created_at")
