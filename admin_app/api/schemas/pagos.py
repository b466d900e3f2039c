"""Pagos as the API shows and registers them (the rules are services.pagos')."""

from marshmallow import Schema, fields

from ...models import Pago
from .base import NullAsMissingBodySchema
from .fields import Calculado, Dinero, Entero, Fecha, Instante, Texto
from .inventario import CatalogoSchema


class AplicacionSchema(Schema):
    """The part of a pago that went to one cuota."""

    id_cuota = fields.Integer()
    valor = Dinero()


class PagoSchema(Schema):
    id = fields.Integer()
    id_venta = fields.Integer()
    fecha = Fecha()
    valor = Dinero()
    id_medio_pago = fields.Integer()
    medio_pago = fields.Nested(CatalogoSchema)
    referencia = fields.String(allow_none=True)
    observaciones = fields.String(allow_none=True)
    aplicaciones = Calculado(
        AplicacionSchema,
        lambda pago: sorted(pago.aplicaciones, key=lambda a: a.id_cuota),
        many=True,
    )
    created_at = Instante()
    updated_at = Instante()


class PagoNuevoSchema(NullAsMissingBodySchema):
    fecha = Fecha(required=True)
    valor = Dinero(Pago.valor, required=True)
    id_medio_pago = Entero(required=True)
    referencia = Texto(Pago.referencia, allow_none=True)
    observaciones = Texto(Pago.observaciones, allow_none=True)
