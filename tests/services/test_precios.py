from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from admin_app.models import (
    Apartamento,
    HistorialPrecio,
    PoliticaPrecio,
    Proyecto,
    TipoApartamento,
    Venta,
)
from admin_app.services import precios
from admin_app.services.errors import Conflict, ValidationFailed
from admin_app.services.precios import Politica, Prima, Reglas
from admin_app.services.ventas import (
    anular_operacion,
    caducar_separaciones,
    crear_operacion,
    eliminar_operacion,
)
from tests import factories
from tests.services.conftest import datos_separacion, datos_venta

HOY = date(2026, 11, 25)
SIN_PRIMA = Prima(False, D(0), D(0))


def _politica(i, escalon, porcentaje, desde=None, activa=True, orden=None):
    return Politica(i, f"P{i}", orden or i, escalon, D(porcentaje), desde, activa)


EJEMPLO = (
    _politica(1, 5, "2"),
    _politica(2, 5, "3"),
    _politica(3, None, "1.5", desde=date(2026, 1, 1)),
)


# --- pure arithmetic -------------------------------------------------------------------


def test_worked_example_of_the_domain():
    reglas = Reglas(SIN_PRIMA, EJEMPLO, vendidas=7, hoy=HOY)
    assert [p.id for p in reglas.aplicadas] == [1, 3]
    assert reglas.factor == D("1.0353")
    assert precios.precio_lista(D("300000000"), D("4000000"), reglas.factor) == D("314731200.00")


@pytest.mark.parametrize(
    ("vendidas", "aplican"),
    [(0, []), (4, []), (5, [1]), (9, [1]), (10, [1, 2]), (100, [1, 2])],
)
def test_sales_steps_are_cumulative_in_orden(vendidas, aplican):
    politicas = (_politica(2, 5, "3", orden=2), _politica(1, 5, "2", orden=1))
    assert [p.id for p in precios.politicas_que_aplican(politicas, vendidas, HOY)] == aplican


@pytest.mark.parametrize(
    ("hoy", "vendidas", "aplica"),
    [
        (date(2026, 11, 30), 0, False),
        (date(2026, 12, 1), 0, True),
        (date(2026, 11, 30), 3, True),
    ],
)
def test_a_policy_applies_by_its_step_or_its_date(hoy, vendidas, aplica):
    politica = _politica(1, 3, "2", desde=date(2026, 12, 1))
    assert bool(precios.politicas_que_aplican([politica], vendidas, hoy)) is aplica


def test_inactive_policies_neither_apply_nor_count_in_the_steps():
    politicas = (_politica(1, 5, "2", activa=False), _politica(2, 5, "3"))
    assert [p.id for p in precios.politicas_que_aplican(politicas, 5, HOY)] == [2]


@pytest.mark.parametrize(
    ("piso", "activa", "esperada"),
    [(1, True, D("0.00")), (2, True, D("4000000.00")), (5, True, D("5500000.00")),
     (9, False, D("0.00"))],
)  # fmt: skip
def test_prima_de_altura(piso, activa, esperada):
    prima = Prima(activa, D("4000000"), D("500000"))
    assert precios.prima_altura(piso, 2, prima) == esperada


@pytest.mark.parametrize(
    ("area", "valor", "esperado"),
    [(D("60.00"), D("4500000"), D("270000000.00")),
     (D("60.01"), D("3333333.33"), D("200033334.00")),
     (D("0.01"), D("0.01"), D("1.00"))],
)  # fmt: skip
def test_valor_estimado_is_the_ceiling_to_the_peso(area, valor, esperado):
    assert precios.valor_estimado(area, valor) == esperado


def test_price_rounds_half_up_to_the_peso():
    assert precios.precio_lista(D("100"), D("0"), D("1.005")) == D("101.00")  # 100.5
    assert precios.precio_lista(D("100"), D("0"), D("1.0049")) == D("100.00")


