"""Cartera por edades, recaudo and calendario (admin_app.reportes.cartera), checked
against figures computed independently from the rows."""

from collections import defaultdict
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from admin_app.extensions import db
from admin_app.models import (
    Apartamento,
    AplicacionPago,
    Cuota,
    Pago,
    Proyecto,
    Torre,
    Venta,
)
from admin_app.reportes import cartera as reportes
from admin_app.reportes import puede_ver_reportes
from admin_app.services.estado_cuenta import resumen_venta
from admin_app.services.pagos import registrar_pago
from admin_app.services.ventas import anular_operacion, crear_operacion
from tests import factories
from tests.services.conftest import datos_venta

CERO = D("0.00")
CUOTA = D("5833333.00")  # (75.000.000 - 5.000.000) / 12, whole pesos


def _venta(proyecto, **overrides) -> Venta:
    apto = factories.apartamento(factories.torre(proyecto), precio=D("250000000.00"))
    return crear_operacion(datos_venta(factories.cliente(), apto, **overrides))


def _pagar(venta, fecha, valor, medio=1):
    return registrar_pago(venta, fecha=fecha, valor=D(valor), id_medio_pago=medio)


@pytest.fixture
def cartera_datos(db):
    """Two projects: A pays the separation and a late cuota 2, and cuota 3 after
    the cut-off; B pays nothing; C (annulled) never counts."""
    norte, sur = factories.proyecto(nombre="Norte"), factories.proyecto(nombre="Sur")
    a = _venta(norte)
    _pagar(a, date(2026, 1, 31), "5000000.00")
    _pagar(a, date(2026, 3, 5), CUOTA, medio=2)
    _pagar(a, date(2026, 5, 1), CUOTA, medio=2)
    b = _venta(sur)
    c = _venta(sur)
    anular_operacion(c, "error de digitación")
    db.session.commit()
    return a, b, c


def independiente(fecha: date) -> dict[tuple[str, str], D]:
    """(project, bucket) -> unpaid as of `fecha`, from every cuota and application."""
    cuotas = db.session.execute(
        select(Cuota.id, Cuota.valor, Cuota.fecha_vencimiento, Proyecto.nombre)
        .join(Venta, Venta.id == Cuota.id_venta)
        .join(Apartamento, Apartamento.id == Venta.id_apartamento)
        .join(Torre, Torre.id == Apartamento.id_torre)
        .join(Proyecto, Proyecto.id == Torre.id_proyecto)
        .where(Venta.estado_operacion.in_(("vigente", "convertida")))
    ).all()
    pagado = dict(
        db.session.execute(
            select(AplicacionPago.id_cuota, func.sum(AplicacionPago.valor))
            .join(Pago, Pago.id == AplicacionPago.id_pago)
            .where(Pago.fecha <= fecha)
            .group_by(AplicacionPago.id_cuota)
        ).all()
    )
    resultado: dict = defaultdict(lambda: CERO)
    for id_cuota, valor, vence, proyecto in cuotas:
        dias = (fecha - vence).days
        falta = valor - D(pagado.get(id_cuota, 0))
        if dias < 1 or falta <= 0:
            continue
        tramo = (
            "d1_30" if dias <= 30 else "d31_60" if dias <= 60 else "d61_90" if dias <= 90 else "d90"
        )
        resultado[(proyecto, tramo)] += falta
    return dict(resultado)


def _por_proyecto_y_tramo(cartera) -> dict:
    return {
        (fila.nombre, tramo): valor
        for fila in cartera.filas
        for tramo, valor in fila.tramos.items()
        if valor
    }


