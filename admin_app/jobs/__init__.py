"""Background jobs: long work runs outside the request, on any machine.

A job is a `trabajos` row: its state, progress, files and result live in the
database, so any machine can start it, run it, show it or retry it.

    trabajo = jobs.nuevo("importar_clientes", id_usuario, entrada=contenido)
    jobs.enqueue("admin_app.jobs.importar_clientes:revisar", trabajo.id)  # commits

enqueue() hands the job to RQ when REDIS_URL is set (`flask worker` runs it)
or, without Redis, to a thread of this web process (JOBS_INLINE runs it at
once, for tests). The function gets an Ejecucion: `avance()` reports progress,
`lote()` commits a batch of writes together with the progress it makes, and
what it returns is the job's `resultado`. A job that raises a ServiceError
fails with that message; any other error fails it as retryable. A heartbeat
thread marks the row every few seconds; a job whose heartbeat stops (its
process died) is declared failed by vigilar() when someone looks at it, and
a retry runs under a new `intento`, so the old run's late writes are refused.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterable
from datetime import timedelta

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import delete, null, update
from sqlalchemy.exc import OperationalError
from werkzeug.utils import import_string

from ..database import is_sqlite
from ..extensions import db
from ..models import EstadoTrabajo, Trabajo
from ..models.base import utcnow
from ..services.errors import ServiceError

log = logging.getLogger(__name__)

EJECUTOR = "admin_app.jobs.ejecutar"  # RQ imports dotted paths
MUERTO = (
    "El proceso que hacía este trabajo se detuvo antes de terminar (se reinició o se cayó). "
    "Lo que alcanzó a guardar quedó guardado; puede reintentarlo sin duplicar nada."
)
OCUPADA = "La base de datos estuvo ocupada o no respondió; puede reintentarlo."
PAUSA_SQLITE = 0.12  # seconds between two batches of writes
INESPERADO = "Ocurrió un error inesperado; puede reintentarlo o avisar al administrador."


class TrabajoAbandonado(Exception):
    """This run is no longer the job's current one (declared dead, then retried)."""


# -- starting --------------------------------------------------------------------------
def nuevo(
    tipo: str,
    id_usuario: int,
    *,
    parametros: dict | None = None,
    entrada: bytes | None = None,
    nombre_archivo: str | None = None,
) -> Trabajo:
    """A new job row in the session (not yet committed nor queued)."""
    trabajo = Trabajo(
        tipo=tipo,
        id_usuario=id_usuario,
        parametros=parametros or {},
        entrada=entrada,
        nombre_archivo=nombre_archivo,
        estado=EstadoTrabajo.EN_COLA,
    )
    db.session.add(trabajo)
    db.session.flush()
    return trabajo


def enqueue(
    func_path: str, trabajo_id: int, *, fase: str | None = None, solo_si: dict | None = None
) -> bool:
    """Queue `func_path` ("package.module:function") to run on the job; commits the session.

    `fase` starts a new step (progress back to zero); `solo_si` ({column: value})
    queues it only if the row still says so, so two clicks on two machines queue
    it once. False when it was not queued."""
    intento = _poner_en_cola(func_path, trabajo_id, fase, solo_si or {})
    if intento is None:
        return False
    app = current_app._get_current_object()
    if app.config.get("JOBS_INLINE"):
        _en_contexto(app, func_path, trabajo_id, intento)
    elif not _enqueue_rq(app, func_path, trabajo_id, intento):
        threading.Thread(
            target=_en_contexto,
            args=(app, func_path, trabajo_id, intento),
            name=f"trabajo-{trabajo_id}",
            daemon=True,
        ).start()
    return True


def reintentar(trabajo: Trabajo) -> bool:
    """Run a failed job again (same function, same step); False if it cannot be retried."""
    if trabajo.estado != EstadoTrabajo.FALLIDO or not (trabajo.error or {}).get("reintentable"):
        return False
    return enqueue(
        trabajo.funcion,
        trabajo.id,
        solo_si={"estado": EstadoTrabajo.FALLIDO, "intento": trabajo.intento},
    )


def _poner_en_cola(func_path: str, trabajo_id: int, fase: str | None, solo_si: dict) -> int | None:
    valores = {
        "intento": Trabajo.intento + 1,
        "funcion": func_path,
        "estado": EstadoTrabajo.EN_COLA,
        "error": null(),
        "latido_en": utcnow(),  # a thread's job never taken is seen as dead too
    }
    if fase is not None:
        valores.update(fase=fase, hechos=0, total=None)
    condiciones = [getattr(Trabajo, columna) == valor for columna, valor in solo_si.items()]
    intento = db.session.execute(
        _update()
        .where(Trabajo.id == trabajo_id, *condiciones)
        .values(**valores)
        .returning(Trabajo.intento)
    ).scalar()
    db.session.commit()
    return intento


