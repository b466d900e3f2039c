"""A URL too long is answered by the app's Spanish 414 page, not by gunicorn's."""

import runpy
from pathlib import Path

import pytest

from admin_app.errors import MAX_URL

RAIZ = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("ruta", ["/admin/clientes/?search=", "/login?next=/", "/admin/?q="])
def test_a_url_longer_than_the_limit_is_a_spanish_414(admin_client, ruta):
    response = admin_client.get(ruta + "x" * MAX_URL)
    assert response.status_code == 414
    html = response.get_data(as_text=True)
    assert "Dirección demasiado larga" in html
    assert "acorte la búsqueda" in html


def test_the_api_answers_a_long_url_in_json(client):
    response = client.get("/api/clientes?q=" + "x" * MAX_URL)
    assert response.status_code == 414
    assert response.get_json()["message"].startswith("La dirección es demasiado larga")


def test_a_url_at_the_limit_is_served(admin_client):
    ruta = "/admin/clientes/?search="
    assert admin_client.get(ruta + "x" * (MAX_URL - len(ruta) - 1)).status_code == 200


def test_gunicorn_lets_long_urls_reach_the_app():
    config = runpy.run_path(str(RAIZ / "gunicorn.conf.py"))
    assert config["limit_request_line"] > MAX_URL + len("GET  HTTP/1.1")
