"""Builders for the service tests: an apartment on sale, a client, an operation."""

from datetime import date
from decimal import Decimal as D

import pytest

from admin_app.services.ventas import DatosOperacion, crear_operacion
from tests import factories

HOY = date(2026, 11, 25)


@pytest.fixture
def apto(db):
    return factories.apartamento(precio=D("250000000.00"))


@pytest.fixture
def comprador(db):
    return factories.cliente()


def datos_venta(cliente, apartamento, **overrides) -> DatosOperacion:
    values = dict(
        tipo_operacion="venta",
        documento_cliente=cliente.documento,
        id_apartamento=apartamento.id,
        fecha=date(2026, 1, 31),
        valor_separacion=D("5000000.00"),
        id_forma_pago=2,
        cuota_inicial=D("75000000.00"),
        plazo_cuota_inicial_meses=12,
    )
    values.update(overrides)
    return DatosOperacion(**values)


def datos_separacion(cliente, apartamento, **overrides) -> DatosOperacion:
    values = dict(
        tipo_operacion="separacion",
        documento_cliente=cliente.documento,
        id_apartamento=apartamento.id,
        fecha=date(2026, 11, 1),
        valor_separacion=D("5000000.00"),
        fecha_limite_separacion=date(2026, 11, 30),
    )
    values.update(overrides)
    return DatosOperacion(**values)


@pytest.fixture
def venta(apto, comprador):
    return crear_operacion(datos_venta(comprador, apto))


@pytest.fixture
def separacion(apto, comprador):
    return crear_operacion(datos_separacion(comprador, apto))