def test_cartera_buckets_the_unpaid_part_of_due_cuotas_by_days_overdue(cartera_datos):
    cartera = reportes.cartera_por_edades(date(2026, 6, 15))

    assert _por_proyecto_y_tramo(cartera) == {
        # A: cuota 3 (31/03) paid on 01/05, cuota 4 (30/04) and 5 (31/05) unpaid.
        ("Norte", "d31_60"): CUOTA,
        ("Norte", "d1_30"): CUOTA,
        # B: separation (31/01) and cuota 2 (28/02) > 90 days, then one per bucket.
        ("Sur", "d90"): D("5000000.00") + CUOTA,
        ("Sur", "d61_90"): CUOTA,
        ("Sur", "d31_60"): CUOTA,
        ("Sur", "d1_30"): CUOTA,
    }
    assert cartera.total == D("5000000.00") + 6 * CUOTA
    assert cartera.cuotas == 7


def test_payments_dated_after_the_cut_off_do_not_count(cartera_datos):
    cartera = reportes.cartera_por_edades(date(2026, 4, 15), id_proyecto=None)

    norte = next(f for f in cartera.filas if f.nombre == "Norte")
    # Cuota 3 (due 31/03) was paid on 01/05: on 15/04 it was 15 days overdue.
    assert norte.tramos["d1_30"] == CUOTA
    assert norte.total == CUOTA


@pytest.mark.parametrize(
    "fecha",
    [date(2026, 1, 31), date(2026, 2, 1), date(2026, 3, 4), date(2026, 4, 15), date(2026, 12, 31)],
)
def test_cartera_agrees_with_independent_sql(cartera_datos, fecha):
    assert _por_proyecto_y_tramo(reportes.cartera_por_edades(fecha)) == independiente(fecha)


def test_cartera_total_today_equals_the_overdue_of_every_estado_de_cuenta(cartera_datos):
    a, b, _c = cartera_datos
    hoy = date(2027, 1, 10)  # no payment is dated after it

    cartera = reportes.cartera_por_edades(hoy)

    vencido = resumen_venta(a, hoy).vencido + resumen_venta(b, hoy).vencido
    assert cartera.total == vencido


def test_cartera_by_client_and_filtered_by_project(cartera_datos):
    a, b, _c = cartera_datos
    sur = db.session.scalar(select(Proyecto.id).where(Proyecto.nombre == "Sur"))

    cartera = reportes.cartera_por_edades(date(2026, 6, 15), agrupar="cliente", id_proyecto=sur)

    assert [(f.clave, f.nombre, f.total) for f in cartera.filas] == [
        (b.documento_cliente, b.cliente.nombre, D("5000000.00") + 4 * CUOTA)
    ]


def test_cuotas_en_mora_lists_the_cuotas_behind_a_bucket(cartera_datos):
    a, b, _c = cartera_datos
    filas = db.session.execute(
        reportes.cuotas_en_mora(date(2026, 6, 15), tramo="d90").order_by("fecha_vencimiento")
    ).all()

    assert [(f.id_venta, f.numero, f.pendiente) for f in filas] == [
        (b.id, 1, D("5000000.00")),
        (b.id, 2, CUOTA),
    ]


def test_recaudo_groups_payments_by_month_and_medio(cartera_datos):
    recaudo = reportes.recaudo(date(2026, 1, 1), date(2026, 6, 30), agrupar="mes")

    por_mes = {f.etiqueta: (f.total, f.pagos) for f in recaudo.filas if f.pagos}
    assert por_mes == {
        "ene 2026": (D("5000000.00"), 1),
        "mar 2026": (CUOTA, 1),
        "may 2026": (CUOTA, 1),
    }
    assert [f.etiqueta for f in recaudo.filas][:2] == ["ene 2026", "feb 2026"]
    assert recaudo.totales["Efectivo"] == D("5000000.00")
    assert recaudo.totales["Transferencia"] == 2 * CUOTA
    assert recaudo.por_proyecto == {"Norte": D("5000000.00") + 2 * CUOTA}
    assert recaudo.total == db.session.scalar(select(func.sum(Pago.valor)))