politicas_st = st.lists(
    st.builds(
        Politica,
        id=st.integers(1, 10**6),
        nombre=st.just("P"),
        orden=st.integers(1, 20),
        ventas_por_escalon=st.one_of(st.none(), st.integers(1, 50)),
        porcentaje_aumento=st.decimals(0, 100, places=4),
        aplica_desde=st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2028, 1, 1))),
        activa=st.booleans(),
    ),
    max_size=6,
    unique_by=lambda p: p.id,
)
bases = st.decimals(1, 10**10, places=2)
primas = st.builds(
    Prima, st.booleans(), st.decimals(0, 10**8, places=2), st.decimals(0, 10**7, places=2)
)


@settings(max_examples=200, deadline=None)
@given(politicas_st, st.integers(0, 400), st.dates(date(2025, 1, 1), date(2028, 1, 1)), bases,
       primas, st.integers(-10, 200), st.integers(0, 200))  # fmt: skip
def test_price_never_below_base_plus_prima_and_idempotent(
    politicas, vendidas, hoy, base, prima, piso, nivel
):
    reglas = Reglas(prima, tuple(politicas), vendidas, hoy)
    d = precios.desglose(base, piso, nivel, reglas)
    assert d.factor >= 1
    assert (
        d.precio
        >= precios.precio_lista(base, d.prima, D(1))
        >= precios.precio_lista(base, D(0), D(1))
    )
    assert precios.desglose(base, piso, nivel, reglas) == d


@settings(max_examples=200, deadline=None)
@given(politicas_st, st.integers(0, 400), st.integers(0, 400), bases)
def test_more_units_sold_never_lowers_the_price(politicas, a, b, base):
    menos, mas = sorted((a, b))
    bajo = precios.desglose(base, 1, 2, Reglas(SIN_PRIMA, tuple(politicas), menos, HOY))
    alto = precios.desglose(base, 1, 2, Reglas(SIN_PRIMA, tuple(politicas), mas, HOY))
    assert set(p.id for p in bajo.politicas) <= set(p.id for p in alto.politicas)
    assert alto.factor >= bajo.factor and alto.precio >= bajo.precio


# --- repricing in the database ----------------------------------------------------------


@pytest.fixture
def proyecto(db):
    proyecto = factories.proyecto(
        prima_altura_activa=True,
        prima_altura_base=D("4000000"),
        prima_altura_incremento=D("1000000"),
    )
    return proyecto


def _aptos(proyecto, n, piso=1, precio=D("300000000")):
    torre = factories.torre(proyecto)
    return [factories.apartamento(torre, piso=piso, precio=precio) for _ in range(n)]


def _politica_db(proyecto, nombre, **campos):
    return precios.guardar_politica(
        PoliticaPrecio(id_proyecto=proyecto.id, nombre=nombre, **campos)
    )


def _vender(apto):
    return crear_operacion(datos_venta(factories.cliente(), apto, cuota_inicial=D("150000000")))


def _precio(db, apto):
    return db.session.scalar(select(Apartamento.precio).where(Apartamento.id == apto.id))


def test_repricing_applies_prima_and_is_idempotent(db, proyecto):
    (apto,) = _aptos(proyecto, 1, piso=3)
    assert precios.recalcular_proyecto(proyecto) == 1
    assert _precio(db, apto) == D("305000000.00")  # 300 M + 4 M + 1 × 1 M
    assert precios.recalcular_proyecto(proyecto) == 0
    historia = db.session.scalars(select(HistorialPrecio)).all()
    assert [(h.precio_antes, h.precio_despues, h.motivo) for h in historia] == [
        (D("300000000.00"), D("305000000.00"), "politica")
    ]


def test_a_sales_step_reprices_the_disponibles_and_the_sale_keeps_its_price(db, proyecto):
    proyecto.prima_altura_activa = False
    aptos = _aptos(proyecto, 4)
    _politica_db(proyecto, "Escalón 1", ventas_por_escalon=2, porcentaje_aumento=D("2"))
    primera = _vender(aptos[0])
    assert (primera.precio_lista, primera.factor_precio) == (D("300000000.00"), D("1"))
    segunda = _vender(aptos[1])
    assert segunda.politicas_aplicadas is None
    assert _precio(db, aptos[2]) == _precio(db, aptos[3]) == D("306000000.00")
    assert _precio(db, aptos[0]) == D("300000000.00")  # frozen by its operation
    tercera = _vender(aptos[2])
    assert tercera.precio_lista == D("306000000.00")
    assert tercera.factor_precio == D("1.02")
    assert tercera.politicas_aplicadas == "Escalón 1 (+2 %)"
    assert tercera.valor_total == D("306000000.00")


