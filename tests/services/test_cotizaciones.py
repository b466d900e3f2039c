from datetime import timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from admin_app.formatting import today_bogota
from admin_app.models import Cotizacion, EstadoInmueble, Rol, Usuario, Venta
from admin_app.services.apartamentos import estados_inmueble
from admin_app.services.cotizaciones import (
    convertir_cotizacion,
    copiar_cotizacion,
    crear_cotizacion,
    cuotas_de,
)
from admin_app.services.errors import Conflict, ValidationFailed
from admin_app.services.planes_pago import crear_plan
from tests import factories

HOY = today_bogota()


@pytest.fixture
def escenario(db):
    proyecto = factories.proyecto(nombre="Reserva del Río", plazo_max_cuota_inicial_meses=36)
    torre = factories.torre(proyecto, nombre="Torre A")
    apto = factories.apartamento(torre, numero="801", precio=D("250000000"))
    plan = crear_plan(
        dict(
            id_proyecto=proyecto.id,
            nombre="24 meses",
            tipo="mensual",
            valor_separacion=D("5000000"),
            porcentaje_cuota_inicial=D("30"),
            plazo_meses=24,
            descuento_tipo="porcentaje",
            descuento_valor=D("2"),
            descuento_sobre="total",
        )
    )
    cliente = factories.cliente(documento="1020304050", nombre="María Gómez")
    asesor = Usuario(
        username="asesora", nombre_completo="Ana Asesora", rol=Rol.DIGITADOR, password_hash="x"
    )
    db.session.add(asesor)
    db.session.flush()
    return {"proyecto": proyecto, "apto": apto, "plan": plan, "cliente": cliente, "asesor": asesor}


def cotizar(e, **overrides):
    datos = {
        "id_plan_pago": e["plan"].id,
        "id_apartamento": e["apto"].id,
        "documento_cliente": e["cliente"].documento,
    }
    datos.update(overrides)
    return crear_cotizacion(datos, e["asesor"])


def test_a_quote_keeps_units_prices_plan_and_summary(escenario):
    cotizacion = cotizar(escenario)
    assert cotizacion.numero == 1
    assert cotizacion.fecha == HOY
    assert cotizacion.valida_hasta == HOY + timedelta(days=7)
    assert [(u.rol, u.id_apartamento, u.precio) for u in cotizacion.unidades] == [
        ("principal", escenario["apto"].id, D("250000000.00"))
    ]
    assert (cotizacion.precio_bruto, cotizacion.descuento, cotizacion.valor_total) == (
        D("250000000.00"),
        D("5000000.00"),
        D("245000000.00"),
    )
    assert cotizacion.cuota_inicial == D("73500000.00")
    assert cotizacion.plan_nombre == "24 meses"
    assert cotizacion.id_usuario == escenario["asesor"].id
    assert sum(c.capital for c in cuotas_de(cotizacion)) == D("245000000.00")
    assert cotizar(escenario).numero == 2


def test_a_prospect_quote_and_the_project_validity(escenario):
    escenario["proyecto"].dias_validez_cotizacion = 15
    cotizacion = cotizar(
        escenario,
        documento_cliente=None,
        prospecto={"nombre": "Pedro Páez", "telefono": "3001234567", "correo": "p@example.com"},
        fecha=HOY - timedelta(days=30),
    )
    assert cotizacion.prospecto_nombre == "Pedro Páez"
    assert cotizacion.valida_hasta == HOY - timedelta(days=15)


@pytest.mark.parametrize(
    ("overrides", "campo"),
    [
        ({"fecha": HOY - timedelta(days=31)}, "fecha"),
        ({"fecha": HOY + timedelta(days=1)}, "fecha"),
        ({"valida_hasta": HOY - timedelta(days=1)}, "valida_hasta"),
        ({"documento_cliente": None}, "documento_cliente"),
        ({"documento_cliente": "999"}, "documento_cliente"),
        (
            {"documento_cliente": None, "prospecto": {"nombre": "", "correo": "no"}},
            "prospecto.nombre",
        ),
        ({"id_apartamento": None}, "id_apartamento"),
    ],
)
def test_bad_quotes_are_refused_on_their_field(escenario, overrides, campo, db):
    with pytest.raises(ValidationFailed) as exc:
        cotizar(escenario, **overrides)
    assert campo in exc.value.errors
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Cotizacion)) == 0


def test_a_unit_not_disponible_is_not_quoted(escenario):
    escenario["apto"].id_estado_inmueble = estados_inmueble()[EstadoInmueble.SEPARADO]
    with pytest.raises(Conflict) as exc:
        cotizar(escenario)
    assert "no está disponible" in exc.value.errors["id_apartamento"][0]


