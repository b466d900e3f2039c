"""Every admin page reachable from the menu speaks Spanish: no English interface word
is left in what a user reads (list, create, details and edit of every view)."""

import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from admin_app.services.pagos import registrar_pago
from admin_app.services.ventas import crear_operacion
from tests import factories
from tests.admin._html import etiquetas
from tests.services.conftest import datos_venta

# Whole words (or phrases) of the framework's English; matched case-sensitively as
# interface words are written, so Spanish text and proper names do not trip them.
INGLES = [
    "Created",
    "Updated",
    "Version",
    "True",
    "False",
    "None",
    "Save",
    "Salvar",
    "Cancel",
    "Delete",
    "Edit",
    "View",
    "List",
    "Submit",
    "Search",
    "Filter",
    "Export",
    "Actions",
    "Home",
    "Record",
    "Not a valid choice",
    "This field is required",
    "Are you sure",
    "successfully",
    "Previous",
    "Next",
]
_PALABRAS = re.compile(r"\b(" + "|".join(re.escape(p) for p in INGLES) + r")\b")


class _Visible(HTMLParser):
    """The text a user reads: element text, titles, placeholders, button values."""

    OCULTOS = {"script", "style", "template"}

    def __init__(self):
        super().__init__()
        self.partes: list[str] = []
        self._oculto = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.OCULTOS:
            self._oculto += 1
        atributos = dict(attrs)
        for nombre in ("title", "placeholder", "aria-label", "alt"):
            if atributos.get(nombre):
                self.partes.append(atributos[nombre])
        if tag == "input" and atributos.get("type") in ("submit", "button"):
            self.partes.append(atributos.get("value") or "")

    def handle_endtag(self, tag):
        if tag in self.OCULTOS and self._oculto:
            self._oculto -= 1

    def handle_data(self, data):
        if not self._oculto:
            self.partes.append(data)


def texto_visible(html: str) -> str:
    lector = _Visible()
    lector.feed(html)
    return " ".join(" ".join(lector.partes).split())


def palabras_en_ingles(html: str) -> list[str]:
    return sorted(set(_PALABRAS.findall(texto_visible(html))))


@pytest.fixture
def datos(db):
    venta = crear_operacion(datos_venta(factories.cliente(), factories.apartamento()))
    registrar_pago(
        venta, fecha=venta.fecha, valor=Decimal("1000000"), id_medio_pago=1, observaciones="x"
    )
    factories.separacion_directa()
    db.session.commit()


def _enlaces(html: str, base: str) -> list[str]:
    urls = []
    for attrs in etiquetas(html, "a"):
        href = attrs.get("href", "")
        partes = urlsplit(urljoin(base, href))
        if partes.path.startswith("/admin/") and not partes.netloc:
            urls.append(partes.path + (f"?{partes.query}" if partes.query else ""))
    return urls


def _paginas(client) -> list[str]:
    """List, create, and the details and edit pages of the first rows of every menu view."""
    inicio = client.get("/admin/").get_data(as_text=True)
    menu = re.findall(r"<nav.*?</nav>", inicio, re.S)
    vistas = sorted(
        {u for u in _enlaces(" ".join(menu), "/admin/") if "?" not in u and u != "/admin/"}
    )
    paginas = ["/admin/"]
    for vista in vistas:
        paginas.append(vista)
        lista = client.get(vista)
        if lista.status_code != 200:
            continue
        html = lista.get_data(as_text=True)
        por_ver = [u for u in _enlaces(html, vista) if re.search(r"/(new|details|edit)/", u)]
        vistos: set[str] = set()
        for url in por_ver:
            tipo = re.search(r"/(new|details|edit)/", url).group(1)
            clave = url.split("?")[0] + tipo
            if clave in vistos or not url.startswith(vista):
                continue
            vistos.add(clave)
            paginas.append(url)
            if tipo == "details":  # and the record's history, linked from its details
                detalle = client.get(url).get_data(as_text=True)
                paginas.extend(u for u in _enlaces(detalle, url) if "/bitacora/registro/" in u)
    return list(dict.fromkeys(paginas))


