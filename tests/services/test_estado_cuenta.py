from datetime import date
from decimal import Decimal as D

import pytest

from admin_app.services.estado_cuenta import estado_cuota, resumen_venta
from admin_app.services.pagos import registrar_pago


def _pagar(venta, valor, fecha=date(2026, 1, 31)):
    registrar_pago(venta, fecha=fecha, valor=D(valor), id_medio_pago=1)


@pytest.mark.parametrize(
    ("pagado", "hoy", "estados"),
    [
        ("0", date(2026, 1, 31), ["Pendiente", "Pendiente"]),
        ("0", date(2026, 3, 1), ["Vencida", "Vencida"]),
        ("5000000", date(2026, 3, 1), ["Pagada", "Vencida"]),
        ("6000000", date(2026, 2, 1), ["Pagada", "Parcial"]),
        ("6000000", date(2026, 3, 1), ["Pagada", "Vencida"]),
        ("10833333", date(2026, 3, 1), ["Pagada", "Pagada"]),
    ],
)
def test_estado_of_each_cuota_follows_payments_and_today(db, venta, pagado, hoy, estados):
    if D(pagado):
        _pagar(venta, pagado)
    assert [estado_cuota(c, hoy) for c in venta.cuotas[:2]] == estados


def test_resumen_totals_paid_pending_and_overdue(db, venta):
    _pagar(venta, "6000000")
    resumen = resumen_venta(venta, date(2026, 4, 1))
    assert resumen.total == D("250000000.00")
    assert resumen.pagado == D("6000000.00")
    assert resumen.pendiente == D("244000000.00")
    # Cuotas 2 (partly paid), 3 and 4 were due on 28/02, 31/03 and... 30/04 is not yet due.
    assert resumen.vencido == D("4833333.00") + D("5833333.00")
    assert resumen.cuotas_vencidas == 2


def test_resumen_of_a_fully_paid_venta_owes_nothing(db, venta):
    _pagar(venta, "250000000")
    resumen = resumen_venta(venta, date(2030, 1, 1))
    assert (resumen.pendiente, resumen.vencido, resumen.cuotas_vencidas) == (0, 0, 0)