def test_recaudo_by_week_starts_on_monday_and_by_day(cartera_datos):
    semanas = reportes.recaudo(date(2026, 3, 1), date(2026, 3, 31), agrupar="semana")
    dias = reportes.recaudo(date(2026, 3, 5), date(2026, 3, 5), agrupar="dia")

    assert [(f.etiqueta, f.total) for f in semanas.filas if f.pagos] == [
        ("Semana del 02/03/2026", CUOTA)
    ]
    assert [(f.etiqueta, f.total) for f in dias.filas] == [("05/03/2026", CUOTA)]


def test_recaudo_leaves_out_annulled_operations(db):
    proyecto = factories.proyecto(nombre="Centro")
    venta = _venta(proyecto)
    _pagar(venta, date(2026, 2, 1), "5000000.00")
    anular_operacion(venta)

    assert reportes.recaudo(date(2026, 1, 1), date(2026, 12, 31)).total == CERO


def test_calendario_gives_programado_and_pendiente_per_month_and_concepto(cartera_datos):
    calendario = reportes.calendario(date(2026, 1, 1), date(2027, 2, 1), hoy=date(2026, 6, 15))

    meses = {f.etiqueta: f for f in calendario.filas}
    assert len(calendario.filas) == 14
    enero = meses["ene 2026"]
    assert enero.programado["Separación"] == D("10000000.00")  # A and B
    assert enero.pendiente["Separación"] == D("5000000.00")  # B's
    assert meses["mar 2026"].programado["Cuota inicial"] == 2 * CUOTA
    assert meses["mar 2026"].pendiente["Cuota inicial"] == CUOTA  # A paid it in May
    assert meses["feb 2027"].programado["Saldo final"] == D("350000000.00")
    assert enero.vencido and not meses["jun 2026"].vencido
    # Everything the plans hold, once: the annulled C is not there.
    plan = db.session.scalar(
        select(func.sum(Cuota.valor)).join(Venta).where(Venta.estado_operacion == "vigente")
    )
    assert calendario.total_programado == plan
    assert set(calendario.por_proyecto) == {"Norte", "Sur"}


@pytest.mark.parametrize(
    ("rol", "puede"),
    [
        ("admin", True),
        ("contador", True),
        ("gerente", True),
        ("director_comercial", True),
        ("digitador", False),
        ("asesor", False),
    ],
)
def test_puede_ver_reportes_by_role(rol, puede):
    class Usuario:
        is_authenticated = True
        activo = True

    usuario = Usuario()
    usuario.rol = rol
    assert puede_ver_reportes(usuario) is puede
    assert puede_ver_reportes(None) is False


def test_cartera_by_asesor_and_the_cuotas_of_one_of_them(cartera_datos):
    # A's operation is Ana's; B's nobody's ("Sin asesor", key 0): each row links
    # to exactly its own cuotas, and the rows add up to the whole cartera.
    from admin_app.models import Rol
    from tests.conftest import make_user

    a, b, _c = cartera_datos
    ana = make_user("ana-asesora", Rol.ASESOR)
    a.id_asesor, b.id_asesor = ana.id, None
    db.session.commit()
    fecha = date(2026, 6, 15)

    cartera = reportes.cartera_por_edades(fecha, agrupar="asesor")
    filas = {f.nombre: (f.clave, f.total) for f in cartera.filas}

    assert set(filas) == {ana.nombre_completo, reportes.SIN_ASESOR}
    assert filas[reportes.SIN_ASESOR] == ("0", D("5000000.00") + 4 * CUOTA)
    assert sum(total for _clave, total in filas.values()) == cartera.total
    de_ana = db.session.execute(reportes.cuotas_en_mora(fecha, asesor=ana.id)).all()
    assert {f.id_venta for f in de_ana} == {a.id}
    assert sum(f.pendiente for f in de_ana) == filas[ana.nombre_completo][1]
    sin_asesor = db.session.execute(reportes.cuotas_en_mora(fecha, asesor=0)).all()
    assert {f.id_venta for f in sin_asesor} == {b.id}
