from datetime import timedelta
from decimal import Decimal

import pytest

from admin_app.admin.home import _escala, grafico_operaciones
from admin_app.extensions import db as _db
from admin_app.formatting import today_bogota
from admin_app.models import Cuota, Venta
from admin_app.services.tablero import OperacionesMes
from tests import factories


def _venta_con_cuota_vencida(dias: int, pendiente: str) -> Venta:
    venta = Venta(
        tipo_operacion="venta",
        fecha=today_bogota() - timedelta(days=dias + 30),
        valor_total=Decimal("250000000.00"),
        cuota_inicial=Decimal("75000000.00"),
        plazo_cuota_inicial_meses=12,
        id_forma_pago=1,
        cliente=factories.cliente(nombre="Óscar Muñoz"),
        apartamento=factories.apartamento(),
    )
    venta.cuotas.append(
        Cuota(
            numero=1,
            concepto="Cuota inicial",
            fecha_vencimiento=today_bogota() - timedelta(days=dias),
            valor=Decimal(pendiente),
            capital=Decimal(pendiente),
            saldo=Decimal("0.00"),
        )
    )
    _db.session.add(venta)
    _db.session.commit()
    return venta


def test_home_sends_anonymous_users_to_the_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_home_shows_the_dashboard_sections_in_spanish(digitador_client):
    html = digitador_client.get("/admin/").get_data(as_text=True)

    for heading in (
        "Tablero",
        "Recaudo de este mes",
        "Ventas y separaciones por mes",
        "Apartamentos por proyecto y estado",
        "Cuotas vencidas más antiguas",
        "Separaciones que vencen en los próximos 7 días",
    ):
        assert heading in html
    assert f"Hoy es {today_bogota():%d/%m/%Y}" in html


def test_home_links_each_overdue_cuota_to_its_venta(digitador_client):
    venta = _venta_con_cuota_vencida(dias=10, pendiente="1250000.00")

    html = digitador_client.get("/admin/").get_data(as_text=True)

    assert f'href="/admin/ventas/details/?id={venta.id}"' in html
    assert "Óscar Muñoz" in html
    assert "$ 1.250.000" in html
    assert "hace 10 días" in html


def test_home_counts_apartments_per_project_and_estado(digitador_client):
    torre = factories.torre(factories.proyecto(nombre="Mirador de Envigado"))
    for estado in (1, 1, 3):
        factories.apartamento(torre, id_estado_inmueble=estado)
    _db.session.commit()

    html = digitador_client.get("/admin/").get_data(as_text=True)

    # The project filter lists the name first; the row is the inventory table's.
    fila = html.split('<th scope="row">Mirador de Envigado', 1)[1].split("</tr>", 1)[0]
    assert [c.split("<")[0] for c in fila.split('class="money">')[1:]] == [
        "2",
        "0",
        "1",
        "0",
        "",  # the total is in <strong>
    ]
    assert "<strong>3</strong>" in fila


def test_home_chart_draws_a_bar_pair_per_month(digitador_client):
    html = digitador_client.get("/admin/").get_data(as_text=True)

    assert html.count('class="grafico-ventas"') == 12
    assert html.count('class="grafico-separaciones"') == 12


def test_every_admin_page_has_spanish_language_and_a_skip_link(digitador_client):
    html = digitador_client.get("/admin/").get_data(as_text=True)

    assert '<html lang="es">' in html
    assert '<a class="skip-link" href="#contenido">Saltar al contenido</a>' in html
    assert '<main id="contenido"' in html


@pytest.mark.parametrize(
    ("maximo", "tope"), [(0, 4), (1, 4), (5, 8), (9, 20), (40, 40), (41, 80), (900, 2000)]
)
def test_chart_axis_top_is_a_round_number_above_the_maximum(maximo, tope):
    assert _escala(maximo) == tope


def test_chart_bars_are_proportional_to_their_values():
    grafico = grafico_operaciones([OperacionesMes(2026, 11, ventas=4, separaciones=2)])

    grupo = grafico["grupos"][0]
    assert grupo.ventas.alto == pytest.approx(2 * grupo.separaciones.alto)
    assert grupo.ventas.y + grupo.ventas.alto == pytest.approx(grafico["base"])
