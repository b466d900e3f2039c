"""List totals: exact at once below 100,000 rows; the shared, aged count only beyond."""

import pytest

from admin_app import conteos
from admin_app.models import ConteoCache
from tests import factories

NUEVO = {
    "documento": "1020304050",
    "nombre": "María Gómez",
    "id_tipo_cliente": 1,
    "id_tipo_documento": 1,
}


def _meta(api) -> dict:
    return api.get("/api/clientes").get_json()["meta"]


def test_list_create_one_list_again_total_is_one_more(api, db):
    for _ in range(3):
        factories.cliente()
    db.session.commit()
    antes = _meta(api)
    assert api.post("/api/clientes", json=NUEVO).status_code == 201
    despues = _meta(api)
    assert (antes["total"], antes["total_exacto"]) == (3, True)
    assert (despues["total"], despues["total_exacto"]) == (4, True)
    assert "total_contado_hace_s" not in despues


def test_first_clients_are_counted_at_once(api, db):
    assert _meta(api)["total"] == 0
    assert api.post("/api/clientes", json=NUEVO).status_code == 201
    assert _meta(api)["total"] == 1


def test_short_list_does_not_write_a_shared_count(api, db):
    factories.cliente()
    db.session.commit()
    _meta(api)
    db.session.expire_all()
    assert db.session.get(ConteoCache, "api:clientes:total") is None


def test_beyond_the_limit_the_shared_count_is_used_and_aged(api, db, monkeypatch):
    monkeypatch.setattr(conteos, "LIMITE_EXACTO", 2)
    for _ in range(3):
        factories.cliente()
    db.session.commit()
    assert _meta(api)["total"] == 3  # counted, then shared
    factories.cliente()
    db.session.commit()
    meta = api.get("/api/clientes?per_page=2").get_json()["meta"]
    assert (meta["total"], meta["total_exacto"]) == (3, False)
    assert meta["total_contado_hace_s"] >= 0


def test_an_aged_total_is_never_below_the_rows_shown(api, db, monkeypatch):
    monkeypatch.setattr(conteos, "LIMITE_EXACTO", 0)
    factories.cliente()
    db.session.commit()
    assert _meta(api)["total"] == 1  # counted, then shared
    factories.cliente()
    db.session.commit()
    meta = _meta(api)
    assert meta["total_exacto"] is False  # the shared count (1) is a minute old...
    assert meta["total"] == 2  # ...but the page holds two rows


@pytest.mark.parametrize("filtro", ["?q=zzz", "?id_tipo_cliente=1"])
def test_filtered_lists_stay_exact(api, db, filtro):
    factories.cliente()
    db.session.commit()
    assert api.get(f"/api/clientes{filtro}").get_json()["meta"]["total_exacto"] is True


def test_lists_are_counted_when_redis_does_not_answer(app, api, db, monkeypatch):
    monkeypatch.setattr(conteos, "LIMITE_EXACTO", 0)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.delitem(app.extensions, "redis_conteos", raising=False)
    factories.cliente()
    db.session.commit()
    response = api.get("/api/clientes")
    app.extensions.pop("redis_conteos", None)
    assert response.status_code == 200
    assert response.get_json()["meta"]["total"] == 1


def test_a_young_shared_count_well_above_the_limit_skips_the_capped_count(app, db, monkeypatch):
    # 20 rows shared a moment ago, limit 10: 20 >= 1.1 x 10, so nothing is counted.
    monkeypatch.setattr(conteos, "LIMITE_EXACTO", 10)
    llamadas = []
    with app.test_request_context():
        conteos.guardar_conteo("prueba:total", 20)
        conteo = conteos.contar_compartido(
            "prueba:total",
            lambda: llamadas.append("todo") or 20,
            contar_hasta=lambda cap: llamadas.append(cap) or 11,
        )
    assert llamadas == []
    assert conteo.valor == 20 and conteo.edad_s is not None


def test_a_shared_count_near_the_limit_is_checked_by_the_capped_count(app, db, monkeypatch):
    # 10 rows shared, limit 10: the list may now be below the limit, so it is counted.
    monkeypatch.setattr(conteos, "LIMITE_EXACTO", 10)
    with app.test_request_context():
        conteos.guardar_conteo("prueba:total", 10)
        conteo = conteos.contar_compartido("prueba:total", lambda: 9, contar_hasta=lambda cap: 9)
    assert (conteo.valor, conteo.edad_s) == (9, None)
