"""indice nombre: the client list sorts by nombre without sorting a million rows"""

from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade():
    with op.batch_alter_table("clientes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clientes_nombre"), ["nombre"], unique=False)


def downgrade():
    with op.batch_alter_table("clientes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clientes_nombre"))
