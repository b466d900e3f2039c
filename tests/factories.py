"""Small builders for test data. They add and flush; the test commits if it needs to."""

from datetime import date
from decimal import Decimal
from itertools import count

from admin_app.documentos import format_nit
from admin_app.extensions import db
from admin_app.models import (
    Apartamento,
    Cliente,
    Local,
    OperacionUnidad,
    Parqueadero,
    Proyecto,
    Torre,
    Venta,
)

_seq = count(1)


def proyecto(**overrides) -> Proyecto:
    n = next(_seq)
    values = dict(
        nombre=f"Proyecto {n}",
        ciudad="Medellín",
        porcentaje_cuota_inicial_min=Decimal("30.00"),
        valor_min_separacion=Decimal("5000000.00"),
        plazo_max_cuota_inicial_meses=36,
        plazo_max_separacion_dias=30,
    )
    values.update(overrides)
    obj = Proyecto(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


def torre(proyecto_obj: Proyecto | None = None, **overrides) -> Torre:
    obj = Torre(
        proyecto=proyecto_obj or proyecto(), nombre=overrides.pop("nombre", f"Torre {next(_seq)}")
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def apartamento(torre_obj: Torre | None = None, **overrides) -> Apartamento:
    values = dict(
        numero=str(100 + next(_seq)),
        piso=1,
        area_m2=Decimal("60.00"),
        habitaciones=2,
        banos=2,
        precio=Decimal("250000000.00"),
        id_estado_inmueble=1,  # Disponible
    )
    values.update(overrides)
    obj = Apartamento(torre=torre_obj or torre(), **values)
    db.session.add(obj)
    db.session.flush()
    return obj


def local(torre_obj: Torre | None = None, **overrides) -> Local:
    """A local in a torre (or, with proyecto= and torre_obj None, outside the towers)."""
    proyecto_obj = overrides.pop("proyecto", None)
    if proyecto_obj is None:
        torre_obj = torre_obj or torre()
        proyecto_obj = torre_obj.proyecto
    values = dict(
        numero=f"L-{next(_seq)}",
        area_m2=Decimal("40.00"),
        valor_m2=Decimal("5000000.00"),
        precio=Decimal("200000000.00"),
        id_estado_inmueble=1,
    )
    values.update(overrides)
    obj = Local(proyecto=proyecto_obj, torre=torre_obj, **values)
    db.session.add(obj)
    db.session.flush()
    return obj


def parqueadero(torre_obj: Torre | None = None, **overrides) -> Parqueadero:
    values = dict(
        numero=f"P-{next(_seq)}",
        id_tipo_parqueadero=1,  # Vehículo
        precio=Decimal("30000000.00"),
        id_estado_inmueble=1,
    )
    values.update(overrides)
    obj = Parqueadero(torre=torre_obj or torre(), **values)
    db.session.add(obj)
    db.session.flush()
    return obj


def cliente(documento: str | None = None, juridica: bool = False, **overrides) -> Cliente:
    n = next(_seq)
    if juridica:
        values = dict(
            documento=documento or format_nit(str(900000000 + n)),
            nombre=f"Constructora Número {n} S.A.S.",
            id_tipo_cliente=2,
            id_tipo_documento=2,
        )
    else:
        values = dict(
            documento=documento or str(1000000000 + n),
            nombre=f"José Pérez {n}",
            id_tipo_cliente=1,
            id_tipo_documento=1,
        )
    values.update(overrides)
    obj = Cliente(**values)
    db.session.add(obj)
    db.session.flush()
    return obj


def separacion_directa(cliente_obj=None, apartamento_obj=None, **overrides) -> Venta:
    """A vigente separación row written directly (no service, no plan): for
    tests that only need a client with an operation."""
    values = dict(
        tipo_operacion="separacion",
        fecha=date(2026, 11, 25),
        valor_total=Decimal("250000000.00"),
        valor_separacion=Decimal("5000000.00"),
        fecha_limite_separacion=date(2026, 12, 20),
    )
    values.update(overrides)
    apartamento_obj = apartamento_obj or apartamento()
    obj = Venta(cliente=cliente_obj or cliente(), apartamento=apartamento_obj, **values)
    obj.unidades = [
        OperacionUnidad(
            apartamento=apartamento_obj,
            rol="principal",
            precio=values["valor_total"],
            vigente=values.get("estado_operacion", "vigente") == "vigente",
        )
    ]
    db.session.add(obj)
    db.session.flush()
    return obj
