"""Every admin form field, fuzzed with hostile text and numbers: no 5xx; a NUL is
an error on its field; a refused form saves nothing."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from admin_app.extensions import db
from admin_app.models import (
    Apartamento,
    Cliente,
    Cuota,
    Local,
    MedioPago,
    Pago,
    Parqueadero,
    PoliticaPrecio,
    Proyecto,
    TipoApartamento,
    TipoDocumento,
    Torre,
    Usuario,
    Venta,
)
from tests import factories
from tests.conftest import login

from .conftest import FUZZ, NULO, con_nulo, contar, numero_hostil, texto_hostil

NUMEROS = {
    "id_tipo_cliente",
    "id_tipo_documento",
    "porcentaje_cuota_inicial_min",
    "valor_min_separacion",
    "plazo_max_cuota_inicial_meses",
    "plazo_max_separacion_dias",
    "proyecto",
    "torre",
    "area_m2",
    "banos",
    "habitaciones",
    "piso",
    "precio",
    "cuota_inicial",
    "fecha",
    "fecha_limite_separacion",
    "id_apartamento",
    "id_forma_pago",
    "id_proyecto",
    "plazo_cuota_inicial_meses",
    "tasa_interes_anual",
    "valor_separacion",
    "valor_total",
    "id_medio_pago",
    "id_venta",
    "valor",
    "id_torre",
    "id_tipo_parqueadero",
    "valor_m2",
    "id_local",
    "id_parqueadero",
    "area_construida",
    "area_privada",
    "orden",
    "ventas_por_escalon",
    "porcentaje_aumento",
    "aplica_desde",
    "precio_base",
    "prima_altura_base",
    "prima_altura_incremento",
    "nivel_inicio_prima",
    "tipo",
}
# A price policy is saved on its preview's "Confirmar".
CONFIRMAR = {"politicas_precio": {"confirmar": "1"}}
_serie = itertools.count(1000)


def _formularios(ids) -> dict[str, tuple[type, dict]]:
    """Per create form: the model it adds to and a valid body."""
    n = next(_serie)
    return {
        "clientes": (
            Cliente,
            dict(
                documento=f"7{n}",
                nombre="Ana Ruiz",
                id_tipo_cliente="1",
                id_tipo_documento="1",
                direccion="Calle 1",
                telefono="3001234567",
                correo="ana@example.com",
            ),
        ),
        "proyectos": (
            Proyecto,
            dict(
                nombre=f"Proyecto fuzz {n}",
                ciudad="Cali",
                porcentaje_cuota_inicial_min="30",
                valor_min_separacion="1.000.000",
                plazo_max_cuota_inicial_meses="24",
                plazo_max_separacion_dias="30",
                activo="y",
            ),
        ),
        "torres": (Torre, dict(nombre=f"Torre fuzz {n}", proyecto=str(ids["proyecto"]))),
        "medios_pago": (MedioPago, dict(nombre=f"Medio {n}")),
        "tipos_documento": (TipoDocumento, dict(codigo=f"Z{n}", nombre=f"Tipo {n}")),
        "apartamentos": (
            Apartamento,
            dict(
                torre=str(ids["torre"]),
                numero=f"F{n}",
                piso="3",
                area_m2="60,5",
                habitaciones="2",
                banos="2",
                precio_base="250.000.000",
            ),
        ),
        "tipos_apartamento": (
            TipoApartamento,
            dict(
                proyecto=str(ids["proyecto"]),
                nombre=f"Tipo {n}",
                area_construida="60,5",
                area_privada="55",
                habitaciones="2",
                banos="2",
                valor_m2="5.000.000",
            ),
        ),
        "politicas_precio": (
            PoliticaPrecio,
            dict(
                proyecto=str(ids["proyecto"]),
                nombre=f"Política {n}",
                orden="1",
                ventas_por_escalon="5",
                porcentaje_aumento="2,5",
                aplica_desde="",
                activa="y",
            ),
        ),
        "ventas": (
            Venta,
            dict(
                tipo_operacion="separacion",
                documento_cliente=ids["cliente"],
                id_proyecto=str(ids["proyecto"]),
                id_apartamento=str(ids["disponibles"][n % 3]),
                fecha=ids["hoy"],
                valor_total="",
                valor_separacion="5.000.000",
                fecha_limite_separacion=ids["hoy"],
                id_forma_pago="",
                cuota_inicial="",
                plazo_cuota_inicial_meses="",
                tasa_interes_anual="0",
                observaciones="",
            ),
        ),
        "locales": (
            Local,
            dict(
                id_proyecto="",
                id_torre=str(ids["torre"]),
                numero=f"L{n}",
                area_m2="40,5",
                valor_m2="5.000.000",
            ),
        ),
        "parqueaderos": (
            Parqueadero,
            dict(
                id_torre=str(ids["torre"]),
                numero=f"P{n}",
                id_tipo_parqueadero="1",
                precio="30.000.000",
                id_apartamento="",
            ),
        ),
        "pagos": (
            Pago,
            dict(
                id_venta=str(ids["vigente"]),
                fecha=ids["hoy"],
                valor="1.000",
                id_medio_pago="1",
                referencia="R1",
                observaciones="",
            ),
        ),
        "usuarios": (
            Usuario,
            dict(
                username=f"u{n}",
                nombre_completo="Usuario Fuzz",
                nueva_contrasena="una-clave-larga-2026",
                rol="digitador",
                activo="y",
            ),
        ),
    }


@pytest.fixture
def admin(client, datos, admin_user):
    from admin_app.formatting import today_bogota
    from admin_app.models import EstadoOperacion

    login(client, "admin")
    ids = dict(datos)
    ids["hoy"] = today_bogota().isoformat()
    torre = db.session.get(Torre, ids["torre"])
    ids["disponibles"] = [factories.apartamento(torre).id for _ in range(3)]
    db.session.commit()
    ids["vigente"] = db.session.scalar(  # one that still owes something
        select(Venta.id)
        .join(Cuota, Cuota.id_venta == Venta.id)
        .where(Venta.estado_operacion == EstadoOperacion.VIGENTE, Cuota.valor_pagado < Cuota.valor)
        .limit(1)
    )
    client.ids = ids
    return client


@FUZZ
@given(data=st.data())
def test_every_admin_form_field_refuses_hostile_input_without_server_error(admin, data):
    formularios = _formularios(admin.ids)
    vista = data.draw(st.sampled_from(sorted(formularios)))
    modelo, cuerpo = formularios[vista]
    campos = data.draw(st.lists(st.sampled_from(sorted(cuerpo)), min_size=1, max_size=2))
    for campo in campos:
        cuerpo[campo] = data.draw(numero_hostil() if campo in NUMEROS else texto_hostil())
    antes = contar(modelo)

    response = admin.post(f"/admin/{vista}/new/", data={**cuerpo, **CONFIRMAR.get(vista, {})})

    assert response.status_code < 500, (vista, cuerpo)
    if any(con_nulo(cuerpo[c]) for c in campos):
        assert response.status_code == 200
        assert NULO in response.get_data(as_text=True)
    if response.status_code != 302:
        assert contar(modelo) == antes, (vista, cuerpo)


@pytest.mark.parametrize("vista", ["clientes", "proyectos", "torres", "medios_pago", "pagos"])
def test_a_nul_in_any_form_field_is_a_field_error_that_keeps_the_input(admin, vista):
    modelo, cuerpo = _formularios(admin.ids)[vista]
    campo = next(c for c in cuerpo if c not in NUMEROS)
    cuerpo[campo] = "Texto\x00oculto"
    antes = contar(modelo)

    response = admin.post(f"/admin/{vista}/new/", data=cuerpo)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert NULO in html
    otro = next((c for c in cuerpo if c != campo and c not in NUMEROS), None)
    if otro:
        assert f'value="{cuerpo[otro]}"' in html or cuerpo[otro] in html
    assert contar(modelo) == antes


def test_the_fuzz_starts_from_bodies_that_save(admin):
    for vista, (modelo, cuerpo) in _formularios(admin.ids).items():
        antes = contar(modelo)
        response = admin.post(f"/admin/{vista}/new/", data={**cuerpo, **CONFIRMAR.get(vista, {})})
        assert response.status_code == 302, vista
        assert contar(modelo) == antes + 1, vista
