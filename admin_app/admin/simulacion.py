"""The venta form's plan de pago: the plans one may choose, and the preview of a
plan's summary and cuotas for the chosen units (services.planes_pago.simular)."""

from datetime import date, datetime

from sqlalchemy import select

from ..extensions import db
from ..formatting import today_bogota
from ..limites import fecha_fuera_de_rango
from ..models import PlanPago, Proyecto, TipoPlan
from ..services import planes_pago as servicio
from ..services.errors import ServiceError
from .campos import FORMATOS_FECHA
from .formularios import entero_o_none


def opciones_planes(usuario) -> list[tuple[str, str]]:
    """Active plans, by project; especial ones only for who may use them."""
    filas = db.session.execute(
        select(PlanPago.id, PlanPago.nombre, Proyecto.nombre, PlanPago.tipo)
        .join(Proyecto, Proyecto.id == PlanPago.id_proyecto)
        .where(PlanPago.activo)
        .order_by(Proyecto.nombre, PlanPago.nombre)
    )
    especial = servicio.puede_usar_plan_especial(usuario)
    return [("", "Sin plan: reglas del proyecto")] + [
        (str(i), f"{proyecto} — {nombre}")
        for i, nombre, proyecto, tipo in filas
        if tipo != TipoPlan.ESPECIAL or especial
    ]


def _fecha(valor) -> date:
    """The date typed (dd/mm/aaaa or aaaa-mm-dd) within the business range; else today."""
    if isinstance(valor, date):
        return valor
    for formato in FORMATOS_FECHA:
        try:
            fecha = datetime.strptime(str(valor or "").strip(), formato).date()
        except ValueError:
            continue
        if fecha_fuera_de_rango(fecha) is None:
            return fecha
    return today_bogota()


def simular_desde(id_plan_pago, unidades: dict, fecha):
    """(Simulacion, None) or (None, the Spanish reason it cannot be computed).
    `unidades`: id_apartamento, id_local, id_parqueadero (one of them) and
    adicionales, as the venta form names them."""
    from flask_login import current_user

    plan_id = entero_o_none(id_plan_pago)
    pedidas = {
        campo: entero_o_none(unidades.get(campo))
        for campo in ("id_apartamento", "id_local", "id_parqueadero")
    }
    adicionales = [i for i in map(entero_o_none, unidades.get("adicionales") or []) if i]
    if plan_id is None:
        return None, "Elija un plan de pago para ver su resumen y sus cuotas."
    if not any(pedidas.values()):
        return None, "Elija la unidad para calcular el plan."
    plan = db.session.get(PlanPago, plan_id)
    if plan is None:
        return None, "El plan de pago seleccionado no existe."
    try:
        return (
            servicio.simular(
                plan,
                fecha=_fecha(fecha),
                usuario=current_user,
                adicionales=adicionales,
                **{campo: valor for campo, valor in pedidas.items() if valor},
            ),
            None,
        )
    except ServiceError as exc:
        db.session.rollback()
        return None, exc.message
