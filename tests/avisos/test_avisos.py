"""Email notices: queued in the transaction of their cause, sent after the commit to a
local SMTP server, retried when it is down, never sent twice; per recipient."""

from datetime import date, timedelta
from decimal import Decimal as D

from sqlalchemy import select, update

from admin_app.avisos.cola import encolar_recordatorios, encolar_resumen_cartera
from admin_app.avisos.envio import enviar_pendientes
from admin_app.extensions import db as _db
from admin_app.models import Aviso, IntentoAviso
from admin_app.models.base import utcnow
from admin_app.services.ventas import DatosOperacion, crear_operacion
from tests import factories
from tests.avisos.conftest import puerto_libre

CLIENTE = "maria.pena@correo.test"


def _operacion(tipo="venta", correo=CLIENTE, recordatorios=True, fecha=date(2026, 1, 31)):
    proyecto = factories.proyecto()
    apto = factories.apartamento(factories.torre(proyecto, nombre="Torre 1"), numero="504")
    cliente = factories.cliente(
        nombre="María Peña", correo=correo, recibir_recordatorios=recordatorios
    )
    datos = dict(
        tipo_operacion=tipo,
        documento_cliente=cliente.documento,
        id_apartamento=apto.id,
        fecha=fecha,
        valor_separacion=D("5000000.00"),
    )
    if tipo == "venta":
        datos |= dict(id_forma_pago=2, cuota_inicial=D("75000000.00"), plazo_cuota_inicial_meses=12)
    else:
        datos |= dict(fecha_limite_separacion=fecha + timedelta(days=20))
    return crear_operacion(DatosOperacion(**datos))


def _avisos():
    return _db.session.scalars(select(Aviso).order_by(Aviso.id)).all()


def test_an_operation_mails_the_client_after_the_commit(db, smtp):
    venta = _operacion()
    assert smtp.mensajes == []  # nothing before the commit
    db.session.commit()

    (mensaje,) = smtp.para(CLIENTE)
    assert mensaje["Subject"] == f"Su venta #{venta.id} quedó registrada"
    assert mensaje["From"] == "cartera@constructora.test"
    texto = mensaje.get_body(("plain",)).get_content()
    html = mensaje.get_body(("html",)).get_content()
    for parte in (texto, html):
        assert "María Peña" in parte and "$ 250.000.000" in parte and "Torre 1 - Apto 504" in parte
        assert "31/01/2026" in parte
    (aviso,) = _avisos()
    assert aviso.estado == "enviado" and aviso.intentos == 1 and aviso.enviado_en is not None


def test_a_rolled_back_operation_leaves_no_notice(db, smtp):
    _operacion()
    db.session.rollback()

    assert _avisos() == [] and smtp.mensajes == []


def test_a_client_without_email_gets_no_notice(db, smtp):
    _operacion(correo=None)
    db.session.commit()

    assert _avisos() == []


def test_the_mail_server_down_loses_nothing_and_the_notice_is_sent_once_later(app, db, smtp_caido):
    _operacion()
    db.session.commit()  # the sender runs and fails

    (aviso,) = _avisos()
    assert aviso.estado == "pendiente" and aviso.intentos == 1
    assert aviso.proximo_intento > utcnow() + timedelta(seconds=30)
    (intento,) = db.session.scalars(select(IntentoAviso)).all()
    assert not intento.exito and intento.error

    # Not yet due: a run now sends nothing.
    assert enviar_pendientes() == (0, 0)


