"""The job layer: run, progress, failure, stopped heartbeat, retry; thread and RQ."""

from datetime import timedelta

import pytest

from admin_app import jobs
from admin_app.extensions import db
from admin_app.models import EstadoTrabajo, Trabajo
from admin_app.models.base import utcnow
from admin_app.services.errors import ServiceError
from tests.jobs.conftest import burst, terminado

CONTAR = "tests.jobs.test_trabajos:contar"


def contar(ejecucion: jobs.Ejecucion) -> dict:
    """A toy job: counts to parametros["hasta"] in batches of 10, failing on demand."""
    hasta = ejecucion.trabajo.parametros["hasta"]
    falla = ejecucion.trabajo.parametros.get("falla")
    if falla == "regla":
        raise ServiceError("El número no sirve.")
    if falla == "error":
        raise RuntimeError("boom")
    for hechos in range(0, hasta + 1, 10):
        ejecucion.avance(hechos, hasta, fase="contando", forzar=True)
    with ejecucion.lote() as valores:
        valores["hechos"] = hasta
    return {"contados": hasta}


def nuevo(usuario, **parametros) -> Trabajo:
    trabajo = jobs.nuevo("prueba", usuario.id, parametros=parametros, entrada=b"datos")
    db.session.commit()
    return trabajo


def test_a_job_runs_inline_and_records_its_result(db, admin_user):
    trabajo = nuevo(admin_user, hasta=30)

    assert jobs.enqueue(CONTAR, trabajo.id)

    trabajo = db.session.get(Trabajo, trabajo.id)
    db.session.refresh(trabajo)
    assert (trabajo.estado, trabajo.resultado) == (EstadoTrabajo.TERMINADO, {"contados": 30})
    assert (trabajo.fase, trabajo.hechos, trabajo.total, trabajo.porcentaje) == (
        "contando",
        30,
        30,
        100,
    )
    assert trabajo.intento == 1 and trabajo.terminado_en is not None


def test_a_job_runs_in_a_thread_of_the_web_process(db, admin_user, en_hilo):
    trabajo = nuevo(admin_user, hasta=50)

    jobs.enqueue(CONTAR, trabajo.id)

    assert terminado(trabajo.id).resultado == {"contados": 50}


def test_a_job_runs_on_rq_with_a_worker(db, admin_user, en_rq):
    trabajo = nuevo(admin_user, hasta=20)

    jobs.enqueue(CONTAR, trabajo.id)
    db.session.expire_all()
    assert db.session.get(Trabajo, trabajo.id).estado == EstadoTrabajo.EN_COLA
    burst(en_rq)

    assert terminado(trabajo.id).resultado == {"contados": 20}


def test_a_broken_rule_fails_the_job_with_its_message_and_no_retry(db, admin_user):
    trabajo = nuevo(admin_user, hasta=10, falla="regla")

    jobs.enqueue(CONTAR, trabajo.id)

    trabajo = db.session.get(Trabajo, trabajo.id)
    db.session.refresh(trabajo)
    assert trabajo.estado == EstadoTrabajo.FALLIDO
    assert trabajo.error == {"mensaje": "El número no sirve.", "reintentable": False}
    assert not jobs.reintentar(trabajo)


def test_an_unexpected_error_fails_the_job_as_retryable(db, admin_user):
    trabajo = nuevo(admin_user, hasta=10, falla="error")

    jobs.enqueue(CONTAR, trabajo.id)

    trabajo = db.session.get(Trabajo, trabajo.id)
    db.session.refresh(trabajo)
    assert trabajo.error == {"mensaje": jobs.INESPERADO, "reintentable": True}
    trabajo.parametros = {"hasta": 10}
    db.session.commit()
    assert jobs.reintentar(trabajo)
    db.session.refresh(trabajo)
    assert (trabajo.estado, trabajo.intento) == (EstadoTrabajo.TERMINADO, 2)


def _muerto(usuario) -> Trabajo:
    trabajo = nuevo(usuario, hasta=10)
    trabajo.funcion, trabajo.intento, trabajo.estado = CONTAR, 1, EstadoTrabajo.EN_CURSO
    trabajo.latido_en = utcnow() - timedelta(minutes=5)
    db.session.commit()
    return trabajo


def test_a_job_whose_heartbeat_stopped_is_declared_failed_and_can_be_retried(db, admin_user):
    trabajo = _muerto(admin_user)

    jobs.vigilar([trabajo])

    db.session.refresh(trabajo)
    assert trabajo.estado == EstadoTrabajo.FALLIDO
    assert trabajo.error == {"mensaje": jobs.MUERTO, "reintentable": True}
    assert jobs.reintentar(trabajo)
    db.session.refresh(trabajo)
    assert (trabajo.estado, trabajo.resultado) == (EstadoTrabajo.TERMINADO, {"contados": 10})


def test_a_job_beating_recently_is_left_running(db, admin_user):
    trabajo = _muerto(admin_user)
    trabajo.latido_en = utcnow()
    db.session.commit()

    jobs.vigilar([trabajo])

    assert db.session.get(Trabajo, trabajo.id).estado == EstadoTrabajo.EN_CURSO


def test_the_late_writes_of_a_run_declared_dead_are_refused(db, admin_user):
    trabajo = _muerto(admin_user)
    viejo = jobs.Ejecucion(trabajo.id, intento=1)
    jobs.vigilar([trabajo])
    jobs.reintentar(db.session.get(Trabajo, trabajo.id))

    with pytest.raises(jobs.TrabajoAbandonado), viejo.lote() as valores:
        valores["hechos"] = 999
    with pytest.raises(jobs.TrabajoAbandonado):
        viejo.avance(5, forzar=True)
    db.session.expire_all()
    assert db.session.get(Trabajo, trabajo.id).hechos == 10


def test_a_step_is_queued_once_when_a_condition_is_given(db, admin_user):
    trabajo = nuevo(admin_user, hasta=10)
    jobs.enqueue(CONTAR, trabajo.id)

    # Two clicks on the same page, maybe on two machines: the row says which one counts.
    condicion = {"estado": EstadoTrabajo.TERMINADO, "intento": 1}
    assert jobs.enqueue(CONTAR, trabajo.id, fase="otra", solo_si=condicion)
    assert not jobs.enqueue(CONTAR, trabajo.id, fase="otra", solo_si=condicion)
    assert db.session.get(Trabajo, trabajo.id).intento == 2


def test_old_inputs_are_dropped_and_old_jobs_forgotten(db, admin_user):
    viejo, reciente, antiguo = (nuevo(admin_user, hasta=1) for _ in range(3))
    for trabajo in (viejo, reciente, antiguo):
        trabajo.estado = EstadoTrabajo.TERMINADO
    viejo.created_at = utcnow() - timedelta(days=2)
    antiguo.created_at = utcnow() - timedelta(days=40)
    db.session.commit()
    ids = viejo.id, reciente.id, antiguo.id

    jobs.limpiar("prueba")

    db.session.expire_all()
    viejo, reciente, antiguo = (db.session.get(Trabajo, i) for i in ids)
    assert (viejo.entrada, reciente.entrada, antiguo) == (None, b"datos", None)


def test_flask_worker_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])

    assert result.exit_code != 0
    assert "Falta REDIS_URL" in result.output


def test_a_job_runs_in_a_thread_when_redis_does_not_answer(db, admin_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_INLINE", False)
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/5")
    trabajo = nuevo(admin_user, hasta=10)

    assert jobs.enqueue(CONTAR, trabajo.id)

    assert terminado(trabajo.id).resultado == {"contados": 10}
