"""What each role may do, and CSRF on Flask-Admin's own state changes."""

from admin_app.models import Cliente, TipoCliente
from tests import factories


def test_digitador_delete_deletes_nothing(digitador_client, db):
    factories.cliente(documento="123456789")
    db.session.commit()
    response = digitador_client.post("/admin/clientes/delete/", data={"id": "123456789"})
    assert response.status_code in (302, 403)
    db.session.expire_all()
    assert db.session.get(Cliente, "123456789") is not None


def test_digitador_bulk_delete_deletes_nothing(digitador_client, db):
    factories.cliente(documento="123456789")
    db.session.commit()
    digitador_client.post(
        "/admin/clientes/action/", data={"action": "delete", "rowid": ["123456789"]}
    )
    db.session.expire_all()
    assert db.session.get(Cliente, "123456789") is not None


def test_digitador_sees_no_delete_button(digitador_client, db):
    factories.cliente(documento="123456789")
    db.session.commit()
    html = digitador_client.get("/admin/clientes/").get_data(as_text=True)
    assert "/admin/clientes/delete/" not in html


def test_admin_delete_without_csrf_token_is_refused(admin_client, db):
    factories.cliente(documento="123456789")
    db.session.commit()
    response = admin_client.post("/admin/clientes/delete/", data={"id": "123456789"}, csrf=False)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Cliente, "123456789") is not None


def test_bulk_action_without_csrf_token_is_refused(admin_client, db):
    factories.cliente(documento="123456789")
    db.session.commit()
    response = admin_client.post(
        "/admin/clientes/action/",
        data={"action": "delete", "rowid": ["123456789"]},
        csrf=False,
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Cliente, "123456789") is not None


def test_catalog_edit_without_csrf_token_is_refused(admin_client, db):
    response = admin_client.post(
        "/admin/tipos_cliente/edit/?id=1", data={"nombre": "Cambiado"}, csrf=False
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(TipoCliente, 1).nombre == "Persona Natural"
