"""usuarios username ci: a username is unique regardless of case, as login reads it

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 00:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    # Fails if two users already differ only in case: rename one first.
    op.create_index(
        "uq_usuarios_username_lower", "usuarios", [sa.text("lower(username)")], unique=True
    )


def downgrade():
    op.drop_index("uq_usuarios_username_lower", table_name="usuarios")
