"""Every API body field (and id in an API path), fuzzed with hostile strings and
numbers: no 5xx, a Spanish message, nothing saved when refused."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from admin_app.extensions import db
from admin_app.formatting import today_bogota
from admin_app.models import (
    Apartamento,
    Bitacora,
    Cliente,
    Cuota,
    EstadoOperacion,
    Local,
    Pago,
    Parqueadero,
    PoliticaPrecio,
    Rol,
    TipoApartamento,
    Torre,
    Venta,
)
from tests import factories
from tests.api.conftest import ApiClient, issue_token
from tests.conftest import make_user

from .conftest import FUZZ, con_nulo, contar, numero_hostil, texto_hostil


def valor_json():
    return st.one_of(
        texto_hostil(),
        numero_hostil(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from([None, True, [], {}, ["\x00"], 1e308, -0.0]),
    )


@pytest.fixture
def api(app, datos):
    cliente = ApiClient(app.test_client(), issue_token(make_user("api-fuzz", Rol.ADMIN)))
    hoy = today_bogota()
    torre = db.session.get(Torre, datos["torre"])
    cliente.ids = dict(
        datos,
        hoy=hoy.isoformat(),
        limite=(hoy + timedelta(days=10)).isoformat(),
        disponibles=[factories.apartamento(torre).id for _ in range(3)],
        vigente=db.session.scalar(
            select(Venta.id)
            .join(Cuota, Cuota.id_venta == Venta.id)
            .where(
                Venta.estado_operacion == EstadoOperacion.VIGENTE,
                Cuota.valor_pagado < Cuota.valor,
            )
            .limit(1)
        ),
    )
    db.session.commit()
    return cliente


def _cuerpos(ids, n: int) -> dict[str, tuple[str, str, type, dict]]:
    return {
        "cliente nuevo": (
            "POST",
            "/api/clientes",
            Cliente,
            dict(
                documento=f"8{n}",
                nombre="Ana Ruiz",
                id_tipo_cliente=1,
                id_tipo_documento=1,
                direccion="Calle 1",
                telefono="3001234567",
                correo="ana@example.com",
            ),
        ),
        "cliente cambios": (
            "PATCH",
            f"/api/clientes/{ids['cliente']}",
            Bitacora,
            dict(nombre="Otro Nombre", direccion="Calle 2", telefono="3007654321"),
        ),
        "separacion": (
            "POST",
            "/api/ventas",
            Venta,
            dict(
                tipo_operacion="separacion",
                documento_cliente=ids["cliente"],
                id_apartamento=ids["disponibles"][n % 3],
                fecha=ids["hoy"],
                valor_separacion="5000000.00",
                fecha_limite_separacion=ids["limite"],
                observaciones="",
            ),
        ),
        "local nuevo": (
            "POST",
            "/api/locales",
            Local,
            dict(id_torre=ids["torre"], numero=f"L{n}", area_m2="40.50", valor_m2="5000000"),
        ),
        "parqueadero nuevo": (
            "POST",
            "/api/parqueaderos",
            Parqueadero,
            dict(id_torre=ids["torre"], numero=f"P{n}", id_tipo_parqueadero=1, precio="3000000"),
        ),
        "tipo de apartamento": (
            "POST",
            "/api/tipos_apartamento",
            TipoApartamento,
            dict(
                id_proyecto=ids["proyecto"],
                nombre=f"Tipo {n}",
                area_construida="60.50",
                area_privada="55.00",
                habitaciones=2,
                banos=2,
                valor_m2="5000000.00",
            ),
        ),
        "politica de precio": (
            "POST",
            "/api/politicas_precio",
            PoliticaPrecio,
            dict(
                id_proyecto=ids["proyecto"],
                nombre=f"Política {n}",
                ventas_por_escalon=5,
                porcentaje_aumento="2.5000",
                aplica_desde=None,
                activa=True,
            ),
        ),
        "apartamento": (
            "POST",
            "/api/apartamentos",
            Apartamento,
            dict(
                id_torre=ids["torre"],
                numero=f"A{n}",
                piso=3,
                area_m2="60.00",
                habitaciones=2,
                banos=2,
                precio_base="250000000.00",
            ),
        ),
        "vista previa de precios": (
            "POST",
            f"/api/proyectos/{ids['proyecto']}/precios/vista_previa",
            PoliticaPrecio,
            dict(
                recurso="politica_precio",
                id=None,
                cambios={"nombre": "X", "ventas_por_escalon": 1, "porcentaje_aumento": "3"},
            ),
        ),
        "pago": (
            "POST",
            f"/api/ventas/{ids['vigente']}/pagos",
            Pago,
            dict(fecha=ids["hoy"], valor="1000.00", id_medio_pago=1, referencia="R1"),
        ),
    }


@FUZZ
@given(data=st.data(), n=st.integers(min_value=1000, max_value=9999))
def test_every_api_body_field_answers_without_server_error(api, data, n):
    cuerpos = _cuerpos(api.ids, n)
    nombre = data.draw(st.sampled_from(sorted(cuerpos)))
    metodo, url, modelo, cuerpo = cuerpos[nombre]
    for campo in data.draw(st.lists(st.sampled_from(sorted(cuerpo)), min_size=1, max_size=2)):
        cuerpo[campo] = data.draw(valor_json())
    antes = contar(modelo)

    response = api.open(metodo, url, json=cuerpo)

    assert response.status_code < 500, (nombre, cuerpo)
    if response.status_code >= 400:
        assert response.get_json()["message"]
        assert contar(modelo) == antes, (nombre, cuerpo)
    if any(con_nulo(v) for v in cuerpo.values()):
        assert response.status_code in (400, 422)


def test_the_api_fuzz_starts_from_bodies_that_save(api):
    for nombre, (metodo, url, _modelo, cuerpo) in _cuerpos(api.ids, 4321).items():
        response = api.open(metodo, url, json=cuerpo)
        assert response.status_code in (200, 201), (nombre, response.get_json())


@FUZZ
@given(
    plantilla=st.sampled_from(
        ["/api/ventas/{id}", "/api/ventas/{id}/pagos", "/api/clientes/{id}", "/api/pagos/{id}"]
    ),
    id=st.one_of(numero_hostil(), texto_hostil().filter(lambda t: "/" not in t and t.strip())),
)
def test_every_id_in_an_api_path_answers_without_server_error(api, plantilla, id):
    response = api.get(plantilla.format(id=id))
    assert response.status_code < 500, (plantilla, id)
    if response.status_code >= 400:
        assert response.get_json()["message"]
