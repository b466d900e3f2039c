"""flask backup create / restore: backup -> wipe -> restore gives the same data."""

from decimal import Decimal

import pytest

from admin_app.extensions import db
from admin_app.models import Cliente, Proyecto
from tests import factories


@pytest.fixture
def backup_dir(app, tmp_path):
    app.config["BACKUP_DIR"] = str(tmp_path)
    yield tmp_path
    app.config["BACKUP_DIR"] = None


def snapshot() -> dict:
    db.session.expire_all()
    return {
        "clientes": sorted((c.documento, c.nombre) for c in db.session.scalars(db.select(Cliente))),
        "proyectos": sorted(
            (p.nombre, p.valor_min_separacion) for p in db.session.scalars(db.select(Proyecto))
        ),
    }


def test_backup_wipe_restore_gives_the_same_data(app, db, backup_dir):
    factories.cliente(documento="1020304050", nombre="Ana Gómez")
    factories.proyecto(nombre="Reserva del Río", valor_min_separacion=Decimal("5000000.50"))
    db.session.commit()
    before = snapshot()
    runner = app.test_cli_runner()

    created = runner.invoke(args=["backup", "create"])
    assert created.exit_code == 0, created.output
    (backup,) = list(backup_dir.iterdir())
    db.session.execute(db.delete(Cliente))
    db.session.execute(db.delete(Proyecto))
    db.session.commit()
    assert snapshot() == {"clientes": [], "proyectos": []}
    db.session.remove()

    restored = runner.invoke(args=["backup", "restore", str(backup), "--yes"])

    assert restored.exit_code == 0, restored.output
    assert snapshot() == before


def test_restore_asks_for_confirmation_and_stops_on_no(app, db, backup_dir):
    factories.cliente(documento="1020304050")
    db.session.commit()
    runner = app.test_cli_runner()
    runner.invoke(args=["backup", "create"])
    (backup,) = list(backup_dir.iterdir())
    db.session.execute(db.delete(Cliente))
    db.session.commit()

    result = runner.invoke(args=["backup", "restore", str(backup)], input="n\n")

    assert "Esto reemplaza todos los datos actuales" in result.output
    assert result.exit_code != 0
    assert snapshot()["clientes"] == []


def test_restore_refuses_a_file_that_is_not_a_backup(app, db, tmp_path):
    bogus = tmp_path / "notas.txt"
    bogus.write_text("no soy un respaldo")

    result = app.test_cli_runner().invoke(args=["backup", "restore", str(bogus), "--yes"])

    assert result.exit_code != 0
    assert "no es un respaldo" in result.output
