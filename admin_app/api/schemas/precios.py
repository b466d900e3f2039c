"""Tipos de apartamento, políticas de precio, each unit's price and the price
preview as the API shows and takes them (the rules are services.precios')."""

from marshmallow import Schema, fields, validate

from ...models import PoliticaPrecio, TipoApartamento
from ...services.precios import AREA_MAXIMA, ESCALON_MAXIMO, ESPACIOS_MAXIMO, ORDEN_MAXIMO
from .base import BodySchema
from .fields import Booleano, Dinero, Entero, Fecha, Instante, Porcentaje, Texto

AREA = {"example": "60.50", "description": "Metros cuadrados, mayor que 0."}


class TipoApartamentoSchema(Schema):
    id = fields.Integer()
    id_proyecto = fields.Integer()
    nombre = fields.String()
    area_construida = Dinero()
    area_privada = Dinero()
    habitaciones = fields.Integer()
    banos = fields.Integer()
    valor_m2 = Dinero()
    valor_estimado = Dinero(
        metadata={"description": "ceil(area_construida × valor_m2), al peso: el precio base."}
    )
    created_at = Instante()
    updated_at = Instante()


class TipoApartamentoCambiosSchema(BodySchema):
    """PATCH: only the fields sent change."""

    nombre = Texto(TipoApartamento.nombre)
    area_construida = Dinero(maximo=AREA_MAXIMA, metadata=AREA)
    area_privada = Dinero(maximo=AREA_MAXIMA, metadata=AREA)
    habitaciones = Entero(minimo=0, maximo=ESPACIOS_MAXIMO)
    banos = Entero(minimo=0, maximo=ESPACIOS_MAXIMO)
    valor_m2 = Dinero(TipoApartamento.valor_m2)


class TipoApartamentoCompletoSchema(TipoApartamentoCambiosSchema):
    """PUT: every field."""

    nombre = Texto(TipoApartamento.nombre, required=True)
    area_construida = Dinero(maximo=AREA_MAXIMA, required=True, metadata=AREA)
    area_privada = Dinero(maximo=AREA_MAXIMA, required=True, metadata=AREA)
    habitaciones = Entero(minimo=0, maximo=ESPACIOS_MAXIMO, required=True)
    banos = Entero(minimo=0, maximo=ESPACIOS_MAXIMO, required=True)
    valor_m2 = Dinero(TipoApartamento.valor_m2, required=True)


class TipoApartamentoNuevoSchema(TipoApartamentoCompletoSchema):
    id_proyecto = Entero(required=True)


class PoliticaPrecioSchema(Schema):
    id = fields.Integer()
    id_proyecto = fields.Integer()
    nombre = fields.String()
    orden = fields.Integer()
    ventas_por_escalon = fields.Integer(allow_none=True)
    porcentaje_aumento = Porcentaje()
    aplica_desde = Fecha(allow_none=True)
    activa = fields.Boolean()
    created_at = Instante()
    updated_at = Instante()


class PoliticaPrecioCambiosSchema(BodySchema):
    nombre = Texto(PoliticaPrecio.nombre)
    orden = Entero(maximo=ORDEN_MAXIMO)
    ventas_por_escalon = Entero(
        maximo=ESCALON_MAXIMO,
        allow_none=True,
        metadata={"description": "Unidades vendidas de este escalón (acumuladas por orden)."},
    )
    porcentaje_aumento = Porcentaje()
    aplica_desde = Fecha(allow_none=True, metadata={"description": "Aplica desde este día."})
    activa = Booleano()


class PoliticaPrecioCompletoSchema(PoliticaPrecioCambiosSchema):
    nombre = Texto(PoliticaPrecio.nombre, required=True)
    orden = Entero(maximo=ORDEN_MAXIMO, metadata={"description": "Por defecto, la última."})
    ventas_por_escalon = Entero(maximo=ESCALON_MAXIMO, allow_none=True, load_default=None)
    porcentaje_aumento = Porcentaje(required=True)
    aplica_desde = Fecha(allow_none=True, load_default=None)
    activa = Booleano(load_default=True)


class PoliticaPrecioNuevaSchema(PoliticaPrecioCompletoSchema):
    id_proyecto = Entero(required=True)


class PrecioUnidadSchema(Schema):
    id_apartamento = fields.Integer()
    apartamento = fields.String(metadata={"example": "Torre 1 - Apto 101"})
    piso = fields.Integer()
    id_tipo_apartamento = fields.Integer(allow_none=True)
    precio_base = Dinero()
    prima = Dinero()
    factor = fields.String(metadata={"example": "1.0353"})
    precio = Dinero()
    politicas = fields.List(fields.String())


class PreciosMetaSchema(Schema):
    total = fields.Integer()
    ventas = fields.Integer(
        metadata={"description": "Unidades vendidas que cuentan para los escalones."}
    )


class PreciosProyectoSchema(Schema):
    data = fields.Nested(PrecioUnidadSchema, many=True)
    meta = fields.Nested(PreciosMetaSchema)


RECURSOS = ("politica_precio", "tipo_apartamento", "proyecto")


class VistaPreviaSchema(BodySchema):
    recurso = Texto(
        required=True,
        validate=validate.OneOf(RECURSOS, error="Debe ser uno de: {choices}."),
        metadata={"enum": list(RECURSOS)},
    )
    id = Entero(
        allow_none=True,
        load_default=None,
        metadata={"description": "El registro que cambia; null para una política nueva."},
    )
    cambios = fields.Dict(
        required=True,
        metadata={"description": "Los campos como en el PUT (o PATCH) de ese recurso."},
    )


class CambioPrecioSchema(Schema):
    id_apartamento = fields.Integer()
    apartamento = fields.String()
    precio_antes = Dinero()
    precio_despues = Dinero()


class VistaPreviaRespuestaSchema(Schema):
    data = fields.Nested(CambioPrecioSchema, many=True)
    meta = fields.Nested(Schema.from_dict({"total": fields.Integer()}, name="TotalSchema"))
