"""PDFs from the admin (estado de cuenta, recibo de caja), the receipts list and
the login log screen."""

import io
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from admin_app.extensions import db as _db
from admin_app.models import RegistroAcceso
from admin_app.models.base import utcnow
from admin_app.services.pagos import eliminar_pago, registrar_pago
from admin_app.services.ventas import DatosOperacion, crear_operacion
from tests import factories
from tests.conftest import login


def texto_pdf(contenido: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(contenido)).pages)


@pytest.fixture
def venta(db):
    apto = factories.apartamento(precio=D("250000000.00"))
    cliente = factories.cliente(nombre="Óscar Muñoz")
    venta = crear_operacion(
        DatosOperacion(
            tipo_operacion="venta",
            documento_cliente=cliente.documento,
            id_apartamento=apto.id,
            fecha=date(2026, 1, 31),
            valor_separacion=D("5000000.00"),
            id_forma_pago=2,
            cuota_inicial=D("75000000.00"),
            plazo_cuota_inicial_meses=12,
        )
    )
    registrar_pago(venta, fecha=date(2026, 1, 31), valor=D("5000000.00"), id_medio_pago=1)
    db.session.commit()
    return venta


def test_venta_details_link_to_the_statement_and_the_receipts(digitador_client, venta):
    html = digitador_client.get(f"/admin/ventas/details/?id={venta.id}").get_data(as_text=True)
    assert f"/admin/documentos/venta/{venta.id}/estado_cuenta.pdf" in html
    assert f"/admin/documentos/pago/{venta.pagos[0].id}/recibo.pdf" in html


def test_statement_pdf_of_an_operation_and_a_client(digitador_client, venta):
    respuesta = digitador_client.get(
        f"/admin/documentos/venta/{venta.id}/estado_cuenta.pdf?fecha=2026-03-15"
    )
    assert respuesta.status_code == 200 and respuesta.mimetype == "application/pdf"
    texto = texto_pdf(respuesta.data)
    assert "Al 15/03/2026" in texto and "Óscar Muñoz" in texto and "Vencida" in texto

    html = digitador_client.get(f"/admin/clientes/details/?id={venta.documento_cliente}").get_data(
        as_text=True
    )
    assert f"/admin/documentos/cliente/{venta.documento_cliente}/estado_cuenta.pdf" in html
    cliente = digitador_client.get(
        f"/admin/documentos/cliente/{venta.documento_cliente}/estado_cuenta.pdf"
    )
    assert "ESTADO DE CUENTA DEL CLIENTE" in texto_pdf(cliente.data)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/documentos/venta/999/estado_cuenta.pdf",
        "/admin/documentos/venta/abc/estado_cuenta.pdf",
        "/admin/documentos/cliente/NOEXISTE/estado_cuenta.pdf",
        "/admin/documentos/recibo/99999999999999999999.pdf",
        "/admin/documentos/pago/7/recibo.pdf",
    ],
)
def test_unknown_documents_are_not_found(digitador_client, db, url):
    assert digitador_client.get(url).status_code == 404


def test_receipt_reprints_annulled_after_the_payment_is_deleted(admin_client, venta, db):
    pago = venta.pagos[0]
    texto = texto_pdf(admin_client.get(f"/admin/documentos/pago/{pago.id}/recibo.pdf").data)
    assert "RECIBO DE CAJA N.° 000001" in texto and "ANULADO" not in texto

    eliminar_pago(pago)
    db.session.commit()

    lista = admin_client.get("/admin/recibos/").get_data(as_text=True)
    assert "ANULADO" in lista and "/admin/documentos/recibo/1.pdf" in lista
    assert "ANULADO" in texto_pdf(admin_client.get("/admin/documentos/recibo/1.pdf").data)


def test_login_successes_and_failures_are_logged_with_ip_and_browser(client, admin_user):
    client.fetch_csrf_token()
    client.post(
        "/login",
        data={"username": "admin", "password": "mala"},
        headers={"User-Agent": "Navegador de prueba"},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    client.post("/login", data={"username": "nadie", "password": "x"})
    login(client, "admin")

    filas = _db.session.scalars(_db.select(RegistroAcceso).order_by(RegistroAcceso.id)).all()
    assert [(f.username, f.exito, f.motivo) for f in filas] == [
        ("admin", False, "credenciales"),
        ("nadie", False, "credenciales"),
        ("admin", True, "exito"),
    ]
    assert filas[0].ip == "10.1.2.3" and filas[0].user_agent == "Navegador de prueba"
    assert filas[0].id_usuario == admin_user.id and filas[1].id_usuario is None


def test_login_log_honours_the_proxy_setting(app, client, admin_user, monkeypatch):
    from werkzeug.middleware.proxy_fix import ProxyFix

    monkeypatch.setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_for=1))
    client.fetch_csrf_token()
    client.post(
        "/login",
        data={"username": "admin", "password": "mala"},
        headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    ultima = _db.session.scalar(
        _db.select(RegistroAcceso).order_by(RegistroAcceso.id.desc()).limit(1)
    )
    assert ultima.ip == "203.0.113.9"


def test_login_log_screen_is_for_admins_with_filters_and_export(admin_client, digitador_client):
    html = admin_client.get("/admin/registro_accesos/").get_data(as_text=True)
    assert "Registro de accesos" in html and "Correcto" in html
    assert digitador_client.get("/admin/registro_accesos/").status_code == 403

    csv = admin_client.get("/admin/registro_accesos/export/csv/").get_data(as_text=True)
    assert "Usuario" in csv and "admin" in csv and "Correcto" in csv


def test_mantenimiento_prunes_the_login_log_older_than_a_year(app, db):
    viejo = RegistroAcceso(
        fecha=utcnow() - timedelta(days=400), username="x", exito=False, motivo="credenciales"
    )
    reciente = RegistroAcceso(
        fecha=utcnow() - timedelta(days=300), username="y", exito=True, motivo="exito"
    )
    db.session.add_all([viejo, reciente])
    db.session.commit()

    resultado = app.test_cli_runner().invoke(args=["mantenimiento"])

    assert "1 registros de acceso" in resultado.output
    db.session.expire_all()
    assert [r.username for r in db.session.scalars(db.select(RegistroAcceso))] == ["y"]
