"""The commercial area's views (asesores, comisiones, metas), registered together."""

from flask_admin import Admin

from ..models import Comision, Liquidacion, Meta, PoliticaComision
from .asesores import formulario_asesor
from .comisiones import ComisionView, LiquidacionView, PoliticaComisionView
from .metas import AsesorInicioView, CumplimientoView, MetaView

COMERCIAL = "Comercial"


def add_comercial_views(admin: Admin, session) -> None:
    admin.app.jinja_env.globals["formulario_asesor"] = formulario_asesor
    admin.add_view(
        AsesorInicioView(name="Mi inicio", endpoint="asesor_inicio", url="/admin/mi-inicio")
    )
    admin.add_view(
        ComisionView(
            Comision, session, name="Comisiones", endpoint="comisiones", category=COMERCIAL
        )
    )
    admin.add_view(
        LiquidacionView(
            Liquidacion,
            session,
            name="Liquidaciones",
            endpoint="liquidaciones",
            category=COMERCIAL,
        )
    )
    admin.add_view(
        PoliticaComisionView(
            PoliticaComision,
            session,
            name="Políticas de comisión",
            endpoint="politicas_comision",
            category=COMERCIAL,
        )
    )
    admin.add_view(MetaView(Meta, session, name="Metas", endpoint="metas", category=COMERCIAL))
    admin.add_view(
        CumplimientoView(
            name="Cumplimiento de metas",
            endpoint="cumplimiento",
            url="/admin/cumplimiento",
            category=COMERCIAL,
        )
    )