def test_a_failed_notice_is_retried_when_due_and_never_sent_twice(app, db, smtp):
    app.config["MAIL_PORT"], puerto_vivo = puerto_libre(), app.config["MAIL_PORT"]
    _operacion()
    db.session.commit()
    (aviso,) = _avisos()
    assert aviso.estado == "pendiente" and aviso.intentos == 1

    app.config["MAIL_PORT"] = puerto_vivo
    db.session.execute(update(Aviso).values(proximo_intento=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert enviar_pendientes() == (1, 0)
    assert enviar_pendientes() == (0, 0)

    assert len(smtp.para(CLIENTE)) == 1
    db.session.expire_all()
    aviso = _avisos()[0]
    assert (aviso.estado, aviso.intentos, len(aviso.intentos_envio)) == ("enviado", 2, 2)


def test_a_notice_claimed_by_another_sender_is_not_sent(app, db, smtp):
    app.config["MAIL_SERVER"], servidor = None, app.config["MAIL_SERVER"]
    _operacion()
    db.session.commit()  # no server configured: it waits in the outbox
    app.config["MAIL_SERVER"] = servidor
    db.session.execute(update(Aviso).values(estado="enviando"))
    db.session.commit()

    assert enviar_pendientes() == (0, 0)
    assert smtp.mensajes == []


def test_reminders_of_cuotas_due_in_n_days_respect_the_opt_out(db, smtp):
    si = _operacion()
    _operacion(correo="otra@correo.test", recordatorios=False)
    db.session.commit()
    smtp.mensajes.clear()

    # Cuota 2 falls due on 28/02/2026; 5 days before:
    nuevos = encolar_recordatorios(date(2026, 2, 23), dias_cuota=5, dias_separacion=3)
    db.session.commit()
    otra_vez = encolar_recordatorios(date(2026, 2, 23), dias_cuota=5, dias_separacion=3)
    db.session.commit()

    assert (nuevos, otra_vez) == (1, 0)
    (mensaje,) = smtp.para(CLIENTE)
    assert mensaje["Subject"] == "Su cuota 2 vence el 28/02/2026"
    texto = mensaje.get_body(("plain",)).get_content()
    assert f"operación #{si.id}" in texto and "$ 5.833.333" in texto
    assert smtp.para("otra@correo.test") == []


def test_reminders_of_separations_about_to_lapse(db, smtp):
    separacion = _operacion(tipo="separacion", fecha=date(2026, 11, 1))
    db.session.commit()
    smtp.mensajes.clear()

    encolar_recordatorios(date(2026, 11, 18), dias_cuota=5, dias_separacion=3)
    db.session.commit()

    (mensaje,) = smtp.para(CLIENTE)
    assert mensaje["Subject"] == f"Su separación #{separacion.id} vence el 21/11/2026"
    assert "formalice la compra" in mensaje.get_body(("html",)).get_content()


def test_weekly_summary_goes_to_the_management_addresses_in_the_settings(
    app, db, smtp, monkeypatch
):
    gerencia = ["gerencia@constructora.test", "contador@constructora.test"]
    monkeypatch.setitem(app.config, "AVISOS_GERENCIA", gerencia)
    _operacion()
    db.session.commit()

    encolar_resumen_cartera(date(2026, 6, 15))
    db.session.commit()

    for correo in app.config["AVISOS_GERENCIA"]:
        (mensaje,) = smtp.para(correo)
        assert mensaje["Subject"] == "Resumen de cartera al 15/06/2026"
        assert "Más de 90 días" in mensaje.get_body(("html",)).get_content()


def test_outbox_screen_is_for_admins_and_resends(admin_client, digitador_client, db, smtp):
    _operacion()
    db.session.commit()
    assert digitador_client.get("/admin/avisos/").status_code == 403

    html = admin_client.get("/admin/avisos/").get_data(as_text=True)
    assert "Avisos por correo" in html and CLIENTE in html and "Enviado" in html

    aviso = _avisos()[0]
    respuesta = admin_client.post(
        "/admin/avisos/action/", data={"action": "reenviar", "rowid": str(aviso.id)}
    )
    assert respuesta.status_code == 302
    assert len(smtp.para(CLIENTE)) == 2  # resent on purpose by the admin
    db.session.expire_all()
    assert _avisos()[0].estado == "enviado"


def test_api_lists_the_outbox_for_admins_only(app, db):
    from tests.api.conftest import ApiClient, issue_token
    from tests.conftest import make_user

    _operacion()
    db.session.commit()
    admin = ApiClient(app.test_client(), issue_token(make_user("api-admin", "admin")))
    digitador = ApiClient(app.test_client(), issue_token(make_user("api-dig", "digitador")))

    data = admin.get("/api/avisos?estado=pendiente").get_json()
    assert data["meta"]["total"] == 1
    assert data["data"][0]["destinatario"] == CLIENTE
    assert digitador.get("/api/avisos").status_code == 403
    assert admin.get("/api/avisos?estado=otro").status_code == 422


def test_the_client_form_keeps_the_reminders_opt_out(admin_client, db):
    from admin_app.models import Cliente

    datos = {
        "documento": "1020304050",
        "nombre": "José Álvarez",
        "id_tipo_cliente": 1,
        "id_tipo_documento": 1,
        "correo": "jose@example.com",
    }
    nuevo = {**datos, "recibir_recordatorios": "0"}
    assert admin_client.post("/admin/clientes/new/", data=nuevo).status_code == 302
    assert db.session.get(Cliente, "1020304050").recibir_recordatorios is False

    html = admin_client.get("/admin/clientes/edit/?id=1020304050").get_data(as_text=True)
    assert "Recibir recordatorios por correo" in html
    respuesta = admin_client.post(
        "/admin/clientes/edit/?id=1020304050",
        data={**datos, "recibir_recordatorios": "1"},
    )
    assert respuesta.status_code == 302
    db.session.expire_all()
    assert db.session.get(Cliente, "1020304050").recibir_recordatorios is True