@pytest.mark.parametrize("deshacer", ["anular", "caducar", "eliminar"])
def test_a_step_reached_stays_reached(db, proyecto, deshacer):
    proyecto.prima_altura_activa = False
    aptos = _aptos(proyecto, 3)
    _politica_db(proyecto, "Escalón", ventas_por_escalon=1, porcentaje_aumento=D("5"))
    operacion = crear_operacion(
        datos_separacion(factories.cliente(), aptos[0], fecha=date(2026, 11, 1))
    )
    assert _precio(db, aptos[1]) == D("315000000.00")
    if deshacer == "anular":
        anular_operacion(operacion)
    elif deshacer == "caducar":
        caducar_separaciones(date(2026, 12, 15))
    else:
        eliminar_operacion(operacion)
    db.session.commit()
    assert db.session.get(Proyecto, proyecto.id).ventas_alcanzadas == 1
    # The freed apartment is Disponible again, at today's list price.
    assert _precio(db, aptos[0]) == _precio(db, aptos[1]) == D("315000000.00")


def test_only_disponibles_are_repriced(db, proyecto):
    aptos = _aptos(proyecto, 2, piso=2)
    aptos[1].id_estado_inmueble = 4  # Bloqueado
    db.session.flush()
    precios.recalcular_proyecto(proyecto)
    assert _precio(db, aptos[0]) == D("304000000.00")
    assert _precio(db, aptos[1]) == D("300000000.00")


