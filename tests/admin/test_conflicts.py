"""Two people edit the same record: the second save is refused, nothing is lost."""

import re
import threading

import pytest
from flask import request
from sqlalchemy.orm.exc import StaleDataError

from admin_app.admin.clientes import ClienteView
from admin_app.extensions import db
from admin_app.models import Cliente, Proyecto, Rol
from admin_app.services import clientes as clientes_service
from tests import factories
from tests.conftest import CsrfClient, login, make_user

VERSION = re.compile(r'name="_version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="_version"')


def _version_in(html: str) -> str:
    match = VERSION.search(html)
    assert match, "the edit form carries no _version"
    return match.group(1) or match.group(2)


@pytest.fixture
def other_admin(app, db):
    make_user("admin2", Rol.ADMIN)
    app.test_client_class = CsrfClient
    other = app.test_client()
    assert login(other, "admin2").status_code == 302
    return other


def _proyecto_data(version: str, **changes) -> dict:
    data = {
        "nombre": "Reserva del Río",
        "ciudad": "Medellín",
        "porcentaje_cuota_inicial_min": "30.00",
        "valor_min_separacion": "5000000.00",
        "plazo_max_cuota_inicial_meses": "36",
        "plazo_max_separacion_dias": "30",
        "activo": "y",
        "_version": version,
    }
    data.update(changes)
    return data


@pytest.fixture
def proyecto(db):
    obj = factories.proyecto(nombre="Reserva del Río", ciudad="Medellín")
    db.session.commit()
    return obj


def _both_load(first, second, url):
    return _version_in(first.get(url).get_data(as_text=True)), _version_in(
        second.get(url).get_data(as_text=True)
    )


def test_the_edit_form_carries_the_version_the_user_saw(admin_client, proyecto):
    html = admin_client.get(f"/admin/proyectos/edit/?id={proyecto.id}").get_data(as_text=True)

    assert _version_in(html) == "1"


def test_the_second_save_is_refused_and_the_database_keeps_the_first(
    admin_client, other_admin, proyecto
):
    url = f"/admin/proyectos/edit/?id={proyecto.id}"
    v1, v2 = _both_load(admin_client, other_admin, url)
    assert admin_client.post(url, data=_proyecto_data(v1, ciudad="Envigado")).status_code == 302

    response = other_admin.post(url, data=_proyecto_data(v2, ciudad="Bello"))

    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Proyecto, proyecto.id).ciudad == "Envigado"


def test_the_refusal_lists_what_changed_in_between(admin_client, other_admin, proyecto):
    url = f"/admin/proyectos/edit/?id={proyecto.id}"
    v1, v2 = _both_load(admin_client, other_admin, url)
    admin_client.post(url, data=_proyecto_data(v1, ciudad="Envigado"))

    html = other_admin.post(url, data=_proyecto_data(v2, ciudad="Bello")).get_data(as_text=True)

    assert "Otra persona guardó este registro mientras usted lo editaba (admin," in html
    assert "Ciudad: «Medellín» → «Envigado»" in html


def test_the_refused_form_keeps_what_the_second_person_typed(admin_client, other_admin, proyecto):
    url = f"/admin/proyectos/edit/?id={proyecto.id}"
    v1, v2 = _both_load(admin_client, other_admin, url)
    admin_client.post(url, data=_proyecto_data(v1, ciudad="Envigado"))

    html = other_admin.post(url, data=_proyecto_data(v2, ciudad="Bello")).get_data(as_text=True)

    assert 'value="Bello"' in html
    assert _version_in(html) == "2"  # saving again is now a deliberate overwrite


def test_saving_the_refused_form_again_overwrites_on_purpose(admin_client, other_admin, proyecto):
    url = f"/admin/proyectos/edit/?id={proyecto.id}"
    v1, v2 = _both_load(admin_client, other_admin, url)
    admin_client.post(url, data=_proyecto_data(v1, ciudad="Envigado"))
    html = other_admin.post(url, data=_proyecto_data(v2, ciudad="Bello")).get_data(as_text=True)

    response = other_admin.post(url, data=_proyecto_data(_version_in(html), ciudad="Bello"))

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Proyecto, proyecto.id).ciudad == "Bello"


