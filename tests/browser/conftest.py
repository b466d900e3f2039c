"""End-to-end fixtures: the app served on 127.0.0.1 from a migrated SQLite file,
Debian's Chromium driven by Playwright, screenshots and an accessibility audit.

Chromium missing: the tests skip with the reason, unless REQUIRE_BROWSER=1
(CI), where they fail. Browsers cannot be downloaded here, so Playwright
drives /usr/bin/chromium instead of its own build.
"""

import json
import logging
import os
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path

import flask_migrate
import pytest
from werkzeug.serving import make_server

from admin_app import create_app
from admin_app.auth.passwords import hash_password
from admin_app.config import TestConfig
from admin_app.extensions import db
from admin_app.formatting import today_bogota
from admin_app.models import Apartamento, Cliente, Parqueadero, Proyecto, Rol, Torre, Usuario
from admin_app.services.pagos import registrar_pago
from admin_app.services.plan_pagos import sumar_meses
from admin_app.services.planes_pago import crear_plan
from admin_app.services.ventas import DatosOperacion, crear_operacion

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "Clave-Navegador-2026"
VIEWPORT = {"width": 1366, "height": 768}
TIMEOUT_MS = 10_000
# Serious and critical audit findings fail a test; minor ones are noise for now.
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets the page fixture know, at teardown, whether the test failed.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


# --- the server -----------------------------------------------------------------


def _sembrar() -> dict:
    """Users and a small, realistic data set; returns what the journeys refer to."""
    hoy = today_bogota()
    for username, rol in (("admin", Rol.ADMIN), ("digitador", Rol.DIGITADOR)):
        db.session.add(
            Usuario(
                username=username,
                nombre_completo="Ana Administradora" if rol == Rol.ADMIN else "Diego Digitador",
                rol=rol,
                password_hash=hash_password(PASSWORD),
            )
        )
    proyecto = Proyecto(
        nombre="Reserva de la Sabana",
        ciudad="Bogotá",
        porcentaje_cuota_inicial_min=Decimal("30.00"),
        valor_min_separacion=Decimal("5000000.00"),
        plazo_max_cuota_inicial_meses=36,
        plazo_max_separacion_dias=30,
    )
    torre = Torre(proyecto=proyecto, nombre="Torre A")
    apartamentos = [
        Apartamento(
            torre=torre,
            numero=f"{piso}0{n}",
            piso=piso,
            area_m2=Decimal("62.50"),
            habitaciones=3,
            banos=2,
            precio=Decimal("320000000.00"),
            id_estado_inmueble=1,
        )
        for piso in (2, 3, 4)
        for n in (1, 2)
    ]
    parqueaderos = [
        Parqueadero(
            torre=torre,
            numero=f"P-00{n}",
            id_tipo_parqueadero=1,
            precio=Decimal("30000000.00"),
            id_estado_inmueble=1,
        )
        for n in (1, 2)
    ]
    db.session.add_all([proyecto, torre, *apartamentos, *parqueaderos])

    hace_un_anio = datetime.now(UTC) - timedelta(days=365)
    clientes = {
        "juridica": Cliente(
            documento="900123456-8",
            nombre="Constructora Andina S.A.S.",
            id_tipo_cliente=2,
            id_tipo_documento=2,
            correo="compras@andina.com.co",
            created_at=hace_un_anio,
        ),
        "separa": Cliente(
            documento="52345678",
            nombre="Lucía Hernández Ospina",
            id_tipo_cliente=1,
            id_tipo_documento=1,
            telefono="3001234567",
            created_at=hace_un_anio,
        ),
        "compra": Cliente(
            documento="80111222",
            nombre="Camilo Ñustes Páez",
            id_tipo_cliente=1,
            id_tipo_documento=1,
            created_at=hace_un_anio,
        ),
        "sin_ventas": Cliente(
            documento="1020304050",
            nombre="Pedro Sin Compras",
            id_tipo_cliente=1,
            id_tipo_documento=1,
        ),
        # The quote journey's client (quotes keep a client from being deleted).
        "cotiza": Cliente(
            documento="43555666",
            nombre="Marta Quintero Gil",
            id_tipo_cliente=1,
            id_tipo_documento=1,
        ),
    }
    db.session.add_all(clientes.values())
    db.session.flush()

    # A venta four months old with overdue cuotas, one payment made.
    inicio = sumar_meses(hoy, -4)
    venta = crear_operacion(
        DatosOperacion(
            tipo_operacion="venta",
            documento_cliente=clientes["juridica"].documento,
            id_apartamento=apartamentos[0].id,
            fecha=inicio,
            id_forma_pago=2,
            cuota_inicial=Decimal("96000000.00"),
            plazo_cuota_inicial_meses=12,
        )
    )
    registrar_pago(venta, fecha=inicio, valor=Decimal("8000000.00"), id_medio_pago=2)
    # A separation whose deadline is in three days.
    crear_operacion(
        DatosOperacion(
            tipo_operacion="separacion",
            documento_cliente=clientes["separa"].documento,
            id_apartamento=apartamentos[1].id,
            fecha=hoy - timedelta(days=20),
            valor_separacion=Decimal("5000000.00"),
            fecha_limite_separacion=hoy + timedelta(days=3),
        )
    )
    # A plan de pago of the project, for the quote journey.
    plan = crear_plan(
        {
            "id_proyecto": proyecto.id,
            "nombre": "Mensual 24 meses",
            "tipo": "mensual",
            "valor_separacion": Decimal("5000000"),
            "porcentaje_cuota_inicial": Decimal("30"),
            "plazo_meses": 24,
        }
    )
    db.session.commit()
    return {
        "id_plan_pago": plan.id,
        "id_apartamento_cotizar": apartamentos[5].id,
        "clientes": {clave: c.documento for clave, c in clientes.items()},
        "nombres": {clave: c.nombre for clave, c in clientes.items()},
        "id_venta": venta.id,
        "apartamentos_libres": [str(a) for a in apartamentos[2:]],
    }


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    reason = (
        f"Pruebas de navegador omitidas: no está {CHROMIUM}. "
        "Instálelo con `apt-get install chromium` para correrlas."
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason.replace("omitidas", "obligatorias (REQUIRE_BROWSER=1)"), pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, chromium_executable):
    """The app on a free port of 127.0.0.1, its own migrated SQLite file."""
    path = tmp_path_factory.mktemp("navegador") / "backoffice.sqlite3"
    app = create_app(TestConfig(f"sqlite:///{path}"))
    with app.app_context():
        flask_migrate.upgrade()
        datos = _sembrar()
        db.session.remove()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request is noise
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    datos["url"] = f"http://127.0.0.1:{server.server_port}"
    datos["app"] = app
    yield datos
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    with app.app_context():
        db.engine.dispose()


