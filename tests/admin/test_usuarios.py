"""Admins manage users; nobody reads a hash; passwords follow the policy."""

from admin_app.models import Usuario


def _create(admin_client, **overrides):
    data = {
        "username": "carlos",
        "nombre_completo": "Carlos Díaz",
        "rol": "digitador",
        "activo": "y",
        "nueva_contrasena": "clave-muy-segura-42",
    }
    data.update(overrides)
    return admin_client.post("/admin/usuarios/new/", data=data)


def test_admin_creates_a_user_with_a_hashed_password(admin_client, db):
    assert _create(admin_client).status_code == 302
    usuario = db.session.scalars(db.select(Usuario).filter_by(username="carlos")).one()
    assert usuario.password_hash.startswith("scrypt:")


def test_short_and_common_passwords_are_refused_on_the_field(admin_client, db):
    for password, message in (
        ("corta", "al menos 10 caracteres"),
        ("contrasena123", "demasiado común"),
    ):
        response = _create(admin_client, nueva_contrasena=password)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Usuario).filter_by(username="carlos")).first() is None


def test_no_page_shows_a_password_hash(admin_client, admin_user):
    for url in (
        "/admin/usuarios/",
        f"/admin/usuarios/details/?id={admin_user.id}",
        f"/admin/usuarios/edit/?id={admin_user.id}",
    ):
        html = admin_client.get(url).get_data(as_text=True)
        assert "scrypt:" not in html
        assert "password_hash" not in html


def test_duplicate_username_is_a_field_message_not_sql(admin_client, db):
    response = _create(admin_client, username="admin")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ya existe" in html
    assert "IntegrityError" not in html and "INSERT" not in html


def test_digitador_cannot_manage_users(digitador_client):
    assert digitador_client.get("/admin/usuarios/new/").status_code == 403
    assert _create(digitador_client).status_code == 403
