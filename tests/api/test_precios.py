from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from admin_app.models import Apartamento, HistorialPrecio, PoliticaPrecio, TipoApartamento
from admin_app.services import precios
from tests import factories

TIPO = {
    "nombre": "Tipo A",
    "area_construida": "60.00",
    "area_privada": "55.50",
    "habitaciones": 2,
    "banos": 2,
    "valor_m2": "5000000.00",
}


@pytest.fixture
def proyecto(db):
    proyecto = factories.proyecto(
        prima_altura_activa=True,
        prima_altura_base=D("4000000"),
        prima_altura_incremento=D("1000000"),
    )
    torre = factories.torre(proyecto, nombre="T1")
    for piso in (1, 2, 3):
        factories.apartamento(torre, numero=f"{piso}01", piso=piso, precio=D("300000000"))
    precios.recalcular_proyecto(proyecto)
    db.session.commit()
    return proyecto


def _tipo(admin_api, proyecto, **cambios):
    response = admin_api.post(
        "/api/tipos_apartamento", json={**TIPO, "id_proyecto": proyecto.id, **cambios}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]


def _contar(db, modelo) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(modelo))


def test_a_tipo_is_created_with_its_valor_estimado(admin_api, proyecto):
    tipo = _tipo(admin_api, proyecto)
    assert tipo["valor_estimado"] == "300000000.00"
    assert tipo["area_privada"] == "55.50"
    listado = admin_api.get(f"/api/tipos_apartamento?id_proyecto={proyecto.id}").get_json()
    assert [t["nombre"] for t in listado["data"]] == ["Tipo A"]


@pytest.mark.parametrize(
    ("cambios", "campo"),
    [
        ({"area_construida": "0"}, "area_construida"),
        ({"area_privada": "-5.00"}, "area_privada"),
        ({"valor_m2": "0.00"}, "valor_m2"),
        ({"habitaciones": -1}, "habitaciones"),
        ({"nombre": ""}, "nombre"),
    ],
)
def test_a_wrong_tipo_is_a_422_on_its_field(admin_api, db, proyecto, cambios, campo):
    response = admin_api.post(
        "/api/tipos_apartamento", json={**TIPO, "id_proyecto": proyecto.id, **cambios}
    )
    assert response.status_code == 422, response.get_json()
    assert campo in response.get_json()["errors"]
    assert _contar(db, TipoApartamento) == 0


def test_a_duplicate_tipo_name_is_a_422_on_nombre(admin_api, proyecto):
    _tipo(admin_api, proyecto)
    response = admin_api.post(
        "/api/tipos_apartamento", json={**TIPO, "id_proyecto": proyecto.id, "nombre": "tipo a"}
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["nombre"] == [
        "Ya existe un tipo de apartamento con ese nombre en el proyecto."
    ]


def test_only_an_admin_writes_tipos(api, proyecto):
    response = api.post("/api/tipos_apartamento", json={**TIPO, "id_proyecto": proyecto.id})
    assert response.status_code == 403


def test_an_apartment_with_a_tipo_is_priced_from_it_and_the_tipo_is_kept(admin_api, db, proyecto):
    tipo = _tipo(admin_api, proyecto)
    torre = proyecto.torres[0]
    response = admin_api.post(
        "/api/apartamentos",
        json={"id_torre": torre.id, "numero": "501", "piso": 5, "area_m2": "60.00",
              "habitaciones": 2, "banos": 2, "id_tipo_apartamento": tipo["id"]},
    )  # fmt: skip
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["precio_base"], data["precio"]) == ("300000000.00", "307000000.00")
    assert data["estado"] == "Disponible"
    borrar = admin_api.delete(f"/api/tipos_apartamento/{tipo['id']}")
    assert borrar.status_code == 409
    assert "lo usan 1 apartamento" in borrar.get_json()["message"]
    historial = admin_api.get(f"/api/apartamentos/{data['id']}/historial_precios").get_json()
    assert [(h["precio_antes"], h["precio_despues"], h["motivo"]) for h in historial["data"]] == [
        (None, "307000000.00", "tipo")
    ]


def test_editing_a_tipo_reprices_its_apartments(admin_api, db, proyecto):
    tipo = _tipo(admin_api, proyecto)
    apto = db.session.scalars(select(Apartamento).where(Apartamento.piso == 1)).one()
    assert (
        admin_api.patch(
            f"/api/apartamentos/{apto.id}", json={"id_tipo_apartamento": tipo["id"]}
        ).status_code
        == 200
    )
    response = admin_api.patch(f"/api/tipos_apartamento/{tipo['id']}", json={"valor_m2": "5100000"})
    assert response.status_code == 200, response.get_json()
    assert admin_api.get(f"/api/apartamentos/{apto.id}").get_json()["data"]["precio"] == (
        "306000000.00"
    )