# --- the browser ------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request, tmp_path):
    """A fresh context (no cookies) at 1366x768 in Spanish and Bogotá time."""
    context = browser.new_context(
        base_url=live_server["url"],
        viewport=VIEWPORT,
        locale="es-CO",
        timezone_id="America/Bogota",
        accept_downloads=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errores_js: list[str] = []
    page.on("pageerror", lambda exc: errores_js.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errores_js.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    page.errores_js = errores_js
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        destino = tmp_path / "fallo.png"
        try:
            page.screenshot(path=str(destino), full_page=True)
            print(f"\nCaptura del fallo: {destino} (URL {page.url})")
        except Exception as exc:  # the failure itself may have closed the page
            print(f"\nNo se pudo capturar la pantalla del fallo: {exc}")
    context.close()


@pytest.fixture
def shot(page, tmp_path):
    """shot("nombre") saves a full-page screenshot under the test's tmp_path."""

    def take(nombre: str) -> Path:
        destino = tmp_path / f"{nombre}.png"
        page.screenshot(path=str(destino), full_page=True)
        return destino

    return take


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url("**/admin/**")


@pytest.fixture(scope="session")
def _cookies_por_rol() -> dict:
    return {}


def _logged_in(page, username: str, cache: dict):
    # One login per role and run: checking a password is slow on purpose.
    if username in cache:
        page.context.add_cookies(cache[username])
    else:
        login(page, username)
        cache[username] = page.context.cookies()
    return page


@pytest.fixture
def as_digitador(page, _cookies_por_rol):
    return _logged_in(page, "digitador", _cookies_por_rol)


@pytest.fixture
def as_admin(page, _cookies_por_rol):
    return _logged_in(page, "admin", _cookies_por_rol)


# --- accessibility ----------------------------------------------------------------

_AXE_SOURCE: str | None = None


def _axe_source() -> str:
    """axe-core, as shipped inside the axe-playwright-python wheel (requirements-dev)."""
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        _AXE_SOURCE = (resources.files("axe_playwright_python") / "axe.min.js").read_text("utf-8")
    return _AXE_SOURCE


def axe_violations(page) -> list[dict]:
    """The page's serious and critical axe-core violations (WCAG 2.1 A/AA, best practices)."""
    page.evaluate(_axe_source())
    results = page.evaluate(
        """() => axe.run(document, {
            resultTypes: ['violations'],
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'best-practice']}
        })"""
    )
    return [
        {
            "regla": v["id"],
            "impacto": v["impact"],
            "ayuda": v["help"],
            "nodos": [n["target"] for n in v["nodes"][:5]],
        }
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def assert_accessible(page, nombre: str) -> None:
    detalle = axe_violations(page)
    assert not detalle, f"Accesibilidad de {nombre}:\n" + json.dumps(
        detalle, ensure_ascii=False, indent=2
    )
