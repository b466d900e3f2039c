"""Every admin view and every API endpoint, for every role, allowed or refused as the
permission table (admin_app/auth/permisos.py) says: the cases are generated from the
table and from the app's own routes, never written by hand per view."""

import re

import pytest
from flask import url_for
from flask_admin.contrib.sqla import ModelView

from admin_app.api.auth import permiso_del_endpoint
from admin_app.auth import permisos
from admin_app.auth.permisos import PERMISOS, puede
from admin_app.models import Rol, Usuario
from tests.api.conftest import ApiClient, issue_token
from tests.conftest import CsrfClient, login, make_user

ROLES = list(Rol.ALL)
# Values that fill a URL's parameters: they name no row (404), which is not a 403.
PARAMETROS = {"int": "999999", "default": "NOEXISTE", "string": "NOEXISTE"}
_PARAMETRO = re.compile(r"<(?:(\w+):)?\w+>")


def _vistas(app):
    """(endpoint, page, area, the action the page needs) of every admin view."""
    for view in app.extensions["backoffice_admin"]._views:
        area = permisos.VISTAS.get(view.endpoint)
        if isinstance(view, ModelView):
            yield view.endpoint, f"{view.endpoint}.index_view", area, permisos.VER
            if view.configured_create:
                yield view.endpoint, f"{view.endpoint}.create_view", area, permisos.CREAR
            if view.configured_export:
                yield (
                    view.endpoint,
                    (f"{view.endpoint}.export", {"export_type": "csv"}),
                    area,
                    (permisos.EXPORTAR),
                )
        elif view.endpoint not in ("autocomplete", "historial", "documentos"):  # need arguments
            yield view.endpoint, f"{view.endpoint}.index", area, permisos.VER


def _permitido(usuario, area, accion) -> bool:
    if area is None:
        return True
    return puede(usuario, f"{area}:{accion}")


def _cliente_de(app, rol: str) -> tuple[CsrfClient, Usuario]:
    usuario = make_user(f"u-{rol}", rol)
    app.test_client_class = CsrfClient
    client = app.test_client()
    assert login(client, usuario.username).status_code == 302
    return client, usuario


@pytest.mark.parametrize("rol", ROLES)
def test_every_admin_page_is_open_or_refused_as_the_table_says(app, db, rol):
    client, usuario = _cliente_de(app, rol)
    with app.test_request_context():
        paginas = [
            (e, url_for(p) if isinstance(p, str) else url_for(p[0], **p[1]), a, acc)
            for e, p, a, acc in _vistas(app)
        ]
    errores = []
    for endpoint, url, area, accion in paginas:
        status = client.get(url).status_code
        if status >= 500:
            errores.append(f"{url}: {status}")
        permitido = _permitido(usuario, area, accion)
        if endpoint == "admin" and permitido and not puede(usuario, permisos.TABLERO):
            esperado = {302}  # the dashboard sends this role to its own home
        else:
            esperado = {200} if permitido else {403}
        if status not in esperado:
            errores.append(f"{url}: {status}, se esperaba {sorted(esperado)}")
    assert not errores, f"{rol}: " + "; ".join(errores)


def _endpoints_api(app):
    for regla in app.url_map.iter_rules():
        if not regla.endpoint.startswith("api.") or regla.endpoint == "api.openapi_spec":
            continue
        url = _PARAMETRO.sub(lambda m: PARAMETROS[m.group(1) or "default"], regla.rule)
        for metodo in sorted(regla.methods - {"HEAD", "OPTIONS"}):
            yield regla.endpoint, metodo, url


@pytest.mark.parametrize("rol", ROLES)
def test_every_api_endpoint_is_open_or_refused_as_the_table_says(app, db, rol):
    usuario = make_user(f"api-{rol}", rol)
    api = ApiClient(app.test_client(), issue_token(usuario))
    errores = []
    with app.app_context():
        endpoints = list(_endpoints_api(app))
        permisos_de = {(e, m): permiso_del_endpoint(e, m) for e, m, _u in endpoints}
    assert len(endpoints) > 30
    for endpoint, metodo, url in endpoints:
        cuerpo = {} if metodo in ("POST", "PUT", "PATCH") else None
        respuesta = api.open(metodo, url, json=cuerpo)
        permiso = permisos_de[(endpoint, metodo)]
        permitido = permiso is None or permiso in PERMISOS[rol]
        if respuesta.status_code >= 500:
            errores.append(f"{metodo} {url}: {respuesta.status_code}")
        if permitido and respuesta.status_code == 403:
            errores.append(f"{metodo} {url}: 403 y {permiso} está permitido")
        if not permitido and respuesta.status_code != 403:
            errores.append(f"{metodo} {url}: {respuesta.status_code} y {permiso} no lo está")
        if not permitido:
            assert (
                "no permite" in respuesta.get_json()["message"]
                or "Solo" in (respuesta.get_json()["message"])
            )
    assert not errores, f"{rol}: " + "; ".join(errores)


@pytest.mark.parametrize(
    ("rol", "ve_reportes"),
    [(r, r in ("admin", "gerente", "contador", "director_comercial")) for r in ROLES],
)
def test_reportes_permission_for_issue_18(db, rol, ve_reportes):
    usuario = make_user(f"rep-{rol}", rol)
    assert permisos.puede_ver_reportes(usuario) is ve_reportes


def test_an_inactive_user_may_do_nothing(db):
    usuario = make_user("inactivo", Rol.ADMIN)
    usuario.activo = False
    assert not puede(usuario, "clientes:ver")


@pytest.mark.parametrize(
    ("rol", "inicio"),
    [
        (Rol.ADMIN, "/admin/"),
        (Rol.DIGITADOR, "/admin/"),
        (Rol.GERENTE, "/admin/"),
        (Rol.ASESOR, "/admin/mi-inicio/"),
        (Rol.DIRECTOR_COMERCIAL, "/admin/mi-inicio/"),
        (Rol.CONTADOR, "/admin/comisiones/reporte/"),
    ],
)
def test_each_role_lands_on_its_home_page_after_login(app, db, rol, inicio):
    usuario = make_user(f"home-{rol}", rol)
    app.test_client_class = CsrfClient
    client = app.test_client()
    respuesta = login(client, usuario.username)
    assert respuesta.status_code == 302
    assert respuesta.headers["Location"].endswith(inicio)
    assert client.get(inicio).status_code == 200
