"""Locales and parqueaderos as the API shows them, the bodies that create and
change them, and their list filters (the rules are the services')."""

from marshmallow import Schema, fields

from ...models import Local, Parqueadero
from ..pagination import PaginaQuerySchema
from .base import NullAsMissingBodySchema
from .fields import Dinero, Entero, EnteroEnTexto, Fecha, Instante, Texto
from .inventario import CatalogoSchema, EstadoInmuebleField

ESTADO = {
    "description": "Nombre del estado (Disponible, Separado, Vendido, Bloqueado), sin importar "
    "mayúsculas.",
    "example": "Disponible",
}


class BloqueoSchema(Schema):
    motivo = fields.String(attribute="bloqueo_motivo", allow_none=True)
    por = fields.String(attribute="bloqueado_por", allow_none=True)
    en = Instante(attribute="bloqueado_en", allow_none=True)
    hasta = Fecha(attribute="bloqueado_hasta", allow_none=True)


class UnidadSchema(Schema):
    id = fields.Integer()
    numero = fields.String()
    precio = Dinero()
    id_estado_inmueble = fields.Integer()
    estado = fields.String(attribute="estado.nombre", metadata={"example": "Disponible"})
    documento_cliente = fields.String(allow_none=True)
    bloqueo = fields.Function(
        lambda unidad: BloqueoSchema().dump(unidad) if unidad.bloqueo_motivo else None,
        metadata={"type": "object", "nullable": True, "description": "Null si no está bloqueada."},
    )
    created_at = Instante()
    updated_at = Instante()


class LocalSchema(UnidadSchema):
    id_proyecto = fields.Integer()
    proyecto = fields.Nested(CatalogoSchema)
    id_torre = fields.Integer(allow_none=True)
    torre = fields.Nested(CatalogoSchema, allow_none=True)
    area_m2 = Dinero()
    valor_m2 = Dinero()


class ParqueaderoSchema(UnidadSchema):
    id_torre = fields.Integer()
    torre = fields.Nested(CatalogoSchema)
    id_proyecto = fields.Integer(attribute="torre.id_proyecto")
    id_tipo_parqueadero = fields.Integer()
    tipo = fields.String(attribute="tipo.nombre", metadata={"example": "Vehículo"})
    id_apartamento = fields.Integer(
        allow_none=True, metadata={"description": "El apartamento que lo incluye; null: libre."}
    )


class LocalNuevoSchema(NullAsMissingBodySchema):
    id_proyecto = Entero(
        allow_none=True, metadata={"description": "Obligatorio sin torre; con torre, el suyo."}
    )
    id_torre = Entero(allow_none=True, metadata={"description": "Null: fuera de las torres."})
    numero = Texto(Local.numero, required=True)
    area_m2 = Dinero(Local.area_m2, required=True)
    valor_m2 = Dinero(Local.valor_m2, required=True)


class LocalCambiosSchema(NullAsMissingBodySchema):
    id_proyecto = Entero(allow_none=True)
    id_torre = Entero(allow_none=True)
    numero = Texto(Local.numero, allow_none=True)
    area_m2 = Dinero(Local.area_m2, allow_none=True)
    valor_m2 = Dinero(Local.valor_m2, allow_none=True)


class ParqueaderoNuevoSchema(NullAsMissingBodySchema):
    id_torre = Entero(required=True)
    numero = Texto(Parqueadero.numero, required=True)
    id_tipo_parqueadero = Entero(required=True)
    precio = Dinero(Parqueadero.precio, required=True)
    id_apartamento = Entero(
        allow_none=True, metadata={"description": "Incluido en este apartamento (opcional)."}
    )


class ParqueaderoCambiosSchema(NullAsMissingBodySchema):
    id_torre = Entero(allow_none=True)
    numero = Texto(Parqueadero.numero, allow_none=True)
    id_tipo_parqueadero = Entero(allow_none=True)
    precio = Dinero(Parqueadero.precio, allow_none=True)
    id_apartamento = Entero(allow_none=True)


class UnidadesQuerySchema(PaginaQuerySchema):
    proyecto = EnteroEnTexto(metadata={"description": "Id del proyecto."})
    torre = EnteroEnTexto(metadata={"description": "Id de la torre."})
    estado = EstadoInmuebleField(metadata=ESTADO)


class ParqueaderosQuerySchema(UnidadesQuerySchema):
    tipo = EnteroEnTexto(metadata={"description": "Id del tipo de parqueadero."})


class LocalesQuerySchema(UnidadesQuerySchema):
    pass
