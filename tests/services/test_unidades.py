"""Operations on units of every kind: one main unit (apartamento, local or a
parqueadero alone) plus parqueaderos adicionales; the incluidos go with their
apartment; every unit moves with the operation; the database allows one vigente
operation per unit; bloqueos; deletes; locales' price; ranges of parqueaderos."""

import threading
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from admin_app.integrity import describe_integrity_error
from admin_app.models import (
    Apartamento,
    Bitacora,
    HistorialPrecio,
    Local,
    OperacionUnidad,
    Parqueadero,
    Venta,
)
from admin_app.services import locales as servicio_locales
from admin_app.services import parqueaderos as servicio_parqueaderos
from admin_app.services import unidades as servicio_unidades
from admin_app.services import ventas as ventas_service
from admin_app.services.errors import Conflict, ValidationFailed
from admin_app.services.pagos import registrar_pago
from admin_app.services.ventas import (
    anular_operacion,
    caducar_separaciones,
    convertir_separacion,
    crear_operacion,
    eliminar_operacion,
)
from tests import factories

from .conftest import datos_separacion, datos_venta

DISPONIBLE, SEPARADO, VENDIDO, BLOQUEADO = 1, 2, 3, 4
HOY = date(2026, 11, 25)


@pytest.fixture
def torre(db):
    return factories.torre()


@pytest.fixture
def apto(torre):
    return factories.apartamento(torre, precio=D("250000000.00"))


@pytest.fixture
def comprador(db):
    return factories.cliente()


def _estado(db, unidad) -> int:
    db.session.expire_all()
    return db.session.get(type(unidad), unidad.id).id_estado_inmueble


# --- one main unit plus adicionales -------------------------------------------------


def test_a_venta_with_an_adicional_sells_both_and_adds_its_price(db, torre, apto, comprador):
    parqueadero = factories.parqueadero(torre, precio=D("30000000.00"))
    venta = crear_operacion(
        datos_venta(comprador, apto, adicionales=[parqueadero.id], cuota_inicial=D("90000000"))
    )
    assert venta.valor_total == D("280000000.00")
    filas = [
        (u.rol, u.id_apartamento, u.id_parqueadero, u.precio, u.vigente) for u in venta.unidades
    ]
    assert filas == [
        ("principal", apto.id, None, D("250000000.00"), True),
        ("adicional", None, parqueadero.id, D("30000000.00"), True),
    ]
    assert _estado(db, apto) == VENDIDO
    assert _estado(db, parqueadero) == VENDIDO
    assert db.session.get(Parqueadero, parqueadero.id).documento_cliente == comprador.documento


def test_an_included_parking_goes_with_its_apartment_at_no_price(db, torre, apto, comprador):
    incluido = factories.parqueadero(torre, id_apartamento=apto.id, precio=D("20000000.00"))
    venta = crear_operacion(datos_separacion(comprador, apto))
    assert venta.valor_total == D("250000000.00")
    assert [(u.rol, u.id_parqueadero, u.precio) for u in venta.unidades][1] == (
        "incluido",
        incluido.id,
        D("0.00"),
    )
    assert _estado(db, incluido) == SEPARADO


def test_a_local_is_sold_like_an_apartment(db, torre, comprador):
    local = factories.local(torre, precio=D("200000000.00"))
    venta = crear_operacion(
        datos_venta(
            comprador, local, id_apartamento=None, id_local=local.id, cuota_inicial=D("60000000")
        )
    )
    assert (venta.id_local, venta.id_apartamento, venta.valor_total) == (
        local.id,
        None,
        D("200000000.00"),
    )
    assert _estado(db, local) == VENDIDO
    assert db.session.get(Local, local.id).documento_cliente == comprador.documento


def test_a_parking_alone_is_sold_to_an_owner_of_the_project(db, torre, apto, comprador):
    crear_operacion(datos_venta(comprador, apto))
    suelto = factories.parqueadero(torre, precio=D("30000000.00"))
    venta = crear_operacion(
        datos_venta(
            comprador,
            suelto,
            id_apartamento=None,
            id_parqueadero=suelto.id,
            valor_separacion=D("0"),
            cuota_inicial=D("9000000"),
        )
    )
    assert venta.id_parqueadero == suelto.id
    assert _estado(db, suelto) == VENDIDO


