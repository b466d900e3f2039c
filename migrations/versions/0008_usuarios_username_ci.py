"""usuarios username ci: a username is unique regardless of case, as login reads it"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade():
    # Fails if two users already differ only in case: rename one first.
    op.create_index(
        "uq_usuarios_username_lower", "usuarios", [sa.text("lower(username)")], unique=True
    )


def downgrade():
    op.drop_index("uq_usuarios_username_lower", table_name="usuarios")
