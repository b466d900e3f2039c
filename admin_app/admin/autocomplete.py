"""JSON autocomplete for the sales forms: clientes by documento or name, and the
Disponible apartamentos of a project. Every query is bounded and indexed."""

from flask import abort, jsonify, request
from flask_admin import BaseView, expose
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import Apartamento, Cliente, EstadoInmueble, Torre
from ..search import es_documento, filtrar_clientes
from ..services.ventas import reglas_proyecto
from .base import SecureMixin

LIMITE = 20


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def buscar_clientes(q: str) -> list[Cliente]:
    """Documento prefix or name words, through the indexed search of admin_app.search."""
    q = (q or "").strip()
    if not q:
        return []
    stmt = filtrar_clientes(select(Cliente), q).limit(LIMITE)
    if es_documento(q):  # the index walks documentos in order anyway
        stmt = stmt.order_by(Cliente.documento)
    return list(db.session.scalars(stmt))


def buscar_apartamentos_disponibles(id_proyecto: int, q: str) -> list[Apartamento]:
    stmt = (
        select(Apartamento)
        .join(Torre, Apartamento.id_torre == Torre.id)
        .join(EstadoInmueble, Apartamento.id_estado_inmueble == EstadoInmueble.id)
        .where(Torre.id_proyecto == id_proyecto, EstadoInmueble.nombre == EstadoInmueble.DISPONIBLE)
        .order_by(Torre.nombre, Apartamento.numero)
        .limit(LIMITE)
    )
    q = (q or "").strip()
    if q:
        patron = _escape_like(q) + "%"
        stmt = stmt.where(
            Apartamento.numero.like(patron, escape="\\") | Torre.nombre.ilike(patron, escape="\\")
        )
    return list(db.session.scalars(stmt).unique())


class AutocompleteView(SecureMixin, BaseView):
    """Not in the menu; the forms call it."""

    def is_visible(self) -> bool:
        return False

    def inaccessible_callback(self, name, **kwargs):
        abort(403 if current_user.is_authenticated else 401)

    @expose("/")
    def index(self):
        abort(404)

    @expose("/clientes/")
    def clientes(self):
        resultados = [
            {"id": c.documento, "text": str(c), "nombre": c.nombre}
            for c in buscar_clientes(request.args.get("q", ""))
        ]
        return jsonify(resultados)

    @expose("/apartamentos/")
    def apartamentos(self):
        id_proyecto = request.args.get("id_proyecto", type=int)
        if id_proyecto is None:
            return jsonify([])
        resultados = []
        for apto in buscar_apartamentos_disponibles(id_proyecto, request.args.get("q", "")):
            reglas = reglas_proyecto(apto)
            resultados.append(
                {
                    "id": apto.id,
                    "text": str(apto),
                    "precio": str(apto.precio),
                    "reglas": reglas["descripcion"],
                }
            )
        return jsonify(resultados)
