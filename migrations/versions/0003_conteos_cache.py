"""conteos_cache: list counts cached in the database, shared by all workers"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade():
    op.create_table(
        "conteos_cache",
        sa.Column("clave", sa.String(length=200), nullable=False),
        sa.Column("valor", sa.BigInteger(), nullable=False),
        sa.Column("calculado_en", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("clave", name=op.f("pk_conteos_cache")),
    )


def downgrade():
    op.drop_table("conteos_cache")
