"""PDF documents from the admin: estado de cuenta of an operation or a client (as of a
date), and the recibo de caja of a payment; a list of every receipt issued."""

from datetime import date

from flask import Response, abort, flash, request
from flask_admin import BaseView, expose
from flask_admin.contrib.sqla.filters import FilterEqual, IntEqualFilter
from markupsafe import Markup, escape
from sqlalchemy import select
from werkzeug.utils import secure_filename

from ..database import clave_entera
from ..extensions import db
from ..formatting import format_cop, format_date, format_datetime, today_bogota
from ..limites import fecha_fuera_de_rango
from ..models import Cliente, Venta
from ..models.documentos import ReciboCaja
from ..pdf import MIMETYPE
from ..pdf.documentos import estado_cuenta_cliente_pdf, estado_cuenta_venta_pdf, recibo_pdf
from ..reportes.estado_cuenta import estado_cuenta_cliente, estado_cuenta_venta
from .base import SecureMixin, SecureModelView
from .export import StreamingExportMixin, numero, sql_text
from .formularios import filtros_de_fecha


def fecha_de_corte() -> date:
    valor = request.args.get("fecha", "").strip()
    if valor:
        try:
            dia = date.fromisoformat(valor)
        except ValueError:
            dia = None
        if dia is not None and not fecha_fuera_de_rango(dia):
            return dia
        flash(f"Se ignoró la fecha «{valor[:20]}»: no es una fecha válida.", "error")
    return today_bogota()


def pdf_response(contenido: bytes, nombre: str) -> Response:
    return Response(
        contenido,
        mimetype=MIMETYPE,
        headers={"Content-Disposition": f"inline; filename={secure_filename(nombre)}"},
    )


class DocumentosView(SecureMixin, BaseView):
    """Not in the menu: reached from a venta's, a client's or a payment's page."""

    def is_visible(self) -> bool:
        return False

    @expose("/")
    def index(self):
        abort(404)

    @expose("/venta/<id_venta>/estado_cuenta.pdf")
    def estado_cuenta_venta(self, id_venta: str):
        clave = clave_entera(id_venta)
        venta = db.session.get(Venta, clave) if clave else None
        if venta is None:
            abort(404)
        fecha = fecha_de_corte()
        contenido = estado_cuenta_venta_pdf(estado_cuenta_venta(venta, fecha))
        return pdf_response(contenido, f"estado_cuenta_{venta.id}_{fecha:%Y%m%d}.pdf")

    @expose("/cliente/<path:documento>/estado_cuenta.pdf")
    def estado_cuenta_cliente(self, documento: str):
        cliente = db.session.get(Cliente, documento[:40]) if "\x00" not in documento else None
        if cliente is None:
            abort(404)
        fecha = fecha_de_corte()
        contenido = estado_cuenta_cliente_pdf(estado_cuenta_cliente(cliente, fecha))
        return pdf_response(contenido, f"estado_cuenta_{cliente.documento}_{fecha:%Y%m%d}.pdf")

    @expose("/recibo/<numero_recibo>.pdf")
    def recibo(self, numero_recibo: str):
        clave = clave_entera(numero_recibo)
        recibo = (
            db.session.scalar(select(ReciboCaja).where(ReciboCaja.numero == clave))
            if clave
            else None
        )
        if recibo is None:
            abort(404)
        return pdf_response(recibo_pdf(recibo), f"recibo_caja_{recibo.numero:06d}.pdf")

    @expose("/pago/<id_pago>/recibo.pdf")
    def recibo_de_pago(self, id_pago: str):
        clave = clave_entera(id_pago)
        recibo = (
            db.session.scalar(select(ReciboCaja).where(ReciboCaja.id_pago == clave))
            if clave
            else None
        )
        if recibo is None:
            abort(404)
        return pdf_response(recibo_pdf(recibo), f"recibo_caja_{recibo.numero:06d}.pdf")


def _enlace_pdf(view, context, model, name):
    url = f"{view.admin.url}/documentos/recibo/{model.numero}.pdf"
    return Markup(f'<a href="{escape(url)}" target="_blank">{model.numero:06d}</a>')  # noqa: S704


class ReciboCajaView(StreamingExportMixin, SecureModelView):
    """Every receipt issued, live or annulled; read-only, reprinted as PDF."""

    can_create = False
    can_edit = False
    admin_can_delete = False
    column_default_sort = ("numero", True)
    column_list = (
        "numero",
        "fecha",
        "valor",
        "medio_pago",
        "referencia",
        "id_venta",
        "documento_cliente",
        "anulado_en",
    )
    column_details_list = column_list
    column_sortable_list = ("numero", "fecha", "valor")
    column_searchable_list = ("referencia", "documento_cliente")
    column_filters = (
        *filtros_de_fecha(ReciboCaja.fecha, "Fecha del pago"),
        IntEqualFilter(ReciboCaja.id_venta, "Operación número"),
        FilterEqual(ReciboCaja.documento_cliente, "Documento del cliente"),
    )
    column_labels = {
        "numero": "Número",
        "fecha": "Fecha del pago",
        "valor": "Valor",
        "medio_pago": "Medio de pago",
        "referencia": "Referencia",
        "id_venta": "Operación",
        "documento_cliente": "Documento del cliente",
        "anulado_en": "Anulado",
    }
    column_formatters = {
        "numero": _enlace_pdf,
        "fecha": lambda v, c, m, n: format_date(m.fecha),
        "valor": lambda v, c, m, n: format_cop(m.valor),
        "anulado_en": lambda v, c, m, n: (
            f"ANULADO {format_datetime(m.anulado_en)}" if m.anulado_en else ""
        ),
    }
    column_formatters_detail = column_formatters

    def export_sql(self):
        return [
            (ReciboCaja.numero, numero),
            (ReciboCaja.fecha, format_date),
            (ReciboCaja.valor, numero),
            (sql_text(ReciboCaja.medio_pago), None),
            (sql_text(ReciboCaja.referencia), None),
            (ReciboCaja.id_venta, numero),
            (sql_text(ReciboCaja.documento_cliente), None),
            (ReciboCaja.anulado_en, lambda v: "ANULADO" if v else ""),
        ], []
