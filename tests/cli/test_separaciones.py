from datetime import date

from admin_app.models import Apartamento, Venta
from admin_app.services.ventas import crear_operacion
from tests import factories
from tests.services.conftest import datos_separacion


def _separacion(db, limite):
    venta = crear_operacion(
        datos_separacion(
            factories.cliente(), factories.apartamento(), fecha_limite_separacion=limite
        )
    )
    db.session.commit()
    return venta.id, venta.id_apartamento


def test_caducar_lapses_expired_separations_and_frees_apartments(app, db):
    vencida, apto_vencida = _separacion(db, date(2026, 11, 20))
    vigente, _ = _separacion(db, date(2026, 11, 30))
    result = app.test_cli_runner().invoke(args=["separaciones", "caducar", "--fecha", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "1 separaciones caducadas al 25/11/2026."
    db.session.expire_all()
    assert db.session.get(Venta, vencida).estado_operacion == "caducada"
    assert db.session.get(Venta, vigente).estado_operacion == "vigente"
    assert db.session.get(Apartamento, apto_vencida).estado.nombre == "Disponible"


def test_caducar_twice_changes_nothing_the_second_time(app, db):
    _separacion(db, date(2026, 11, 20))
    runner = app.test_cli_runner()
    runner.invoke(args=["separaciones", "caducar", "--fecha", "2026-11-25"])
    result = runner.invoke(args=["separaciones", "caducar", "--fecha", "2026-11-25"])
    assert result.output.splitlines()[0] == "0 separaciones caducadas al 25/11/2026."


def test_caducar_defaults_to_today_in_bogota(app, db, monkeypatch):
    import admin_app.cli.separaciones as comando

    monkeypatch.setattr(comando, "today_bogota", lambda: date(2027, 1, 1))
    _separacion(db, date(2026, 11, 30))
    result = app.test_cli_runner().invoke(args=["separaciones", "caducar"])
    assert result.output.splitlines()[0] == "1 separaciones caducadas al 01/01/2027."


def test_caducar_rejects_a_malformed_date(app, db):
    result = app.test_cli_runner().invoke(args=["separaciones", "caducar", "--fecha", "25/11/2026"])
    assert result.exit_code != 0
