"""Server-side sessions: idle and absolute limits, revocation, throttling."""

from datetime import timedelta

from admin_app.auth.tokens import hash_token
from admin_app.models import IntentoLogin, Sesion, Usuario
from admin_app.models.base import utcnow

from ..conftest import PASSWORD, login


def _only_session(db) -> Sesion:
    return db.session.scalars(db.select(Sesion)).one()


def test_session_ends_after_30_minutes_idle(admin_client, db):
    sesion = _only_session(db)
    sesion.last_seen_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    assert admin_client.get("/admin/").status_code == 302


def test_session_ends_after_12_hours_even_when_active(admin_client, db):
    sesion = _only_session(db)
    sesion.created_at = utcnow() - timedelta(hours=12, minutes=1)
    sesion.last_seen_at = utcnow()
    db.session.commit()
    assert admin_client.get("/admin/").status_code == 302


def test_each_login_gets_a_new_session_token(client, admin_user, db):
    login(client, "admin")
    client.post("/logout")
    login(client, "admin")
    tokens = db.session.scalars(db.select(Sesion.token_hash)).all()
    assert len(set(tokens)) == 2


def test_the_cookie_holds_a_token_whose_hash_only_is_stored(admin_client, db):
    with admin_client.session_transaction() as flask_session:
        token = flask_session["_user_id"]
    assert _only_session(db).token_hash == hash_token(token)
    assert token not in _only_session(db).token_hash


def test_deactivating_a_user_ends_their_sessions_at_once(admin_client, digitador_client, db):
    assert digitador_client.get("/admin/clientes/").status_code == 200
    digitador = db.session.scalars(db.select(Usuario).filter_by(username="digitador")).one()
    response = admin_client.post(
        f"/admin/usuarios/edit/?id={digitador.id}",
        data={
            "username": "digitador",
            "nombre_completo": "Digitador",
            "rol": "digitador",
            "nueva_contrasena": "",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Usuario, digitador.id).activo is False
    assert digitador_client.get("/admin/clientes/").status_code == 302


def test_password_reset_by_admin_ends_sessions_and_sets_the_new_password(
    admin_client, digitador_client, client, db
):
    digitador = db.session.scalars(db.select(Usuario).filter_by(username="digitador")).one()
    response = admin_client.post(
        f"/admin/usuarios/edit/?id={digitador.id}",
        data={
            "username": "digitador",
            "nombre_completo": "Digitador",
            "rol": "digitador",
            "activo": "y",
            "nueva_contrasena": "otra-clave-segura-77",
        },
    )
    assert response.status_code == 302
    assert digitador_client.get("/admin/clientes/").status_code == 302
    assert login(client, "digitador", "otra-clave-segura-77").status_code == 302


def test_repeated_failures_lock_the_username_without_revealing_it_exists(
    client, admin_user, db, app
):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert login(client, "admin", "incorrecta-000").status_code == 401
    locked = login(client, "admin", PASSWORD)
    assert locked.status_code == 429
    assert "Demasiados intentos fallidos" in locked.get_data(as_text=True)
    # A username that does not exist locks the same way, with the same words.
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "nadie", "incorrecta-000")
    assert login(client, "nadie", "incorrecta-000").status_code == 429
    assert db.session.get(IntentoLogin, "admin").bloqueado_hasta is not None


def test_lock_expires(client, admin_user, db, app):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, "admin", "incorrecta-000")
    intento = db.session.get(IntentoLogin, "admin")
    intento.bloqueado_hasta = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert login(client, "admin").status_code == 302


def test_inactive_user_cannot_log_in(client, admin_user, db):
    admin_user.activo = False
    db.session.commit()
    assert login(client, "admin").status_code == 401
