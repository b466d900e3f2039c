"""/api/catalogos: every catalog with its ids, for the forms of other systems."""

from ..extensions import db
from ..models import EstadoInmueble, FormaPago, MedioPago, TipoCliente, TipoDocumento
from . import api_bp, serializers

CATALOGOS = {
    "tipos_cliente": (TipoCliente, serializers.catalogo),
    "tipos_documento": (TipoDocumento, serializers.tipo_documento),
    "estados_inmueble": (EstadoInmueble, serializers.catalogo),
    "formas_pago": (FormaPago, serializers.catalogo),
    "medios_pago": (MedioPago, serializers.catalogo),
}


@api_bp.get("/catalogos")
def catalogos():
    return {
        "data": {
            nombre: [
                serialize(row) for row in db.session.scalars(db.select(model).order_by(model.id))
            ]
            for nombre, (model, serialize) in CATALOGOS.items()
        }
    }
