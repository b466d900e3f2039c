"""Tipos de apartamento, políticas de precio and the prima: the preview, then the confirmation."""

import re
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from admin_app.models import Apartamento, HistorialPrecio, PoliticaPrecio, Proyecto, TipoApartamento
from admin_app.services import precios
from admin_app.services.ventas import crear_operacion
from tests import factories
from tests.services.conftest import datos_venta


def _errors(response) -> str:
    html = response.get_data(as_text=True)
    return " ".join(re.findall(r'class="invalid-feedback">(.*?)</ul>', html, re.S))


@pytest.fixture
def proyecto(db):
    proyecto = factories.proyecto(nombre="Altos")
    torre = factories.torre(proyecto, nombre="T1")
    for piso in (1, 2):
        factories.apartamento(torre, numero=f"{piso}01", piso=piso, precio=D("300000000"))
    db.session.commit()
    return proyecto


def _precios(db) -> list[D]:
    db.session.rollback()
    return list(db.session.scalars(select(Apartamento.precio).order_by(Apartamento.numero)))


POLITICA = {"nombre": "Lanzamiento", "orden": "1", "porcentaje_aumento": "1,5",
            "aplica_desde": "2020-01-01", "activa": "y"}  # fmt: skip


@pytest.mark.parametrize("url", ["/admin/tipos_apartamento/", "/admin/politicas_precio/"])
def test_price_pages_are_for_admins(admin_client, digitador_client, url):
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url + "new/").status_code == 200
    assert digitador_client.get(url).status_code == 403


def test_a_new_policy_is_previewed_then_confirmed(admin_client, db, proyecto):
    datos = {**POLITICA, "proyecto": str(proyecto.id)}
    previa = admin_client.post("/admin/politicas_precio/new/", data=datos)
    assert previa.status_code == 200
    html = previa.get_data(as_text=True)
    assert "2 apartamentos disponibles cambian de precio." in html
    assert "$ 304.500.000" in html and "Confirmar" in html
    assert db.session.scalar(select(func.count()).select_from(PoliticaPrecio)) == 0
    assert _precios(db) == [D("300000000.00")] * 2

    csv = admin_client.post("/admin/politicas_precio/new/", data={**datos, "exportar": "csv"})
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert "304500000.00" in csv.get_data(as_text=True)
    xlsx = admin_client.post("/admin/politicas_precio/new/", data={**datos, "exportar": "xlsx"})
    assert xlsx.data[:2] == b"PK"

    hecho = admin_client.post("/admin/politicas_precio/new/", data={**datos, "confirmar": "1"})
    assert hecho.status_code == 302
    assert _precios(db) == [D("304500000.00")] * 2
    assert db.session.scalar(select(func.count()).select_from(HistorialPrecio)) == 2


def test_a_policy_without_a_condition_is_refused_on_the_page(admin_client, db, proyecto):
    datos = {**POLITICA, "proyecto": str(proyecto.id), "aplica_desde": "", "confirmar": "1"}
    response = admin_client.post("/admin/politicas_precio/new/", data=datos)
    assert response.status_code == 200
    assert "al menos una condición" in _errors(response)
    assert db.session.scalar(select(func.count()).select_from(PoliticaPrecio)) == 0


def test_a_percentage_over_100_is_refused(admin_client, db, proyecto):
    datos = {**POLITICA, "proyecto": str(proyecto.id), "porcentaje_aumento": "101"}
    response = admin_client.post("/admin/politicas_precio/new/", data=datos)
    assert "Escriba un porcentaje entre 0 y 100" in _errors(response)


def _tipo(db, proyecto) -> TipoApartamento:
    tipo = precios.guardar_tipo(
        TipoApartamento(
            id_proyecto=proyecto.id, nombre="A", area_construida=D("60"), area_privada=D("55"),
            habitaciones=2, banos=2, valor_m2=D("5000000"),
        )
    )  # fmt: skip
    for apto in db.session.scalars(select(Apartamento)):
        apto.id_tipo_apartamento = tipo.id
    db.session.commit()
    return tipo


