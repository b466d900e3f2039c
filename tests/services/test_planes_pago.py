from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from admin_app.models import PlanPago, Rol, Usuario, Venta
from admin_app.services.errors import Conflict, ValidationFailed
from admin_app.services.plan_pagos import (
    PlanInaplicable,
    TerminosPlan,
    cuotas_de_resumen,
    resumen_economico,
)
from admin_app.services.planes_pago import (
    actualizar_plan,
    crear_plan,
    eliminar_plan,
    puede_usar_plan_especial,
    simular,
)
from admin_app.services.ventas import crear_operacion, editar_venta
from tests import factories
from tests.services.conftest import datos_separacion, datos_venta


def terminos(**overrides) -> TerminosPlan:
    values = dict(
        tipo="mensual",
        valor_separacion=D("5000000"),
        porcentaje_cuota_inicial=D("30"),
        plazo_meses=12,
        frecuencia_meses=1,
    )
    values.update(overrides)
    return TerminosPlan(**values)


# --- resumen_economico: one case per plan type and discount ---------------------------


@pytest.mark.parametrize(
    ("overrides", "esperado"),
    [
        # (descuento, valor_total, cuota_inicial, saldo_cuota_inicial, saldo_final)
        ({}, (0, 250000000, 75000000, 70000000, 175000000)),
        (
            {
                "descuento_tipo": "valor",
                "descuento_valor": D("10000000"),
                "descuento_sobre": "total",
            },
            (10000000, 240000000, 72000000, 67000000, 168000000),
        ),
        (
            {"descuento_tipo": "porcentaje", "descuento_valor": D("3"), "descuento_sobre": "total"},
            (7500000, 242500000, 72750000, 67750000, 169750000),
        ),
        (
            {
                "descuento_tipo": "porcentaje",
                "descuento_valor": D("10"),
                "descuento_sobre": "cuota_inicial",
            },
            (7500000, 242500000, 67500000, 62500000, 175000000),
        ),
        (
            {"tipo": "contado", "porcentaje_cuota_inicial": D("100"), "plazo_meses": 2},
            (0, 250000000, 250000000, 245000000, 0),
        ),
        (
            {"tipo": "diferido", "plazo_meses": 24, "frecuencia_meses": 3},
            (0, 250000000, 75000000, 70000000, 175000000),
        ),
    ],
)
def test_resumen_economico_per_plan_type_and_discount(overrides, esperado):
    r = resumen_economico(D("250000000"), terminos(**overrides))
    assert (
        r.descuento,
        r.valor_total,
        r.cuota_inicial,
        r.saldo_cuota_inicial,
        r.saldo_final,
    ) == tuple(D(v).quantize(D("0.01")) for v in esperado)
    assert r.valor_separacion == D("5000000.00")


def test_cuota_inicial_is_rounded_up_to_the_peso_never_below_the_percentage():
    r = resumen_economico(D("250000001"), terminos())
    assert r.cuota_inicial == D("75000001.00")  # 30 % is 75.000.000,30


def test_diferido_cuotas_are_frecuencia_months_apart_and_the_31st_falls_back():
    r = resumen_economico(
        D("250000000"), terminos(tipo="diferido", plazo_meses=6, frecuencia_meses=2)
    )
    cuotas = cuotas_de_resumen(r, date(2026, 1, 31))
    iniciales = [c for c in cuotas if c.concepto == "Cuota inicial"]
    assert [c.fecha_vencimiento for c in iniciales] == [
        date(2026, 3, 31),
        date(2026, 5, 31),
        date(2026, 7, 31),
    ]
    assert [c.valor for c in iniciales] == [D("23333333.00"), D("23333333.00"), D("23333334.00")]
    assert cuotas[-1].concepto == "Saldo final"
    assert cuotas[-1].fecha_vencimiento == date(2026, 8, 31)


def test_contado_is_one_cuota_plazo_months_after_the_fecha():
    r = resumen_economico(
        D("250000000"), terminos(tipo="contado", porcentaje_cuota_inicial=D("100"), plazo_meses=1)
    )
    cuotas = cuotas_de_resumen(r, date(2026, 2, 28))
    assert [(c.concepto, c.fecha_vencimiento, c.valor) for c in cuotas] == [
        ("Separación", date(2026, 2, 28), D("5000000.00")),
        ("Cuota inicial", date(2026, 3, 28), D("245000000.00")),
    ]


