"""Políticas de comisión and the comisiones that follow each venta; liquidación and pago."""

import threading
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from admin_app.models import Bitacora, Comision, Liquidacion, PoliticaComision, Rol, Usuario
from admin_app.services import comisiones as servicio
from admin_app.services.asesores import cambiar_asesor
from admin_app.services.errors import Conflict, Forbidden, ValidationFailed
from admin_app.services.ventas import (
    anular_operacion,
    convertir_separacion,
    crear_operacion,
    editar_venta,
    eliminar_operacion,
)
from tests import factories
from tests.conftest import make_user

from .conftest import datos_separacion, datos_venta

DESDE = date(2026, 1, 1)


def politica(usuario, proyecto, porcentaje="3.00", tipo="propia", desde=DESDE, hasta=None):
    return servicio.guardar_politica(
        servicio.DatosPolitica(
            id_proyecto=proyecto.id,
            id_usuario=usuario.id,
            tipo=tipo,
            porcentaje=D(porcentaje),
            vigente_desde=desde,
            vigente_hasta=hasta,
        )
    )


@pytest.fixture
def equipo(db, apto):
    director = make_user("directora", Rol.DIRECTOR_COMERCIAL)
    asesor = make_user("asesor", Rol.ASESOR)
    asesor.id_director = director.id
    proyecto = apto.torre.proyecto
    politica(asesor, proyecto, "3.00")
    politica(director, proyecto, "1.00", tipo="equipo")
    politica(director, proyecto, "2.50")
    db.session.commit()
    return director, asesor, proyecto


def comisiones_de(venta) -> list[Comision]:
    return list(
        servicio.db.session.scalars(
            select(Comision).where(Comision.id_venta == venta.id).order_by(Comision.id)
        )
    )


def vender(apto, comprador, asesor, **overrides):
    return crear_operacion(datos_venta(comprador, apto, id_asesor=asesor.id, **overrides))


# --- políticas ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("desde", "hasta", "se_cruza"),
    [
        (date(2025, 1, 1), date(2025, 12, 31), False),  # ends before
        (date(2025, 1, 1), date(2026, 1, 1), True),  # touches the first day
        (date(2026, 6, 1), None, True),  # inside an open policy
        (date(2025, 1, 1), None, True),  # both open
    ],
)
def test_policies_of_one_project_user_and_tipo_never_overlap(db, apto, desde, hasta, se_cruza):
    asesor = make_user("asesor", Rol.ASESOR)
    proyecto = apto.torre.proyecto
    primera = politica(asesor, proyecto, desde=DESDE)
    if se_cruza:
        with pytest.raises(Conflict) as exc:
            politica(asesor, proyecto, desde=desde, hasta=hasta)
        assert f"se cruza con la política #{primera.id}" in exc.value.errors["vigente_desde"][0]
        assert db.session.scalar(select(func.count(PoliticaComision.id))) == 1
    else:
        politica(asesor, proyecto, desde=desde, hasta=hasta)


def test_another_tipo_or_project_does_not_overlap(db, apto):
    director = make_user("dir", Rol.DIRECTOR_COMERCIAL)
    politica(director, apto.torre.proyecto)
    politica(director, apto.torre.proyecto, tipo="equipo")
    politica(director, factories.proyecto())
    assert db.session.scalar(select(func.count(PoliticaComision.id))) == 3


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        ("porcentaje", D("100.01"), "entre 0 y 100"),
        ("porcentaje", D("-1"), "entre 0 y 100"),
        ("porcentaje", D("1.234"), "dos decimales"),
        ("tipo", "otro", "propia"),
        ("vigente_hasta", date(2025, 1, 1), "antes de empezar"),
    ],
)
def test_a_bad_policy_is_refused_on_its_field(db, apto, campo, valor, mensaje):
    asesor = make_user("asesor", Rol.ASESOR)
    datos = dict(
        id_proyecto=apto.torre.proyecto.id,
        id_usuario=asesor.id,
        tipo="propia",
        porcentaje=D("3"),
        vigente_desde=DESDE,
    )
    datos[campo] = valor
    with pytest.raises(ValidationFailed) as exc:
        servicio.guardar_politica(servicio.DatosPolitica(**datos))
    assert mensaje in exc.value.errors[campo][0]


