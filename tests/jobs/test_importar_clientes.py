"""The client import as a job: progress, batches, leaving and coming back, a killed run."""

import contextlib
import csv
import io
import re
import threading
import time

import pytest

from admin_app import jobs
from admin_app.jobs import importar_clientes as trabajo_importar
from admin_app.models import EstadoTrabajo, Trabajo
from admin_app.models.base import utcnow
from admin_app.services import importar_clientes as servicio
from tests import factories
from tests.admin.test_importar import ANA, CONSTRUCTORA, MALA, clientes, csv_bytes, upload
from tests.jobs.conftest import burst, esperar, terminado


def filas(cantidad: int, desde: int = 1_000_000) -> list[list[str]]:
    return [
        [str(desde + i), f"Cliente {i}", "Persona Natural", "CC", "", "", ""]
        for i in range(cantidad)
    ]


def subir(client, content: bytes, **kwargs) -> int:
    response = upload(client, content, **kwargs)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def estado(client, trabajo_id: int) -> dict:
    return client.get(f"/admin/importar/{trabajo_id}/estado").get_json()


def pagina(client, trabajo_id: int) -> str:
    return client.get(f"/admin/importar/{trabajo_id}").get_data(as_text=True)


def reporte(client, trabajo_id: int) -> list[list[str]]:
    data = client.get(f"/admin/importar/{trabajo_id}/rechazos.csv").get_data(as_text=True)
    return list(csv.reader(io.StringIO(data.lstrip("\ufeff"))))


def test_the_uploaded_file_waits_in_the_database_not_on_this_machine(admin_client, db, app):
    content = csv_bytes([ANA])

    trabajo_id = subir(admin_client, content)

    trabajo = db.session.get(Trabajo, trabajo_id)
    assert (trabajo.entrada, trabajo.nombre_archivo) == (content, "clientes.csv")
    assert trabajo.parametros == {"actualizar": False}
    admin_client.post(f"/admin/importar/{trabajo_id}/confirmar")
    db.session.expire_all()
    assert db.session.get(Trabajo, trabajo_id).entrada is None  # saved: no longer kept


@pytest.fixture
def pausa(monkeypatch):
    """The saving job stops after its first batch until the test lets it go on."""
    original = jobs.Ejecucion.lote
    primer_lote, seguir = threading.Event(), threading.Event()

    @contextlib.contextmanager
    def lote_con_pausa(self):
        with original(self) as valores:
            yield valores
        if not primer_lote.is_set():
            primer_lote.set()
            seguir.wait(30)

    monkeypatch.setattr(jobs.Ejecucion, "lote", lote_con_pausa)
    monkeypatch.setattr(trabajo_importar, "LOTE", 2)
    yield primer_lote, seguir
    seguir.set()


def test_saving_shows_rows_saved_of_total_and_commits_each_batch(admin_client, db, en_hilo, pausa):
    primer_lote, seguir = pausa
    trabajo_id = subir(admin_client, csv_bytes([*filas(4), MALA]))
    assert terminado(trabajo_id).estado == EstadoTrabajo.TERMINADO
    assert "Se crearán: <b>4</b>" in pagina(admin_client, trabajo_id)

    admin_client.post(f"/admin/importar/{trabajo_id}/confirmar")
    assert primer_lote.wait(30)

    # Between two batches: the first is committed and others write without waiting.
    assert estado(admin_client, trabajo_id) == {
        "id": trabajo_id,
        "estado": "en_curso",
        "fase": "guardado",
        "hechos": 2,
        "total": 5,
        "porcentaje": 40,
        "texto": "Guardando los clientes: 2 de 5",
        "activo": True,
        "error": None,
    }
    assert len(clientes()) == 2
    antes = time.monotonic()
    factories.cliente("1020304050")
    db.session.commit()
    assert time.monotonic() - antes < 1
    html = pagina(admin_client, trabajo_id)
    assert 'aria-valuenow="40"' in html and "width: 40%" in html
    assert '<meta http-equiv="refresh"' in html  # without JavaScript, the page refreshes
    assert "Actualizar" in html

    seguir.set()
    assert terminado(trabajo_id).estado == EstadoTrabajo.TERMINADO
    assert len(clientes()) == 5
    assert "Clientes creados: <b>4</b>" in pagina(admin_client, trabajo_id)


def test_checking_shows_rows_checked_of_total(admin_client, db, monkeypatch):
    vistos = []
    original = jobs.Ejecucion.avance

    def avance(self, hechos, total=None, **kwargs):
        vistos.append((kwargs.get("fase"), hechos, total))
        original(self, hechos, total, **kwargs)

    monkeypatch.setattr(jobs.Ejecucion, "avance", avance)

    subir(admin_client, csv_bytes(filas(1200)))

    assert vistos == [
        ("revision", 0, None),
        (None, 0, 1200),
        (None, 500, 1200),
        (None, 1000, 1200),
        (None, 1200, 1200),
    ]