def test_a_tipo_is_created_at_once_and_its_edit_previewed(admin_client, db, proyecto):
    nuevo = admin_client.post(
        "/admin/tipos_apartamento/new/",
        data={"proyecto": str(proyecto.id), "nombre": "B", "area_construida": "70",
              "area_privada": "65", "habitaciones": "3", "banos": "2", "valor_m2": "4.000.000"},
    )  # fmt: skip
    assert nuevo.status_code == 302
    tipo = _tipo(db, proyecto)
    datos = {"proyecto": str(proyecto.id), "nombre": "A", "area_construida": "61",
             "area_privada": "55", "habitaciones": "2", "banos": "2", "valor_m2": "5.000.000",
             "version": str(tipo.version)}  # fmt: skip
    url = f"/admin/tipos_apartamento/edit/?id={tipo.id}"
    previa = admin_client.post(url, data=datos)
    assert "2 apartamentos disponibles cambian de precio." in previa.get_data(as_text=True)
    assert _precios(db) == [D("300000000.00")] * 2
    assert admin_client.post(url, data={**datos, "confirmar": "1"}).status_code == 302
    assert _precios(db) == [D("305000000.00")] * 2


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [("area_construida", "0", "mayor que 0"), ("valor_m2", "0", "mayor que 0")],
)
def test_a_tipo_with_a_non_positive_value_is_refused(admin_client, db, proyecto, campo, valor,
                                                     mensaje):  # fmt: skip
    datos = {"proyecto": str(proyecto.id), "nombre": "B", "area_construida": "70",
             "area_privada": "65", "habitaciones": "3", "banos": "2", "valor_m2": "4.000.000",
             campo: valor}  # fmt: skip
    response = admin_client.post("/admin/tipos_apartamento/new/", data=datos)
    assert response.status_code == 200 and mensaje in _errors(response)
    assert db.session.scalar(select(func.count()).select_from(TipoApartamento)) == 0


def test_deleting_a_tipo_in_use_is_refused_with_a_message(admin_client, db, proyecto):
    tipo = _tipo(db, proyecto)
    response = admin_client.post(
        "/admin/tipos_apartamento/delete/", data={"id": str(tipo.id)}, follow_redirects=True
    )
    assert "lo usan 2 apartamentos" in response.get_data(as_text=True)
    assert db.session.get(TipoApartamento, tipo.id) is not None


def test_the_prima_is_previewed_on_the_project_form(admin_client, db, proyecto):
    datos = {"nombre": "Altos", "ciudad": "Medellín", "porcentaje_cuota_inicial_min": "30",
             "valor_min_separacion": "5000000", "plazo_max_cuota_inicial_meses": "36",
             "plazo_max_separacion_dias": "30", "activo": "y", "prima_altura_activa": "y",
             "prima_altura_base": "4.000.000", "prima_altura_incremento": "1.000.000",
             "version": str(proyecto.version)}  # fmt: skip
    url = f"/admin/proyectos/edit/?id={proyecto.id}"
    previa = admin_client.post(url, data=datos)
    assert "1 apartamento cambia de precio: T1 - Apto 201" in previa.get_data(as_text=True)
    assert db.session.get(Proyecto, proyecto.id).prima_altura_activa is False
    assert admin_client.post(url, data={**datos, "confirmar": "1"}).status_code == 302
    assert _precios(db) == [D("300000000.00"), D("304000000.00")]


def test_apartment_details_show_its_price_history_and_export_it(admin_client, db, proyecto):
    apto = db.session.scalars(select(Apartamento).where(Apartamento.piso == 1)).one()
    response = admin_client.post(
        f"/admin/apartamentos/edit/?id={apto.id}",
        data={"torre": str(apto.id_torre), "numero": "101", "piso": "1", "area_m2": "60",
              "habitaciones": "2", "banos": "2", "precio_base": "310.000.000",
              "version": str(apto.version)},
    )  # fmt: skip
    assert response.status_code == 302, _errors(response)
    html = admin_client.get(f"/admin/apartamentos/details/?id={apto.id}").get_data(as_text=True)
    assert 'id="historial-precios"' in html
    assert "$ 310.000.000" in html and "Manual" in html
    csv = admin_client.get(f"/admin/apartamentos/historial_precios.csv?id={apto.id}")
    assert csv.status_code == 200 and "310000000.00" in csv.get_data(as_text=True)


def test_the_sale_details_say_its_price_and_step(admin_client, db, proyecto):
    precios.guardar_politica(
        PoliticaPrecio(id_proyecto=proyecto.id, nombre="Preventa", aplica_desde=_hace_tiempo(),
                       porcentaje_aumento=D("2"))
    )  # fmt: skip
    apto = db.session.scalars(select(Apartamento).where(Apartamento.piso == 1)).one()
    venta = crear_operacion(datos_venta(factories.cliente(), apto, cuota_inicial=D("100000000")))
    db.session.commit()
    html = admin_client.get(f"/admin/ventas/details/?id={venta.id}").get_data(as_text=True)
    assert "$ 306.000.000" in html
    assert "factor 1,02: Preventa (+2 %)" in html


def _hace_tiempo():
    from datetime import date

    return date(2020, 1, 1)