def test_only_a_director_has_a_team_policy(db, apto):
    asesor = make_user("asesor", Rol.ASESOR)
    with pytest.raises(ValidationFailed) as exc:
        politica(asesor, apto.torre.proyecto, tipo="equipo")
    assert exc.value.errors["tipo"] == ["Solo un director comercial tiene comisión de equipo."]


# --- comisiones follow the venta ----------------------------------------------------


def test_a_venta_earns_its_asesor_and_his_director_their_shares(db, apto, comprador, equipo):
    director, asesor, _proyecto = equipo
    venta = vender(apto, comprador, asesor)
    filas = comisiones_de(venta)
    assert [(c.id_usuario, c.tipo, c.estado, c.valor) for c in filas] == [
        (director.id, "equipo", "causada", D("2500000.00")),
        (asesor.id, "propia", "causada", D("7500000.00")),
    ]
    assert all(c.base == D("250000000.00") and c.fecha == venta.fecha for c in filas)


def test_a_director_selling_earns_only_his_own_share(db, apto, comprador, equipo):
    director, _asesor, _proyecto = equipo
    venta = vender(apto, comprador, director)
    assert [(c.tipo, c.valor) for c in comisiones_de(venta)] == [("propia", D("6250000.00"))]


def test_the_recorder_is_the_default_asesor(app, db, apto, comprador, equipo):
    _director, asesor, _proyecto = equipo
    with app.test_request_context():
        from flask import g

        g.api_user = asesor
        venta = crear_operacion(datos_venta(comprador, apto))
    assert venta.id_asesor == asesor.id


def test_a_separation_earns_nothing_until_converted(db, apto, comprador, equipo):
    _director, asesor, _proyecto = equipo
    separacion = crear_operacion(datos_separacion(comprador, apto, id_asesor=asesor.id))
    assert comisiones_de(separacion) == []
    convertir_separacion(
        separacion,
        cuota_inicial=D("75000000"),
        plazo_cuota_inicial_meses=12,
        id_forma_pago=2,
        fecha=date(2026, 11, 20),
    )
    assert [c.estado for c in comisiones_de(separacion)] == ["causada", "causada"]
    assert separacion.id_asesor == asesor.id


def test_a_price_edit_before_liquidation_recomputes(db, apto, comprador, equipo):
    _director, asesor, _proyecto = equipo
    venta = vender(apto, comprador, asesor)
    editar_venta(venta, valor_total=D("200000000"), cuota_inicial=D("60000000"))
    assert [c.valor for c in comisiones_de(venta)] == [D("2000000.00"), D("6000000.00")]


def test_annulling_before_liquidation_annuls_the_commissions(db, apto, comprador, equipo):
    _director, asesor, _proyecto = equipo
    venta = vender(apto, comprador, asesor)
    anular_operacion(venta, "Desistió")
    assert [c.estado for c in comisiones_de(venta)] == ["anulada", "anulada"]


def test_annulling_after_liquidation_adds_a_negative_adjustment(db, apto, comprador, equipo):
    director, asesor, _proyecto = equipo
    venta = vender(apto, comprador, asesor)
    liquidacion = servicio.liquidar(ids=[c.id for c in comisiones_de(venta)], usuario=director)
    db.session.commit()
    anular_operacion(venta, "Desistió")
    filas = comisiones_de(venta)
    liquidadas = [c for c in filas if not c.es_ajuste]
    ajustes = [c for c in filas if c.es_ajuste]
    assert {c.estado for c in liquidadas} == {"liquidada"}
    assert all(c.id_liquidacion == liquidacion.id for c in liquidadas)
    assert sorted((c.id_usuario, c.valor, c.estado) for c in ajustes) == sorted(
        [(director.id, D("-2500000.00"), "causada"), (asesor.id, D("-7500000.00"), "causada")]
    )
    # The next settlement takes the adjustments.
    siguiente = servicio.liquidar(ids=[c.id for c in ajustes], usuario=director)
    assert siguiente.total == D("-10000000.00")


