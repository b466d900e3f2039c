"""flask reindexar: names written by plain SQL become searchable."""

import pytest
from sqlalchemy import text

from admin_app.models import Cliente
from admin_app.search import filtrar_clientes
from tests import factories


def _found(db, q) -> list[str]:
    stmt = filtrar_clientes(db.select(Cliente.documento), q).order_by(Cliente.documento)
    return list(db.session.scalars(stmt))


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["reindexar", *args])


@pytest.fixture
def escritos_por_sql(db):
    factories.cliente("1020304050", nombre="José Pérez")
    db.session.commit()
    # A DBA's fixes: a new row without a search name, and a rename.
    db.session.execute(
        text(
            "INSERT INTO clientes (documento, nombre, nombre_busqueda, id_tipo_cliente,"
            " id_tipo_documento, version, created_at, updated_at) VALUES"
            " ('79000111', 'Ñusta Álvarez', '', 1, 1, 1,"
            " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
    )
    db.session.execute(
        text("UPDATE clientes SET nombre = 'José Ramírez' WHERE documento = '1020304050'")
    )
    db.session.commit()


def test_a_row_written_by_sql_is_found_after_reindexar(app, db, escritos_por_sql):
    assert _found(db, "alvarez") == [] and _found(db, "ramirez") == []
    result = _run(app)
    assert result.exit_code == 0, result.output
    assert "2 clientes reindexados." in result.output
    db.session.expire_all()
    assert _found(db, "nusta alvarez") == ["79000111"]
    assert _found(db, "ramirez") == ["1020304050"]
    assert _found(db, "perez") == []


def test_reindexar_leaves_version_and_history_alone(app, db, escritos_por_sql):
    _run(app)
    db.session.expire_all()
    assert db.session.get(Cliente, "1020304050").version == 1
    assert _run(app).output.startswith("0 clientes reindexados.")


def test_revisar_counts_without_writing_and_fails(app, db, escritos_por_sql):
    result = _run(app, "--revisar")
    assert result.exit_code == 1
    assert "2 clientes con el nombre de búsqueda desactualizado." in result.output
    assert _found(db, "alvarez") == []
    _run(app)
    assert _run(app, "--revisar").exit_code == 0


def test_fts_rebuild_is_offered_on_sqlite(app, db, escritos_por_sql):
    result = _run(app, "--fts")
    assert result.exit_code == 0
    rebuilt = "Índice de texto (FTS5) reconstruido." in result.output
    assert rebuilt == (db.engine.dialect.name == "sqlite")
    assert _found(db, "alvarez") == ["79000111"]
