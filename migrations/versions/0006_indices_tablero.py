"""indices tablero: the dashboard's inventory, month sums and overdue list read small indexes"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"

PENDIENTE = sa.text("valor_pagado < valor")


def upgrade():
    with op.batch_alter_table("apartamentos", schema=None) as batch_op:
        batch_op.create_index(
            "ix_apartamentos_torre_estado", ["id_torre", "id_estado_inmueble"], unique=False
        )
    with op.batch_alter_table("cuotas", schema=None) as batch_op:
        # Replaces the plain due-date index: same leading column, and it covers
        # the month's sums of the dashboard.
        batch_op.drop_index("ix_cuotas_fecha_vencimiento")
        batch_op.create_index(
            "ix_cuotas_vencimiento",
            ["fecha_vencimiento", "id_venta", "valor", "valor_pagado"],
            unique=False,
        )
        batch_op.create_index(
            "ix_cuotas_pendientes",
            ["fecha_vencimiento", "id"],
            unique=False,
            sqlite_where=PENDIENTE,
            postgresql_where=PENDIENTE,
        )


def downgrade():
    with op.batch_alter_table("cuotas", schema=None) as batch_op:
        batch_op.drop_index("ix_cuotas_pendientes")
        batch_op.drop_index("ix_cuotas_vencimiento")
        batch_op.create_index("ix_cuotas_fecha_vencimiento", ["fecha_vencimiento"], unique=False)
    with op.batch_alter_table("apartamentos", schema=None) as batch_op:
        batch_op.drop_index("ix_apartamentos_torre_estado")