def _update():
    # The row is the truth, not the session's copy of it (which may be stale or unloaded).
    return update(Trabajo).execution_options(synchronize_session=False)


def redis_url() -> str | None:
    return current_app.config.get("REDIS_URL")


def cola(connection=None):
    """The app's RQ queue (REDIS_URL must be set)."""
    import redis
    from rq import Queue

    if connection is None:
        connection = redis.Redis.from_url(redis_url(), socket_connect_timeout=2)
    return Queue(current_app.config["JOBS_QUEUE"], connection=connection)


def _enqueue_rq(app: Flask, func_path: str, trabajo_id: int, intento: int) -> bool:
    if not app.config.get("REDIS_URL"):
        return False
    try:
        cola().enqueue(
            EJECUTOR,
            func_path,
            trabajo_id,
            intento,
            job_timeout=app.config["JOBS_TIMEOUT_SECONDS"],
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
        )
    except Exception:  # noqa: BLE001 - Redis down: the web process does it itself
        log.exception("Redis no recibió el trabajo %s; se hace en este proceso", trabajo_id)
        return False
    return True


# -- running -----------------------------------------------------------------------------
class Ejecucion:
    """What a job function is handed while it runs."""

    def __init__(self, trabajo_id: int, intento: int, cada: float = 1.0) -> None:
        self.trabajo_id = trabajo_id
        self.intento = intento
        self._cada = cada
        self._ultimo = 0.0

    @property
    def trabajo(self) -> Trabajo:
        return db.session.get(Trabajo, self.trabajo_id)

    def _mio(self):
        return _update().where(
            Trabajo.id == self.trabajo_id,
            Trabajo.intento == self.intento,
            Trabajo.estado == EstadoTrabajo.EN_CURSO,
        )

    def avance(
        self, hechos: int, total: int | None = None, *, fase: str | None = None, forzar=False
    ) -> None:
        """Progress, written at most once a second in its own short transaction.

        Not inside a lote() (its row is locked there): the two would wait on each other."""
        ahora = time.monotonic()
        if not forzar and fase is None and ahora - self._ultimo < self._cada:
            return
        self._ultimo = ahora
        valores = {"hechos": hechos, "latido_en": utcnow()}
        if total is not None:
            valores["total"] = total
        if fase is not None:
            valores["fase"] = fase
        self.guardar(**valores)

    def guardar(self, **valores) -> None:
        """Write columns of the job row now, in their own transaction."""
        with db.engine.begin() as connection:
            if connection.execute(self._mio().values(**valores)).rowcount != 1:
                raise TrabajoAbandonado(self.trabajo_id)

    @contextlib.contextmanager
    def lote(self):
        """A batch of writes in the session, committed with what it yields to fill.

        The job row is written first: it proves the run is still the current one
        before anything else is written, and on SQLite it takes the write lock
        at once (a read first would fail to upgrade after another writer)."""
        if db.session.execute(self._mio().values(latido_en=utcnow())).rowcount != 1:
            db.session.rollback()
            raise TrabajoAbandonado(self.trabajo_id)
        valores: dict = {}
        try:
            yield valores
            if valores:
                db.session.execute(self._mio().values(**valores))
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        if is_sqlite(db.session):
            # SQLite has one writer at a time, and a waiting one polls every 100 ms:
            # without a gap this job would take the lock back before any other got it.
            time.sleep(PAUSA_SQLITE)


def ejecutar(func_path: str, trabajo_id: int, intento: int) -> None:
    """The entry point of every job, in a thread or an RQ worker."""
    if has_app_context():
        app = current_app._get_current_object()
    else:  # a plain `rq worker`, without `flask worker`'s app
        from .. import create_app

        app = create_app()
    _en_contexto(app, func_path, trabajo_id, intento)


def _en_contexto(app: Flask, func_path: str, trabajo_id: int, intento: int) -> None:
    # A context of its own: its own session, never the request's.
    with app.app_context():
        try:
            _ejecutar(app, func_path, trabajo_id, intento)
        finally:
            db.session.remove()


