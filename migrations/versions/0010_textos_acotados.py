"""textos acotados: pagos.observaciones becomes String(500), like every other text

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 01:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    # Longer notes (the API took 5 MB) keep their first 500 characters.
    op.execute(
        "UPDATE pagos SET observaciones = substr(observaciones, 1, 500) "
        "WHERE length(observaciones) > 500"
    )
    # SQLite keeps any text whatever VARCHAR says (and rebuilding pagos trips the
    # RESTRICT keys of its aplicaciones): there the application enforces the length.
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            "pagos", "observaciones", existing_type=sa.Text(), type_=sa.String(500)
        )


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            "pagos", "observaciones", existing_type=sa.String(500), type_=sa.Text()
        )
