"""Writes without If-Match proceed: concurrent PATCHes of one client all apply,
the last one wins, and each is in the bitácora (README: "without If-Match the
change applies over the current version")."""

import threading

from admin_app.extensions import db as _db
from admin_app.models import Bitacora, Cliente, Rol
from admin_app.services import clientes as servicio
from tests import factories
from tests.api.conftest import ApiClient, issue_token
from tests.conftest import make_user

ESCRITORES = 6


def test_concurrent_patches_without_if_match_all_apply(app, db, monkeypatch):
    documento = factories.cliente().documento
    _db.session.commit()
    token = issue_token(make_user("api-concurrente", Rol.DIGITADOR))
    # Every writer reads version 1 and validates before any of them writes.
    barrera = threading.Barrier(ESCRITORES, timeout=30)
    primera_vez = threading.local()
    validar = servicio.validar_datos_cliente

    def validar_a_la_vez(datos, **kwargs):
        limpio = validar(datos, **kwargs)
        if not getattr(primera_vez, "hecho", False):
            primera_vez.hecho = True
            barrera.wait()
        return limpio

    monkeypatch.setattr(servicio, "validar_datos_cliente", validar_a_la_vez)
    respuestas = []

    def escribir(n: int) -> None:
        api = ApiClient(app.test_client(), token)
        response = api.patch(f"/api/clientes/{documento}", json={"direccion": f"Calle {n}"})
        respuestas.append(response.status_code)

    hilos = [threading.Thread(target=escribir, args=(n,)) for n in range(ESCRITORES)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(60)

    assert respuestas == [200] * ESCRITORES
    _db.session.expire_all()
    cliente = _db.session.get(Cliente, documento)
    assert cliente.version == 1 + ESCRITORES
    assert cliente.direccion in {f"Calle {n}" for n in range(ESCRITORES)}
    cambios = _db.session.scalars(
        _db.select(Bitacora).where(Bitacora.tabla == "clientes", Bitacora.accion == "actualizar")
    ).all()
    assert len(cambios) == ESCRITORES


def test_a_stale_if_match_is_still_a_412(api, db):
    cliente = factories.cliente()
    _db.session.commit()
    response = api.patch(
        f"/api/clientes/{cliente.documento}",
        json={"direccion": "Calle 1"},
        headers={"If-Match": '"7"'},
    )
    assert response.status_code == 412
