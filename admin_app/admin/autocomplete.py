"""JSON autocomplete for the sales forms: clientes by documento or name, the
Disponible apartamentos of a project, and the vigente operations a payment can
go to. Every query is bounded and indexed."""

from flask import abort, jsonify, request
from flask_admin import BaseView, expose
from flask_login import current_user
from sqlalchemy import select

from ..database import MAX_INT, clave_entera
from ..extensions import db
from ..models import (
    Apartamento,
    Cliente,
    EstadoInmueble,
    EstadoOperacion,
    Local,
    Parqueadero,
    Torre,
    Venta,
)
from ..search import es_documento, filtrar_clientes
from ..services.ventas import reglas_proyecto
from ..text import escape_like
from .base import SecureMixin

LIMITE = 20


def sugerir_clientes(q: str) -> list[Cliente]:
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
        patron = escape_like(q) + "%"
        stmt = stmt.where(
            Apartamento.numero.like(patron, escape="\\") | Torre.nombre.ilike(patron, escape="\\")
        )
    return list(db.session.scalars(stmt).unique())


def buscar_locales_disponibles(id_proyecto: int, q: str) -> list[Local]:
    stmt = (
        select(Local)
        .join(EstadoInmueble, Local.id_estado_inmueble == EstadoInmueble.id)
        .where(Local.id_proyecto == id_proyecto, EstadoInmueble.nombre == EstadoInmueble.DISPONIBLE)
        .order_by(Local.numero)
        .limit(LIMITE)
    )
    q = (q or "").strip()
    if q:
        stmt = stmt.where(Local.numero.like(escape_like(q) + "%", escape="\\"))
    return list(db.session.scalars(stmt).unique())


def buscar_parqueaderos_disponibles(id_proyecto: int, q: str, limite: int = LIMITE):
    """Free (not incluido) Disponible parqueaderos of the project: the adicionales."""
    stmt = (
        select(Parqueadero)
        .join(Torre, Parqueadero.id_torre == Torre.id)
        .join(EstadoInmueble, Parqueadero.id_estado_inmueble == EstadoInmueble.id)
        .where(
            Torre.id_proyecto == id_proyecto,
            EstadoInmueble.nombre == EstadoInmueble.DISPONIBLE,
            Parqueadero.id_apartamento.is_(None),
        )
        .order_by(Torre.nombre, Parqueadero.numero)
        .limit(limite)
    )
    q = (q or "").strip()
    if q:
        patron = escape_like(q) + "%"
        stmt = stmt.where(
            Parqueadero.numero.like(patron, escape="\\") | Torre.nombre.ilike(patron, escape="\\")
        )
    return list(db.session.scalars(stmt).unique())


def buscar_operaciones_vigentes(q: str) -> list[Venta]:
    """Vigente ventas and separaciones by number ("123" or "#123"), or by their
    client's documento or name. Two indexed lookups rather than one OR, which
    would make the planner scan every venta."""
    q = (q or "").strip()
    numero = q.removeprefix("#").strip()
    if not q:
        return []
    vigente = Venta.estado_operacion == EstadoOperacion.VIGENTE
    encontradas: list[Venta] = []
    if numero.isdigit() and int(numero) <= MAX_INT:
        por_numero = db.session.get(Venta, int(numero))
        if por_numero is not None and por_numero.estado_operacion == EstadoOperacion.VIGENTE:
            encontradas.append(por_numero)
    if numero != q:  # "#123" asks for the number only
        return encontradas
    documentos = list(
        db.session.scalars(filtrar_clientes(select(Cliente.documento), q).limit(LIMITE))
    )
    if documentos:
        encontradas += db.session.scalars(
            select(Venta)
            .where(Venta.documento_cliente.in_(documentos), vigente)
            .where(Venta.id.not_in([v.id for v in encontradas]))
            .order_by(Venta.id.desc())
            .limit(LIMITE - len(encontradas))
        ).unique()
    return encontradas


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
            for c in sugerir_clientes(request.args.get("q", ""))
        ]
        return jsonify(resultados)

    @expose("/apartamentos/")
    def apartamentos(self):
        id_proyecto = clave_entera(request.args.get("id_proyecto"))
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

    def _unidades(self, buscar):
        id_proyecto = clave_entera(request.args.get("id_proyecto"))
        if id_proyecto is None:
            return jsonify([])
        return jsonify(
            [
                {"id": u.id, "text": str(u), "precio": str(u.precio)}
                for u in buscar(id_proyecto, request.args.get("q", ""))
            ]
        )

    @expose("/locales/")
    def locales(self):
        return self._unidades(buscar_locales_disponibles)

    @expose("/parqueaderos/")
    def parqueaderos(self):
        return self._unidades(buscar_parqueaderos_disponibles)

    @expose("/operaciones/")
    def operaciones(self):
        resultados = [
            {
                "id": venta.id,
                "text": f"{venta.tipo_label} #{venta.id} — {venta.cliente.nombre}"
                f" ({venta.documento_cliente}) — {venta.unidad}",
            }
            for venta in buscar_operaciones_vigentes(request.args.get("q", ""))
        ]
        return jsonify(resultados)