@pytest.mark.parametrize(
    ("overrides", "campo"),
    [
        (
            {
                "descuento_tipo": "valor",
                "descuento_valor": D("250000000"),
                "descuento_sobre": "total",
            },
            "descuento_valor",
        ),
        (
            {
                "descuento_tipo": "valor",
                "descuento_valor": D("80000000"),
                "descuento_sobre": "cuota_inicial",
            },
            "descuento_valor",
        ),
        ({"valor_separacion": D("80000000")}, "valor_separacion"),
        ({"tipo": "diferido", "plazo_meses": 10, "frecuencia_meses": 3}, "frecuencia_meses"),
    ],
)
def test_a_plan_that_does_not_fit_the_price_says_which_field(overrides, campo):
    with pytest.raises(PlanInaplicable) as exc:
        resumen_economico(D("250000000"), terminos(**overrides))
    assert exc.value.campo == campo


planes = st.builds(
    TerminosPlan,
    tipo=st.sampled_from(["mensual", "contado", "diferido", "especial"]),
    valor_separacion=st.integers(0, 50_000_000).map(D),
    porcentaje_cuota_inicial=st.integers(0, 10000).map(lambda n: D(n) / 100),
    plazo_meses=st.integers(1, 20),
    frecuencia_meses=st.sampled_from([1, 2, 3, 6]),
    descuento_tipo=st.sampled_from([None, "valor", "porcentaje"]),
    descuento_valor=st.integers(1, 9999).map(lambda n: D(n) / 100)
    | st.integers(1, 90_000_000).map(D),
    descuento_sobre=st.sampled_from(["total", "cuota_inicial"]),
    tasa_interes_anual=st.sampled_from([D("0"), D("0"), D("12.5"), D("24")]),
)


@settings(max_examples=300, deadline=None)
@given(
    plan=planes,
    precio=st.integers(1_000_000_00, 3_000_000_000_00).map(lambda c: D(c) / 100),
    fecha=st.dates(date(2024, 1, 1), date(2030, 12, 31)),
)
def test_the_capital_of_every_plan_sums_to_valor_total_to_the_peso(plan, precio, fecha):
    if plan.tipo in ("diferido", "especial"):
        assume(plan.plazo_meses % plan.frecuencia_meses == 0)
    if plan.descuento_tipo == "porcentaje":
        assume(plan.descuento_valor < 100)
    try:
        r = resumen_economico(precio, plan)
    except PlanInaplicable:
        return
    cuotas = cuotas_de_resumen(r, fecha)
    assert sum(c.capital for c in cuotas) == r.valor_total
    assert r.valor_total == r.precio_bruto - r.descuento
    assert r.cuota_inicial == r.valor_separacion + r.saldo_cuota_inicial
    assert r.valor_total == r.cuota_inicial + r.saldo_final
    assert all(c.capital == c.capital.quantize(D("0.01")) and c.capital >= 0 for c in cuotas)
    iniciales = [c for c in cuotas if c.concepto == "Cuota inicial"]
    assert len(iniciales) == r.numero_cuotas
    assert cuotas[-1].saldo == 0


# --- plans in the database ------------------------------------------------------------


def datos_plan(proyecto, **overrides) -> dict:
    values = dict(
        id_proyecto=proyecto.id,
        nombre="Plan 24 meses",
        tipo="mensual",
        valor_separacion=D("5000000"),
        porcentaje_cuota_inicial=D("30"),
        plazo_meses=24,
        frecuencia_meses=1,
    )
    values.update(overrides)
    return values


@pytest.fixture
def proyecto(db):
    return factories.proyecto(plazo_max_cuota_inicial_meses=36)


def test_a_plan_is_created_with_escritura_as_the_rest(proyecto):
    plan = crear_plan(datos_plan(proyecto))
    assert plan.porcentaje_escritura == D("70")
    assert plan.activo and plan.ranura == 1