def test_a_parking_alone_for_a_client_without_a_unit_in_the_project_is_refused(
    db, torre, comprador
):
    suelto = factories.parqueadero(torre)
    with pytest.raises(ValidationFailed) as error:
        crear_operacion(
            datos_venta(comprador, suelto, id_apartamento=None, id_parqueadero=suelto.id)
        )
    assert "ya es propietario de una unidad del proyecto" in error.value.errors["id_parqueadero"][0]
    assert _estado(db, suelto) == DISPONIBLE


@pytest.mark.parametrize(
    ("claves", "campo", "mensaje"),
    [
        ({"id_apartamento": None}, "id_apartamento", "Seleccione la unidad"),
        ({"id_local": 1}, "id_local", "una sola unidad principal"),
        ({"id_apartamento": 999999}, "id_apartamento", "no existe"),
    ],
)
def test_exactly_one_main_unit(db, apto, comprador, claves, campo, mensaje):
    with pytest.raises(ValidationFailed) as error:
        crear_operacion(datos_venta(comprador, apto, **claves))
    assert mensaje in error.value.errors[campo][0]


def test_an_adicional_of_another_project_is_a_field_error(db, apto, comprador):
    ajeno = factories.parqueadero(factories.torre())
    with pytest.raises(ValidationFailed) as error:
        crear_operacion(datos_venta(comprador, apto, adicionales=[ajeno.id]))
    assert "es de otro proyecto" in error.value.errors["adicionales"][0]
    assert _estado(db, apto) == DISPONIBLE


def test_an_included_parking_is_not_an_adicional(db, torre, apto, comprador):
    otro = factories.apartamento(torre)
    de_otro = factories.parqueadero(torre, id_apartamento=otro.id)
    with pytest.raises(ValidationFailed) as error:
        crear_operacion(datos_venta(comprador, apto, adicionales=[de_otro.id]))
    assert "está incluido en el apartamento" in error.value.errors["adicionales"][0]


def test_an_adicional_not_disponible_is_a_conflict_and_nothing_moves(db, torre, apto, comprador):
    bloqueado = factories.parqueadero(torre, id_estado_inmueble=BLOQUEADO)
    with pytest.raises(Conflict) as error:
        crear_operacion(
            datos_venta(comprador, apto, adicionales=[bloqueado.id], cuota_inicial=D("90000000"))
        )
    assert "no está disponible" in error.value.errors["adicionales"][0]
    assert _estado(db, apto) == DISPONIBLE  # refused before any unit moved


# --- every unit moves together ----------------------------------------------------------


@pytest.fixture
def separacion_con_parqueo(db, torre, apto, comprador):
    parqueadero = factories.parqueadero(torre)
    incluido = factories.parqueadero(torre, id_apartamento=apto.id)
    venta = crear_operacion(datos_separacion(comprador, apto, adicionales=[parqueadero.id]))
    return venta, parqueadero, incluido


def test_lapsing_frees_every_unit(db, apto, separacion_con_parqueo):
    venta, parqueadero, incluido = separacion_con_parqueo
    caducar_separaciones(date(2026, 12, 1))
    assert venta.estado_operacion == "caducada"
    assert [_estado(db, u) for u in (apto, parqueadero, incluido)] == [DISPONIBLE] * 3
    assert not any(fila.vigente for fila in db.session.get(Venta, venta.id).unidades)


def test_converting_sells_every_unit_to_the_client(db, apto, comprador, separacion_con_parqueo):
    venta, parqueadero, incluido = separacion_con_parqueo
    convertir_separacion(
        venta,
        cuota_inicial=D("90000000"),
        plazo_cuota_inicial_meses=12,
        id_forma_pago=1,
        fecha=date(2026, 11, 10),
    )
    db.session.flush()
    for unidad in (apto, parqueadero, incluido):
        db.session.expire_all()
        fila = db.session.get(type(unidad), unidad.id)
        assert (fila.id_estado_inmueble, fila.documento_cliente) == (VENDIDO, comprador.documento)


def test_annulling_frees_every_unit_and_they_sell_again(db, apto, separacion_con_parqueo):
    venta, parqueadero, incluido = separacion_con_parqueo
    anular_operacion(venta)
    db.session.flush()
    assert [_estado(db, u) for u in (apto, parqueadero, incluido)] == [DISPONIBLE] * 3
    otra = crear_operacion(
        datos_separacion(factories.cliente(), apto, adicionales=[parqueadero.id])
    )
    assert len(otra.unidades) == 3


