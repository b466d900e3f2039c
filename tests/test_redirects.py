"""No open redirect: a return URL or `next` that leaves the site is ignored everywhere.

Every model view reads its return URL (`?url=`) through one function; these tests
try the tricks browsers fall for on each view and each page that takes one.
"""

from urllib.parse import quote, urljoin, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admin_app.extensions import db
from admin_app.security import is_safe_path
from tests import factories
from tests.conftest import PASSWORD

HOSTILE_TARGETS = [
    "http:evil.com",
    "https:evil.com",
    "http:/evil.com",
    "//evil.com",
    "///evil.com",
    "\\\\evil.com",
    "/\\evil.com",
    "\\/evil.com",
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r\n/evil.com",
    " //evil.com",
    "http://evil.com",
    "https://evil.com/admin/",
    "javascript:alert(1)",
    "ftp://evil.com",
]


def _leaves_site(location: str | None) -> bool:
    if not location:
        return False
    parts = urlsplit(location.replace("\\", "/"))
    return bool(parts.netloc) and parts.netloc != "localhost" or "evil" in location


@pytest.fixture
def registros(db):
    venta = factories.separacion_directa()
    db.session.commit()
    return {
        "clientes": venta.documento_cliente,
        "apartamentos": venta.id_apartamento,
        "ventas": venta.id,
        "proyectos": venta.apartamento.torre.id_proyecto,
        "torres": venta.apartamento.id_torre,
    }


# One of each trick for the page-by-page sweep; the full list is checked on the function.
TRICKS = ["http:evil.com", "//evil.com", "/\\evil.com", "/\t/evil.com"]


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_is_safe_path_refuses_every_trick(app, target):
    with app.test_request_context("/"):
        assert not is_safe_path(target)


@given(st.text(max_size=40))
def test_a_path_judged_safe_stays_on_this_host(app, target):
    with app.test_request_context("/"):
        if is_safe_path(target):
            assert target.startswith("/") and not target.startswith("//")
            assert urlsplit(urljoin("http://localhost/", target)).netloc == "localhost"


@pytest.mark.parametrize("target", TRICKS)
@pytest.mark.parametrize("endpoint", ["clientes", "apartamentos", "ventas", "proyectos", "torres"])
@pytest.mark.parametrize("page", ["details", "edit", "delete_confirm"])
def test_return_url_that_leaves_the_site_is_ignored(
    admin_client, registros, endpoint, page, target
):
    url = f"/admin/{endpoint}/{page}/?id={quote(str(registros[endpoint]))}&url={quote(target)}"
    response = admin_client.get(url)
    assert response.status_code < 500
    assert not _leaves_site(response.headers.get("Location"))
    html = response.get_data(as_text=True)
    # Cancel / back links fall back to the list instead of the hostile target.
    assert f'href="{target}"' not in html
    assert "evil.com" not in html


@pytest.mark.parametrize("target", TRICKS)
def test_saving_an_edit_never_redirects_off_site(admin_client, registros, target):
    documento = registros["clientes"]
    form_page = admin_client.get(f"/admin/clientes/edit/?id={quote(documento)}")
    assert form_page.status_code == 200
    cliente = db.session.get(factories.Cliente, documento)
    response = admin_client.post(
        f"/admin/clientes/edit/?id={quote(documento)}&url={quote(target)}",
        data={
            "nombre": "Nombre Editado",
            "id_tipo_cliente": str(cliente.id_tipo_cliente),
            "id_tipo_documento": str(cliente.id_tipo_documento),
            "version": str(cliente.version),
        },
    )
    assert response.status_code in (200, 302)
    assert not _leaves_site(response.headers.get("Location"))


@pytest.mark.parametrize("target", TRICKS)
def test_export_return_url_never_leaves_the_site(admin_client, target):
    response = admin_client.get(f"/admin/clientes/export/pdf/?url={quote(target)}")
    assert response.status_code < 500
    assert not _leaves_site(response.headers.get("Location"))


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_login_next_never_leaves_the_site(client, admin_user, target):
    client.fetch_csrf_token()
    response = client.post(
        f"/login?next={quote(target)}", data={"username": "admin", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert not _leaves_site(response.headers["Location"])