def test_a_manual_base_price_edit_is_kept_in_the_history(admin_api, db, proyecto):
    apto = db.session.scalars(select(Apartamento).where(Apartamento.piso == 1)).one()
    response = admin_api.patch(f"/api/apartamentos/{apto.id}", json={"precio_base": "310000000"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["precio"] == "310000000.00"
    historia = admin_api.get(f"/api/apartamentos/{apto.id}/historial_precios").get_json()["data"]
    assert historia[0]["precio_antes"] == "300000000.00"
    assert historia[0]["precio_despues"] == "310000000.00"
    assert historia[0]["motivo"] == "manual"


def test_a_policy_without_a_condition_is_a_422_on_both(admin_api, db, proyecto):
    response = admin_api.post(
        "/api/politicas_precio",
        json={"id_proyecto": proyecto.id, "nombre": "P", "porcentaje_aumento": "2"},
    )
    assert response.status_code == 422
    errores = response.get_json()["errors"]
    assert "al menos una condición" in errores["ventas_por_escalon"][0]
    assert "al menos una condición" in errores["aplica_desde"][0]
    assert _contar(db, PoliticaPrecio) == 0


@pytest.mark.parametrize("porcentaje", ["100.0001", "-1", "2.00001", "abc", True])
def test_a_percentage_out_of_range_is_a_422(admin_api, proyecto, porcentaje):
    response = admin_api.post(
        "/api/politicas_precio",
        json={"id_proyecto": proyecto.id, "nombre": "P", "ventas_por_escalon": 5,
              "porcentaje_aumento": porcentaje},
    )  # fmt: skip
    assert response.status_code == 422
    assert "porcentaje_aumento" in response.get_json()["errors"]


def test_a_policy_reprices_and_the_project_prices_show_it(admin_api, proyecto):
    response = admin_api.post(
        "/api/politicas_precio",
        json={"id_proyecto": proyecto.id, "nombre": "Lanzamiento",
              "aplica_desde": "2020-01-01", "porcentaje_aumento": "1.5"},
    )  # fmt: skip
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["porcentaje_aumento"] == "1.5000"
    body = admin_api.get(f"/api/proyectos/{proyecto.id}/precios").get_json()
    assert body["meta"]["total"] == 3
    fila = next(f for f in body["data"] if f["piso"] == 3)
    assert fila["precio_base"] == "300000000.00"
    assert fila["prima"] == "5000000.00"
    assert fila["factor"] == "1.015"
    assert fila["precio"] == "309575000.00"
    assert fila["politicas"] == ["Lanzamiento (+1,5 %)"]


def test_the_preview_of_a_new_policy_saves_nothing(admin_api, db, proyecto):
    historia = _contar(db, HistorialPrecio)
    response = admin_api.post(
        f"/api/proyectos/{proyecto.id}/precios/vista_previa",
        json={"recurso": "politica_precio", "id": None,
              "cambios": {"nombre": "Nueva", "aplica_desde": "2020-01-01",
                          "porcentaje_aumento": "10"}},
    )  # fmt: skip
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["meta"]["total"] == 3
    assert body["data"][0]["precio_antes"] == "300000000.00"
    assert body["data"][0]["precio_despues"] == "330000000.00"
    assert _contar(db, PoliticaPrecio) == 0
    assert _contar(db, HistorialPrecio) == historia


def test_the_preview_of_the_prima_and_of_a_tipo(admin_api, db, proyecto):
    prima = admin_api.post(
        f"/api/proyectos/{proyecto.id}/precios/vista_previa",
        json={"recurso": "proyecto", "id": proyecto.id,
              "cambios": {"prima_altura_base": "6000000.00"}},
    )  # fmt: skip
    assert prima.status_code == 200, prima.get_json()
    assert [f["precio_despues"] for f in prima.get_json()["data"]] == [
        "306000000.00",
        "307000000.00",
    ]
    tipo = _tipo(admin_api, proyecto)
    apto = db.session.scalars(select(Apartamento).where(Apartamento.piso == 1)).one()
    admin_api.patch(f"/api/apartamentos/{apto.id}", json={"id_tipo_apartamento": tipo["id"]})
    vista = admin_api.post(
        f"/api/proyectos/{proyecto.id}/precios/vista_previa",
        json={"recurso": "tipo_apartamento", "id": tipo["id"],
              "cambios": {"area_construida": "61.00"}},
    )  # fmt: skip
    assert vista.status_code == 200, vista.get_json()
    assert vista.get_json()["data"] == [
        {"id_apartamento": apto.id, "apartamento": f"T1 - Apto {apto.numero}",
         "precio_antes": "300000000.00", "precio_despues": "305000000.00"}
    ]  # fmt: skip
    db.session.rollback()
    assert db.session.get(TipoApartamento, tipo["id"]).area_construida == D("60.00")


def test_a_wrong_preview_names_the_field(admin_api, proyecto):
    response = admin_api.post(
        f"/api/proyectos/{proyecto.id}/precios/vista_previa",
        json={"recurso": "politica_precio", "id": None,
              "cambios": {"nombre": "X", "porcentaje_aumento": "200"}},
    )  # fmt: skip
    assert response.status_code == 422
    assert "cambios.porcentaje_aumento" in response.get_json()["errors"]


def test_the_inventory_is_loaded_through_the_api(admin_api, db):
    proyecto = admin_api.post(
        "/api/proyectos",
        json={"nombre": "Nuevo", "ciudad": "Cali", "valor_min_separacion": "1000000",
              "plazo_max_cuota_inicial_meses": 24, "plazo_max_separacion_dias": 15,
              "prima_altura_activa": True, "prima_altura_base": "2000000",
              "prima_altura_incremento": "500000"},
    )  # fmt: skip
    assert proyecto.status_code == 201, proyecto.get_json()
    id_proyecto = proyecto.get_json()["data"]["id"]
    torre = admin_api.post(
        "/api/torres", json={"id_proyecto": id_proyecto, "nombre": "A", "nivel_inicio_prima": 3}
    )
    assert torre.status_code == 201, torre.get_json()
    id_torre = torre.get_json()["data"]["id"]
    cuerpo = {"id_torre": id_torre, "numero": "401", "piso": 4, "area_m2": "50",
              "habitaciones": 1, "banos": 1, "precio_base": "200000000"}  # fmt: skip
    apto = admin_api.post("/api/apartamentos", json=cuerpo)
    assert apto.status_code == 201, apto.get_json()
    assert apto.get_json()["data"]["precio"] == "202500000.00"
    repetido = admin_api.post("/api/apartamentos", json=cuerpo)
    assert repetido.status_code == 422
    assert "numero" in repetido.get_json()["errors"]
    nivel = admin_api.patch(f"/api/torres/{id_torre}", json={"nivel_inicio_prima": 4})
    assert nivel.status_code == 200
    assert (
        admin_api.get(f"/api/apartamentos/{apto.get_json()['data']['id']}").get_json()["data"][
            "precio"
        ]
        == "202000000.00"
    )
    assert admin_api.delete(f"/api/torres/{id_torre}").status_code == 409
    sin_base = admin_api.post("/api/apartamentos", json={**cuerpo, "numero": "402",
                                                         "precio_base": None})  # fmt: skip
    assert sin_base.status_code == 422
    assert "precio_base" in sin_base.get_json()["errors"]


def test_a_duplicate_torre_name_is_a_422(admin_api, proyecto):
    response = admin_api.post("/api/torres", json={"id_proyecto": proyecto.id, "nombre": "t1"})
    assert response.status_code == 422
    assert "nombre" in response.get_json()["errors"]


def test_a_sale_says_at_which_price_and_step_it_was_made(admin_api, db, proyecto):
    admin_api.post(
        "/api/politicas_precio",
        json={"id_proyecto": proyecto.id, "nombre": "Preventa", "aplica_desde": "2020-01-01",
              "porcentaje_aumento": "2"},
    )  # fmt: skip
    apto = db.session.scalars(select(Apartamento).where(Apartamento.piso == 1)).one()
    cliente = factories.cliente()
    db.session.commit()
    response = admin_api.post(
        "/api/ventas",
        json={"tipo_operacion": "separacion", "documento_cliente": cliente.documento,
              "id_apartamento": apto.id, "fecha": "2026-11-25",
              "valor_separacion": "5000000", "fecha_limite_separacion": "2026-12-10"},
    )  # fmt: skip
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["valor_total"] == data["precio_lista"] == "306000000.00"
    assert data["factor_precio"] == "1.02"
    assert data["politicas_aplicadas"] == "Preventa (+2 %)"


def test_two_creates_racing_for_one_name_is_a_422_on_nombre(admin_api, proyecto, monkeypatch):
    _tipo(admin_api, proyecto)
    # The other request checked before this one saved: only the unique index sees it.
    monkeypatch.setattr(precios, "_nombre_unico", lambda *args: None)
    response = admin_api.post("/api/tipos_apartamento", json={**TIPO, "id_proyecto": proyecto.id})
    assert response.status_code == 422, response.get_json()
    assert "nombre" in response.get_json()["errors"]
