"""The database itself refuses what must never be stored."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from admin_app.models import (
    Apartamento,
    Cliente,
    EstadoInmueble,
    FormaPago,
    MedioPago,
    Pago,
    Proyecto,
    TipoCliente,
    TipoDocumento,
    Torre,
    Venta,
)


def _cliente(documento="1020304050") -> Cliente:
    return Cliente(documento=documento, nombre="José Pérez", id_tipo_cliente=1, id_tipo_documento=1)


def _venta(db) -> Venta:
    proyecto = Proyecto(
        nombre="Reserva del Río",
        ciudad="Medellín",
        porcentaje_cuota_inicial_min=Decimal("30"),
        valor_min_separacion=Decimal("5000000"),
        plazo_max_cuota_inicial_meses=36,
        plazo_max_separacion_dias=30,
    )
    torre = Torre(proyecto=proyecto, nombre="Torre 1")
    apartamento = Apartamento(
        torre=torre,
        numero="101",
        piso=1,
        area_m2=Decimal("60"),
        habitaciones=2,
        banos=2,
        precio=Decimal("250000000"),
        id_estado_inmueble=1,
    )
    cliente = _cliente()
    venta = Venta(
        tipo_operacion="separacion",
        cliente=cliente,
        apartamento=apartamento,
        fecha=date(2026, 11, 25),
        valor_total=Decimal("250000000"),
        valor_separacion=Decimal("5000000"),
        fecha_limite_separacion=date(2026, 12, 20),
    )
    db.session.add(venta)
    db.session.commit()
    return venta


def test_catalogs_are_seeded(db):
    assert [
        t.nombre for t in db.session.scalars(db.select(TipoCliente).order_by(TipoCliente.id))
    ] == [
        "Persona Natural",
        "Persona Jurídica",
    ]
    codigos = db.session.scalars(db.select(TipoDocumento.codigo).order_by(TipoDocumento.id)).all()
    assert codigos == ["CC", "NIT", "CE", "PA", "OTRO"]
    assert db.session.scalar(db.select(db.func.count(EstadoInmueble.id))) == 4
    assert db.session.scalar(db.select(db.func.count(FormaPago.id))) == 4
    assert db.session.scalar(db.select(db.func.count(MedioPago.id))) == 5


def test_client_with_a_venta_cannot_be_deleted_by_the_database(db):
    venta = _venta(db)
    with pytest.raises(IntegrityError):
        db.session.execute(
            text("DELETE FROM clientes WHERE documento = :d"), {"d": venta.documento_cliente}
        )
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Cliente, "1020304050") is not None


def test_duplicate_documento_is_refused(db):
    db.session.add(_cliente())
    db.session.commit()
    db.session.add(_cliente())
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_payment_of_zero_is_refused(db):
    venta = _venta(db)
    db.session.add(Pago(venta=venta, fecha=date(2026, 11, 25), valor=Decimal("0"), id_medio_pago=1))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_second_vigente_operation_on_one_apartment_is_refused(db):
    venta = _venta(db)
    db.session.add(
        Venta(
            tipo_operacion="separacion",
            documento_cliente=venta.documento_cliente,
            id_apartamento=venta.id_apartamento,
            fecha=date(2026, 11, 26),
            valor_total=Decimal("1"),
            fecha_limite_separacion=date(2026, 12, 1),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_catalog_names_are_unique_regardless_of_case(db):
    db.session.add(MedioPago(nombre="EFECTIVO"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("porcentaje", [Decimal("-1"), Decimal("100.01")])
def test_percentage_outside_0_100_is_refused(db, porcentaje):
    db.session.add(
        Proyecto(
            nombre="X",
            ciudad="Cali",
            porcentaje_cuota_inicial_min=porcentaje,
            valor_min_separacion=Decimal("1"),
            plazo_max_cuota_inicial_meses=1,
            plazo_max_separacion_dias=1,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_updated_at_changes_on_update(db):
    cliente = _cliente()
    db.session.add(cliente)
    db.session.commit()
    before = cliente.updated_at
    cliente.nombre = "José Pérez Gómez"
    db.session.commit()
    assert cliente.updated_at > before
    assert cliente.version == 2
    assert cliente.nombre_busqueda == "jose perez gomez"


@pytest.mark.parametrize(
    "campos",
    [
        {"ventas_por_escalon": None, "aplica_desde": None},
        {"porcentaje_aumento": Decimal("100.5")},
        {"ventas_por_escalon": 0},
    ],
)
def test_a_price_policy_outside_its_rules_is_refused(db, campos):
    from admin_app.models import PoliticaPrecio

    proyecto = _venta(db).apartamento.torre.proyecto
    valores = dict(id_proyecto=proyecto.id, nombre="P", orden=1, ventas_por_escalon=5,
                   porcentaje_aumento=Decimal("2"), activa=True)  # fmt: skip
    db.session.add(PoliticaPrecio(**{**valores, **campos}))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("campo", ["area_construida", "area_privada", "valor_m2"])
def test_a_tipo_with_a_non_positive_value_is_refused(db, campo):
    from admin_app.models import TipoApartamento

    proyecto = _venta(db).apartamento.torre.proyecto
    valores = dict(id_proyecto=proyecto.id, nombre="A", area_construida=Decimal("60"),
                   area_privada=Decimal("55"), habitaciones=2, banos=2,
                   valor_m2=Decimal("1000000"))  # fmt: skip
    db.session.add(TipoApartamento(**{**valores, campo: Decimal("0")}))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
