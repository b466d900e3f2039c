"""Sending the outbox: each notice claimed by one conditional UPDATE, sent, marked.

A notice is sent at most once: only the sender whose UPDATE moved it from
`pendiente` to `enviando` talks to the mail server. If the process dies between
the server's acceptance and the mark, the notice stays `enviando` and is not
sent again by itself (the admin screen shows it and can resend it). A failure
waits a growing time (REINTENTOS) and is tried again; after the last one it is
`fallido`. Every attempt is a row of avisos_intentos.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app
from sqlalchemy import select, update

from ..extensions import db
from ..models import Aviso, EstadoAviso, IntentoAviso
from ..models.base import utcnow

log = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, ... failure; after the last, the notice is fallido.
REINTENTOS = (1, 5, 15, 60, 240, 720)
LOTE = 200


def _mensaje(aviso: Aviso) -> EmailMessage:
    config = current_app.config
    mensaje = EmailMessage()
    mensaje["Subject"] = aviso.asunto
    mensaje["From"] = formataddr(
        (config.get("MAIL_NOMBRE_REMITENTE") or "", config["MAIL_REMITENTE"])
    )
    mensaje["To"] = aviso.destinatario
    mensaje["Message-ID"] = make_msgid(idstring=f"aviso-{aviso.id}")
    mensaje.set_content(aviso.texto)
    mensaje.add_alternative(aviso.html, subtype="html")
    return mensaje


def _smtp():
    config = current_app.config
    servidor, puerto = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25)
    espera = float(config.get("MAIL_TIMEOUT_S") or 10)
    if config.get("MAIL_USE_SSL"):
        conexion = smtplib.SMTP_SSL(
            servidor, puerto, timeout=espera, context=ssl.create_default_context()
        )
    else:
        conexion = smtplib.SMTP(servidor, puerto, timeout=espera)
        if config.get("MAIL_USE_TLS"):
            conexion.starttls(context=ssl.create_default_context())
    if config.get("MAIL_USERNAME"):
        conexion.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return conexion


def _reclamar(id_aviso: int) -> bool:
    """Move one notice from pendiente to enviando; True for the one sender that did."""
    resultado = db.session.execute(
        update(Aviso)
        .where(Aviso.id == id_aviso, Aviso.estado == EstadoAviso.PENDIENTE)
        .values(estado=EstadoAviso.ENVIANDO, intentos=Aviso.intentos + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return resultado.rowcount == 1


def _anotar(aviso: Aviso, error: str | None) -> None:
    ahora = utcnow()
    db.session.add(IntentoAviso(id_aviso=aviso.id, fecha=ahora, exito=error is None, error=error))
    if error is None:
        aviso.estado, aviso.enviado_en, aviso.ultimo_error = EstadoAviso.ENVIADO, ahora, None
    else:
        aviso.ultimo_error = error[:500]
        if aviso.intentos > len(REINTENTOS):
            aviso.estado = EstadoAviso.FALLIDO
        else:
            aviso.estado = EstadoAviso.PENDIENTE
            aviso.proximo_intento = ahora + timedelta(minutes=REINTENTOS[aviso.intentos - 1])
    db.session.commit()


def enviar_pendientes(limite: int | None = None) -> tuple[int, int]:
    """Send the notices whose time has come; (sent, failed) of this run."""
    if not current_app.config.get("MAIL_SERVER"):
        log.warning("MAIL_SERVER no está configurado: los avisos esperan en la bandeja.")
        return 0, 0
    ids = list(
        db.session.scalars(
            select(Aviso.id)
            .where(Aviso.estado == EstadoAviso.PENDIENTE, Aviso.proximo_intento <= utcnow())
            .order_by(Aviso.proximo_intento, Aviso.id)
            .limit(limite or LOTE)
        )
    )
    db.session.commit()
    enviados = fallidos = 0
    conexion = None
    try:
        for id_aviso in ids:
            if not _reclamar(id_aviso):
                continue  # another sender has it
            aviso = db.session.get(Aviso, id_aviso)
            try:
                if conexion is None:
                    conexion = _smtp()
                conexion.send_message(_mensaje(aviso))
            except (OSError, smtplib.SMTPException) as exc:
                _anotar(aviso, f"{type(exc).__name__}: {exc}")
                fallidos += 1
                if conexion is not None:
                    _cerrar(conexion)
                    conexion = None
                continue
            _anotar(aviso, None)
            enviados += 1
    finally:
        if conexion is not None:
            _cerrar(conexion)
    return enviados, fallidos


def _cerrar(conexion) -> None:
    try:
        conexion.quit()
    except (OSError, smtplib.SMTPException):
        conexion.close()


def enviar_pendientes_rq() -> tuple[int, int]:
    """The RQ entry point (`flask worker` runs it inside an app context)."""
    from flask import has_app_context

    if has_app_context():
        return enviar_pendientes()
    from .. import create_app

    with create_app().app_context():
        return enviar_pendientes()


def reenviar(aviso: Aviso) -> None:
    """An admin's resend: the notice goes back to the queue, now (not committed)."""
    aviso.estado = EstadoAviso.PENDIENTE
    aviso.proximo_intento = utcnow()
    aviso.intentos = 0
    db.session.info["avisos_encolados"] = True