def test_changing_the_asesor_moves_causadas_and_is_audited(app, db, apto, comprador, equipo):
    director, asesor, proyecto = equipo
    otro = make_user("otro", Rol.ASESOR)
    politica(otro, proyecto, "4.00")
    venta = vender(apto, comprador, asesor)
    cambiar_asesor(venta, otro.id, "Cliente referido por otro asesor")
    db.session.commit()
    vivas = [(c.id_usuario, c.valor) for c in comisiones_de(venta) if c.estado == "causada"]
    assert vivas == [(otro.id, D("10000000.00"))]
    entrada = db.session.scalars(
        select(Bitacora).where(Bitacora.tabla == "ventas").order_by(Bitacora.id.desc())
    ).first()
    assert entrada.cambios["motivo"] == [None, "Cliente referido por otro asesor"]


@pytest.mark.parametrize(
    ("motivo", "mensaje"),
    [("", "Indique el motivo del cambio de asesor."), ("x" * 301, "300 caracteres")],
)
def test_changing_the_asesor_needs_a_motivo(db, apto, comprador, equipo, motivo, mensaje):
    _director, asesor, _proyecto = equipo
    venta = vender(apto, comprador, asesor)
    with pytest.raises(ValidationFailed) as exc:
        cambiar_asesor(venta, asesor.id, motivo)
    assert mensaje in exc.value.errors["motivo"][0]


def test_a_director_changes_only_his_teams_operations(app, db, apto, comprador, equipo):
    director, _asesor, _proyecto = equipo
    ajeno = make_user("ajeno", Rol.ASESOR)
    venta = vender(apto, comprador, ajeno)
    with app.test_request_context():
        from flask import g

        g.api_user = director
        with pytest.raises(Forbidden):
            cambiar_asesor(venta, director.id, "Lo tomo yo")


def test_deleting_a_venta_takes_its_unliquidated_commissions(db, apto, comprador, equipo):
    _director, asesor, _proyecto = equipo
    venta = vender(apto, comprador, asesor)
    eliminar_operacion(venta)
    assert db.session.scalar(select(func.count(Comision.id))) == 0


# --- the property: what is owed follows what is sold --------------------------------

