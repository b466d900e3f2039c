"""Every admin page, visited once: the accessibility audit and a phone's width.

One crawl, as the admin: every link of the menu, then each list's create page
and the details and edit pages of its first row. Each page is audited by axe
at 1366 px and then measured at 390 px (a phone) without reloading it.
"""

from urllib.parse import urlsplit

import pytest

from .conftest import TIMEOUT_MS, VIEWPORT, _logged_in, axe_violations

PHONE = {"width": 390, "height": 844}
# Looked at by a person after a change to the layout (not committed).
SCREENSHOTS = {
    "/admin/": "tablero",
    "/admin/apartamentos/": "apartamentos",
    "/admin/apartamentos/new/": "apartamento-nuevo",
    "/admin/ventas/details/": "venta-detalle",
}
# The page's width, the first elements sticking out on the right, and the boxes that
# scroll sideways but cannot take the keyboard's focus (so cannot be scrolled by it).
# It waits two frames first: the browser runs the page's resize handlers (which make
# wide boxes focusable) before a frame's callbacks, so a loaded machine cannot race it.
PHONE_JS = """async () => {
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const nombre = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                         + [...el.classList].map(c => "." + c).join("");
    const ancho = window.innerWidth;
    return {
        ancho: [document.documentElement.scrollWidth, ancho],
        fuera: [...document.querySelectorAll("main *")]
            .filter(el => el.getBoundingClientRect().right > ancho + 1).slice(0, 4).map(nombre),
        sin_foco: [...document.querySelectorAll(".table-responsive")]
            .filter(el => el.scrollWidth > el.clientWidth + 1 && el.tabIndex < 0).map(nombre),
    };
}"""
# In a list, the first row's pages ("?id=" differs between lists).
LIST_LINKS = (
    "table.model-list a[href*='/details/']",
    "table.model-list a[href*='/edit/']",
)


def _key(url: str) -> str:
    parts = urlsplit(url)
    query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("url="))
    return parts.path + (f"?{query}" if query else "")


def _admin_links(page, selector: str) -> list[str]:
    hrefs = page.locator(selector).evaluate_all("els => els.map(a => a.href)")
    return [h for h in hrefs if urlsplit(h).path.startswith("/admin/")]


def _list_links(page) -> list[str]:
    """The create page and the first row's details and edit pages of a list."""
    if not page.locator("table.model-list").count():
        return []
    links = _admin_links(page, "main .nav-tabs a[href*='/new/']")[:1]
    for selector in LIST_LINKS:
        links += _admin_links(page, selector)[:1]
    return links


def _visit(page, url: str, shots_dir) -> dict:
    errores_js: list[str] = []

    def on_error(exc):
        errores_js.append(str(exc))

    def on_console(msg):
        if msg.type == "error" and "Content Security Policy" in msg.text:
            errores_js.append(msg.text)

    page.on("pageerror", on_error)
    page.on("console", on_console)
    response = page.goto(url)
    resultado = {
        "status": response.status if response else None,
        "url": page.url,
        "violaciones": axe_violations(page),
    }
    page.set_viewport_size(PHONE)
    resultado.update(page.evaluate(PHONE_JS))
    nombre = SCREENSHOTS.get(urlsplit(url).path)
    if nombre:
        page.screenshot(path=str(shots_dir / f"{nombre}-390.png"), full_page=True)
    page.set_viewport_size(VIEWPORT)
    page.remove_listener("pageerror", on_error)
    page.remove_listener("console", on_console)
    resultado["errores_js"] = errores_js
    return resultado


@pytest.fixture(scope="module")
def crawl(browser, live_server, _cookies_por_rol, tmp_path_factory) -> dict[str, dict]:
    """{page: {status, url, violaciones, ancho, fuera, sin_foco, errores_js}}, once per module."""
    shots_dir = tmp_path_factory.mktemp("capturas-390")
    context = browser.new_context(
        base_url=live_server["url"],
        viewport=VIEWPORT,
        locale="es-CO",
        timezone_id="America/Bogota",
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = _logged_in(context.new_page(), "admin", _cookies_por_rol)
    inicio = f"{live_server['url']}/admin/"
    visitadas = {_key(inicio): _visit(page, inicio, shots_dir)}
    pendientes = _admin_links(page, "header nav a[href]")
    while pendientes:
        url = pendientes.pop(0)
        if _key(url) in visitadas:
            continue
        visitadas[_key(url)] = _visit(page, url, shots_dir)
        if visitadas[_key(url)]["status"] == 200:
            pendientes += _list_links(page)
    context.close()
    print(f"\n{len(visitadas)} páginas recorridas; capturas a 390 px en {shots_dir}")
    return visitadas


def test_the_crawl_reaches_every_menu_page_and_each_lists_forms(crawl):
    fallidas = {
        p: (r["status"], r["url"], r["errores_js"])
        for p, r in crawl.items()
        if r["status"] != 200 or urlsplit(r["url"]).path != urlsplit(p).path or r["errores_js"]
    }
    assert not fallidas, f"Páginas con error, redirigidas o con errores de JavaScript: {fallidas}"
    rutas = {urlsplit(p).path for p in crawl}
    for lista in ("clientes", "apartamentos", "ventas", "pagos", "proyectos", "usuarios"):
        assert f"/admin/{lista}/" in rutas
        assert f"/admin/{lista}/new/" in rutas
    for lista in ("clientes", "apartamentos", "ventas", "pagos", "proyectos"):
        assert f"/admin/{lista}/details/" in rutas
    for lista in ("clientes", "apartamentos", "proyectos", "usuarios"):
        assert f"/admin/{lista}/edit/" in rutas
    assert len(crawl) >= 40


def test_no_page_has_a_serious_or_critical_accessibility_violation(crawl):
    hallazgos = [
        f"{pagina}: {v['regla']} ({v['impacto']}) {v['ayuda']} en {v['nodos']}"
        for pagina, r in crawl.items()
        for v in r["violaciones"]
    ]
    assert not hallazgos, "Accesibilidad:\n" + "\n".join(hallazgos)


def test_no_page_scrolls_sideways_on_a_phone(crawl):
    anchas = {
        p: f"{r['ancho'][0]} px > {r['ancho'][1]} px; sobresalen {r['fuera']}"
        for p, r in crawl.items()
        if r["ancho"][0] > r["ancho"][1]
    }
    assert not anchas, "Páginas que se desplazan a los lados a 390 px:\n" + "\n".join(
        f"{p}: {detalle}" for p, detalle in anchas.items()
    )


def test_tables_wider_than_a_phone_scroll_inside_a_box_the_keyboard_can_reach(crawl):
    cajas = {p: r["sin_foco"] for p, r in crawl.items() if r["sin_foco"]}
    assert not cajas, f"Tablas que se desplazan sin poder recibir el foco: {cajas}"
