from decimal import Decimal as D

import pytest

from tests import factories


def test_catalogos_lists_every_catalog_with_ids(api):
    data = api.get("/api/catalogos").get_json()["data"]
    assert data["tipos_cliente"][0] == {"id": 1, "nombre": "Persona Natural"}
    assert data["tipos_documento"][1] == {
        "id": 2,
        "codigo": "NIT",
        "nombre": "Número de Identificación Tributaria",
    }
    assert [e["nombre"] for e in data["estados_inmueble"]] == [
        "Disponible", "Separado", "Vendido", "Bloqueado",
    ]  # fmt: skip
    assert len(data["formas_pago"]) == 4 and len(data["medios_pago"]) == 5


def test_proyectos_carry_their_rules_and_towers(api, db):
    proyecto = factories.proyecto(nombre="Altos del Río", valor_min_separacion=D("5000000"))
    factories.torre(proyecto, nombre="Torre A")
    db.session.commit()
    body = api.get("/api/proyectos").get_json()
    assert body["meta"]["total"] == 1
    data = body["data"][0]
    assert data["porcentaje_cuota_inicial_min"] == "30.00"
    assert data["valor_min_separacion"] == "5000000.00"
    assert data["plazo_max_cuota_inicial_meses"] == 36
    assert [t["nombre"] for t in data["torres"]] == ["Torre A"]
    assert api.get(f"/api/proyectos/{proyecto.id}").get_json()["data"]["nombre"] == "Altos del Río"


def test_unknown_proyecto_is_404(api):
    assert api.get("/api/proyectos/999").status_code == 404


@pytest.fixture
def inventario(db):
    p1, p2 = factories.proyecto(), factories.proyecto()
    t1, t2 = factories.torre(p1), factories.torre(p2)
    aptos = {
        "barato": factories.apartamento(t1, precio=D("150000000")),
        "caro": factories.apartamento(t1, precio=D("400000000"), id_estado_inmueble=3),
        "otro": factories.apartamento(t2, precio=D("250000000")),
    }
    db.session.commit()
    return p1, t2, aptos


def _ids(response):
    assert response.status_code == 200, response.get_json()
    return sorted(a["id"] for a in response.get_json()["data"])


def test_apartamentos_filter_by_proyecto(api, inventario):
    p1, _t2, aptos = inventario
    assert _ids(api.get(f"/api/apartamentos?id_proyecto={p1.id}")) == sorted(
        [aptos["barato"].id, aptos["caro"].id]
    )


def test_apartamentos_filter_by_torre(api, inventario):
    _p1, t2, aptos = inventario
    assert _ids(api.get(f"/api/apartamentos?id_torre={t2.id}")) == [aptos["otro"].id]


def test_apartamentos_filter_by_estado_name(api, inventario):
    _p1, _t2, aptos = inventario
    assert _ids(api.get("/api/apartamentos?estado=vendido")) == [aptos["caro"].id]


def test_apartamentos_filter_by_price_range(api, inventario):
    _p1, _t2, aptos = inventario
    response = api.get("/api/apartamentos?precio_min=200000000&precio_max=300000000.00")
    assert _ids(response) == [aptos["otro"].id]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("estado=Regalado", "estado"),
        ("precio_min=barato", "precio_min"),
        ("id_torre=-1", "id_torre"),
    ],
)
def test_apartamentos_bad_filter_is_422(api, query, field):
    response = api.get(f"/api/apartamentos?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_apartamento_shows_money_and_area_as_strings(api, inventario):
    _p1, _t2, aptos = inventario
    data = api.get(f"/api/apartamentos/{aptos['barato'].id}").get_json()["data"]
    assert (data["precio"], data["area_m2"], data["estado"]) == (
        "150000000.00",
        "60.00",
        "Disponible",
    )