def test_the_scanner_finds_english_words():
    html = "<h1>Historial View</h1><script>var True;</script><p>Activo True</p><b>Creado</b>"
    assert palabras_en_ingles(html) == ["True", "View"]


def test_every_admin_page_speaks_spanish(admin_client, datos):
    paginas = _paginas(admin_client)
    assert len(paginas) > 20, paginas
    problemas = []
    for url in paginas:
        respuesta = admin_client.get(url)
        if respuesta.status_code != 200:
            problemas.append(f"{url}: {respuesta.status_code}")
            continue
        encontradas = palabras_en_ingles(respuesta.get_data(as_text=True))
        if encontradas:
            problemas.append(f"{url}: {', '.join(encontradas)}")
    assert not problemas, "\n".join(problemas)


def test_the_bitacora_names_fields_and_catalog_rows_as_people_do(admin_client, db):
    apto = factories.apartamento()
    db.session.commit()
    apto.id_estado_inmueble = 4  # Bloqueado
    db.session.commit()
    for url in (
        "/admin/bitacora/",
        f"/admin/bitacora/registro/?tabla=apartamentos&registro={apto.id}",
    ):
        texto = texto_visible(admin_client.get(url).get_data(as_text=True))
        assert re.search(r"Estado\s*:\s*Disponible → Bloqueado", texto), url
        assert "id_estado_inmueble" not in texto


def test_the_historial_page_has_a_spanish_title(admin_client, db):
    apto = factories.apartamento()
    db.session.commit()
    html = admin_client.get(f"/admin/bitacora/registro/?tabla=apartamentos&registro={apto.id}")
    titulo = re.search(r"<title>(.*?)</title>", html.get_data(as_text=True), re.S).group(1)
    assert "View" not in titulo and "Historial" in titulo


@pytest.mark.parametrize(
    ("url", "datos", "campo"),
    [
        ("/admin/torres/new/", {"proyecto": "999", "nombre": "Torre 9"}, "proyecto"),
        ("/admin/apartamentos/new/", {"torre": "999", "numero": "101"}, "torre"),
    ],
)
def test_an_unknown_choice_is_refused_in_spanish(admin_client, db, url, datos, campo):
    factories.proyecto()
    db.session.commit()
    html = admin_client.post(url, data=datos).get_data(as_text=True)
    assert "Elija una opción de la lista." in html
    assert not palabras_en_ingles(html)


@pytest.mark.parametrize(
    ("url", "datos", "campo", "largo"),
    [
        ("/admin/medios_pago/new/", {"nombre": "x" * 81}, "nombre", 80),
        ("/admin/tipos_documento/new/", {"codigo": "X" * 11, "nombre": "Nuevo"}, "codigo", 10),
        ("/admin/torres/new/", {"proyecto": "1", "nombre": "x" * 61}, "nombre", 60),
        ("/admin/proyectos/new/", {"nombre": "x" * 121, "ciudad": "Cali"}, "nombre", 120),
        ("/admin/proyectos/new/", {"nombre": "P", "ciudad": "x" * 81}, "ciudad", 80),
        ("/admin/apartamentos/new/", {"torre": "1", "numero": "1" * 11}, "numero", 10),
        ("/admin/usuarios/new/", {"username": "x" * 61}, "username", 60),
        ("/admin/clientes/new/", {"nombre": "x" * 151}, "nombre", 150),
        ("/admin/clientes/new/", {"direccion": "x" * 201}, "direccion", 200),
    ],
)
def test_a_text_longer_than_its_column_is_refused_on_its_field(
    admin_client, db, url, datos, campo, largo
):
    factories.torre()
    db.session.commit()
    html = admin_client.post(url, data=datos).get_data(as_text=True)
    errores = re.findall(rf'id="{campo}".*?invalid-feedback">(.*?)</ul>', html, re.S)
    assert errores and f"No puede tener más de {largo} caracteres." in errores[0]
