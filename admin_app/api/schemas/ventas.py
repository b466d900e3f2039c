"""Ventas y separaciones, their plan and totals as the API shows them; the bodies
that create, convert and annul them (the rules are services.ventas')."""

from marshmallow import Schema, fields, validate

from ...formatting import today_bogota
from ...models import Cliente, ConceptoCuota, EstadoOperacion, RolUnidad, TipoOperacion, Venta
from ...services.estado_cuenta import resumen_venta
from ...services.ventas import TASA_MAXIMA
from ..pagination import PaginaQuerySchema
from .base import NullAsMissingBodySchema
from .clientes import ClienteSchema
from .fields import Calculado, Dinero, Entero, EnteroEnTexto, Fecha, Instante, Texto
from .inventario import ApartamentoSchema

TASA = {"example": "12.00", "description": 'Porcentaje anual efectivo: "12.00" es 12 %.'}


def _totales(venta: Venta):
    return resumen_venta(venta, today_bogota())


def _tipo_unidad(fila) -> str:
    if fila.id_apartamento is not None:
        return "apartamento"
    return "local" if fila.id_local is not None else "parqueadero"


class OperacionUnidadSchema(Schema):
    """One unit of the operation, with the price it was sold at (incluido: 0)."""

    rol = fields.String(metadata={"enum": list(RolUnidad.ALL)})
    tipo = fields.Function(
        _tipo_unidad, metadata={"type": "string", "enum": ["apartamento", "local", "parqueadero"]}
    )
    id_apartamento = fields.Integer(allow_none=True)
    id_local = fields.Integer(allow_none=True)
    id_parqueadero = fields.Integer(allow_none=True)
    precio = Dinero()
    vigente = fields.Boolean()


class OperacionUnidadDetalleSchema(OperacionUnidadSchema):
    descripcion = fields.Function(
        lambda fila: str(fila.unidad),
        metadata={"type": "string", "example": "Altos - Torre 1 - Vehículo P-001"},
    )


class VentaSchema(Schema):
    id = fields.Integer()
    tipo_operacion = fields.String(metadata={"enum": list(TipoOperacion.ALL)})
    estado_operacion = fields.String(metadata={"enum": list(EstadoOperacion.ALL)})
    documento_cliente = fields.String()
    id_apartamento = fields.Integer(
        allow_none=True, metadata={"description": "La unidad principal, si es un apartamento."}
    )
    id_local = fields.Integer(allow_none=True)
    id_parqueadero = fields.Integer(allow_none=True)
    unidades = fields.List(
        fields.Nested(OperacionUnidadSchema),
        metadata={"description": "Todas las unidades: la principal, adicionales e incluidas."},
    )
    id_forma_pago = fields.Integer(allow_none=True)
    fecha = Fecha()
    fecha_separacion = Fecha(allow_none=True)
    valor_total = Dinero()
    valor_separacion = Dinero()
    fecha_limite_separacion = Fecha(allow_none=True)
    cuota_inicial = Dinero(allow_none=True)
    plazo_cuota_inicial_meses = fields.Integer(allow_none=True)
    tasa_interes_anual = Dinero()
    observaciones = fields.String(allow_none=True)
    motivo_anulacion = fields.String(allow_none=True)
    precio_lista = Dinero(
        allow_none=True, metadata={"description": "Precio de lista del apartamento al hacerla."}
    )
    factor_precio = fields.Function(
        lambda venta: (
            None if venta.factor_precio is None else f"{venta.factor_precio.normalize():f}"
        ),
        metadata={"type": "string", "nullable": True, "example": "1.0353",
                  "description": "Factor de las políticas de precio que aplicaban."},
    )  # fmt: skip
    politicas_aplicadas = fields.String(
        allow_none=True, metadata={"description": "Las políticas que aplicaban, con su %."}
    )
    id_plan_pago = fields.Integer(allow_none=True)
    plan_nombre = fields.String(allow_none=True)
    frecuencia_meses = fields.Integer(allow_none=True)
    precio_bruto = Dinero(allow_none=True)
    descuento = Dinero(allow_none=True)
    id_asesor = fields.Integer(allow_none=True, metadata={"description": "Quién la vendió."})
    created_at = Instante()
    updated_at = Instante()


class TotalesSchema(Schema):
    total = Dinero()
    pagado = Dinero()
    pendiente = Dinero()
    vencido = Dinero()
    cuotas_vencidas = fields.Integer()


