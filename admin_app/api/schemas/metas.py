"""Metas and their cumplimiento as the API shows and takes them."""

from marshmallow import Schema, fields, validate

from ...models import Meta, TipoMeta
from ..pagination import PaginaQuerySchema
from .base import BodySchema, QuerySchema
from .fields import Dinero, Entero, EnteroEnTexto, Instante, Texto


def _uno_de(choices) -> validate.OneOf:
    return validate.OneOf(choices, error="Debe ser uno de: {choices}.")


class MetaMensualSchema(Schema):
    id = fields.Integer()
    id_proyecto = fields.Integer(allow_none=True, metadata={"description": "null: todos."})
    id_usuario = fields.Integer(allow_none=True, metadata={"description": "null: todo el equipo."})
    anio = fields.Integer()
    mes = fields.Integer()
    tipo = fields.String(metadata={"enum": list(TipoMeta.ALL)})
    meta = Dinero()
    created_at = Instante()
    updated_at = Instante()


class MetaNuevaSchema(BodySchema):
    id_proyecto = Entero(allow_none=True, metadata={"description": "null: todos los proyectos."})
    id_usuario = Entero(allow_none=True, metadata={"description": "null: todo el equipo."})
    anio = Entero(minimo=2000, maximo=2200, required=True)
    mes = Entero(minimo=1, maximo=12, required=True)
    tipo = Texto(required=True, validate=_uno_de(TipoMeta.ALL))
    meta = Dinero(Meta.meta, required=True, metadata={"description": "Mayor que cero."})


class MetaCambiosSchema(BodySchema):
    id_proyecto = Entero(allow_none=True)
    id_usuario = Entero(allow_none=True)
    anio = Entero(minimo=2000, maximo=2200)
    mes = Entero(minimo=1, maximo=12)
    tipo = Texto(validate=_uno_de(TipoMeta.ALL))
    meta = Dinero(Meta.meta)


class MetasQuerySchema(PaginaQuerySchema):
    anio = EnteroEnTexto(minimo=2000, maximo=2200)
    mes = EnteroEnTexto(minimo=1, maximo=12)
    id_usuario = EnteroEnTexto()


class CumplimientoQuerySchema(QuerySchema):
    anio = EnteroEnTexto(
        minimo=2000, maximo=2200, required=True, error_messages={"required": "Indique el año."}
    )
    mes = EnteroEnTexto(
        minimo=1, maximo=12, required=True, error_messages={"required": "Indique el mes."}
    )


class CumplimientoSchema(Schema):
    id_meta = fields.Function(lambda c: c.meta.id)
    id_proyecto = fields.Function(lambda c: c.meta.id_proyecto, allow_none=True)
    id_usuario = fields.Function(lambda c: c.meta.id_usuario, allow_none=True)
    tipo = fields.Function(lambda c: c.meta.tipo, metadata={"enum": list(TipoMeta.ALL)})
    meta = fields.Function(lambda c: f"{c.meta.meta:.2f}", metadata={"type": "string"})
    real = fields.Function(lambda c: f"{c.real:.2f}", metadata={"type": "string"})
    porcentaje = fields.Function(
        lambda c: f"{c.porcentaje:.1f}",
        metadata={"type": "string", "description": 'Cumplimiento en %, "85.0".'},
    )
    alerta = fields.Boolean(metadata={"description": "true: por debajo del 80 %."})


class CumplimientoRespuestaSchema(Schema):
    anio = fields.Integer()
    mes = fields.Integer()
    data = fields.Nested(CumplimientoSchema, many=True)