def test_leaving_and_coming_back_finds_the_import_and_its_report(admin_client, db, en_hilo):
    trabajo_id = subir(admin_client, csv_bytes([ANA, MALA]))
    terminado(trabajo_id)
    admin_client.post(f"/admin/importar/{trabajo_id}/confirmar")
    terminado(trabajo_id)

    # Later, from the menu: the upload page lists the user's recent imports.
    html = admin_client.get("/admin/importar/").get_data(as_text=True)

    fila = re.search(r"<tr>\s*<td>clientes.csv</td>.*?</tr>", html, re.S).group(0)
    assert "Importada" in fila
    assert f"/admin/importar/{trabajo_id}/rechazos.csv" in fila
    assert [r[1] for r in reporte(admin_client, trabajo_id)] == ["Documento", "12AB"]


def test_an_import_in_progress_is_listed_with_its_progress(admin_client, db):
    trabajo = jobs.nuevo(trabajo_importar.TIPO, 1, entrada=b"x", nombre_archivo="grande.csv")
    trabajo.estado, trabajo.fase = EstadoTrabajo.EN_CURSO, trabajo_importar.GUARDADO
    trabajo.hechos, trabajo.total, trabajo.latido_en = 1500, 50000, utcnow()
    db.session.commit()

    html = admin_client.get("/admin/importar/").get_data(as_text=True)

    assert "Guardando los clientes: 1.500 de 50.000" in html


def test_another_users_imports_are_not_listed_nor_shown(admin_client, digitador_client, db):
    trabajo_id = subir(digitador_client, csv_bytes([ANA]))

    assert "clientes.csv" not in admin_client.get("/admin/importar/").get_data(as_text=True)
    assert admin_client.get(f"/admin/importar/{trabajo_id}").status_code == 404
    assert admin_client.get(f"/admin/importar/{trabajo_id}/estado").status_code == 404
    assert admin_client.get(f"/admin/importar/{trabajo_id}/rechazos.csv").status_code == 404


def test_confirming_twice_saves_once(admin_client, db):
    trabajo_id = subir(admin_client, csv_bytes([ANA]))
    admin_client.post(f"/admin/importar/{trabajo_id}/confirmar")

    response = admin_client.post(f"/admin/importar/{trabajo_id}/confirmar", follow_redirects=True)

    assert "Esta importación ya se confirmó." in response.get_data(as_text=True)
    assert len(clientes()) == 1


class Muerte(BaseException):
    """The worker's process dies: nothing of the job's own handling runs."""


def test_a_killed_import_is_declared_failed_and_a_retry_saves_each_row_once(
    admin_client, db, app, monkeypatch
):
    monkeypatch.setattr(trabajo_importar, "LOTE", 2)
    original = servicio.aplicar
    lotes = []

    def aplicar_y_morir(analisis, filas=None):
        lotes.append(filas)
        if len(lotes) == 2:
            raise Muerte
        return original(analisis, filas)

    monkeypatch.setattr(servicio, "aplicar", aplicar_y_morir)
    trabajo_id = subir(admin_client, csv_bytes([ANA, MALA, CONSTRUCTORA, *filas(3)]))
    with pytest.raises(Muerte):
        admin_client.post(f"/admin/importar/{trabajo_id}/confirmar")
    assert set(clientes()) == {"1020304050"}  # the first batch: ANA and MALA

    # Its heartbeat stops; once it is older than the limit, whoever looks sees it failed.
    monkeypatch.setitem(app.config, "JOBS_STALE_SECONDS", 0)
    html = pagina(admin_client, trabajo_id)
    assert "se detuvo antes de terminar" in html
    assert "Alcanzaron a guardarse 1 clientes nuevos" in html and "Reintentar" in html
    monkeypatch.setitem(app.config, "JOBS_STALE_SECONDS", 60)
    monkeypatch.setattr(servicio, "aplicar", original)

    admin_client.post(f"/admin/importar/{trabajo_id}/reintentar")

    assert len(clientes()) == 5
    html = pagina(admin_client, trabajo_id)
    assert "Clientes creados: <b>5</b>" in html and "Filas rechazadas: <b>1</b>" in html
    assert [r[0] for r in reporte(admin_client, trabajo_id)] == ["Fila", "3"]


def test_an_import_runs_on_rq_through_the_worker(admin_client, db, en_rq):
    trabajo_id = subir(admin_client, csv_bytes([ANA, CONSTRUCTORA, MALA]))
    assert "En cola, esperando turno" in pagina(admin_client, trabajo_id)

    burst(en_rq)
    assert "Se crearán: <b>2</b>" in pagina(admin_client, trabajo_id)
    admin_client.post(f"/admin/importar/{trabajo_id}/confirmar")
    burst(en_rq)

    trabajo = esperar(trabajo_id, lambda t: t.estado == EstadoTrabajo.TERMINADO)
    assert trabajo.resultado["guardado"]["creados"] == 2
    assert set(clientes()) == {"1020304050", "900123456-8"}