def test_deleting_frees_every_unit_and_removes_its_rows(db, apto, separacion_con_parqueo):
    venta, parqueadero, _incluido = separacion_con_parqueo
    eliminar_operacion(venta)
    assert _estado(db, parqueadero) == DISPONIBLE
    assert db.session.scalar(select(func.count()).select_from(OperacionUnidad)) == 0


def test_the_database_allows_one_vigente_operation_per_parking(db, torre, apto, comprador):
    parqueadero = factories.parqueadero(torre)
    crear_operacion(datos_separacion(comprador, apto, adicionales=[parqueadero.id]))
    # Someone forces the parking back to Disponible behind the service's back.
    db.session.execute(Parqueadero.__table__.update().values(id_estado_inmueble=DISPONIBLE))
    db.session.expire_all()
    with pytest.raises(Conflict) as error:
        crear_operacion(
            datos_separacion(
                factories.cliente(), factories.apartamento(torre), adicionales=[parqueadero.id]
            )
        )
    assert "ya tiene una operación vigente" in error.value.errors["adicionales"][0]


def test_two_clerks_selling_one_parking_at_once_exactly_one_succeeds(app, db, monkeypatch):
    torre = factories.torre()
    aptos = [factories.apartamento(torre), factories.apartamento(torre)]
    parqueadero = factories.parqueadero(torre)
    clientes = [factories.cliente(), factories.cliente()]
    db.session.commit()
    trabajos = [(c.documento, a.id) for c, a in zip(clientes, aptos, strict=True)]
    id_parqueadero = parqueadero.id
    db.session.remove()

    barrera = threading.Barrier(2, timeout=20)
    primera_vez = threading.local()
    original = ventas_service.mover_unidad

    def tomar_a_la_vez(unidad, *args, **kwargs):
        # Both clerks have read every unit Disponible before either writes (SQLite
        # takes its write lock at the first UPDATE, so the wait is before it).
        if not getattr(primera_vez, "hecho", False):
            primera_vez.hecho = True
            barrera.wait()
        return original(unidad, *args, **kwargs)

    monkeypatch.setattr(ventas_service, "mover_unidad", tomar_a_la_vez)
    resultados: list[str] = []

    def vender(documento: str, id_apartamento: int) -> None:
        with app.app_context():
            session = db.session
            try:
                cliente = session.get(factories.Cliente, documento)
                apto_hilo = session.get(Apartamento, id_apartamento)
                crear_operacion(
                    datos_venta(
                        cliente,
                        apto_hilo,
                        adicionales=[id_parqueadero],
                        cuota_inicial=D("90000000"),
                    )
                )
                session.commit()
                resultados.append("ok")
            except Conflict as exc:
                session.rollback()
                resultados.append(exc.errors["adicionales"][0])
            except IntegrityError as exc:
                session.rollback()
                resultados.append(describe_integrity_error(exc)[1])

    hilos = [threading.Thread(target=vender, args=trabajo) for trabajo in trabajos]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=60)
    db.engine.dispose()

    assert resultados.count("ok") == 1, resultados
    [rechazo] = [r for r in resultados if r != "ok"]
    assert "no está disponible" in rechazo or "operación vigente" in rechazo
    assert db.session.scalar(select(func.count(Venta.id))) == 1
    assert db.session.get(Parqueadero, id_parqueadero).id_estado_inmueble == VENDIDO
    # The loser's apartment was rolled back with its operation.
    estados = sorted(db.session.get(Apartamento, a).id_estado_inmueble for _d, a in trabajos)
    assert estados == [DISPONIBLE, VENDIDO]


# --- bloqueos -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["apartamento", "local", "parqueadero"])
def test_blocking_records_motivo_who_when_and_hasta(db, torre, kind):
    unidad = getattr(factories, kind)(torre)
    servicio_unidades.bloquear(unidad, "  Reservado para la gerencia ", date(2026, 12, 31), HOY)
    assert unidad.id_estado_inmueble == BLOQUEADO
    assert unidad.bloqueo_motivo == "Reservado para la gerencia"
    assert unidad.bloqueado_por and unidad.bloqueado_en is not None
    assert unidad.bloqueado_hasta == date(2026, 12, 31)
    servicio_unidades.desbloquear(unidad)
    assert (unidad.id_estado_inmueble, unidad.bloqueo_motivo, unidad.bloqueado_hasta) == (
        DISPONIBLE,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("motivo", "hasta", "campo", "mensaje"),
    [
        ("", None, "motivo", "Indique el motivo"),
        ("x" * 301, None, "motivo", "más de 300"),
        ("Obra", date(2026, 11, 24), "hasta", "no puede ser anterior a hoy"),
    ],
)
def test_a_block_needs_a_motivo_and_a_future_hasta(db, apto, motivo, hasta, campo, mensaje):
    with pytest.raises(ValidationFailed) as error:
        servicio_unidades.bloquear(apto, motivo, hasta, HOY)
    assert mensaje in error.value.errors[campo][0]
    assert _estado(db, apto) == DISPONIBLE