def test_a_date_policy_comes_with_the_daily_run(app, db, proyecto):
    proyecto.prima_altura_activa = False
    (apto,) = _aptos(proyecto, 1)
    _politica_db(
        proyecto, "Lanzamiento", aplica_desde=date(2030, 1, 1), porcentaje_aumento=D("1.5")
    )
    db.session.commit()
    assert _precio(db, apto) == D("300000000.00")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["precios", "recalcular", "--fecha", "2030-01-01"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 precios cambiaron al 01/01/2030 en 1 proyectos."
    db.session.expire_all()
    assert _precio(db, apto) == D("304500000.00")
    again = runner.invoke(args=["precios", "recalcular", "--fecha", "2030-01-01"])
    assert again.output.strip() == "0 precios cambiaron al 01/01/2030 en 1 proyectos."


def test_editing_a_tipo_reprices_its_apartments(db, proyecto):
    proyecto.prima_altura_activa = False
    tipo = precios.guardar_tipo(
        TipoApartamento(
            id_proyecto=proyecto.id, nombre="A", area_construida=D("60"), area_privada=D("55"),
            habitaciones=2, banos=2, valor_m2=D("5000000"),
        )
    )  # fmt: skip
    (apto,) = _aptos(proyecto, 1)
    apto.id_tipo_apartamento = tipo.id
    db.session.flush()
    tipo.valor_m2 = D("5100000")
    precios.guardar_tipo(tipo)
    assert _precio(db, apto) == D("306000000.00")
    assert db.session.get(Apartamento, apto.id).precio_base == D("306000000.00")
    ultimo = db.session.scalars(select(HistorialPrecio).order_by(HistorialPrecio.id.desc())).first()
    assert ultimo.motivo == "tipo" and "«A»" in ultimo.detalle


def test_a_tipo_in_use_is_not_deleted(db, proyecto):
    tipo = precios.guardar_tipo(
        TipoApartamento(
            id_proyecto=proyecto.id, nombre="A", area_construida=D("60"), area_privada=D("55"),
            habitaciones=2, banos=2, valor_m2=D("5000000"),
        )
    )  # fmt: skip
    (apto,) = _aptos(proyecto, 1)
    apto.id_tipo_apartamento = tipo.id
    db.session.flush()
    with pytest.raises(Conflict, match="lo usan 1 apartamento"):
        precios.eliminar_tipo(tipo)


@pytest.mark.parametrize(
    ("campos", "campo", "mensaje"),
    [
        ({"area_construida": D("0")}, "area_construida", "mayor que 0"),
        ({"area_privada": D("-1")}, "area_privada", "mayor que 0"),
        ({"valor_m2": D("0")}, "valor_m2", "mayor que 0"),
        ({"nombre": "  "}, "nombre", "obligatorio"),
        ({"habitaciones": 51}, "habitaciones", "entre 0 y 50"),
    ],
)
def test_a_wrong_tipo_is_refused_on_its_field(db, proyecto, campos, campo, mensaje):
    valores = dict(
        id_proyecto=proyecto.id, nombre="A", area_construida=D("60"), area_privada=D("55"),
        habitaciones=2, banos=2, valor_m2=D("5000000"),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        precios.guardar_tipo(TipoApartamento(**{**valores, **campos}))
    assert mensaje in exc.value.errors[campo][0]
    assert db.session.scalar(select(TipoApartamento.id)) is None


@pytest.mark.parametrize(
    ("campos", "campo", "mensaje"),
    [
        ({"porcentaje_aumento": D("100.0001")}, "porcentaje_aumento", "entre 0 y 100"),
        ({"porcentaje_aumento": D("-1")}, "porcentaje_aumento", "entre 0 y 100"),
        ({"porcentaje_aumento": D("1.00001")}, "porcentaje_aumento", "cuatro decimales"),
        ({"ventas_por_escalon": None}, "ventas_por_escalon", "al menos una condición"),
        ({"ventas_por_escalon": None}, "aplica_desde", "al menos una condición"),
        ({"ventas_por_escalon": 0}, "ventas_por_escalon", "entre 1 y"),
    ],
)
def test_a_wrong_policy_is_refused_on_its_field(db, proyecto, campos, campo, mensaje):
    valores = dict(id_proyecto=proyecto.id, nombre="P", ventas_por_escalon=5,
                   porcentaje_aumento=D("2"))  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        precios.guardar_politica(PoliticaPrecio(**{**valores, **campos}))
    assert mensaje in exc.value.errors[campo][0]


def test_a_duplicate_policy_name_is_refused_in_its_project_only(db, proyecto):
    _politica_db(proyecto, "Preventa", ventas_por_escalon=5, porcentaje_aumento=D("2"))
    with pytest.raises(ValidationFailed) as exc:
        _politica_db(proyecto, "PREVENTA", ventas_por_escalon=5, porcentaje_aumento=D("2"))
    assert "Ya existe una política" in exc.value.errors["nombre"][0]
    otro = factories.proyecto()
    _politica_db(otro, "Preventa", ventas_por_escalon=5, porcentaje_aumento=D("2"))


def test_preview_of_a_policy_saves_nothing(db, proyecto):
    proyecto.prima_altura_activa = False
    aptos = _aptos(proyecto, 3)
    nueva = Politica(None, "Nueva", 1, None, D("10"), date(2020, 1, 1))
    cambios = precios.vista_previa(proyecto, politica=nueva)
    assert [(c.precio_antes, c.precio_despues) for c in cambios] == [
        (D("300000000.00"), D("330000000.00"))
    ] * 3
    assert precios.resumen(cambios) == "3 apartamentos disponibles cambian de precio."
    db.session.expire_all()
    assert {_precio(db, a) for a in aptos} == {D("300000000.00")}
    assert db.session.scalar(select(PoliticaPrecio.id)) is None


def test_repricing_3000_units_moves_them_in_one_statement(db, proyecto):
    torre = factories.torre(proyecto)
    db.session.execute(
        Apartamento.__table__.insert(),
        [
            {
                "id_torre": torre.id, "numero": str(n), "piso": n % 30, "area_m2": D("60"),
                "habitaciones": 2, "banos": 2, "precio": D("300000000"),
                "id_estado_inmueble": 1, "version": 1,
                "created_at": factories_now(), "updated_at": factories_now(),
            }
            for n in range(3000)
        ],
    )  # fmt: skip
    assert precios.recalcular_proyecto(proyecto) == 2800  # pisos 0 and 1 pay no prima
    assert precios.recalcular_proyecto(proyecto) == 0
    assert db.session.scalar(select(Venta.id)) is None


def factories_now():
    from admin_app.models.base import utcnow

    return utcnow()
