"""The outbox of email notices as the API shows it (read-only, admins)."""

from marshmallow import Schema, fields, validate

from ...models import EstadoAviso
from ..pagination import PaginaQuerySchema
from .fields import Instante


class AvisosQuerySchema(PaginaQuerySchema):
    estado = fields.String(
        validate=validate.OneOf(EstadoAviso.ALL, error="Debe ser uno de: {choices}.")
    )


class IntentoAvisoSchema(Schema):
    fecha = Instante()
    exito = fields.Boolean()
    error = fields.String(allow_none=True)


class AvisoSchema(Schema):
    id = fields.Integer()
    tipo = fields.String()
    destinatario = fields.String()
    asunto = fields.String()
    estado = fields.String()
    intentos = fields.Integer()
    proximo_intento = Instante()
    enviado_en = Instante(allow_none=True)
    ultimo_error = fields.String(allow_none=True)
    id_venta = fields.Integer(allow_none=True)
    created_at = Instante()
    intentos_envio = fields.List(fields.Nested(IntentoAvisoSchema))
