"""Every link under /admin/, for each role, over the demo data: no 5xx.

Links are grouped by path and argument names (one details page stands for all);
every export link and every page of a new shape is visited."""

import re
from collections import Counter
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

from tests.conftest import login

_HREF = re.compile(r'href="([^"#]+)"')
POR_FORMA = 2  # pages visited per path and argument names
SIN_SEGUIR = ("/logout", "/admin/importar/")  # leaving the session; an upload form


def _forma(url: str) -> tuple:
    parts = urlsplit(url)
    return parts.path, tuple(sorted(k for k, _v in parse_qsl(parts.query)))


def _enlaces(url: str, html: str) -> list[str]:
    out = []
    for href in _HREF.findall(html):
        href = urljoin(url, href.replace("&amp;", "&"))
        parts = urlsplit(href)
        if parts.netloc or not parts.path.startswith("/admin"):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def recorrer(client) -> dict[str, int]:
    """Breadth first from /admin/; the status of every page visited."""
    vistas: dict[str, int] = {}
    formas: Counter = Counter()
    cola = ["/admin/"]
    while cola:
        url = cola.pop(0)
        if url in vistas or url.startswith(SIN_SEGUIR):
            continue
        forma = _forma(url)
        if "/export/" not in url and formas[forma] >= POR_FORMA:
            continue
        formas[forma] += 1
        response = client.get(url)
        vistas[url] = response.status_code
        if response.mimetype == "text/html" and response.status_code == 200:
            cola.extend(_enlaces(url, response.get_data(as_text=True)))
    return vistas


@pytest.mark.parametrize("rol", ["admin", "digitador"])
def test_every_admin_link_answers_without_server_error(
    rol, client, datos, admin_user, digitador_user
):
    login(client, rol)
    vistas = recorrer(client)

    fallidas = {url: code for url, code in vistas.items() if code >= 500}
    assert not fallidas
    assert len(vistas) > 60  # lists, details, edits, catalogs, history, exports
    exports = [url for url in vistas if "/export/" in url]
    if rol == "admin":
        for endpoint in ("clientes", "ventas", "pagos", "proyectos", "torres", "medios_pago"):
            assert any(f"/admin/{endpoint}/export/" in url for url in exports), endpoint
    assert all(vistas[url] in (200, 302) for url in exports)
