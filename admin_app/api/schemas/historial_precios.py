"""A unit's price history as the API shows it (apartamentos; locales and parqueaderos alike)."""

from marshmallow import Schema, fields

from ...models import MotivoPrecio
from .fields import Dinero, Instante


class HistorialPrecioSchema(Schema):
    id = fields.Integer()
    id_apartamento = fields.Integer(allow_none=True)
    id_local = fields.Integer(allow_none=True)
    id_parqueadero = fields.Integer(allow_none=True)
    precio_antes = Dinero(allow_none=True)
    precio_despues = Dinero()
    motivo = fields.String(metadata={"enum": list(MotivoPrecio.ALL)})
    detalle = fields.String(allow_none=True)
    id_usuario = fields.Integer(allow_none=True)
    fecha = Instante()
