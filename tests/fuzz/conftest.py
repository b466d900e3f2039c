"""Shared data and strategies for the fuzz: a small demo set (every estado of an
operation, payments, towers, catalogs) and the hostile values a user can type."""

import random

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from admin_app.demo.operaciones import load_demo_operations
from admin_app.extensions import db as _db
from admin_app.models import Cliente, Pago, Proyecto, Torre, Venta
from tests import factories

# One app and one data set per test; hypothesis varies the request only.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NULO = "No puede contener el carácter nulo."
REGISTRO_NO_EXISTE = "El registro no existe"

# Text a hostile user types: NUL, control characters, RTL marks, emojis, huge.
HOSTILES = [
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m",
    "\u202eabc\u202d",
    "\u200b",
    "😀" * 3,
    "x" * 5000,
    "'; DROP TABLE clientes; --",
    "<script>alert(1)</script>",
    "%00",
    "\ud7ff\ufffe",
    "１２３４",
    "=1+1",
    " ",
    "",
]
NUMEROS_HOSTILES = [
    "-1",
    "0",
    "9" * 20,
    "-" + "9" * 20,
    str(2**31),
    str(2**63),
    str(2**64),
    "1e3",
    "1e400",
    "NaN",
    "inf",
    "-inf",
    "1,2",
    "0x10",
    "1_000",
    "١٢٣",
    "²",
    "9999-12-31",
    "0000-01-01",
]


def texto_hostil():
    return st.one_of(
        st.sampled_from(HOSTILES),
        st.text(max_size=30),
        st.sampled_from(NUMEROS_HOSTILES),
    )


def numero_hostil():
    return st.one_of(
        st.sampled_from(NUMEROS_HOSTILES),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(HOSTILES),
    )


def con_nulo(valor) -> bool:
    return isinstance(valor, str) and "\x00" in valor


@pytest.fixture
def datos(db):
    """About 30 operations in every estado, with payments, over two towers."""
    proyecto = factories.proyecto()
    torres = [factories.torre(proyecto), factories.torre(proyecto)]
    apartamentos = [factories.apartamento(torres[i % 2]) for i in range(32)]
    clientes = [factories.cliente() for _ in range(32)]
    load_demo_operations(random.Random(7), clientes, apartamentos)
    db.session.commit()
    return {
        "venta": db.session.scalar(select(func.min(Venta.id))),
        "pago": db.session.scalar(select(func.min(Pago.id))),
        "cliente": db.session.scalar(select(func.min(Cliente.documento))),
        "proyecto": db.session.scalar(select(func.min(Proyecto.id))),
        "torre": db.session.scalar(select(func.min(Torre.id))),
    }


def contar(modelo) -> int:
    _db.session.rollback()  # a fresh snapshot on PostgreSQL
    return _db.session.scalar(select(func.count()).select_from(modelo))