def test_only_a_disponible_unit_is_blocked(db, apto, comprador):
    crear_operacion(datos_separacion(comprador, apto))
    with pytest.raises(Conflict):
        servicio_unidades.bloquear(apto, "Obra", None, HOY)
    assert _estado(db, apto) == SEPARADO


def test_expired_blocks_are_lifted_once(db, torre):
    vence = factories.parqueadero(torre)
    sigue = factories.local(torre)
    sin_fecha = factories.apartamento(torre)
    servicio_unidades.bloquear(vence, "Obra", date(2026, 11, 30), HOY)
    servicio_unidades.bloquear(sigue, "Obra", date(2026, 12, 31), HOY)
    servicio_unidades.bloquear(sin_fecha, "Obra", None, HOY)
    assert servicio_unidades.levantar_bloqueos_vencidos(date(2026, 12, 1)) == 1
    assert servicio_unidades.levantar_bloqueos_vencidos(date(2026, 12, 1)) == 0
    assert [_estado(db, u) for u in (vence, sigue, sin_fecha)] == [
        DISPONIBLE,
        BLOQUEADO,
        BLOQUEADO,
    ]
    entrada = db.session.scalars(
        select(Bitacora).where(Bitacora.tabla == "parqueaderos").order_by(Bitacora.id.desc())
    ).first()
    assert entrada is not None


# --- locales and parqueaderos: create, edit, delete ------------------------------------


def test_a_local_costs_area_times_valor_m2_rounded_to_the_peso(db, torre):
    local = servicio_locales.crear_local(
        servicio_locales.DatosLocal(
            numero=" L-1 ", area_m2=D("33.33"), valor_m2=D("4500000.50"), id_torre=torre.id
        )
    )
    # 33.33 × 4.500.000,50 = 149.985.016,665 -> 149.985.017
    assert (local.numero, local.precio, local.id_proyecto) == (
        "L-1",
        D("149985017.00"),
        torre.id_proyecto,
    )
    assert local.id_estado_inmueble == DISPONIBLE
    historia = db.session.scalars(select(HistorialPrecio)).all()
    assert [(h.id_local, h.precio_despues, h.motivo) for h in historia] == [
        (local.id, D("149985017.00"), "manual")
    ]


@pytest.mark.parametrize(
    ("cambios", "campo"),
    [
        ({"area_m2": D("0")}, "area_m2"),
        ({"area_m2": D("-3")}, "area_m2"),
        ({"valor_m2": D("0")}, "valor_m2"),
        ({"numero": ""}, "numero"),
        ({"numero": "L-100000000"}, "numero"),
        ({"id_torre": None, "id_proyecto": None}, "id_proyecto"),
    ],
)
def test_a_local_with_bad_input_is_refused_on_its_field(db, torre, cambios, campo):
    datos = dict(numero="L-1", area_m2=D("30"), valor_m2=D("1000000"), id_torre=torre.id)
    datos.update(cambios)
    with pytest.raises(ValidationFailed) as error:
        servicio_locales.crear_local(servicio_locales.DatosLocal(**datos))
    assert campo in error.value.errors
    assert db.session.scalar(select(func.count()).select_from(Local)) == 0


def test_a_duplicate_local_number_in_the_torre_is_a_field_error(db, torre):
    datos = dict(numero="L-1", area_m2=D("30"), valor_m2=D("1000000"), id_torre=torre.id)
    servicio_locales.crear_local(servicio_locales.DatosLocal(**datos))
    with pytest.raises(ValidationFailed) as error:
        servicio_locales.crear_local(servicio_locales.DatosLocal(**datos))
    assert "Ya existe un local con el número L-1" in error.value.errors["numero"][0]


