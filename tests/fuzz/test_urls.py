"""Every list's query string and every id a URL carries, fuzzed: no 5xx; a NUL is
a Spanish 400; an id that names no row is "not found", never a server error."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admin_app.models import Bitacora
from tests.conftest import login

from .conftest import FUZZ, NUMEROS_HOSTILES, REGISTRO_NO_EXISTE, con_nulo, contar, texto_hostil

LISTAS = [
    "clientes",
    "apartamentos",
    "locales",
    "parqueaderos",
    "tipos_parqueadero",
    "ventas",
    "pagos",
    "proyectos",
    "torres",
    "tipos_apartamento",
    "politicas_precio",
    "tipos_cliente",
    "estados_inmueble",
    "formas_pago",
    "medios_pago",
    "tipos_documento",
    "usuarios",
    "bitacora",
]
IDS_HOSTILES = [
    str(2**63),
    str(2**31),
    "9" * 20,
    "-1",
    "1,2",
    "",
    "abc",
    "1e3",
    "😀",
    "1.5",
    " 1",
    "0x1",
    "1\x00",
    "١",
]
URLS_CON_ID = [
    "/admin/{vista}/details/?id={id}",
    "/admin/{vista}/edit/?id={id}",
    "/admin/{vista}/delete/confirm/?id={id}",
    "/admin/ventas/imprimir/?id={id}",
    "/admin/ventas/plan.xlsx?id={id}",
    "/admin/pagos/new/?id_venta={id}",
    "/admin/bitacora/registro/?tabla={tabla}&registro={id}",
    "/admin/autocomplete/apartamentos/?id_proyecto={id}&q=1",
    "/admin/autocomplete/parqueaderos/?id_proyecto={id}&q=1",
    "/admin/autocomplete/locales/?id_proyecto={id}&q=1",
    "/admin/{vista}/bloqueo/?id={id}",
    "/admin/autocomplete/operaciones/?q={id}",
    "/admin/autocomplete/clientes/?q={id}",
]
TABLAS = ["clientes", "apartamentos", "ventas", "pagos", "proyectos", "torres", "medios_pago"]


def _argumentos_de_filtro(app, vista: str) -> list[str]:
    view = next(v for v in app.extensions["backoffice_admin"]._views if v.endpoint == vista)
    with app.test_request_context():
        return [f"flt{i}_{key}" for i, key in enumerate(view._filter_args or {})]


@pytest.fixture
def admin(client, admin_user):
    login(client, "admin")
    return client


@pytest.fixture
def admin_con_datos(datos, admin):
    return admin


@pytest.fixture(scope="module")
def filtros(app):
    return {vista: _argumentos_de_filtro(app, vista) for vista in LISTAS}


def _valor():
    return st.one_of(
        texto_hostil(),
        st.integers(min_value=-(2**65), max_value=2**65).map(str),
        st.sampled_from(["9999-12-31", "0001-01-01", "2026-01-01 to 9999-12-31", "1,2,x"]),
    )


@FUZZ
@given(data=st.data())
def test_every_list_query_string_answers_without_server_error(app, admin_con_datos, filtros, data):
    admin = admin_con_datos
    vista = data.draw(st.sampled_from(LISTAS))
    nombres = ["page", "page_size", "sort", "desc", "search", *filtros[vista]]
    params = data.draw(st.dictionaries(st.sampled_from(nombres), _valor(), max_size=4))
    sufijo = data.draw(st.sampled_from(["", "", "export/csv/", "export/xlsx/"]))

    response = admin.get(f"/admin/{vista}/{sufijo}", query_string=params)

    assert response.status_code < 500, (vista, sufijo, params)
    if any(con_nulo(v) for v in params.values()):
        assert response.status_code == 400
        assert "carácter nulo" in response.get_data(as_text=True)


@FUZZ
@given(
    plantilla=st.sampled_from(URLS_CON_ID),
    vista=st.sampled_from(LISTAS[:-1]),
    tabla=st.sampled_from(TABLAS),
    id=st.one_of(st.sampled_from(IDS_HOSTILES + NUMEROS_HOSTILES), texto_hostil()),
)
def test_every_id_in_a_url_answers_without_server_error(
    admin_con_datos, plantilla, vista, tabla, id
):
    admin = admin_con_datos
    antes = contar(Bitacora)
    response = admin.get(plantilla.format(vista=vista, tabla=tabla, id=id))

    assert response.status_code < 500, (plantilla, vista, id)
    if con_nulo(id):
        assert response.status_code == 400
        assert "carácter nulo" in response.get_data(as_text=True)
    assert contar(Bitacora) == antes  # reading never writes


OPERACION_O_PAGO = [
    "/admin/ventas/details/?id={id}",
    "/admin/ventas/imprimir/?id={id}",
    "/admin/ventas/plan.xlsx?id={id}",
    "/admin/pagos/edit/?id={id}",
]


def test_an_id_that_names_no_operation_is_not_found(admin):
    for url in OPERACION_O_PAGO:
        for id in IDS_HOSTILES:
            response = admin.get(url.format(id=id))
            if con_nulo(id):
                assert response.status_code == 400
            else:
                assert response.status_code == 404, (url, id)
                assert REGISTRO_NO_EXISTE in response.get_data(as_text=True)


@pytest.mark.parametrize("vista", ["torres", "medios_pago"])
def test_an_id_that_names_no_record_goes_back_with_a_message(admin, vista):
    for accion in ("details", "edit", "delete/confirm"):
        for id in IDS_HOSTILES:
            if not id or con_nulo(id):
                continue
            response = admin.get(f"/admin/{vista}/{accion}/?id={id}", follow_redirects=True)
            assert response.status_code == 200, (accion, id)
            html = response.get_data(as_text=True)
            assert "No existe ningún registro" in html or REGISTRO_NO_EXISTE in html, (accion, id)


def test_a_page_out_of_range_is_a_list_not_an_error(admin):
    for vista in LISTAS:
        for page in (str(2**63), "-" + "9" * 20):
            assert admin.get(f"/admin/{vista}/?page={page}").status_code == 200, (vista, page)


def test_absurd_dates_in_the_clientes_filter_are_ignored_with_a_message(admin_con_datos):
    admin = admin_con_datos
    lista = admin.get("/admin/clientes/?flt0_creado_hasta=9999-12-31")
    export = admin.get("/admin/clientes/export/csv/?flt0_creado_hasta=9999-12-31")

    assert lista.status_code == 200
    assert "no es válido" in lista.get_data(as_text=True)
    assert export.status_code == 200
    assert export.get_data(as_text=True).count("\n") > 30  # every client, unfiltered


def test_a_nul_in_a_search_is_a_spanish_400(admin):
    response = admin.get("/admin/clientes/?search=a%00b")
    assert response.status_code == 400
    assert "carácter nulo" in response.get_data(as_text=True)


@pytest.mark.parametrize("vista", ["torres", "clientes", "ventas"])
def test_a_bulk_action_on_ids_that_name_nothing_changes_nothing(admin_con_datos, vista):
    antes = contar(Bitacora)
    for rowid in [str(2**63), "abc", "1e3", "😀", "1,2", "", "1\x00"]:
        response = admin_con_datos.post(
            f"/admin/{vista}/action/", data={"action": "delete", "rowid": rowid}
        )
        assert response.status_code < 500, rowid
    assert contar(Bitacora) == antes
