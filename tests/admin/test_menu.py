"""The main menu is kept per role and page: each role still sees only its own."""

import re

from flask import url_for

from admin_app.admin.base import SecureModelView


def _menu(html: str) -> str:
    return re.search(r'<ul class="nav navbar-nav mr-auto">(.*?)</ul>\s*<ul', html, re.S).group(1)


def test_the_menu_kept_for_an_admin_is_not_shown_to_a_digitador(admin_client, digitador_client):
    admin_menu = _menu(admin_client.get("/admin/clientes/").get_data(as_text=True))
    digitador_menu = _menu(digitador_client.get("/admin/clientes/").get_data(as_text=True))

    assert 'href="/admin/usuarios/"' in admin_menu
    assert 'href="/admin/usuarios/"' not in digitador_menu
    assert 'href="/admin/clientes/"' in digitador_menu


def _active(path: str) -> re.Pattern:
    return re.compile(rf'<li class="active">\s*<a class="nav-link " href="{path}"')


def test_the_menu_marks_the_page_being_shown(admin_client):
    clientes = _menu(admin_client.get("/admin/clientes/").get_data(as_text=True))
    ventas = _menu(admin_client.get("/admin/ventas/").get_data(as_text=True))

    assert _active("/admin/clientes/").search(clientes)
    assert _active("/admin/ventas/").search(ventas)
    assert not _active("/admin/clientes/").search(ventas)


def test_row_links_built_from_one_url_equal_url_for(app):
    view = next(v for v in app.extensions["backoffice_admin"]._views if v.endpoint == "clientes")
    ids = ["123", "CE 45/6", "a&b=c", "ñandú?#", "x+y %", 42]
    with app.test_request_context("/admin/clientes/?page=2"):
        for row_id in ids:
            for kwargs in ({"url": "/admin/clientes/?page=2&sort=1"}, {"url": None}, {}):
                assert view.get_url(".details_view", id=row_id, **kwargs) == url_for(
                    ".details_view", id=row_id, **kwargs
                ), (row_id, kwargs)
        assert isinstance(view, SecureModelView)
        static = {"filename": "vendor/jquery.min.js", "v": "3.5.1"}
        assert view.get_url("admin.static", **static) == url_for("admin.static", **static)
        assert view.get_url("admin.static", **static) == url_for("admin.static", **static)
