"""locales, parqueaderos (with their catalog of types) and historial_precios"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

import admin_app.models.base

revision = "0011"
down_revision = "0010"

TIPOS_PARQUEADERO = ["Vehículo", "Moto", "Depósito sencillo", "Depósito doble"]


def upgrade():
    op.create_table(
        "tipos_parqueadero",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nombre", sa.String(length=80), nullable=False),
        sa.Column("created_at", admin_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", admin_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tipos_parqueadero")),
        sa.UniqueConstraint("nombre", name=op.f("uq_tipos_parqueadero_nombre")),
    )
    with op.batch_alter_table("tipos_parqueadero", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tipos_parqueadero_created_at"), ["created_at"], unique=False
        )
    op.create_index(
        "uq_tipos_parqueadero_nombre_lower",
        "tipos_parqueadero",
        [sa.text("lower(nombre)")],
        unique=True,
    )
    ahora = datetime.now(timezone.utc)
    tipos = sa.table(
        "tipos_parqueadero",
        sa.column("id", sa.Integer),
        sa.column("nombre", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("updated_at", sa.DateTime(timezone=True)),
        sa.column("version", sa.Integer),
    )
    op.bulk_insert(
        tipos,
        [
            {
                "id": posicion,
                "nombre": nombre,
                "created_at": ahora,
                "updated_at": ahora,
                "version": 1,
            }
            for posicion, nombre in enumerate(TIPOS_PARQUEADERO, start=1)
        ],
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('tipos_parqueadero', 'id'),"
            " (SELECT max(id) FROM tipos_parqueadero))"
        )

    op.create_table(
        "locales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_proyecto", sa.Integer(), nullable=False),
        sa.Column("id_torre", sa.Integer(), nullable=True),
        sa.Column("numero", sa.String(length=10), nullable=False),
        sa.Column("area_m2", sa.Numeric(precision=8, scale=2), nullable=False),
        sa.Column("valor_m2", admin_app.models.base.Dinero(precision=18, scale=2), nullable=False),
        sa.Column("precio", admin_app.models.base.Dinero(precision=18, scale=2), nullable=False),
        sa.Column("id_estado_inmueble", sa.Integer(), nullable=False),
        sa.Column("documento_cliente", sa.String(length=40), nullable=True),
        sa.Column("created_at", admin_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", admin_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("area_m2 > 0", name=op.f("ck_locales_area_positiva")),
        sa.CheckConstraint("precio > 0", name=op.f("ck_locales_precio_positivo")),
        sa.CheckConstraint("valor_m2 > 0", name=op.f("ck_locales_valor_m2_positivo")),
        sa.ForeignKeyConstraint(
            ["documento_cliente"],
            ["clientes.documento"],
            name=op.f("fk_locales_documento_cliente_clientes"),
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["id_estado_inmueble"],
            ["estados_inmueble.id"],
            name=op.f("fk_locales_id_estado_inmueble_estados_inmueble"),
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["id_proyecto"],
            ["proyectos.id"],
            name=op.f("fk_locales_id_proyecto_proyectos"),
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["id_torre"],
            ["torres.id"],
            name=op.f("fk_locales_id_torre_torres"),
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locales")),
    )
    with op.batch_alter_table("locales", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_locales_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_locales_documento_cliente"), ["documento_cliente"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_locales_id_estado_inmueble"), ["id_estado_inmueble"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_locales_id_proyecto"), ["id_proyecto"], unique=False)
        batch_op.create_index(batch_op.f("ix_locales_id_torre"), ["id_torre"], unique=False)
        batch_op.create_index(batch_op.f("ix_locales_numero"), ["numero"], unique=False)
        batch_op.create_index(batch_op.f("ix_locales_precio"), ["precio"], unique=False)
        batch_op.create_index(
            "ix_locales_proyecto_estado", ["id_proyecto", "id_estado_inmueble"], unique=False
        )
        batch_op.create_index(
            "uq_locales_proyecto_numero",
            ["id_proyecto", "numero"],
            unique=True,
            sqlite_where=sa.text("id_torre IS NULL"),
            postgresql_where=sa.text("id_torre IS NULL"),
        )
        batch_op.create_index(
            "uq_locales_torre_numero",
            ["id_torre", "numero"],
            unique=True,
            sqlite_where=sa.text("id_torre IS NOT NULL"),
            postgresql_where=sa.text("id_torre IS NOT NULL"),
        )

    op.create_table(
        "parqueaderos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_torre", sa.Integer(), nullable=False),
        sa.Column("numero", sa.String(length=10), nullable=False),
        sa.Column("id_tipo_parqueadero", sa.Integer(), nullable=False),
        sa.Column("precio", admin_app.models.base.Dinero(precision=18, scale=2), nullable=False),
        sa.Column("id_estado_inmueble", sa.Integer(), nullable=False),
        sa.Column("id_apartamento", sa.Integer(), nullable=True),
        sa.Column("documento_cliente", sa.String(length=40), nullable=True),
        sa.Column("created_at", admin_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", admin_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("precio >= 0", name=op.f("ck_parqueaderos_precio_no_negativo")),
        sa.ForeignKeyConstraint(
            ["documento_cliente"],
            ["clientes.documento"],
            name=op.f("fk_parqueaderos_documento_cliente_clientes"),
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["id_apartamento"],
            ["apartamentos.id"],
            name=op.f("fk_parqueaderos_id_apartamento_apartamentos"),
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["id_estado_inmueble"],
            ["estados_inmueble.id"],
            name=op.f("fk_parqueaderos_id_estado_inmueble_estados_inmueble"),
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["id_tipo_parqueadero"],
            ["tipos_parqueadero.id"],
            name=op.f("fk_parqueaderos_id_tipo_parqueadero_tipos_parqueadero"),
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["id_torre"],
            ["torres.id"],
            name=op.f("fk_parqueaderos_id_torre_torres"),
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parqueaderos")),
        sa.UniqueConstraint("id_torre", "numero", name=op.f("uq_parqueaderos_id_torre_numero")),
    )
    with op.batch_alter_table("parqueaderos", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_parqueaderos_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_parqueaderos_documento_cliente"), ["documento_cliente"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_parqueaderos_id_apartamento"), ["id_apartamento"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_parqueaderos_id_estado_inmueble"), ["id_estado_inmueble"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_parqueaderos_id_tipo_parqueadero"), ["id_tipo_parqueadero"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_parqueaderos_id_torre"), ["id_torre"], unique=False)
        batch_op.create_index(batch_op.f("ix_parqueaderos_numero"), ["numero"], unique=False)
        batch_op.create_index(batch_op.f("ix_parqueaderos_precio"), ["precio"], unique=False)
        batch_op.create_index(
            "ix_parqueaderos_torre_estado", ["id_torre", "id_estado_inmueble"], unique=False
        )

    op.create_table(
        "historial_precios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_apartamento", sa.Integer(), nullable=True),
        sa.Column("id_local", sa.Integer(), nullable=True),
        sa.Column("id_parqueadero", sa.Integer(), nullable=True),
        sa.Column(
            "precio_antes", admin_app.models.base.Dinero(precision=18, scale=2), nullable=True
        ),
        sa.Column(
            "precio_despues", admin_app.models.base.Dinero(precision=18, scale=2), nullable=False
        ),
        sa.Column("motivo", sa.String(length=12), nullable=False),
        sa.Column("detalle", sa.String(length=300), nullable=True),
        sa.Column("id_usuario", sa.Integer(), nullable=True),
        sa.Column("fecha", admin_app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "motivo IN ('politica', 'tipo', 'prima', 'manual')",
            name=op.f("ck_historial_precios_motivo_valido"),
        ),
        sa.CheckConstraint(
            "(CASE WHEN id_apartamento IS NULL THEN 0 ELSE 1 END + CASE WHEN id_local IS NULL THEN 0 ELSE 1 END + CASE WHEN id_parqueadero IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_historial_precios_una_unidad"),
        ),
        sa.CheckConstraint(
            "precio_despues >= 0", name=op.f("ck_historial_precios_precio_despues_no_negativo")
        ),
        sa.ForeignKeyConstraint(
            ["id_apartamento"],
            ["apartamentos.id"],
            name=op.f("fk_historial_precios_id_apartamento_apartamentos"),
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["id_local"],
            ["locales.id"],
            name=op.f("fk_historial_precios_id_local_locales"),
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["id_parqueadero"],
            ["parqueaderos.id"],
            name=op.f("fk_historial_precios_id_parqueadero_parqueaderos"),
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["id_usuario"],
            ["usuarios.id"],
            name=op.f("fk_historial_precios_id_usuario_usuarios"),
            onupdate="RESTRICT",
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_historial_precios")),
    )
    with op.batch_alter_table("historial_precios", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_historial_precios_fecha"), ["fecha"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_historial_precios_id_apartamento"), ["id_apartamento"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_historial_precios_id_local"), ["id_local"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_historial_precios_id_parqueadero"), ["id_parqueadero"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_historial_precios_id_usuario"), ["id_usuario"], unique=False
        )


def downgrade():
    with op.batch_alter_table("historial_precios", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_historial_precios_id_usuario"))
        batch_op.drop_index(batch_op.f("ix_historial_precios_id_parqueadero"))
        batch_op.drop_index(batch_op.f("ix_historial_precios_id_local"))
        batch_op.drop_index(batch_op.f("ix_historial_precios_id_apartamento"))
        batch_op.drop_index(batch_op.f("ix_historial_precios_fecha"))

    op.drop_table("historial_precios")
    with op.batch_alter_table("parqueaderos", schema=None) as batch_op:
        batch_op.drop_index("ix_parqueaderos_torre_estado")
        batch_op.drop_index(batch_op.f("ix_parqueaderos_precio"))
        batch_op.drop_index(batch_op.f("ix_parqueaderos_numero"))
        batch_op.drop_index(batch_op.f("ix_parqueaderos_id_torre"))
        batch_op.drop_index(batch_op.f("ix_parqueaderos_id_tipo_parqueadero"))
        batch_op.drop_index(batch_op.f("ix_parqueaderos_id_estado_inmueble"))
        batch_op.drop_index(batch_op.f("ix_parqueaderos_id_apartamento"))
        batch_op.drop_index(batch_op.f("ix_parqueaderos_documento_cliente"))
        batch_op.drop_index(batch_op.f("ix_parqueaderos_created_at"))

    op.drop_table("parqueaderos")
    with op.batch_alter_table("locales", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_locales_torre_numero",
            sqlite_where=sa.text("id_torre IS NOT NULL"),
            postgresql_where=sa.text("id_torre IS NOT NULL"),
        )
        batch_op.drop_index(
            "uq_locales_proyecto_numero",
            sqlite_where=sa.text("id_torre IS NULL"),
            postgresql_where=sa.text("id_torre IS NULL"),
        )
        batch_op.drop_index("ix_locales_proyecto_estado")
        batch_op.drop_index(batch_op.f("ix_locales_precio"))
        batch_op.drop_index(batch_op.f("ix_locales_numero"))
        batch_op.drop_index(batch_op.f("ix_locales_id_torre"))
        batch_op.drop_index(batch_op.f("ix_locales_id_proyecto"))
        batch_op.drop_index(batch_op.f("ix_locales_id_estado_inmueble"))
        batch_op.drop_index(batch_op.f("ix_locales_documento_cliente"))
        batch_op.drop_index(batch_op.f("ix_locales_created_at"))

    op.drop_table("locales")
    op.drop_index("uq_tipos_parqueadero_nombre_lower", table_name="tipos_parqueadero")
    with op.batch_alter_table("tipos_parqueadero", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipos_parqueadero_created_at"))

    op.drop_table("tipos_parqueadero")
