"""Asesores (users who sell) and the change of a venta's asesor, as the API shows them."""

from marshmallow import Schema, fields

from ...models import Rol
from ...services.asesores import MOTIVO_MAXIMO
from ..pagination import PaginaQuerySchema
from .base import BodySchema
from .fields import Entero, Texto


class DirectorSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    nombre_completo = fields.String()


class AsesorSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    nombre_completo = fields.String()
    rol = fields.String(metadata={"enum": list(Rol.VENDEN)})
    activo = fields.Boolean()
    id_director = fields.Integer(allow_none=True)
    director = fields.Nested(DirectorSchema, allow_none=True)


class AsesoresQuerySchema(PaginaQuerySchema):
    activo = fields.Boolean(
        truthy={"true", "1"},
        falsy={"false", "0"},
        metadata={"description": "Solo activos (true) o inactivos (false)."},
    )


class AsesorCambiosSchema(BodySchema):
    id_director = Entero(
        required=True,
        allow_none=True,
        metadata={"description": "El director comercial que lo lidera (null: ninguno)."},
    )


class VentaAsesorSchema(BodySchema):
    id_asesor = Entero(required=True)
    motivo = Texto(
        required=True,
        metadata={"maxLength": MOTIVO_MAXIMO, "description": "Por qué cambia el asesor."},
    )