@pytest.mark.parametrize(
    ("overrides", "campo", "mensaje"),
    [
        ({"porcentaje_escritura": D("60")}, "porcentaje_escritura", "no suman 100"),
        ({"plazo_meses": 48}, "plazo_meses", "entre 1 y 36"),
        (
            {"tipo": "diferido", "plazo_meses": 10, "frecuencia_meses": 3},
            "frecuencia_meses",
            "dividir",
        ),
        ({"frecuencia_meses": 2}, "frecuencia_meses", "mensual"),
        ({"frecuencia_meses": 4, "tipo": "diferido"}, "frecuencia_meses", "1, 2, 3 o 6"),
        ({"porcentaje_cuota_inicial": D("20")}, "porcentaje_cuota_inicial", "al menos"),
        ({"valor_separacion": D("1000")}, "valor_separacion", "al menos"),
        (
            {"descuento_tipo": "porcentaje", "descuento_valor": D("100")},
            "descuento_valor",
            "menor que 100",
        ),
        ({"tipo": "otro"}, "tipo", "Elija el tipo"),
        ({"nombre": " "}, "nombre", "Indique"),
    ],
)
def test_a_plan_breaking_a_rule_is_refused_on_its_field(proyecto, overrides, campo, mensaje, db):
    with pytest.raises(ValidationFailed) as exc:
        crear_plan(datos_plan(proyecto, **overrides))
    assert any(mensaje in m for m in exc.value.errors[campo]), exc.value.errors
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(PlanPago)) == 0


def test_the_eleventh_active_plan_is_refused_and_an_inactive_one_is_not(proyecto, db):
    for n in range(10):
        crear_plan(datos_plan(proyecto, nombre=f"Plan {n}"))
    with pytest.raises(Conflict) as exc:
        crear_plan(datos_plan(proyecto, nombre="Plan 11"))
    assert "10 planes activos" in exc.value.errors["activo"][0]
    inactivo = crear_plan(datos_plan(proyecto, nombre="Plan 11", activo=False))
    with pytest.raises(Conflict):
        actualizar_plan(inactivo, {"activo": True})


def test_deactivating_a_plan_frees_its_slot(proyecto, db):
    planes = [crear_plan(datos_plan(proyecto, nombre=f"Plan {n}")) for n in range(10)]
    actualizar_plan(planes[3], {"activo": False})
    assert planes[3].ranura is None
    nuevo = crear_plan(datos_plan(proyecto, nombre="Plan nuevo"))
    assert nuevo.ranura == 4


def test_the_database_refuses_two_active_plans_in_one_slot(proyecto, db):
    crear_plan(datos_plan(proyecto))
    otro = PlanPago(
        id_proyecto=proyecto.id,
        **{k: v for k, v in datos_plan(proyecto, nombre="Otro").items() if k != "id_proyecto"},
        porcentaje_escritura=D("70"),
        ranura=1,
    )
    db.session.add(otro)
    with pytest.raises(Exception, match="(?i)unique|ranura"):
        db.session.flush()


def test_a_name_is_unique_in_its_project_regardless_of_case(proyecto):
    crear_plan(datos_plan(proyecto))
    with pytest.raises(ValidationFailed) as exc:
        crear_plan(datos_plan(proyecto, nombre="PLAN 24 MESES"))
    assert "nombre" in exc.value.errors


@pytest.mark.parametrize(
    ("rol", "puede"),
    [("admin", True), ("director_comercial", True), ("digitador", False), ("asesor", False)],
)
def test_especial_plans_are_for_admins_and_directors(rol, puede):
    assert puede_usar_plan_especial(Usuario(rol=rol)) is puede
    assert puede_usar_plan_especial(None) is False


# --- plans on operations ------------------------------------------------------------


@pytest.fixture
def apto_plan(db):
    proyecto = factories.proyecto(plazo_max_cuota_inicial_meses=36)
    apto = factories.apartamento(factories.torre(proyecto), precio=D("250000000"))
    plan = crear_plan(
        datos_plan(
            proyecto,
            descuento_tipo="valor",
            descuento_valor=D("10000000"),
            descuento_sobre="total",
            beneficio="Cocina integral",
        )
    )
    return apto, plan


def test_an_operation_with_a_plan_takes_its_terms_and_keeps_a_copy(apto_plan, comprador, db):
    apto, plan = apto_plan
    venta = crear_operacion(
        datos_venta(
            comprador,
            apto,
            id_plan_pago=plan.id,
            cuota_inicial=None,
            plazo_cuota_inicial_meses=None,
        )
    )
    db.session.commit()
    assert venta.valor_total == D("240000000.00")
    assert venta.cuota_inicial == D("72000000.00")
    assert venta.plazo_cuota_inicial_meses == 24
    assert (venta.id_plan_pago, venta.plan_nombre, venta.precio_bruto, venta.descuento) == (
        plan.id,
        "Plan 24 meses",
        D("250000000.00"),
        D("10000000.00"),
    )
    assert venta.plan_beneficio == "Cocina integral"
    assert sum(c.capital for c in venta.cuotas) == venta.valor_total
    assert len([c for c in venta.cuotas if c.concepto == "Cuota inicial"]) == 24

    actualizar_plan(plan, {"descuento_valor": D("20000000"), "plazo_meses": 12, "nombre": "Otro"})
    db.session.commit()
    db.session.refresh(venta)
    assert (venta.valor_total, venta.plazo_cuota_inicial_meses, venta.plan_nombre) == (
        D("240000000.00"),
        24,
        "Plan 24 meses",
    )


