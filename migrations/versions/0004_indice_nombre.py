"""indice nombre: the client list sorts by nombre without sorting a million rows

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 11:00:00

"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("clientes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clientes_nombre"), ["nombre"], unique=False)


def downgrade():
    with op.batch_alter_table("clientes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clientes_nombre"))
