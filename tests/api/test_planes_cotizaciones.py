"""/api/planes_pago, simular, /api/cotizaciones (PDF, convertir) and /api/ventas with a plan."""

import io
from datetime import timedelta
from decimal import Decimal as D

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from admin_app.formatting import today_bogota
from admin_app.models import Cotizacion, PlanPago, Venta
from tests import factories
from tests.api.conftest import ApiClient

HOY = today_bogota()


@pytest.fixture
def escenario(db):
    proyecto = factories.proyecto(nombre="Reserva del Río", plazo_max_cuota_inicial_meses=36)
    apto = factories.apartamento(factories.torre(proyecto, nombre="Torre A"), numero="801")
    factories.cliente("1020304050", nombre="María Gómez")
    db.session.commit()
    return {"proyecto": proyecto, "apto": apto}


def plan_body(proyecto, **overrides):
    body = {
        "id_proyecto": proyecto.id,
        "nombre": "24 meses",
        "tipo": "mensual",
        "valor_separacion": "5000000.00",
        "porcentaje_cuota_inicial": "30.00",
        "plazo_meses": 24,
        "frecuencia_meses": 1,
    }
    body.update(overrides)
    return body


@pytest.fixture
def plan(admin_api, escenario):
    response = admin_api.post("/api/planes_pago", json=plan_body(escenario["proyecto"]))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def test_an_admin_creates_lists_and_changes_a_plan(admin_api, escenario, plan):
    assert plan["porcentaje_escritura"] == "70.00"
    listado = admin_api.get(f"/api/planes_pago?proyecto={escenario['proyecto'].id}").get_json()
    assert [p["nombre"] for p in listado["data"]] == ["24 meses"]
    response = admin_api.patch(f"/api/planes_pago/{plan['id']}", json={"activo": False})
    assert response.status_code == 200
    assert response.get_json()["data"]["activo"] is False


def test_a_digitador_cannot_create_plans(api, escenario):
    response = api.post("/api/planes_pago", json=plan_body(escenario["proyecto"]))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("overrides", "campo"),
    [
        ({"porcentaje_escritura": "60.00"}, "porcentaje_escritura"),
        ({"plazo_meses": 48}, "plazo_meses"),
        ({"tipo": "diferido", "plazo_meses": 10, "frecuencia_meses": 3}, "frecuencia_meses"),
        ({"tipo": "anual"}, "tipo"),
        ({"colores": "rojo"}, "colores"),
    ],
)
def test_bad_plans_are_422_on_their_field(admin_api, escenario, db, overrides, campo):
    response = admin_api.post(
        "/api/planes_pago", json=plan_body(escenario["proyecto"], **overrides)
    )
    assert response.status_code == 422
    assert campo in response.get_json()["errors"]
    assert db.session.scalar(select(func.count()).select_from(PlanPago)) == 0


def test_the_eleventh_active_plan_is_409(admin_api, escenario):
    for n in range(10):
        body = plan_body(escenario["proyecto"], nombre=f"Plan {n}")
        assert admin_api.post("/api/planes_pago", json=body).status_code == 201
    response = admin_api.post(
        "/api/planes_pago", json=plan_body(escenario["proyecto"], nombre="Once")
    )
    assert response.status_code == 409
    assert "10 planes activos" in response.get_json()["errors"]["activo"][0]


def test_simular_answers_the_summary_and_the_cuotas(api, escenario, plan):
    response = api.post(
        f"/api/planes_pago/{plan['id']}/simular",
        json={"id_apartamento": escenario["apto"].id, "fecha": "2026-01-31"},
    )
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    assert data["resumen"]["valor_total"] == "250000000.00"
    assert data["resumen"]["cuota_inicial"] == "75000000.00"
    assert len(data["cuotas"]) == 26
    assert data["cuotas"][1]["fecha_vencimiento"] == "2026-02-28"
    assert data["unidades"][0]["precio"] == "250000000.00"
    por_precio = api.post(
        f"/api/planes_pago/{plan['id']}/simular", json={"precio_bruto": "100000000"}
    )
    assert por_precio.get_json()["data"]["resumen"]["cuota_inicial"] == "30000000.00"


def test_a_venta_with_id_plan_pago(api, escenario, plan, db):
    body = {
        "tipo_operacion": "venta",
        "documento_cliente": "1020304050",
        "id_apartamento": escenario["apto"].id,
        "id_forma_pago": 2,
        "fecha": HOY.isoformat(),
        "id_plan_pago": plan["id"],
    }
    response = api.post("/api/ventas", json=body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["id_plan_pago"], data["cuota_inicial"], data["plazo_cuota_inicial_meses"]) == (
        plan["id"],
        "75000000.00",
        24,
    )


def cotizacion_body(escenario, plan, **overrides):
    body = {
        "id_plan_pago": plan["id"],
        "id_apartamento": escenario["apto"].id,
        "documento_cliente": "1020304050",
    }
    body.update(overrides)
    return body