def test_a_diferido_plan_on_a_venta_has_cuotas_every_frecuencia_months(db, comprador):
    proyecto = factories.proyecto()
    apto = factories.apartamento(factories.torre(proyecto))
    plan = crear_plan(datos_plan(proyecto, tipo="diferido", plazo_meses=12, frecuencia_meses=3))
    venta = crear_operacion(datos_venta(comprador, apto, id_plan_pago=plan.id))
    iniciales = [c for c in venta.cuotas if c.concepto == "Cuota inicial"]
    assert [c.fecha_vencimiento for c in iniciales] == [
        date(2026, 4, 30),
        date(2026, 7, 31),
        date(2026, 10, 31),
        date(2027, 1, 31),
    ]
    assert venta.frecuencia_meses == 3
    # Editing it later keeps the plan's frequency.
    editar_venta(venta, plazo_cuota_inicial_meses=6)
    assert len([c for c in venta.cuotas if c.concepto == "Cuota inicial"]) == 2
    with pytest.raises(ValidationFailed) as exc:
        editar_venta(venta, plazo_cuota_inicial_meses=7)
    assert "múltiplo" in exc.value.errors["plazo_cuota_inicial_meses"][0]


def test_a_plan_of_another_project_is_refused(apto_plan, comprador, db):
    _apto, plan = apto_plan
    otro = factories.apartamento()
    with pytest.raises(ValidationFailed) as exc:
        crear_operacion(datos_venta(comprador, otro, id_plan_pago=plan.id))
    assert "es del proyecto" in exc.value.errors["id_plan_pago"][0]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Venta)) == 0


def test_an_especial_plan_needs_an_admin(db, comprador):
    proyecto = factories.proyecto()
    apto = factories.apartamento(factories.torre(proyecto))
    plan = crear_plan(datos_plan(proyecto, tipo="especial", nombre="Especial"))
    digitador = Usuario(rol=Rol.DIGITADOR)
    with pytest.raises(ValidationFailed) as exc:
        crear_operacion(datos_venta(comprador, apto, id_plan_pago=plan.id, usuario=digitador))
    assert "plan especial" in exc.value.errors["id_plan_pago"][0]
    venta = crear_operacion(
        datos_venta(comprador, apto, id_plan_pago=plan.id, usuario=Usuario(rol=Rol.ADMIN))
    )
    assert venta.plan_tipo == "especial"


def test_a_separacion_with_a_plan_takes_its_deposit(apto_plan, comprador):
    apto, plan = apto_plan
    separacion = crear_operacion(
        datos_separacion(comprador, apto, id_plan_pago=plan.id, valor_separacion=D("1"))
    )
    assert separacion.valor_separacion == D("5000000.00")
    assert separacion.id_plan_pago == plan.id


def test_without_a_plan_nothing_changes(venta):
    assert venta.id_plan_pago is None and venta.frecuencia_meses is None
    assert venta.cuota_inicial == D("75000000.00")


def test_a_plan_in_use_is_not_deleted(apto_plan, comprador):
    apto, plan = apto_plan
    crear_operacion(datos_venta(comprador, apto, id_plan_pago=plan.id))
    with pytest.raises(Conflict) as exc:
        eliminar_plan(plan)
    assert "desactívelo" in exc.value.message


def test_simular_prices_the_units_and_saves_nothing(apto_plan, db):
    apto, plan = apto_plan
    simulacion = simular(plan, fecha=date(2026, 1, 15), id_apartamento=apto.id)
    assert simulacion.resumen.valor_total == D("240000000.00")
    assert len(simulacion.cuotas) == 26
    sim_precio = simular(plan, fecha=date(2026, 1, 15), precio_bruto=D("100000000"))
    assert sim_precio.resumen.valor_total == D("90000000.00")
    assert db.session.scalar(select(func.count()).select_from(Venta)) == 0