class VentaDetalleSchema(VentaSchema):
    cliente = fields.Nested(ClienteSchema)
    apartamento = fields.Nested(ApartamentoSchema, allow_none=True)
    unidades = fields.List(fields.Nested(OperacionUnidadDetalleSchema))
    totales = Calculado(TotalesSchema, _totales)


class CuotaSchema(Schema):
    id = fields.Integer()
    numero = fields.Integer()
    concepto = fields.String(metadata={"enum": list(ConceptoCuota.ALL)})
    fecha_vencimiento = Fecha()
    valor = Dinero()
    capital = Dinero()
    interes = Dinero()
    saldo = Dinero()
    valor_pagado = Dinero()
    pendiente = Dinero()
    estado = fields.Function(
        lambda cuota: cuota.estado(today_bogota()),
        metadata={"type": "string", "enum": ["Pendiente", "Parcial", "Pagada", "Vencida"]},
    )


class PlanSchema(Schema):
    id_venta = fields.Integer(attribute="id")
    cuotas = fields.List(fields.Nested(CuotaSchema))
    totales = Calculado(TotalesSchema, _totales)


class VentaNuevaSchema(NullAsMissingBodySchema):
    tipo_operacion = Texto(required=True, metadata={"enum": list(TipoOperacion.ALL)})
    documento_cliente = Texto(Cliente.documento, required=True)
    id_apartamento = Entero(
        allow_none=True,
        metadata={
            "description": "La unidad principal: uno de id_apartamento, id_local, id_parqueadero."
        },
    )
    id_local = Entero(allow_none=True)
    id_parqueadero = Entero(
        allow_none=True,
        metadata={
            "description": "Un parqueadero vendido solo (a quien ya tiene una unidad del proyecto)."
        },
    )
    adicionales = fields.List(
        Entero(),
        allow_none=True,
        metadata={"description": "Ids de parqueaderos adicionales del mismo proyecto."},
    )
    id_forma_pago = Entero(allow_none=True, metadata={"description": "Obligatoria en una venta."})
    fecha = Fecha(required=True)
    valor_total = Dinero(
        Venta.valor_total,
        allow_none=True,
        metadata={"description": "Por defecto, el precio de la unidad más sus adicionales."},
    )
    valor_separacion = Dinero(Venta.valor_separacion, allow_none=True)
    fecha_limite_separacion = Fecha(
        allow_none=True, metadata={"description": "Obligatoria en una separación."}
    )
    cuota_inicial = Dinero(
        Venta.cuota_inicial, allow_none=True, metadata={"description": "Obligatoria en una venta."}
    )
    plazo_cuota_inicial_meses = Entero(
        allow_none=True, metadata={"description": "Obligatorio en una venta."}
    )
    tasa_interes_anual = Dinero(maximo=TASA_MAXIMA, allow_none=True, metadata=TASA)
    observaciones = Texto(Venta.observaciones, allow_none=True)
    id_plan_pago = Entero(
        allow_none=True,
        metadata={
            "description": "Un plan de pago del proyecto: valor total, separación, cuota "
            "inicial, plazo y tasa salen de él."
        },
    )


class ConversionSchema(NullAsMissingBodySchema):
    cuota_inicial = Dinero(Venta.cuota_inicial, required=True)
    plazo_cuota_inicial_meses = Entero(required=True)
    id_forma_pago = Entero(required=True)
    tasa_interes_anual = Dinero(maximo=TASA_MAXIMA, allow_none=True, metadata=TASA)
    fecha = Fecha(allow_none=True, metadata={"description": "Por defecto, hoy (Bogotá)."})
    valor_total = Dinero(
        Venta.valor_total,
        allow_none=True,
        metadata={"description": "Por defecto, el de la separación."},
    )


class AnulacionSchema(NullAsMissingBodySchema):
    optional = True

    motivo = Texto(Venta.motivo_anulacion, allow_none=True)


def _uno_de(choices) -> validate.OneOf:
    return validate.OneOf(choices, error="Debe ser uno de: {choices}.")


class VentasQuerySchema(PaginaQuerySchema):
    documento_cliente = fields.String(metadata={"description": "Del cliente."})
    tipo_operacion = fields.String(validate=_uno_de(TipoOperacion.ALL))
    estado_operacion = fields.String(validate=_uno_de(EstadoOperacion.ALL))
    id_proyecto = EnteroEnTexto(metadata={"description": "De unidades de este proyecto."})
    fecha_desde = Fecha(metadata={"description": "Con fecha desde este día (incluido)."})
    fecha_hasta = Fecha(metadata={"description": "Con fecha hasta este día (incluido)."})
