"""Queuing notices (in the caller's transaction) and waking the sender after the commit."""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta

from flask import current_app, has_app_context, has_request_context
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..extensions import db
from ..formatting import format_cop, format_date
from ..models import Apartamento, Aviso, Cliente, Cuota, EstadoOperacion, Proyecto, Torre, Venta
from ..models.avisos import TipoAviso
from ..models.base import utcnow
from ..reportes import asesor_de
from ..reportes.cartera import EN_PIE, cartera_por_edades

log = logging.getLogger(__name__)

ASUNTOS = {
    TipoAviso.OPERACION_CLIENTE: "Su {tipo} #{id_venta} quedó registrada",
    TipoAviso.OPERACION_ASESOR: "Nueva {tipo} #{id_venta}: {cliente}",
    TipoAviso.CUOTA_POR_VENCER: "Su cuota {numero} vence el {vence}",
    TipoAviso.SEPARACION_POR_CADUCAR: "Su separación #{id_venta} vence el {vence}",
    TipoAviso.RESUMEN_CARTERA: "Resumen de cartera al {fecha}",
}
LOTE = 1000
_MARCA = "avisos_encolados"


def _insert():
    dialecto = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    # Core, on the table; RETURNING lists the rows really inserted (an executemany's
    # rowcount is -1 with psycopg).
    tabla = Aviso.__table__
    return (
        dialecto.insert(tabla)
        .on_conflict_do_nothing(index_elements=["clave"])
        .returning(tabla.c.id)
    )


def _render(tipo: str, contexto: dict) -> tuple[str, str, str]:
    env = current_app.jinja_env
    asunto = ASUNTOS[tipo].format(**contexto.get("asunto", {}))
    texto = env.get_template(f"avisos/{tipo}.txt").render(**contexto)
    html = env.get_template(f"avisos/{tipo}.html").render(**contexto)
    return asunto[:200], texto, html


def _fila(tipo: str, clave: str, destinatario: str, contexto: dict, id_venta=None) -> dict:
    asunto, texto, html = _render(tipo, contexto)
    ahora = utcnow()
    return {
        "tipo": tipo,
        "clave": clave[:200],
        "destinatario": destinatario,
        "asunto": asunto,
        "texto": texto,
        "html": html,
        "estado": "pendiente",
        "intentos": 0,
        "proximo_intento": ahora,
        "id_venta": id_venta,
        "created_at": ahora,
        "updated_at": ahora,
    }


def _guardar(filas: list[dict]) -> int:
    """Insert the notices, skipping those already queued (same clave); flags the
    session so that the sender runs after its commit."""
    total = 0
    for inicio in range(0, len(filas), LOTE):
        lote = filas[inicio : inicio + LOTE]
        if lote:
            total += len(db.session.execute(_insert(), lote).all())
    if filas:
        db.session.info[_MARCA] = True
    return total


# -- the notices -------------------------------------------------------------------------
def _unidad(venta: Venta) -> str:
    return venta.descripcion_unidades


def avisar_operacion(venta: Venta) -> int:
    """To the client and the asesor, when an operation is made (transaction emails:
    sent even to clients who opted out of reminders)."""
    cliente = venta.cliente
    contexto = {
        "venta": venta,
        "cliente": cliente,
        "unidad": _unidad(venta),
        "tipo": venta.tipo_label.lower(),
        "asunto": {
            "tipo": venta.tipo_label.lower(),
            "id_venta": venta.id,
            "cliente": cliente.nombre,
        },
    }
    filas = []
    if cliente.correo:
        filas.append(
            _fila(
                TipoAviso.OPERACION_CLIENTE,
                f"operacion:{venta.id}:cliente",
                cliente.correo,
                contexto,
                venta.id,
            )
        )
    asesor = asesor_de(venta)
    correo_asesor = getattr(asesor, "correo", None) if asesor is not None else None
    if correo_asesor:
        filas.append(
            _fila(
                TipoAviso.OPERACION_ASESOR,
                f"operacion:{venta.id}:asesor",
                correo_asesor,
                {**contexto, "asesor": asesor},
                venta.id,
            )
        )
    return _guardar(filas)


