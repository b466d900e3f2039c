"""The spec and the code agree, and a fuzz of the spec finds no 500 and no off-spec answer."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from admin_app.api.openapi import build_spec
from admin_app.formatting import today_bogota
from admin_app.models import PoliticaPrecio, Rol, TipoApartamento
from admin_app.services import comisiones, metas, precios
from admin_app.services.cotizaciones import crear_cotizacion
from admin_app.services.pagos import registrar_pago
from admin_app.services.planes_pago import crear_plan
from admin_app.services.ventas import DatosOperacion, crear_operacion
from tests import factories
from tests.api.conftest import issue_token
from tests.conftest import make_user

IGNORED_METHODS = {"HEAD", "OPTIONS"}
HOY = today_bogota()


def _flask_routes(app) -> dict[str, set[str]]:
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            routes.setdefault(path, set()).update(m.lower() for m in rule.methods - IGNORED_METHODS)
    return routes


def _spec_routes(spec) -> dict[str, set[str]]:
    return {path: set(item) for path, item in spec["paths"].items()}


def test_every_api_route_is_in_the_spec_with_its_methods(app):
    assert _flask_routes(app) == _spec_routes(build_spec())


def test_served_spec_is_the_built_one(anonymous_api):
    assert anonymous_api.get("/api/openapi.json").get_json() == build_spec()


def test_every_request_body_refuses_unknown_fields():
    spec = build_spec()
    for item in spec["paths"].values():
        for op in item.values():
            if "requestBody" in op:
                name = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                schema = spec["components"]["schemas"][name.rsplit("/", 1)[1]]
                assert schema["additionalProperties"] is False, name


def test_every_operation_but_the_spec_requires_the_token():
    spec = build_spec()
    assert spec["security"] == [{"bearerAuth": []}]
    public = [
        (path, method)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if op.get("security") == []
    ]
    assert public == [("/api/openapi.json", "get")]


def test_every_path_parameter_is_documented():
    for path, item in build_spec()["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        for op in item.values():
            documented = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert documented == names, path


CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


def _known_rows(db) -> dict[str, object]:
    """Rows the fuzz can reach by id, so that deep paths answer more than 404."""
    cliente = factories.cliente("1020304050")
    apartamento = factories.apartamento()
    separacion = crear_operacion(
        DatosOperacion(
            tipo_operacion="separacion",
            documento_cliente=cliente.documento,
            id_apartamento=apartamento.id,
            fecha=HOY,
            valor_separacion=Decimal("5000000.00"),
            fecha_limite_separacion=HOY + timedelta(days=10),
        )
    )
    pago = registrar_pago(separacion, fecha=HOY, valor=Decimal("1000000.00"), id_medio_pago=1)
    local = factories.local(apartamento.torre)
    parqueadero = factories.parqueadero(apartamento.torre)
    id_proyecto = apartamento.torre.id_proyecto
    tipo = precios.guardar_tipo(
        TipoApartamento(
            id_proyecto=id_proyecto,
            nombre="Tipo A",
            area_construida=Decimal("60"),
            area_privada=Decimal("55"),
            habitaciones=2,
            banos=2,
            valor_m2=Decimal("4000000"),
        )
    )
    politica = precios.guardar_politica(
        PoliticaPrecio(
            id_proyecto=id_proyecto,
            nombre="Escalón",
            ventas_por_escalon=5,
            porcentaje_aumento=Decimal("2"),
        )
    )
    otro = factories.apartamento(apartamento.torre)
    plan = crear_plan(
        {
            "id_proyecto": apartamento.torre.id_proyecto,
            "nombre": "24 meses",
            "tipo": "mensual",
            "valor_separacion": Decimal("5000000"),
            "porcentaje_cuota_inicial": Decimal("30"),
            "plazo_meses": 24,
        }
    )
    cotizacion = crear_cotizacion(
        {"id_plan_pago": plan.id, "id_apartamento": otro.id, "documento_cliente": cliente.documento}
    )
    db.session.commit()
    return {
        "id_local": local.id,
        "id_parqueadero": parqueadero.id,
        "documento": cliente.documento,
        "id_apartamento": apartamento.id,
        "id_proyecto": id_proyecto,
        "id_torre": apartamento.id_torre,
        "id_tipo": tipo.id,
        "id_politica": politica.id,
        "id_venta": separacion.id,
        "id_pago": pago.id,
        "id_plan_pago": plan.id,
        "id_cotizacion": cotizacion.id,
        **_known_comercial(apartamento.torre),
    }


def _known_comercial(torre) -> dict[str, int]:
    """An asesor, his policy, a settled commission and a goal (tests/api/test_comisiones.py)."""
    asesor = make_user("fuzz-asesor", Rol.ASESOR)
    politica = comisiones.guardar_politica(
        comisiones.DatosPolitica(torre.id_proyecto, asesor.id, "propia", Decimal("3"), HOY)
    )
    crear_operacion(
        DatosOperacion(
            tipo_operacion="venta",
            documento_cliente=factories.cliente().documento,
            id_apartamento=factories.apartamento(torre).id,
            fecha=HOY,
            id_forma_pago=2,
            cuota_inicial=Decimal("75000000.00"),
            plazo_cuota_inicial_meses=12,
            id_asesor=asesor.id,
        )
    )
    liquidacion = comisiones.liquidar(
        filtros=comisiones.Filtros(beneficiario=asesor.id), usuario=asesor
    )
    meta = metas.guardar_meta(metas.DatosMeta(HOY.year, HOY.month, "unidades", Decimal("2")))
    return {
        "id_usuario": asesor.id,
        "id_politica": politica.id,
        "id_liquidacion": liquidacion.id,
        "id_meta": meta.id,
    }


def _variants(operation, known: dict):
    """(mode, fixed path parameters): random ones, then the known rows."""
    names = {p.name for p in operation.path_parameters}
    yield GenerationMode.POSITIVE, None
    yield GenerationMode.NEGATIVE, None
    if names:
        yield GenerationMode.POSITIVE, {name: known[name] for name in names}


@pytest.mark.slow
def test_fuzzing_the_spec_finds_no_server_error_and_no_off_spec_response(app, db):
    token = issue_token(make_user("fuzz", Rol.ADMIN))
    known = _known_rows(db)
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, path_parameters in _variants(operation, known):

            @settings(
                max_examples=6,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            @given(
                case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)
            )
            def run(case):
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:
                run()
            except Exception as exc:  # noqa: BLE001 - collect every operation's failure
                failures.append(f"{operation.label} [{mode.value}, {path_parameters}]: {exc}")
    assert not failures, "\n\n".join(failures)