def test_a_plan_of_another_project_is_not_quoted(escenario):
    otro = factories.apartamento()
    with pytest.raises(ValidationFailed) as exc:
        cotizar(escenario, id_apartamento=otro.id)
    assert "es del proyecto" in exc.value.errors["id_plan_pago"][0]


def test_conversion_keeps_the_quoted_price_even_if_the_list_price_rose(escenario, db):
    cotizacion = cotizar(escenario)
    escenario["apto"].precio = D("270000000")
    separacion = convertir_cotizacion(
        cotizacion,
        tipo_operacion="separacion",
        fecha_limite_separacion=HOY + timedelta(days=10),
        usuario=escenario["asesor"],
    )
    db.session.commit()
    assert separacion.tipo_operacion == "separacion"
    assert separacion.valor_total == D("245000000.00")
    assert separacion.precio_bruto == D("250000000.00")
    assert separacion.valor_separacion == D("5000000.00")
    assert separacion.id_plan_pago == escenario["plan"].id
    assert cotizacion.id_venta == separacion.id
    assert escenario["apto"].estado.nombre == "Separado"
    with pytest.raises(Conflict) as exc:
        convertir_cotizacion(cotizacion, tipo_operacion="venta", id_forma_pago=1)
    assert "ya se convirtió" in exc.value.message


def test_conversion_into_a_venta_builds_the_quoted_plan(escenario, db):
    cotizacion = cotizar(escenario)
    venta = convertir_cotizacion(cotizacion, tipo_operacion="venta", id_forma_pago=2)
    assert venta.cuota_inicial == D("73500000.00")
    assert [c.capital for c in venta.cuotas] == [c.capital for c in cuotas_de(cotizacion)]


def test_an_expired_quote_is_not_converted_but_copied_at_todays_prices(escenario, db):
    cotizacion = cotizar(
        escenario, fecha=HOY - timedelta(days=20), valida_hasta=HOY - timedelta(days=1)
    )
    with pytest.raises(Conflict) as exc:
        convertir_cotizacion(cotizacion, tipo_operacion="venta", id_forma_pago=2)
    assert "venció" in exc.value.message
    assert db.session.scalar(select(func.count()).select_from(Venta)) == 0
    escenario["apto"].precio = D("260000000")
    copia = copiar_cotizacion(cotizacion, escenario["asesor"])
    assert copia.numero == cotizacion.numero + 1
    assert copia.precio_bruto == D("260000000.00")
    assert copia.estado(HOY) == "vigente"


def test_a_unit_sold_since_the_quote_stops_the_conversion(escenario, db):
    cotizacion = cotizar(escenario)
    escenario["apto"].id_estado_inmueble = estados_inmueble()[EstadoInmueble.VENDIDO]
    with pytest.raises(Conflict) as exc:
        convertir_cotizacion(cotizacion, tipo_operacion="venta", id_forma_pago=2)
    assert "no está disponible" in exc.value.message
    assert cotizacion.id_venta is None


def test_a_prospect_quote_needs_a_client_to_convert(escenario):
    cotizacion = cotizar(escenario, documento_cliente=None, prospecto={"nombre": "Pedro Páez"})
    with pytest.raises(ValidationFailed) as exc:
        convertir_cotizacion(cotizacion, tipo_operacion="venta", id_forma_pago=2)
    assert "documento_cliente" in exc.value.errors
    venta = convertir_cotizacion(
        cotizacion, tipo_operacion="venta", id_forma_pago=2, documento_cliente="1020304050"
    )
    assert venta.documento_cliente == "1020304050"


def test_a_local_quoted_with_a_parking_converts_with_both_units_at_the_quoted_prices(escenario, db):
    torre = escenario["apto"].torre
    local = factories.local(torre, precio=D("200000000"))
    parqueadero = factories.parqueadero(torre, precio=D("30000000"))
    cotizacion = crear_cotizacion(
        {
            "id_plan_pago": escenario["plan"].id,
            "id_local": local.id,
            "adicionales": [parqueadero.id],
            "documento_cliente": escenario["cliente"].documento,
        },
        escenario["asesor"],
    )
    local.precio, parqueadero.precio = D("210000000"), D("35000000")  # list prices rose since
    venta = convertir_cotizacion(cotizacion, tipo_operacion="venta", id_forma_pago=1)
    db.session.commit()
    unidades = {(u.rol, u.id_local or u.id_parqueadero): u.precio for u in venta.unidades}
    assert unidades == {
        ("principal", local.id): D("200000000.00"),
        ("adicional", parqueadero.id): D("30000000.00"),
    }
    assert venta.precio_bruto == D("230000000.00")
    assert venta.valor_total == D("225400000.00")  # less the plan's 2 % discount
    assert {local.estado.nombre, parqueadero.estado.nombre} == {"Vendido"}
