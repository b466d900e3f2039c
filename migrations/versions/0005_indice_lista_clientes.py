"""indice lista clientes: deep pages of the client list walk a covering index"""

from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade():
    with op.batch_alter_table("clientes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_clientes_created_at_documento", ["created_at", "documento"], unique=False
        )


def downgrade():
    with op.batch_alter_table("clientes", schema=None) as batch_op:
        batch_op.drop_index("ix_clientes_created_at_documento")