def _ejecutar(app: Flask, func_path: str, trabajo_id: int, intento: int) -> None:
    ahora = utcnow()
    tomado = db.session.execute(
        _update()
        .where(
            Trabajo.id == trabajo_id,
            Trabajo.intento == intento,
            Trabajo.estado == EstadoTrabajo.EN_COLA,
        )
        .values(estado=EstadoTrabajo.EN_CURSO, iniciado_en=ahora, latido_en=ahora)
    ).rowcount
    db.session.commit()
    if not tomado:
        return  # retried meanwhile, or already taken by another worker
    trabajo = db.session.get(Trabajo, trabajo_id)
    g.actor = trabajo.usuario.username
    g.origen = "admin"
    db.session.rollback()

    parar = threading.Event()
    latido = threading.Thread(
        target=_latir, args=(app, trabajo_id, intento, parar), name="latido", daemon=True
    )
    latido.start()
    ejecucion = Ejecucion(trabajo_id, intento)
    try:
        resultado = import_string(func_path)(ejecucion)
    except TrabajoAbandonado:
        db.session.rollback()
        return
    except ServiceError as exc:
        _terminar(ejecucion, EstadoTrabajo.FALLIDO, error=_error(exc.message, False))
    except OperationalError:
        log.exception("Trabajo %s: la base de datos falló", trabajo_id)
        _terminar(ejecucion, EstadoTrabajo.FALLIDO, error=_error(OCUPADA, True))
    except Exception:
        log.exception("Trabajo %s falló", trabajo_id)
        _terminar(ejecucion, EstadoTrabajo.FALLIDO, error=_error(INESPERADO, True))
    else:
        _terminar(ejecucion, EstadoTrabajo.TERMINADO, resultado=resultado)
    finally:
        parar.set()
        latido.join()


def _error(mensaje: str, reintentable: bool) -> dict:
    return {"mensaje": mensaje, "reintentable": reintentable}


def _terminar(ejecucion: Ejecucion, estado: str, **valores) -> None:
    db.session.rollback()  # whatever the function left uncommitted is not kept
    if valores.get("resultado") is None:
        valores.pop("resultado", None)
    with contextlib.suppress(TrabajoAbandonado):
        ejecucion.guardar(estado=estado, terminado_en=utcnow(), latido_en=utcnow(), **valores)


def _latir(app: Flask, trabajo_id: int, intento: int, parar: threading.Event) -> None:
    cada = app.config["JOBS_HEARTBEAT_SECONDS"]
    with app.app_context():
        while not parar.wait(cada):
            try:
                with db.engine.begin() as connection:
                    connection.execute(
                        Ejecucion(trabajo_id, intento)._mio().values(latido_en=utcnow())
                    )
            except OperationalError:  # locked for a moment: the next beat will do
                log.warning("Trabajo %s: no se pudo marcar el latido", trabajo_id)


# -- watching --------------------------------------------------------------------------
def vigilar(trabajos: Iterable[Trabajo]) -> None:
    """Declare failed the jobs whose process stopped beating; commits if it changed any."""
    limite = utcnow() - timedelta(seconds=current_app.config["JOBS_STALE_SECONDS"])
    cambiados = False
    for trabajo in trabajos:
        if not trabajo.activo or trabajo.latido_en is None:
            continue
        # Only a job on this machine's threads can die unseen while queued; RQ's wait.
        if trabajo.estado == EstadoTrabajo.EN_COLA and redis_url():
            continue
        cambiados |= (
            db.session.execute(
                _update()
                .where(
                    Trabajo.id == trabajo.id,
                    Trabajo.intento == trabajo.intento,
                    Trabajo.estado == trabajo.estado,
                    Trabajo.latido_en < limite,
                )
                .values(
                    estado=EstadoTrabajo.FALLIDO,
                    terminado_en=utcnow(),
                    error=_error(MUERTO, True),
                )
            ).rowcount
            == 1
        )
    if cambiados:
        db.session.commit()


def limpiar(tipo: str, *, dias: int = 30) -> None:
    """Forget finished jobs older than `dias`; drop inputs older than a day. Commits."""
    ahora = utcnow()
    db.session.execute(
        delete(Trabajo)
        .execution_options(synchronize_session=False)
        .where(
            Trabajo.tipo == tipo,
            Trabajo.created_at < ahora - timedelta(days=dias),
            Trabajo.estado.in_((EstadoTrabajo.TERMINADO, EstadoTrabajo.FALLIDO)),
        )
    )
    db.session.execute(
        _update()
        .where(
            Trabajo.tipo == tipo,
            Trabajo.created_at < ahora - timedelta(days=1),
            Trabajo.estado.in_((EstadoTrabajo.TERMINADO, EstadoTrabajo.FALLIDO)),
            Trabajo.entrada.is_not(None),
        )
        .values(entrada=None)
    )
    db.session.commit()
