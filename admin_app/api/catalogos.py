"""/api/catalogos: every catalog with its ids, for the forms of other systems."""

from ..extensions import db
from ..models import EstadoInmueble, FormaPago, MedioPago, TipoCliente, TipoDocumento
from . import api_bp
from .schemas.base import one
from .schemas.inventario import CatalogosSchema

TAG = "Catálogos"
CATALOGOS = {
    "tipos_cliente": TipoCliente,
    "tipos_documento": TipoDocumento,
    "estados_inmueble": EstadoInmueble,
    "formas_pago": FormaPago,
    "medios_pago": MedioPago,
}


@api_bp.get("/catalogos")
@api_bp.response(200, one(CatalogosSchema), description="Los catálogos.")
def catalogos():
    """Todos los catálogos con sus ids"""
    data = {
        nombre: db.session.scalars(db.select(model).order_by(model.id)).all()
        for nombre, model in CATALOGOS.items()
    }
    return {"data": data}