def encolar_recordatorios(hoy: date, *, dias_cuota: int, dias_separacion: int) -> int:
    """The day's reminders: cuotas due in `dias_cuota` days and separations that
    lapse in `dias_separacion` days, to clients with an email who did not opt out.
    Running it twice for a day queues nothing new (one clave per cuota and date)."""
    vence = hoy + timedelta(days=dias_cuota)
    filas = []
    cuotas = db.session.execute(
        select(
            Cuota.id,
            Cuota.id_venta,
            Cuota.numero,
            Cuota.concepto,
            Cuota.fecha_vencimiento,
            (Cuota.valor - Cuota.valor_pagado).label("pendiente"),
            Cliente.nombre,
            Cliente.correo,
            Proyecto.nombre.label("proyecto"),
            Torre.nombre.label("torre"),
            Apartamento.numero.label("apto"),
        )
        .join(Venta, Venta.id == Cuota.id_venta)
        .join(Cliente, Cliente.documento == Venta.documento_cliente)
        .join(Proyecto, Proyecto.id == Venta.id_proyecto)
        .outerjoin(Apartamento, Apartamento.id == Venta.id_apartamento)
        .outerjoin(Torre, Torre.id == Apartamento.id_torre)
        .where(
            Cuota.fecha_vencimiento == vence,
            Cuota.valor_pagado < Cuota.valor,
            Venta.estado_operacion.in_(EN_PIE),
            Cliente.correo.is_not(None),
            Cliente.recibir_recordatorios.is_(True),
        )
    )
    for c in cuotas:
        contexto = {
            "cliente": c.nombre,
            "cuota": c,
            "unidad": f"{c.proyecto} - {c.torre} - Apto {c.apto}" if c.apto else c.proyecto,
            "asunto": {"numero": c.numero, "vence": format_date(c.fecha_vencimiento)},
        }
        filas.append(
            _fila(
                TipoAviso.CUOTA_POR_VENCER,
                f"cuota:{c.id}:{c.fecha_vencimiento.isoformat()}",
                c.correo,
                contexto,
                c.id_venta,
            )
        )
    limite = hoy + timedelta(days=dias_separacion)
    separaciones = db.session.scalars(
        select(Venta)
        .join(Cliente, Cliente.documento == Venta.documento_cliente)
        .where(
            Venta.estado_operacion == EstadoOperacion.VIGENTE,
            Venta.tipo_operacion == "separacion",
            Venta.fecha_limite_separacion == limite,
            Cliente.correo.is_not(None),
            Cliente.recibir_recordatorios.is_(True),
        )
    )
    for venta in separaciones:
        contexto = {
            "cliente": venta.cliente.nombre,
            "venta": venta,
            "unidad": _unidad(venta),
            "asunto": {"id_venta": venta.id, "vence": format_date(limite)},
        }
        filas.append(
            _fila(
                TipoAviso.SEPARACION_POR_CADUCAR,
                f"separacion:{venta.id}:{limite.isoformat()}",
                venta.cliente.correo,
                contexto,
                venta.id,
            )
        )
    return _guardar(filas)


def encolar_resumen_cartera(hoy: date) -> int:
    """The weekly cartera summary to every management address in the settings."""
    destinatarios = current_app.config.get("AVISOS_GERENCIA") or []
    if not destinatarios:
        return 0
    cartera = cartera_por_edades(hoy)
    anio, semana, _dia = hoy.isocalendar()
    contexto = {
        "cartera": cartera,
        "asunto": {"fecha": format_date(hoy)},
        "cop": format_cop,
    }
    return _guardar(
        [
            _fila(
                TipoAviso.RESUMEN_CARTERA, f"resumen:{anio}-{semana:02d}:{correo}", correo, contexto
            )
            for correo in destinatarios
        ]
    )


# -- after the commit: wake the sender ----------------------------------------------------
def despachar(app) -> None:
    """Run the sender: at once (JOBS_INLINE), on RQ (REDIS_URL) or in a thread."""
    from .envio import enviar_pendientes

    def correr() -> None:
        # A context of its own: its own session, never the committing one.
        with app.app_context():
            try:
                enviar_pendientes()
            finally:
                db.session.remove()

    if app.config.get("JOBS_INLINE"):
        correr()
        return
    if app.config.get("REDIS_URL"):
        try:
            from ..jobs import cola

            with app.app_context():
                cola().enqueue("admin_app.avisos.envio.enviar_pendientes_rq", result_ttl=600)
            return
        except Exception:  # noqa: BLE001 - Redis down: this process sends them
            log.exception("Redis no recibió el envío de avisos; se hace en este proceso")

    threading.Thread(target=correr, name="avisos", daemon=True).start()


def _despues_del_commit(session: Session) -> None:
    if not session.info.pop(_MARCA, False) or not has_app_context():
        return
    app = current_app._get_current_object()
    if not app.config.get("MAIL_SERVER"):
        return  # kept in the outbox until the mail server is configured
    if not (app.config.get("JOBS_INLINE") or app.config.get("REDIS_URL") or has_request_context()):
        return  # a command ends with its process: cron's `flask avisos enviar` sends them
    try:
        despachar(app)
    except Exception:  # noqa: BLE001 - the commit stands; cron's `flask avisos enviar` retries
        log.exception("No se pudo iniciar el envío de avisos")


def _despues_del_rollback(session: Session) -> None:
    session.info.pop(_MARCA, None)


def install_avisos() -> None:
    if not event.contains(Session, "after_commit", _despues_del_commit):
        event.listen(Session, "after_commit", _despues_del_commit)
        event.listen(Session, "after_rollback", _despues_del_rollback)
