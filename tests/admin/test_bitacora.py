"""The bitacora in the admin: a record's history and the admins' global log."""

import re

import pytest
from sqlalchemy import event

from admin_app.admin.bitacora import BitacoraView
from admin_app.extensions import db
from admin_app.models import Bitacora, MedioPago
from tests import factories


def _apartamento_con_historia():
    apartamento = factories.apartamento(numero="1201")
    db.session.commit()
    apartamento.piso = 12
    db.session.commit()
    return apartamento


def test_the_details_page_links_to_the_record_history(admin_client, db):
    proyecto = factories.proyecto(nombre="Reserva del Río")
    db.session.commit()

    html = admin_client.get(f"/admin/proyectos/details/?id={proyecto.id}").get_data(as_text=True)

    assert f"/admin/bitacora/registro/?tabla=proyectos&amp;registro={proyecto.id}" in html
    assert "Historial" in html


def test_the_history_lists_each_change_with_old_and_new_values(admin_client, db):
    apartamento = _apartamento_con_historia()

    response = admin_client.get(
        f"/admin/bitacora/registro/?tabla=apartamentos&registro={apartamento.id}"
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Creación" in html and "Modificación" in html
    assert "1 → 12" in html
    assert "2 cambios registrados" in html


def test_a_digitador_sees_the_history_of_a_table_they_may_see(digitador_client, db):
    apartamento = _apartamento_con_historia()

    response = digitador_client.get(
        f"/admin/bitacora/registro/?tabla=apartamentos&registro={apartamento.id}"
    )

    assert response.status_code == 200


def test_a_digitador_cannot_see_the_history_of_users(digitador_client, admin_user):
    response = digitador_client.get(
        f"/admin/bitacora/registro/?tabla=usuarios&registro={admin_user.id}"
    )

    assert response.status_code == 403


def test_an_unknown_table_has_no_history_page(admin_client):
    response = admin_client.get("/admin/bitacora/registro/?tabla=sesiones&registro=1")

    assert response.status_code == 404


def test_the_global_log_is_for_admins_only(digitador_client):
    assert digitador_client.get("/admin/bitacora/").status_code == 403


def test_the_global_log_lists_entries_for_admins(admin_client, db):
    factories.cliente(nombre="Ana Gómez")
    db.session.commit()

    html = admin_client.get("/admin/bitacora/").get_data(as_text=True)

    assert "Ana Gómez" in html and "Clientes" in html


def test_the_global_log_counts_once_a_minute_and_says_so(admin_client, db, monkeypatch):
    # The fastest-growing table: beyond 100,000 entries its total is shared,
    # not a COUNT(*) per page view.
    monkeypatch.setattr(BitacoraView, "exact_count_limit", 0)
    factories.cliente(nombre="Ana Gómez")
    db.session.commit()
    total = db.session.scalar(db.select(db.func.count()).select_from(Bitacora))
    admin_client.get("/admin/bitacora/")
    factories.cliente(nombre="Luis Pérez")
    db.session.commit()

    # A page of 20 (fewer rows than the shared count, which is never below them).
    html = admin_client.get("/admin/bitacora/?page_size=20").get_data(as_text=True)

    assert re.search(rf"Listado \({total}, contados hace \d+ s\)", html)
    assert "Luis Pérez" in html  # the rows themselves are current


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        # Flask-Admin numbers the filters in the order BitacoraView declares them.
        ("flt0_2=proyectos", "Reserva del Río", "Ana Gómez"),
        ("flt0_3=actualizar", "Ana María", "Reserva del Río"),
        ("flt0_1=otra-persona", "Otra Ciudad", "Ana Gómez"),
    ],
)
def test_the_global_log_filters(admin_client, db, query, shown, hidden):
    cliente = factories.cliente(nombre="Ana Gómez")
    factories.proyecto(nombre="Reserva del Río")
    db.session.commit()
    cliente.nombre = "Ana María"
    db.session.commit()
    db.session.add(
        Bitacora(
            actor="otra-persona",
            origen="api",
            accion="crear",
            tabla="proyectos",
            registro="99",
            cambios={"ciudad": [None, "Otra Ciudad"]},
        )
    )
    db.session.commit()

    html = admin_client.get(f"/admin/bitacora/?{query}").get_data(as_text=True)

    assert shown in html
    assert hidden not in html


def test_the_global_log_exports_csv(admin_client, db):
    factories.cliente(nombre="Ana Gómez")
    db.session.commit()

    response = admin_client.get("/admin/bitacora/export/csv/", buffered=True)

    assert response.status_code == 200
    assert "Ana Gómez" in response.get_data(as_text=True)


def test_the_export_words_each_change(admin_client, db):
    cliente = factories.cliente(nombre="Ana Gómez")
    db.session.commit()
    cliente.telefono = "3001234567"
    db.session.commit()
    db.session.delete(cliente)
    db.session.commit()
    exportada = admin_client.get("/admin/bitacora/export/csv/", buffered=True).get_data()
    texto = exportada.decode("utf-8-sig")
    assert "Creación" in texto and "Modificación" in texto and "Eliminación" in texto
    assert "telefono: (vacío) -> 3001234567" in texto


@pytest.mark.parametrize("path", ["/admin/bitacora/new/", "/admin/bitacora/edit/?id=1"])
def test_entries_cannot_be_created_or_edited_through_the_app(admin_client, db, path):
    medio = MedioPago(id=99, nombre="Criptomonedas")
    db.session.add(medio)
    db.session.commit()
    before = db.session.scalars(db.select(Bitacora)).all()

    admin_client.post(path, data={"actor": "falso", "accion": "crear"})

    after = db.session.scalars(db.select(Bitacora)).all()
    assert [(e.id, e.actor) for e in after] == [(e.id, e.actor) for e in before]


def test_entries_cannot_be_deleted_through_the_app(admin_client, db):
    factories.cliente()
    db.session.commit()
    entry = db.session.scalars(db.select(Bitacora)).first()

    admin_client.post("/admin/bitacora/delete/", data={"id": entry.id})

    assert db.session.get(Bitacora, entry.id) is not None


def test_catalog_names_in_the_global_log_are_read_once_per_page(admin_client, db):
    # Twenty payments' changes name a medio de pago each: the page reads the
    # catalog once, not once per change (54 queries for a page, before).
    for numero in range(20):
        db.session.add(
            Bitacora(
                actor="caja",
                origen="admin",
                accion="actualizar",
                tabla="pagos",
                registro=str(numero + 1),
                cambios={"id_medio_pago": [1, 2]},
            )
        )
    db.session.commit()
    consultas = []

    def contar(conn, cursor, statement, *args):
        if "medios_pago" in statement:
            consultas.append(statement)

    event.listen(db.engine, "before_cursor_execute", contar)
    try:
        html = admin_client.get("/admin/bitacora/").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", contar)
    assert html.count("Efectivo → Transferencia") == 20
    assert len(consultas) == 1