def test_a_cliente_edited_twice_at_once_refuses_the_second_save(admin_client, other_admin, db):
    cliente = factories.cliente(documento="1020304050", nombre="Ana Gómez")
    db.session.commit()
    url = f"/admin/clientes/edit/?id={cliente.documento}"
    v1, v2 = _both_load(admin_client, other_admin, url)
    base = {
        "documento": "1020304050",
        "nombre": "Ana Gómez",
        "id_tipo_cliente": "1",
        "id_tipo_documento": "1",
        "direccion": "",
        "correo": "",
    }
    admin_client.post(url, data={**base, "telefono": "3001112233", "_version": v1})

    response = other_admin.post(url, data={**base, "telefono": "3009998877", "_version": v2})

    html = response.get_data(as_text=True)
    assert "Teléfono: (vacío) → «3001112233»" in html
    assert 'value="3009998877"' in html
    db.session.expire_all()
    assert db.session.get(Cliente, "1020304050").telefono == "3001112233"


@pytest.mark.parametrize("intento", range(4))
def test_two_saves_of_a_cliente_at_the_same_instant_refuse_one_with_the_conflict_message(
    app, admin_client, other_admin, db, monkeypatch, intento
):
    """Both requests pass the form's version check before either commits."""
    cliente = factories.cliente(documento="1020304050", nombre="Ana Gómez")
    db.session.commit()
    url = f"/admin/clientes/edit/?id={cliente.documento}"
    v1, v2 = _both_load(admin_client, other_admin, url)
    barrier = threading.Barrier(2, timeout=30)
    actualizar = clientes_service.actualizar_cliente

    def actualizar_a_la_vez(model, datos):
        barrier.wait()
        return actualizar(model, datos)

    monkeypatch.setattr(clientes_service, "actualizar_cliente", actualizar_a_la_vez)
    base = {
        "documento": "1020304050",
        "nombre": "Ana Gómez",
        "id_tipo_cliente": "1",
        "id_tipo_documento": "1",
        "direccion": "",
        "correo": "",
    }
    respuestas = {}

    def guardar(nombre, client, telefono, version):
        respuestas[nombre] = client.post(
            url, data={**base, "telefono": telefono, "_version": version}
        )

    hilos = [
        threading.Thread(target=guardar, args=("a", admin_client, "3001112233", v1)),
        threading.Thread(target=guardar, args=("b", other_admin, "3009998877", v2)),
    ]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(60)

    codigos = sorted(r.status_code for r in respuestas.values())
    assert codigos == [200, 302], codigos
    perdedor = next(r for r in respuestas.values() if r.status_code == 200)
    assert "Otra persona" in perdedor.get_data(as_text=True)
    ganador = "3001112233" if respuestas["a"].status_code == 302 else "3009998877"
    db.session.expire_all()
    guardado = db.session.get(Cliente, "1020304050")
    assert (guardado.telefono, guardado.version) == (ganador, 2)


def test_a_stale_flush_before_the_save_is_the_conflict_message_not_a_500(
    admin_client, db, monkeypatch
):
    """Where Flask-Admin loads or checks the row (outside save()), an autoflush may
    meet a row someone else just changed: the user gets the conflict message."""
    cliente = factories.cliente(documento="1020304050", nombre="Ana Gómez")
    db.session.commit()
    url = f"/admin/clientes/edit/?id={cliente.documento}"
    html = admin_client.get(url).get_data(as_text=True)

    validate_form = ClienteView.validate_form

    def autoflush_stale(self, form):
        if request.method == "POST":
            raise StaleDataError("UPDATE statement on table 'clientes' expected to update 1 row")
        return validate_form(self, form)

    monkeypatch.setattr(ClienteView, "validate_form", autoflush_stale)
    response = admin_client.post(url, data={"nombre": "Otra", "_version": _version_in(html)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(url)
    assert "Otra persona modificó este registro" in admin_client.get(url).get_data(as_text=True)
