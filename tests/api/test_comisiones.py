"""/api/asesores, PATCH /api/ventas/{id}, /api/politicas_comision, /api/comisiones,
/api/liquidaciones and /api/metas."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from admin_app.models import Bitacora, Comision, Liquidacion, Meta, PoliticaComision, Rol, Venta
from admin_app.services import comisiones as servicio
from admin_app.services.ventas import crear_operacion
from tests import factories
from tests.conftest import make_user
from tests.services.conftest import datos_venta

from .conftest import ApiClient, issue_token


def cliente_api(app, usuario) -> ApiClient:
    return ApiClient(app.test_client(), issue_token(usuario, f"t-{usuario.username}"))


@pytest.fixture
def gente(db):
    director = make_user("directora", Rol.DIRECTOR_COMERCIAL)
    asesor = make_user("asesor", Rol.ASESOR)
    otro = make_user("otro", Rol.ASESOR)
    asesor.id_director = director.id
    db.session.commit()
    return director, asesor, otro


@pytest.fixture
def vendida(db, gente):
    director, asesor, _otro = gente
    apto = factories.apartamento()
    proyecto = apto.torre.proyecto
    for usuario, tipo, porcentaje in ((asesor, "propia", "3"), (director, "equipo", "1")):
        servicio.guardar_politica(
            servicio.DatosPolitica(proyecto.id, usuario.id, tipo, D(porcentaje), date(2026, 1, 1))
        )
    venta = crear_operacion(datos_venta(factories.cliente(), apto, id_asesor=asesor.id))
    db.session.commit()
    return venta


# --- asesores -------------------------------------------------------------------------


def test_asesores_lists_who_sells_with_the_director(app, admin_api, gente):
    director, asesor, otro = gente
    data = admin_api.get("/api/asesores").get_json()["data"]
    por_usuario = {a["username"]: a for a in data}
    assert set(por_usuario) == {"directora", "asesor", "otro"}
    assert por_usuario["asesor"]["director"]["username"] == "directora"
    assert por_usuario["otro"]["id_director"] is None


def test_only_an_admin_sets_a_director(app, admin_api, api, gente):
    director, _asesor, otro = gente
    assert api.patch(f"/api/asesores/{otro.id}", json={"id_director": director.id}).status_code == (
        403
    )
    respuesta = admin_api.patch(f"/api/asesores/{otro.id}", json={"id_director": director.id})
    assert respuesta.status_code == 200
    assert respuesta.get_json()["data"]["id_director"] == director.id


def test_a_director_must_be_a_director_comercial(app, admin_api, gente):
    _director, asesor, otro = gente
    respuesta = admin_api.patch(f"/api/asesores/{otro.id}", json={"id_director": asesor.id})
    assert respuesta.status_code == 422
    assert "no es director comercial" in respuesta.get_json()["errors"]["id_director"][0]


# --- a venta's asesor ----------------------------------------------------------------------


def test_patch_venta_changes_its_asesor_with_a_motivo(app, db, admin_api, gente, vendida):
    _director, _asesor, otro = gente
    respuesta = admin_api.patch(
        f"/api/ventas/{vendida.id}", json={"id_asesor": otro.id, "motivo": "Reasignación"}
    )
    assert respuesta.status_code == 200, respuesta.get_json()
    db.session.expire_all()
    assert db.session.get(Venta, vendida.id).id_asesor == otro.id
    motivos = [
        b.cambios.get("motivo")
        for b in db.session.scalars(select(Bitacora).where(Bitacora.tabla == "ventas"))
    ]
    assert [None, "Reasignación"] in motivos


def test_patch_venta_without_motivo_is_a_422_naming_it(app, admin_api, gente, vendida):
    _director, _asesor, otro = gente
    respuesta = admin_api.patch(f"/api/ventas/{vendida.id}", json={"id_asesor": otro.id})
    assert respuesta.status_code == 422
    assert respuesta.get_json()["errors"]["motivo"] == ["Este campo es obligatorio."]


def test_an_asesor_cannot_change_the_asesor(app, gente, vendida):
    _director, asesor, otro = gente
    respuesta = cliente_api(app, asesor).patch(
        f"/api/ventas/{vendida.id}", json={"id_asesor": otro.id, "motivo": "Mía"}
    )
    assert respuesta.status_code == 403


# --- políticas -----------------------------------------------------------------------------


def test_overlapping_policies_are_a_409(app, db, admin_api, gente, vendida):
    _director, asesor, _otro = gente
    proyecto = vendida.apartamento.torre.id_proyecto
    respuesta = admin_api.post(
        "/api/politicas_comision",
        json={
            "id_proyecto": proyecto,
            "id_usuario": asesor.id,
            "tipo": "propia",
            "porcentaje": "4.00",
            "vigente_desde": "2026-06-01",
        },
    )
    assert respuesta.status_code == 409
    assert "se cruza" in respuesta.get_json()["errors"]["vigente_desde"][0]
    assert db.session.scalar(select(func.count(PoliticaComision.id))) == 2


@pytest.mark.parametrize("porcentaje", ["100.01", "-1", "abc"])
def test_a_percentage_outside_0_100_is_a_422(app, db, admin_api, gente, porcentaje):
    _director, _asesor, otro = gente
    proyecto = factories.proyecto()
    db.session.commit()
    respuesta = admin_api.post(
        "/api/politicas_comision",
        json={
            "id_proyecto": proyecto.id,
            "id_usuario": otro.id,
            "tipo": "propia",
            "porcentaje": porcentaje,
            "vigente_desde": "2026-06-01",
        },
    )
    assert respuesta.status_code == 422
    assert "porcentaje" in respuesta.get_json()["errors"]


def test_a_policy_is_created_and_changed(app, db, admin_api, gente):
    _director, _asesor, otro = gente
    proyecto = factories.proyecto()
    db.session.commit()
    creada = admin_api.post(
        "/api/politicas_comision",
        json={
            "id_proyecto": proyecto.id,
            "id_usuario": otro.id,
            "tipo": "propia",
            "porcentaje": "2.5",
            "vigente_desde": "2026-01-01",
        },
    )
    assert creada.status_code == 201
    cuerpo = creada.get_json()["data"]
    assert cuerpo["porcentaje"] == "2.50"
    cambiada = admin_api.patch(
        f"/api/politicas_comision/{cuerpo['id']}", json={"vigente_hasta": "2026-12-31"}
    )
    assert cambiada.get_json()["data"]["vigente_hasta"] == "2026-12-31"


# --- comisiones ----------------------------------------------------------------------------


def test_an_asesor_reads_only_his_commissions(app, gente, vendida):
    _director, asesor, otro = gente
    api_asesor = cliente_api(app, asesor)
    data = api_asesor.get("/api/comisiones").get_json()["data"]
    assert {c["id_usuario"] for c in data} == {asesor.id}
    assert data[0]["valor"] == "7500000.00"
    ajeno = api_asesor.get(f"/api/comisiones?beneficiario={otro.id}")
    assert ajeno.status_code == 403
    assert "sus propias comisiones" in ajeno.get_json()["message"]


def test_a_director_reads_his_and_his_teams(app, gente, vendida):
    director, asesor, _otro = gente
    data = cliente_api(app, director).get("/api/comisiones").get_json()["data"]
    assert {c["id_usuario"] for c in data} == {director.id, asesor.id}


def test_commissions_filter_by_estado_and_dates(app, admin_api, gente, vendida):
    assert len(admin_api.get("/api/comisiones?estado=causada").get_json()["data"]) == 2
    assert admin_api.get("/api/comisiones?desde=2027-01-01").get_json()["data"] == []
    assert admin_api.get("/api/comisiones?estado=otro").status_code == 422


# --- liquidaciones -------------------------------------------------------------------------


def test_liquidate_by_ids_then_pay_then_pay_again(app, db, admin_api, gente, vendida):
    ids = list(db.session.scalars(select(Comision.id)))
    creada = admin_api.post("/api/liquidaciones", json={"ids": ids})
    assert creada.status_code == 201, creada.get_json()
    liquidacion = creada.get_json()["data"]
    assert liquidacion["estado"] == "liquidada"
    assert liquidacion["total"] == "10000000.00"
    assert liquidacion["numero"].startswith("LIQ-")
    otra_vez = admin_api.post("/api/liquidaciones", json={"ids": ids})
    assert otra_vez.status_code == 409
    url = f"/api/liquidaciones/{liquidacion['id']}/pagar"
    pagada = admin_api.post(url, json={"fecha": "2026-12-01", "referencia": "TRF-9"})
    assert pagada.status_code == 200
    assert pagada.get_json()["data"]["estado"] == "pagada"
    assert set(db.session.scalars(select(Comision.estado))) == {"pagada"}
    de_nuevo = admin_api.post(url, json={"fecha": "2026-12-02", "referencia": "TRF-10"})
    assert de_nuevo.status_code == 409
    assert "ya está pagada" in de_nuevo.get_json()["message"]


def test_liquidate_by_filters(app, db, admin_api, gente, vendida):
    _director, asesor, _otro = gente
    respuesta = admin_api.post(
        "/api/liquidaciones",
        json={"filtros": {"beneficiario": asesor.id, "desde": "2026-01-01"}},
    )
    assert respuesta.status_code == 201
    assert respuesta.get_json()["data"]["total"] == "7500000.00"


@pytest.mark.parametrize(
    "cuerpo",
    [{}, {"ids": [1], "filtros": {}}, {"ids": []}, {"ids": ["x"]}],
)
def test_a_liquidation_needs_ids_or_filters(app, db, admin_api, gente, vendida, cuerpo):
    respuesta = admin_api.post("/api/liquidaciones", json=cuerpo)
    assert respuesta.status_code == 422
    errores = respuesta.get_json()["errors"]
    assert all(isinstance(m, list) for m in errores.values()), errores  # "ids.0", flat
    assert db.session.scalar(select(func.count(Liquidacion.id))) == 0


def test_nothing_to_liquidate_is_a_422(app, db, admin_api, gente):
    respuesta = admin_api.post("/api/liquidaciones", json={"filtros": {}})
    assert respuesta.status_code == 422
    assert "No hay comisiones causadas" in respuesta.get_json()["message"]
    assert db.session.scalar(select(func.count(Liquidacion.id))) == 0


def test_an_asesor_cannot_liquidate(app, db, gente, vendida):
    _director, asesor, _otro = gente
    ids = list(db.session.scalars(select(Comision.id)))
    respuesta = cliente_api(app, asesor).post("/api/liquidaciones", json={"ids": ids})
    assert respuesta.status_code == 403
    assert set(db.session.scalars(select(Comision.estado))) == {"causada"}


# --- metas ---------------------------------------------------------------------------------


def test_goals_crud_duplicate_and_cumplimiento(app, db, admin_api, gente, vendida):
    _director, asesor, _otro = gente
    cuerpo = {"id_usuario": asesor.id, "anio": 2026, "mes": 1, "tipo": "unidades", "meta": "2"}
    creada = admin_api.post("/api/metas", json=cuerpo)
    assert creada.status_code == 201
    duplicada = admin_api.post("/api/metas", json=cuerpo)
    assert duplicada.status_code == 409
    assert "Ya existe la meta" in duplicada.get_json()["message"]
    cero = admin_api.post("/api/metas", json={**cuerpo, "mes": 2, "meta": "0"})
    assert cero.status_code == 422
    assert "mayor que cero" in cero.get_json()["errors"]["meta"][0]
    assert db.session.scalar(select(func.count(Meta.id))) == 1

    cumplimiento = admin_api.get("/api/metas/cumplimiento?anio=2026&mes=1").get_json()
    [fila] = cumplimiento["data"]
    assert (fila["meta"], fila["real"], fila["porcentaje"], fila["alerta"]) == (
        "2.00",
        "1.00",
        "50.0",
        True,
    )
    assert admin_api.get("/api/metas/cumplimiento?anio=2026").status_code == 422


def test_an_asesor_cannot_create_goals(app, gente):
    _director, asesor, _otro = gente
    respuesta = cliente_api(app, asesor).post(
        "/api/metas", json={"anio": 2026, "mes": 1, "tipo": "unidades", "meta": "2"}
    )
    assert respuesta.status_code == 403
