"""Numbers and dates at the door: every admin form refuses hostile values on
the field, in Spanish and with the field's real bounds, saves nothing and
shows back what was typed; the parsers never fail any other way."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import Form

from admin_app.admin.campos import (
    DINERO_INVALIDO,
    ENTERO_INVALIDO,
    FECHA_INVALIDA,
    NUMERO_INVALIDO,
    TASA_INVALIDA,
    CampoDecimal,
    CampoDinero,
    CampoEntero,
    CampoFecha,
    CampoTasa,
    fecha_maxima,
    formato_dinero,
)
from admin_app.formatting import format_date, today_bogota
from admin_app.models import Apartamento, Pago, Proyecto, Venta
from admin_app.models.base import DINERO_MAXIMO
from admin_app.services import ventas as servicio_ventas
from tests.admin._html import por_id
from tests.admin.test_ventas import _venta_form as _venta

HOY = today_bogota()
DECIMALES = "Use máximo 2 decimales."
DINERO_RANGO = "Escriba un valor entre 0 y 9.999.999.999.999.999,99."
DINERO_POSITIVO = "Escriba un valor mayor que 0 y hasta 9.999.999.999.999.999,99."
FECHA_RANGO = f"Escriba una fecha entre 01/01/2000 y {format_date(fecha_maxima())}."

# Each hostile value and the message kind it earns.
DINERO_HOSTIL = [
    ("NaN", "invalido"),
    ("Infinity", "invalido"),
    ("-inf", "invalido"),
    ("1e400", "invalido"),
    ("1e30", "invalido"),
    ("5E3", "invalido"),
    ("0x10", "invalido"),
    ("1_000", "invalido"),
    ("١٢٣", "invalido"),  # Arabic-Indic digits
    ("1" * 60, "invalido"),
    ("0,001", "decimales"),
    ("0.001", "decimales"),
    ("1.234,567", "decimales"),
    ("10000000000000000", "rango"),
    ("99999999999999999999,99", "rango"),
    ("-5", "rango"),
]
ENTERO_HOSTIL = [
    ("2147483648", "rango"),
    ("1" + "0" * 30, "rango"),
    ("1000000", "rango"),
    ("-1", "rango"),
    ("1.5", "invalido"),
    ("1e3", "invalido"),
    ("NaN", "invalido"),
    ("١٢", "invalido"),
]
FECHA_HOSTIL = [
    ("9998-01-01", "rango"),
    ("31/12/9999", "rango"),
    ("1999-12-31", "rango"),
    ("0001-01-01", "rango"),
    ((HOY + timedelta(days=3700)).isoformat(), "rango"),
    ("2026-02-30", "invalido"),
    ("99999-01-01", "invalido"),
    ("mañana", "invalido"),
]
TASA_HOSTIL = [
    ("101", "rango"),
    ("-1", "rango"),
    ("12,345", "decimales"),
    ("NaN", "invalido"),
    ("1e2", "invalido"),
]


def _mensajes(invalido: str, rango: str) -> dict[str, str]:
    return {"invalido": invalido, "decimales": DECIMALES, "rango": rango}


def _casos(tabla, campo, invalido, rango):
    """One case per field (a login per test is the slow part): its hostile values
    with the message each one earns."""
    mensajes = _mensajes(invalido, rango)
    return pytest.param(campo, [(valor, mensajes[tipo]) for valor, tipo in tabla], id=campo)


def _error_ventas(html: str, campo: str) -> str:
    """The message under a field of the sales pages (ventas/_macros.html)."""
    return " ".join(re.findall(rf'data-campo="{campo}">(.*?)</div>', html))


def _error_admin(html: str, campo: str) -> str:
    """The message under a field of a Flask-Admin form."""
    patron = (
        rf'<input[^>]*\bid="{campo}"[^>]*>\s*<div class="invalid-feedback">\s*<ul[^>]*>(.*?)</ul>'
    )
    return " ".join(re.findall(patron, html, re.S))


def _sin_espacios(texto: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", texto)).split())


def _rechaza(client, url, datos, campo, casos, error_de, conteos) -> None:
    """Each hostile value: the page again (200) with the message on the field and
    the typed value in it; and nothing saved."""
    antes = conteos()
    for valor, mensaje in casos:
        response = client.post(url, data={**datos, campo: valor})
        assert response.status_code == 200, valor
        html = response.get_data(as_text=True)
        assert (valor, _sin_espacios(error_de(html, campo))) == (valor, mensaje)
        assert por_id(html, "input")[campo]["value"] == valor
    assert conteos() == antes


def _conteos(db) -> tuple[int, ...]:
    return tuple(
        db.session.scalar(db.select(db.func.count()).select_from(m))
        for m in (Venta, Pago, Apartamento, Proyecto)
    )


# -- separación / venta ---------------------------------------------------------------
PLAZO_RANGO = "Escriba un número entero entre 1 y 120."
TASA_RANGO = "Escriba un porcentaje entre 0 y 100."

VENTA_CASOS = [
    _casos([*DINERO_HOSTIL, ("0", "rango")], "valor_total", DINERO_INVALIDO, DINERO_POSITIVO),
    _casos(DINERO_HOSTIL, "valor_separacion", DINERO_INVALIDO, DINERO_RANGO),
    _casos(DINERO_HOSTIL, "cuota_inicial", DINERO_INVALIDO, DINERO_RANGO),
    _casos(
        [*ENTERO_HOSTIL, ("0", "rango"), ("121", "rango")],
        "plazo_cuota_inicial_meses",
        ENTERO_INVALIDO,
        PLAZO_RANGO,
    ),
    _casos(TASA_HOSTIL, "tasa_interes_anual", TASA_INVALIDA, TASA_RANGO),
    _casos(FECHA_HOSTIL, "fecha", FECHA_INVALIDA, FECHA_RANGO),
    _casos(
        [("2147483648", "rango"), ("1" + "0" * 30, "rango"), ("-1", "rango"), ("1e3", "invalido")],
        "id_apartamento",
        ENTERO_INVALIDO,
        "Seleccione un apartamento de la lista.",
    ),
]


@pytest.mark.parametrize(("campo", "casos"), VENTA_CASOS)
def test_the_venta_form_refuses_hostile_values_on_the_field(
    digitador_client, datos, db, campo, casos
):
    _rechaza(
        digitador_client,
        "/admin/ventas/new/",
        _venta(datos),
        campo,
        casos,
        _error_ventas,
        lambda: _conteos(db),
    )


@pytest.mark.parametrize(
    ("campo", "casos"),
    [
        _casos(DINERO_HOSTIL[:6], "valor_separacion", DINERO_INVALIDO, DINERO_RANGO),
        _casos(FECHA_HOSTIL, "fecha_limite_separacion", FECHA_INVALIDA, FECHA_RANGO),
    ],
)
def test_the_separacion_form_refuses_hostile_values_on_the_field(
    digitador_client, datos, db, campo, casos
):
    separacion = _venta(
        datos,
        tipo_operacion="separacion",
        valor_separacion="5000000",
        fecha_limite_separacion=(HOY + timedelta(days=10)).isoformat(),
        cuota_inicial="",
        plazo_cuota_inicial_meses="",
        id_forma_pago="",
    )
    _rechaza(
        digitador_client,
        "/admin/ventas/new/",
        separacion,
        campo,
        casos,
        _error_ventas,
        lambda: _conteos(db),
    )


def test_a_plain_venta_form_still_saves(digitador_client, datos, db):
    response = digitador_client.post("/admin/ventas/new/", data=_venta(datos))
    assert response.status_code == 302
    assert db.session.scalar(db.select(Venta.valor_total)) == datos["apartamento"].precio


@pytest.fixture
def venta(datos, db) -> Venta:
    venta = servicio_ventas.crear_operacion(
        servicio_ventas.DatosOperacion(
            tipo_operacion="venta",
            documento_cliente=datos["cliente"].documento,
            id_apartamento=datos["apartamento"].id,
            fecha=HOY,
            valor_total=Decimal("100000000"),
            valor_separacion=Decimal("5000000"),
            id_forma_pago=1,
            cuota_inicial=Decimal("30000000"),
            plazo_cuota_inicial_meses=5,
        )
    )
    db.session.commit()
    return venta


def test_editing_the_conditions_refuses_hostile_values(admin_client, venta, db):
    datos = {
        "valor_total": "100.000.000",
        "cuota_inicial": "30.000.000",
        "plazo_cuota_inicial_meses": "5",
        "tasa_interes_anual": "0",
        "fecha": HOY.isoformat(),
    }
    for campo, valor, mensaje in [
        ("fecha", "9999-12-31", FECHA_RANGO),
        ("valor_total", "1e400", DINERO_INVALIDO),
        ("plazo_cuota_inicial_meses", "1000000", PLAZO_RANGO),
        ("tasa_interes_anual", "Infinity", TASA_INVALIDA),
    ]:
        response = admin_client.post(
            f"/admin/ventas/editar-condiciones/?id={venta.id}", data={**datos, campo: valor}
        )
        assert response.status_code == 200
        assert _sin_espacios(_error_ventas(response.get_data(as_text=True), campo)) == mensaje
    db.session.expire_all()
    assert db.session.get(Venta, venta.id).plazo_cuota_inicial_meses == 5


# -- pagos --------------------------------------------------------------------------------
PAGO_CASOS = [
    _casos([*DINERO_HOSTIL, ("0", "rango")], "valor", DINERO_INVALIDO, DINERO_POSITIVO),
    _casos(FECHA_HOSTIL, "fecha", FECHA_INVALIDA, FECHA_RANGO),
    _casos(
        ENTERO_HOSTIL[:2], "id_venta", ENTERO_INVALIDO, "No existe una operación con ese número."
    ),
]


@pytest.mark.parametrize(("campo", "casos"), PAGO_CASOS)
def test_the_payment_form_refuses_hostile_values_on_the_field(
    digitador_client, venta, db, campo, casos
):
    data = {
        "id_venta": str(venta.id),
        "fecha": HOY.isoformat(),
        "valor": "5.000.000",
        "id_medio_pago": "2",
    }
    _rechaza(
        digitador_client,
        "/admin/pagos/new/",
        data,
        campo,
        casos,
        _error_ventas,
        lambda: _conteos(db),
    )


# -- apartamentos and proyectos (Flask-Admin forms) -------------------------------------------
AREA_RANGO = "Escriba un valor mayor que 0 y hasta 999.999,99."
APARTAMENTO_CASOS = [
    _casos([*DINERO_HOSTIL, ("0", "rango")], "precio_base", DINERO_INVALIDO, DINERO_POSITIVO),
    _casos(
        [*DINERO_HOSTIL[:10], ("0", "rango"), ("1000000", "rango"), ("60,555", "decimales")],
        "area_m2",
        NUMERO_INVALIDO,
        AREA_RANGO,
    ),
    _casos(
        [*ENTERO_HOSTIL[:3], ("-11", "rango"), ("201", "rango"), *ENTERO_HOSTIL[4:]],
        "piso",
        ENTERO_INVALIDO,
        "Escriba un número entero entre -10 y 200.",
    ),
    _casos(
        ENTERO_HOSTIL, "habitaciones", ENTERO_INVALIDO, "Escriba un número entero entre 0 y 50."
    ),
    _casos(ENTERO_HOSTIL[:3], "banos", ENTERO_INVALIDO, "Escriba un número entero entre 0 y 50."),
]


@pytest.mark.parametrize(("campo", "casos"), APARTAMENTO_CASOS)
def test_the_apartment_form_refuses_hostile_values_on_the_field(
    admin_client, datos, db, campo, casos
):
    data = {
        "torre": str(datos["apartamento"].id_torre),
        "numero": "306",
        "piso": "3",
        "area_m2": "60",
        "habitaciones": "2",
        "banos": "1",
        "precio_base": "200000000",
    }
    _rechaza(
        admin_client,
        "/admin/apartamentos/new/",
        data,
        campo,
        casos,
        _error_admin,
        lambda: _conteos(db),
    )


PROYECTO = {
    "nombre": "Torres del Río",
    "ciudad": "Medellín",
    "porcentaje_cuota_inicial_min": "30",
    "valor_min_separacion": "5000000",
    "plazo_max_cuota_inicial_meses": "36",
    "plazo_max_separacion_dias": "30",
    "activo": "y",
}
PROYECTO_CASOS = [
    _casos(DINERO_HOSTIL, "valor_min_separacion", DINERO_INVALIDO, DINERO_RANGO),
    _casos(TASA_HOSTIL, "porcentaje_cuota_inicial_min", TASA_INVALIDA, TASA_RANGO),
    _casos(
        [*ENTERO_HOSTIL, ("0", "rango"), ("121", "rango")],
        "plazo_max_cuota_inicial_meses",
        ENTERO_INVALIDO,
        PLAZO_RANGO,
    ),
    _casos(
        [*ENTERO_HOSTIL, ("0", "rango"), ("366", "rango")],
        "plazo_max_separacion_dias",
        ENTERO_INVALIDO,
        "Escriba un número entero entre 1 y 365.",
    ),
]


@pytest.mark.parametrize(("campo", "casos"), PROYECTO_CASOS)
def test_the_proyecto_form_refuses_hostile_values_on_the_field(admin_client, db, campo, casos):
    _rechaza(
        admin_client,
        "/admin/proyectos/new/",
        PROYECTO,
        campo,
        casos,
        _error_admin,
        lambda: _conteos(db),
    )


@pytest.mark.parametrize(
    ("campo", "valor", "guardado"),
    [
        ("porcentaje_cuota_inicial_min", "100", Decimal("100.00")),
        ("porcentaje_cuota_inicial_min", "0", Decimal("0.00")),
        ("porcentaje_cuota_inicial_min", "12,75", Decimal("12.75")),
        ("valor_min_separacion", "9.999.999.999.999.999,99", DINERO_MAXIMO),
        ("plazo_max_cuota_inicial_meses", "120", 120),
        ("plazo_max_separacion_dias", "365", 365),
    ],
)
def test_the_proyecto_form_accepts_its_bounds(admin_client, db, campo, valor, guardado):
    assert (
        admin_client.post("/admin/proyectos/new/", data={**PROYECTO, campo: valor}).status_code
        == 302
    )
    assert db.session.scalar(db.select(getattr(Proyecto, campo))) == guardado


# -- the parsers, over any text -------------------------------------------------------------
class Formulario(Form):
    dinero = CampoDinero()
    area = CampoDecimal(minimo_excluido=True, maximo=Decimal("999999.99"))
    tasa = CampoTasa()
    entero = CampoEntero(minimo=1, maximo=120)
    fecha = CampoFecha()


def _leer(campo: str, texto: str):
    form = Formulario(MultiDict({campo: texto}))
    form.validate()
    return getattr(form, campo)


@given(texto=st.text(max_size=60))
@pytest.mark.parametrize("campo", ["dinero", "area", "tasa", "entero", "fecha"])
def test_any_text_is_a_value_or_a_field_message(campo, texto):
    campo_leido = _leer(campo, texto)
    if campo_leido.data is None:
        assert not texto.strip() or campo_leido.errors
        assert all(isinstance(e, str) and e.endswith(".") for e in campo_leido.errors)
    else:
        assert not campo_leido.errors


NUMERICO = st.text(alphabet="0123456789.,-+$ eE%", max_size=30)


@given(texto=NUMERICO)
def test_numeric_looking_text_is_within_the_column_or_refused(texto):
    leido = _leer("dinero", texto)
    if leido.data is not None:
        assert Decimal(0) <= leido.data <= DINERO_MAXIMO
        assert leido.data.as_tuple().exponent == -2


MONTOS = st.integers(min_value=0, max_value=int(DINERO_MAXIMO * 100)).map(
    lambda centavos: Decimal(centavos).scaleb(-2)
)


@given(valor=MONTOS)
def test_an_amount_shown_and_typed_back_is_the_same_centavo(valor):
    for escrito in (formato_dinero(valor), f"$ {formato_dinero(valor)}", f"{valor:f}"):
        assert _leer("dinero", escrito).data == valor


@given(valor=st.decimals(min_value=0, max_value=100, places=2))
def test_a_percentage_typed_either_way_is_read_exactly(valor):
    assert _leer("tasa", f"{valor:f}").data == valor
    assert _leer("tasa", f"{valor:f}".replace(".", ",") + " %").data == valor


@given(numero=st.integers())
def test_an_integer_is_accepted_exactly_within_its_bounds(numero):
    leido = _leer("entero", str(numero))
    if 1 <= numero <= 120:
        assert leido.data == numero and not leido.errors
    else:
        assert leido.data is None and leido.errors


@given(dia=st.dates())
def test_a_date_is_accepted_within_2000_and_ten_years_ahead(dia):
    for escrito in (dia.isoformat(), dia.strftime("%d/%m/%Y")):
        leido = _leer("fecha", escrito)
        if date(2000, 1, 1) <= dia <= fecha_maxima():
            assert leido.data == dia
        else:
            assert leido.data is None and leido.errors


@pytest.mark.parametrize("forma", ["99999999999999999999", "-1", "²", "1e3"])
def test_a_tampered_select_value_is_no_choice(digitador_client, datos, db, forma):
    response = digitador_client.post("/admin/ventas/new/", data=_venta(datos, id_forma_pago=forma))
    assert response.status_code == 200
    assert _conteos(db) == (0, 0, 1, 1)