def test_quote_pdf_and_conversion_into_a_separacion(api, escenario, plan, db):
    response = api.post("/api/cotizaciones", json=cotizacion_body(escenario, plan))
    assert response.status_code == 201, response.get_json()
    cotizacion = response.get_json()["data"]
    assert cotizacion["numero"] == 1 and cotizacion["estado"] == "vigente"
    assert cotizacion["resumen"]["valor_total"] == "250000000.00"
    assert len(cotizacion["cuotas"]) == 26

    pdf = api.get(f"/api/cotizaciones/{cotizacion['id']}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    texto = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Cotización N.° 1" in texto and "$ 75.000.000" in texto

    db.session.get(type(escenario["apto"]), escenario["apto"].id).precio = D("280000000")
    db.session.commit()
    limite = (HOY + timedelta(days=10)).isoformat()
    response = api.post(
        f"/api/cotizaciones/{cotizacion['id']}/convertir",
        json={"tipo_operacion": "separacion", "fecha_limite_separacion": limite},
    )
    assert response.status_code == 201, response.get_json()
    venta = response.get_json()["data"]
    assert venta["tipo_operacion"] == "separacion"
    assert venta["valor_total"] == "250000000.00"  # the quoted price, not today's
    again = api.post(
        f"/api/cotizaciones/{cotizacion['id']}/convertir",
        json={"tipo_operacion": "separacion", "fecha_limite_separacion": limite},
    )
    assert again.status_code == 409
    listado = api.get("/api/cotizaciones?estado=convertida").get_json()
    assert [c["id_venta"] for c in listado["data"]] == [venta["id"]]


def test_an_expired_quote_is_409_and_can_be_copied(api, escenario, plan, db):
    body = cotizacion_body(
        escenario,
        plan,
        fecha=(HOY - timedelta(days=10)).isoformat(),
        valida_hasta=(HOY - timedelta(days=1)).isoformat(),
    )
    cotizacion = api.post("/api/cotizaciones", json=body).get_json()["data"]
    assert cotizacion["estado"] == "vencida"
    response = api.post(
        f"/api/cotizaciones/{cotizacion['id']}/convertir",
        json={"tipo_operacion": "venta", "id_forma_pago": 2},
    )
    assert response.status_code == 409
    assert "venció" in response.get_json()["message"]
    assert db.session.scalar(select(func.count()).select_from(Venta)) == 0
    copia = api.post(f"/api/cotizaciones/{cotizacion['id']}/copiar")
    assert copia.status_code == 201
    assert copia.get_json()["data"]["estado"] == "vigente"


def test_a_quote_for_a_unit_not_disponible_is_409(api, escenario, plan, db):
    escenario["apto"].id_estado_inmueble = 3
    db.session.commit()
    response = api.post("/api/cotizaciones", json=cotizacion_body(escenario, plan))
    assert response.status_code == 409
    assert "id_apartamento" in response.get_json()["errors"]
    assert db.session.scalar(select(func.count()).select_from(Cotizacion)) == 0


def test_a_prospect_quote_with_a_bad_email_is_422(api, escenario, plan):
    body = cotizacion_body(
        escenario, plan, documento_cliente=None, prospecto={"nombre": "Pedro", "correo": "no"}
    )
    response = api.post("/api/cotizaciones", json=body)
    assert response.status_code == 422
    assert "prospecto.correo" in response.get_json()["errors"]


def test_concurrent_activations_never_make_an_eleventh_active_plan(
    app, admin_api, escenario, monkeypatch
):
    import threading

    from admin_app.extensions import db as _db
    from admin_app.services import planes_pago as servicio

    for n in range(9):
        body = plan_body(escenario["proyecto"], nombre=f"Plan {n}")
        assert admin_api.post("/api/planes_pago", json=body).status_code == 201
    escritores = 4
    barrera = threading.Barrier(escritores, timeout=30)
    validar = servicio.validar_plan

    def validar_a_la_vez(*args, **kwargs):
        limpio = validar(*args, **kwargs)
        barrera.wait()  # every writer has checked its plan before any takes a slot
        return limpio

    monkeypatch.setattr(servicio, "validar_plan", validar_a_la_vez)
    respuestas = []

    def escribir(n: int) -> None:
        body = plan_body(escenario["proyecto"], nombre=f"Concurrente {n}")
        api = ApiClient(app.test_client(), admin_api.token)
        respuestas.append(api.post("/api/planes_pago", json=body).status_code)

    hilos = [threading.Thread(target=escribir, args=(n,)) for n in range(escritores)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(60)

    # One takes the tenth slot; the others are told (409, or 503 while SQLite is busy).
    assert sorted(respuestas)[0] == 201 and respuestas.count(201) == 1, respuestas
    assert set(respuestas) <= {201, 409, 503}
    _db.session.expire_all()
    activos = _db.session.scalar(select(func.count()).select_from(PlanPago).where(PlanPago.activo))
    assert activos == 10
