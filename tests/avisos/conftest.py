"""A local SMTP server (aiosmtpd) on a free port; the app sends to it."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


class Buzon:
    def __init__(self) -> None:
        self.mensajes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        mensaje = message_from_bytes(envelope.content, policy=policy.default)
        self.mensajes.append((list(envelope.rcpt_tos), mensaje))
        return "250 Message accepted for delivery"

    def para(self, correo: str) -> list:
        return [m for destinos, m in self.mensajes if correo in destinos]


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    buzon = Buzon()
    controlador = Controller(buzon, hostname="127.0.0.1", port=puerto_libre())
    controlador.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controlador.port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_REMITENTE", "cartera@constructora.test")
    monkeypatch.setitem(app.config, "EMPRESA_NOMBRE", "Constructora Andina S.A.S.")
    yield buzon
    controlador.stop()


@pytest.fixture
def smtp_caido(app, monkeypatch):
    """A mail server that is down: nothing listens on its port."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", puerto_libre())
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT_S", 2)