ACCIONES = st.lists(
    st.tuples(
        st.sampled_from(["vender", "anular", "precio", "liquidar"]),
        st.integers(min_value=0, max_value=4),
        st.integers(min_value=150, max_value=400),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(acciones=ACCIONES)
def test_causadas_plus_adjustments_equal_the_live_ventas_commissions(db, acciones):
    db.session.rollback()
    # Every table that hangs from ventas or pagos, children first (receipts, notices,
    # the operations' units and the price history they move).
    for tabla in (
        "comisiones",
        "liquidaciones",
        "recibos_caja",
        "avisos_intentos",
        "avisos",
        "pagos_cuotas",
        "pagos",
        "cuotas",
        "operacion_unidades",
        "historial_precios",
        "ventas",
    ):
        db.session.execute(servicio.db.text(f"DELETE FROM {tabla}"))
    db.session.execute(servicio.db.text("UPDATE apartamentos SET id_estado_inmueble = 1"))
    db.session.commit()
    db.session.expunge_all()  # ids start again: no stale row may keep its identity
    director = db.session.scalar(select(Usuario).where(Usuario.username == "prop-director"))
    if director is None:
        director = make_user("prop-director", Rol.DIRECTOR_COMERCIAL)
        asesor = make_user("prop-asesor", Rol.ASESOR)
        asesor.id_director = director.id
        torre = factories.torre()
        for _ in range(5):
            factories.apartamento(torre, precio=D("250000000.00"))
        politica(asesor, torre.proyecto, "3.17")
        politica(director, torre.proyecto, "1.33", tipo="equipo")
        factories.cliente(documento="9990001")
        db.session.commit()
    asesor = db.session.scalar(select(Usuario).where(Usuario.username == "prop-asesor"))
    apartamentos = sorted(
        db.session.scalars(select(factories.Apartamento).order_by(factories.Apartamento.id)),
        key=lambda a: a.id,
    )[-5:]
    cliente = db.session.get(factories.Cliente, "9990001")
    ventas = {}
    for accion, indice, millones in acciones:
        apto = apartamentos[indice]
        venta = ventas.get(indice)
        try:
            if accion == "vender" and venta is None:
                valor = D(millones) * 1_000_000
                ventas[indice] = crear_operacion(
                    datos_venta(
                        cliente,
                        apto,
                        id_asesor=asesor.id,
                        valor_total=valor,
                        cuota_inicial=valor * D("0.3"),
                    )
                )
            elif accion == "anular" and venta is not None and venta.estado_operacion == "vigente":
                anular_operacion(venta, "prueba")
                del ventas[indice]
            elif accion == "precio" and venta is not None:
                valor = D(millones) * 1_000_000
                editar_venta(venta, valor_total=valor, cuota_inicial=valor * D("0.3"))
            elif accion == "liquidar":
                causadas = db.session.scalars(
                    select(Comision.id).where(Comision.estado == "causada")
                ).all()
                if causadas:
                    servicio.liquidar(ids=list(causadas), usuario=director)
            db.session.commit()
        except (ValidationFailed, Conflict):
            db.session.rollback()
    db.session.expire_all()
    vivas = db.session.scalars(
        select(factories.Venta).where(
            factories.Venta.tipo_operacion == "venta",
            factories.Venta.estado_operacion == "vigente",
        )
    ).all()
    esperado = sum(
        (
            servicio.valor_comision(v.valor_total, D("3.17"))
            + servicio.valor_comision(v.valor_total, D("1.33"))
            for v in vivas
        ),
        D("0.00"),
    )
    debido = db.session.scalar(
        select(func.coalesce(func.sum(Comision.valor), 0)).where(Comision.estado != "anulada")
    )
    assert D(debido) == esperado


# --- liquidación y pago ---------------------------------------------------------------


def test_liquidating_by_filters_settles_every_matching_causada(db, apto, comprador, equipo):
    director, asesor, proyecto = equipo
    vender(apto, comprador, asesor)
    liquidacion = servicio.liquidar(
        filtros=servicio.Filtros(beneficiario=asesor.id, proyecto=proyecto.id),
        fecha=date(2026, 2, 28),
        usuario=director,
    )
    db.session.commit()
    assert (liquidacion.numero, liquidacion.total) == (
        f"LIQ-{liquidacion.id:06d}",
        D("7500000.00"),
    )
    estados = {c.id_usuario: c.estado for c in db.session.scalars(select(Comision))}
    assert estados == {asesor.id: "liquidada", director.id: "causada"}


def test_liquidating_a_commission_twice_is_a_conflict(db, apto, comprador, equipo):
    director, asesor, _proyecto = equipo
    venta = vender(apto, comprador, asesor)
    ids = [c.id for c in comisiones_de(venta)]
    servicio.liquidar(ids=ids, usuario=director)
    db.session.commit()
    with pytest.raises(Conflict) as exc:
        servicio.liquidar(ids=ids, usuario=director)
    assert "Solo se liquidan comisiones causadas" in exc.value.errors["ids"][0]


def test_two_admins_liquidating_at_once_exactly_one_succeeds(
    app, db, apto, comprador, equipo, monkeypatch
):
    director, asesor, _proyecto = equipo
    venta = vender(apto, comprador, asesor)
    db.session.commit()
    ids = [c.id for c in comisiones_de(venta)]
    id_director = director.id
    db.session.remove()

    barrera = threading.Barrier(2, timeout=20)
    original = servicio.secrets.token_hex

    def a_la_vez(n):
        barrera.wait()  # both have seen the commissions causadas; now both write
        return original(n)

    monkeypatch.setattr(servicio.secrets, "token_hex", a_la_vez)
    resultados: list[str] = []

    def liquidar() -> None:
        with app.app_context():
            session = servicio.db.session
            try:
                usuario = session.get(Usuario, id_director)
                servicio.liquidar(ids=ids, usuario=usuario)
                session.commit()
                resultados.append("ok")
            except Conflict as exc:
                session.rollback()
                resultados.append(exc.errors["ids"][0])
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                session.rollback()
                resultados.append(repr(exc))

    hilos = [threading.Thread(target=liquidar) for _ in range(2)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=60)
    servicio.db.engine.dispose()

    assert len(resultados) == 2 and resultados.count("ok") == 1, resultados
    [rechazo] = [r for r in resultados if r != "ok"]
    assert rechazo == servicio.LIQUIDADA_A_LA_VEZ
    assert db.session.scalar(select(func.count(Liquidacion.id))) == 1
    assert set(db.session.scalars(select(Comision.estado))) == {"liquidada"}


def test_paying_marks_the_settlement_and_its_commissions(db, apto, comprador, equipo):
    director, asesor, _proyecto = equipo
    venta = vender(apto, comprador, asesor)
    liquidacion = servicio.liquidar(ids=[c.id for c in comisiones_de(venta)], usuario=director)
    db.session.commit()
    servicio.pagar(liquidacion, date(2026, 12, 1), "TRF-001")
    db.session.commit()
    db.session.refresh(liquidacion)
    assert (liquidacion.estado, liquidacion.referencia) == ("pagada", "TRF-001")
    assert {c.estado for c in comisiones_de(venta)} == {"pagada"}
    with pytest.raises(Conflict) as exc:
        servicio.pagar(liquidacion, date(2026, 12, 2), "TRF-002")
    assert "ya está pagada" in exc.value.errors["estado"][0]


@pytest.mark.parametrize(
    ("fecha", "referencia", "campo"),
    [(None, "TRF", "fecha"), (date(2026, 12, 1), "  ", "referencia")],
)
def test_paying_needs_a_date_and_a_reference(db, apto, comprador, equipo, fecha, referencia, campo):
    director, asesor, _proyecto = equipo
    venta = vender(apto, comprador, asesor)
    liquidacion = servicio.liquidar(ids=[c.id for c in comisiones_de(venta)], usuario=director)
    with pytest.raises(ValidationFailed) as exc:
        servicio.pagar(liquidacion, fecha, referencia)
    assert campo in exc.value.errors


def test_the_report_totals_per_beneficiary_project_and_estado(db, apto, comprador, equipo):
    director, asesor, proyecto = equipo
    venta = vender(apto, comprador, asesor)
    otra = vender(factories.apartamento(apto.torre), factories.cliente(), asesor)
    servicio.liquidar(ids=[c.id for c in comisiones_de(venta)], usuario=director)
    anular_operacion(otra, "x")
    filas = servicio.reporte(servicio.Filtros(desde=date(2026, 1, 1), hasta=date(2026, 12, 31)))
    por_usuario = {f.id_usuario: f for f in filas}
    assert por_usuario[asesor.id].liquidada == D("7500000.00")
    assert por_usuario[asesor.id].anulada == D("7500000.00")
    assert por_usuario[asesor.id].total == D("7500000.00")
    assert por_usuario[director.id].proyecto == proyecto.nombre


def test_a_project_may_cause_commissions_on_collecting_part_of_the_cuota_inicial(
    db, apto, comprador, equipo
):
    from admin_app.services.pagos import eliminar_pago, registrar_pago

    _director, asesor, proyecto = equipo
    proyecto.porcentaje_causacion_comision = D("50.00")
    venta = vender(apto, comprador, asesor)  # cuota inicial 75.000.000
    assert comisiones_de(venta) == []
    registrar_pago(venta, fecha=date(2026, 2, 1), valor=D("30000000"), id_medio_pago=1)
    assert comisiones_de(venta) == []  # 40 %
    pago = registrar_pago(venta, fecha=date(2026, 2, 2), valor=D("7500000"), id_medio_pago=1)
    assert [c.estado for c in comisiones_de(venta)] == ["causada", "causada"]  # 50 %
    eliminar_pago(pago)
    assert [c.estado for c in comisiones_de(venta)] == ["anulada", "anulada"]
