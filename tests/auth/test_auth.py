"""Login, roles, CSRF and redirects."""

import pytest

from admin_app.models import Sesion

from ..conftest import PASSWORD, login


def test_anonymous_is_sent_to_login_with_next(client):
    response = client.get("/admin/clientes/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/admin/clientes/")


def test_wrong_password_shows_message_and_opens_no_session(client, admin_user, db):
    response = login(client, "admin", "equivocada-123")
    assert response.status_code == 401
    assert "Usuario o contraseña incorrectos." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Sesion.id))) == 0
    assert client.get("/admin/").status_code == 302


def test_login_redirects_to_next_path(client, admin_user):
    response = login(client, "admin", next_path="/admin/clientes/")
    assert response.headers["Location"] == "/admin/clientes/"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_offsite_next_is_ignored(client, admin_user, target):
    response = login(client, "admin", next_path=target)
    assert response.headers["Location"] == "/admin/"


def test_post_without_csrf_token_is_refused(client, admin_user):
    response = client.post("/login", data={"username": "admin", "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_logout_ends_the_server_side_session(admin_client, db):
    assert admin_client.get("/admin/").status_code == 200
    admin_client.post("/logout")
    assert admin_client.get("/admin/").status_code == 302
    assert (
        db.session.scalar(db.select(db.func.count(Sesion.id)).where(Sesion.revoked_at.is_(None)))
        == 0
    )


def test_digitador_cannot_open_catalogs_or_users(digitador_client):
    assert digitador_client.get("/admin/usuarios/").status_code == 403
    assert digitador_client.get("/admin/tipos_cliente/").status_code == 403
    assert digitador_client.get("/admin/proyectos/new/").status_code == 403


def test_security_headers_on_every_response(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
