"""Políticas de comisión, comisiones and liquidaciones as the API shows and takes them."""

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ...models import EstadoComision, EstadoLiquidacion, Liquidacion, TipoComision
from ..pagination import PaginaQuerySchema
from .base import BodySchema, NullAsMissingBodySchema
from .fields import Dinero, Entero, EnteroEnTexto, Fecha, Instante, Texto


class Porcentaje(Dinero):
    """A percentage, "3.50" is 3.5 %; from 0 to 100 with at most two decimals."""

    def __init__(self, **kwargs) -> None:
        metadata = {"example": "3.00", "description": 'Porcentaje: "3.00" es 3 %.'}
        super().__init__(maximo=Decimal("100.00"), metadata=metadata, **kwargs)

    RANGO = "El porcentaje debe estar entre 0 y 100."

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            valor = super()._deserialize(value, attr, data, **kwargs)
        except ValidationError as exc:
            if any("entre" in m for m in exc.messages):
                raise ValidationError(self.RANGO) from None
            raise
        if valor < 0:
            raise ValidationError(self.RANGO)
        return valor


def _uno_de(choices) -> validate.OneOf:
    return validate.OneOf(choices, error="Debe ser uno de: {choices}.")


class PoliticaSchema(Schema):
    id = fields.Integer()
    id_proyecto = fields.Integer()
    id_usuario = fields.Integer()
    tipo = fields.String(metadata={"enum": list(TipoComision.ALL)})
    porcentaje = Dinero()
    vigente_desde = fields.Date()
    vigente_hasta = fields.Date(allow_none=True)
    created_at = Instante()
    updated_at = Instante()


class PoliticaNuevaSchema(BodySchema):
    id_proyecto = Entero(required=True)
    id_usuario = Entero(required=True)
    tipo = Texto(required=True, validate=_uno_de(TipoComision.ALL))
    porcentaje = Porcentaje(required=True)
    vigente_desde = Fecha(required=True)
    vigente_hasta = Fecha(allow_none=True, metadata={"description": "null: sin fin."})


class PoliticaCambiosSchema(BodySchema):
    """PATCH: only the fields sent change."""

    id_proyecto = Entero()
    id_usuario = Entero()
    tipo = Texto(validate=_uno_de(TipoComision.ALL))
    porcentaje = Porcentaje()
    vigente_desde = Fecha()
    vigente_hasta = Fecha(allow_none=True)


class PoliticasQuerySchema(PaginaQuerySchema):
    id_usuario = EnteroEnTexto()
    id_proyecto = EnteroEnTexto()


class ComisionSchema(Schema):
    id = fields.Integer()
    id_venta = fields.Integer()
    id_usuario = fields.Integer(metadata={"description": "El beneficiario."})
    beneficiario = fields.Function(lambda c: c.usuario.nombre_completo, dump_only=True)
    id_proyecto = fields.Integer()
    id_politica = fields.Integer(allow_none=True)
    id_liquidacion = fields.Integer(allow_none=True)
    tipo = fields.String(metadata={"enum": list(TipoComision.ALL)})
    es_ajuste = fields.Boolean(
        metadata={"description": "Ajuste (quizá negativo) a una comisión ya liquidada."}
    )
    estado = fields.String(metadata={"enum": list(EstadoComision.ALL)})
    fecha = fields.Date()
    base = Dinero()
    porcentaje = Dinero()
    valor = Dinero()


class ComisionesQuerySchema(PaginaQuerySchema):
    beneficiario = EnteroEnTexto(metadata={"description": "Id del usuario beneficiario."})
    proyecto = EnteroEnTexto(metadata={"description": "Id del proyecto."})
    estado = fields.String(validate=_uno_de(EstadoComision.ALL))
    desde = Fecha(metadata={"description": "Causadas desde este día (incluido)."})
    hasta = Fecha(metadata={"description": "Causadas hasta este día (incluido)."})


class FiltrosLiquidacionSchema(BodySchema):
    beneficiario = Entero()
    proyecto = Entero()
    desde = Fecha()
    hasta = Fecha()


class LiquidacionNuevaSchema(NullAsMissingBodySchema):
    ids = fields.List(
        Entero(),
        validate=validate.Length(min=1, max=10000, error="Envíe entre 1 y 10000 ids."),
        metadata={"description": "Las comisiones causadas a liquidar."},
    )
    filtros = fields.Nested(
        FiltrosLiquidacionSchema,
        metadata={"description": "O bien: todas las causadas que cumplan estos filtros."},
    )
    fecha = Fecha(allow_none=True, metadata={"description": "Por defecto, hoy (Bogotá)."})

    @validates_schema
    def _una_seleccion(self, data, **kwargs):
        if ("ids" in data) == ("filtros" in data):
            raise ValidationError("Envíe ids o filtros (uno de los dos).", "ids")


class PagoLiquidacionSchema(BodySchema):
    fecha = Fecha(required=True)
    referencia = Texto(Liquidacion.referencia, required=True)


class LiquidacionSchema(Schema):
    id = fields.Integer()
    numero = fields.String()
    fecha = fields.Date()
    estado = fields.String(metadata={"enum": list(EstadoLiquidacion.ALL)})
    total = Dinero()
    fecha_pago = fields.Date(allow_none=True)
    referencia = fields.String(allow_none=True)
    id_usuario = fields.Integer(metadata={"description": "Quién la liquidó."})
    cantidad = fields.Function(lambda liq: len(liq.comisiones), dump_only=True)
    created_at = Instante()