def test_editing_a_local_price_is_kept_in_its_history(db, torre):
    local = factories.local(torre, area_m2=D("10"), valor_m2=D("1000000"), precio=D("10000000"))
    servicio_locales.actualizar_local(
        local,
        servicio_locales.DatosLocal(
            numero=local.numero, area_m2=D("10"), valor_m2=D("1200000"), id_torre=torre.id
        ),
    )
    [cambio] = db.session.scalars(select(HistorialPrecio)).all()
    assert (cambio.precio_antes, cambio.precio_despues) == (D("10000000.00"), D("12000000.00"))


def test_a_unit_with_operations_is_not_deleted(db, torre, apto, comprador):
    parqueadero = factories.parqueadero(torre)
    venta = crear_operacion(datos_separacion(comprador, apto, adicionales=[parqueadero.id]))
    anular_operacion(venta)
    with pytest.raises(Conflict) as error:
        servicio_parqueaderos.eliminar_parqueadero(parqueadero)
    assert "tiene 1 operación" in error.value.message
    assert db.session.get(Parqueadero, parqueadero.id) is not None


def test_a_unit_without_operations_is_deleted_with_its_price_history(db, torre):
    local = servicio_locales.crear_local(
        servicio_locales.DatosLocal(
            numero="L-9", area_m2=D("10"), valor_m2=D("1000000"), id_torre=torre.id
        )
    )
    servicio_locales.eliminar_local(local)
    assert db.session.scalar(select(func.count()).select_from(Local)) == 0


def test_a_range_creates_every_number_in_one_go(db, torre):
    ids = servicio_parqueaderos.crear_rango(
        servicio_parqueaderos.DatosRango(
            id_torre=torre.id,
            prefijo="P-",
            desde=1,
            hasta=120,
            relleno=3,
            id_tipo_parqueadero=1,
            precio=D("25000000"),
        )
    )
    assert len(ids) == 120
    numeros = db.session.scalars(select(Parqueadero.numero).order_by(Parqueadero.numero)).all()
    assert (numeros[0], numeros[-1]) == ("P-001", "P-120")
    assert db.session.scalar(select(func.count()).select_from(HistorialPrecio)) == 120


def test_a_range_with_a_used_number_creates_none(db, torre):
    factories.parqueadero(torre, numero="P-050")
    with pytest.raises(ValidationFailed) as error:
        servicio_parqueaderos.crear_rango(
            servicio_parqueaderos.DatosRango(
                id_torre=torre.id,
                prefijo="P-",
                desde=1,
                hasta=120,
                relleno=3,
                id_tipo_parqueadero=1,
                precio=D("25000000"),
            )
        )
    assert "ya tiene 1 de esos números (P-050); no se creó ninguno" in error.value.message
    assert db.session.scalar(select(func.count()).select_from(Parqueadero)) == 1


@pytest.mark.parametrize(
    ("cambios", "campo"),
    [
        ({"hasta": 0, "desde": 5}, "hasta"),
        ({"precio": D("0")}, "precio"),
        ({"relleno": 9}, "relleno"),
        ({"prefijo": "PARQUEO-"}, "prefijo"),
        ({"hasta": 5000}, "hasta"),
    ],
)
def test_a_bad_range_is_refused_on_its_field(db, torre, cambios, campo):
    datos = dict(
        id_torre=torre.id,
        prefijo="P-",
        desde=1,
        hasta=10,
        relleno=3,
        id_tipo_parqueadero=1,
        precio=D("25000000"),
    )
    datos.update(cambios)
    with pytest.raises(ValidationFailed) as error:
        servicio_parqueaderos.crear_rango(servicio_parqueaderos.DatosRango(**datos))
    assert campo in error.value.errors


def test_a_price_is_frozen_while_an_operation_holds_the_unit(db, torre, apto, comprador):
    parqueadero = factories.parqueadero(torre)
    crear_operacion(datos_separacion(comprador, apto, adicionales=[parqueadero.id]))
    with pytest.raises(ValidationFailed) as error:
        servicio_parqueaderos.actualizar_parqueadero(
            parqueadero,
            servicio_parqueaderos.DatosParqueadero(
                id_torre=torre.id,
                numero=parqueadero.numero,
                id_tipo_parqueadero=1,
                precio=D("99000000"),
            ),
        )
    assert "vigente" in error.value.errors["precio"][0]


def test_payments_still_work_on_an_operation_with_adicionales(db, separacion_con_parqueo):
    venta, _p, _i = separacion_con_parqueo
    registrar_pago(venta, fecha=date(2026, 11, 2), valor=D("5000000"), id_medio_pago=1)
    assert venta.cuotas[0].valor_pagado == D("5000000.00")
