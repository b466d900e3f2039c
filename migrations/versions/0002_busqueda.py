"""busqueda: indexes that serve client search at a million rows

Name search matches whole words by prefix on the folded name
(clientes.nombre_busqueda): FTS5 on SQLite, full text (GIN) on PostgreSQL.
Documento prefix search uses a btree: the primary key on SQLite (binary
collation, range predicate) and a varchar_pattern_ops index on PostgreSQL,
where LIKE 'x%' cannot use the primary key under a non-C collation.
"""

from alembic import op

revision = "0002"
down_revision = "0001"

# Frozen here, as the migration must not change when the app's code does.
SQLITE_UPGRADE = [
    # External content: the index holds only tokens; rows stay in clientes.
    """CREATE VIRTUAL TABLE clientes_fts USING fts5(
        nombre_busqueda, content='clientes', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER clientes_fts_ai AFTER INSERT ON clientes BEGIN
        INSERT INTO clientes_fts(rowid, nombre_busqueda)
        VALUES (new.rowid, new.nombre_busqueda);
    END""",
    """CREATE TRIGGER clientes_fts_ad AFTER DELETE ON clientes BEGIN
        INSERT INTO clientes_fts(clientes_fts, rowid, nombre_busqueda)
        VALUES ('delete', old.rowid, old.nombre_busqueda);
    END""",
    """CREATE TRIGGER clientes_fts_au AFTER UPDATE OF nombre_busqueda ON clientes BEGIN
        INSERT INTO clientes_fts(clientes_fts, rowid, nombre_busqueda)
        VALUES ('delete', old.rowid, old.nombre_busqueda);
        INSERT INTO clientes_fts(rowid, nombre_busqueda)
        VALUES (new.rowid, new.nombre_busqueda);
    END""",
    "INSERT INTO clientes_fts(clientes_fts) VALUES ('rebuild')",
]

SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS clientes_fts_au",
    "DROP TRIGGER IF EXISTS clientes_fts_ad",
    "DROP TRIGGER IF EXISTS clientes_fts_ai",
    "DROP TABLE IF EXISTS clientes_fts",
]

POSTGRESQL_UPGRADE = [
    "CREATE INDEX ix_clientes_nombre_busqueda_fts ON clientes "
    "USING gin (to_tsvector('simple'::regconfig, nombre_busqueda))",
    "CREATE INDEX ix_clientes_documento_patron ON clientes (documento varchar_pattern_ops)",
]

POSTGRESQL_DOWNGRADE = [
    "DROP INDEX IF EXISTS ix_clientes_documento_patron",
    "DROP INDEX IF EXISTS ix_clientes_nombre_busqueda_fts",
]


def _run(statements: dict[str, list[str]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade():
    _run({"sqlite": SQLITE_UPGRADE, "postgresql": POSTGRESQL_UPGRADE})


def downgrade():
    _run({"sqlite": SQLITE_DOWNGRADE, "postgresql": POSTGRESQL_DOWNGRADE})
