"""Planes de pago, their simulation, and cotizaciones as the API shows and takes them
(the rules are services.planes_pago's and services.cotizaciones')."""

from decimal import Decimal

from marshmallow import Schema, fields, validate

from ...formatting import today_bogota
from ...models import (
    Cliente,
    ConceptoCuota,
    Cotizacion,
    DescuentoSobre,
    EstadoCotizacion,
    PlanPago,
    TipoDescuento,
    TipoOperacion,
    TipoPlan,
    Venta,
)
from ...models.planes import FRECUENCIAS
from ...services.cotizaciones import cuotas_de, resumen_de
from ..pagination import PaginaQuerySchema
from .base import BodySchema, NullAsMissingBodySchema
from .fields import Calculado, Dinero, Entero, EnteroEnTexto, Fecha, Instante, Texto

CIEN = Decimal("100")
PORCENTAJE = {"example": "30.00", "description": 'Porcentaje: "30.00" es 30 %.'}


class Booleano(fields.Boolean):
    default_error_messages = {"invalid": "Debe ser true o false."}


def _uno_de(choices) -> validate.OneOf:
    return validate.OneOf(choices, error="Debe ser uno de: {choices}.")


class PlanPagoSchema(Schema):
    id = fields.Integer()
    id_proyecto = fields.Integer()
    nombre = fields.String()
    tipo = fields.String(metadata={"enum": list(TipoPlan.ALL)})
    valor_separacion = Dinero()
    porcentaje_cuota_inicial = Dinero()
    plazo_meses = fields.Integer()
    frecuencia_meses = fields.Integer(metadata={"enum": list(FRECUENCIAS)})
    porcentaje_escritura = Dinero()
    descuento_tipo = fields.String(allow_none=True, metadata={"enum": [*TipoDescuento.ALL, None]})
    descuento_valor = Dinero()
    descuento_sobre = fields.String(allow_none=True, metadata={"enum": [*DescuentoSobre.ALL, None]})
    tasa_interes_anual = Dinero()
    beneficio = fields.String(allow_none=True)
    activo = fields.Boolean()
    created_at = Instante()
    updated_at = Instante()


class _PlanCampos(BodySchema):
    nombre = Texto(PlanPago.nombre)
    tipo = Texto(validate=_uno_de(TipoPlan.ALL), metadata={"enum": list(TipoPlan.ALL)})
    valor_separacion = Dinero(PlanPago.valor_separacion)
    porcentaje_cuota_inicial = Dinero(maximo=CIEN, metadata=PORCENTAJE)
    plazo_meses = Entero(maximo=120, metadata={"description": "Contado: por defecto 1."})
    frecuencia_meses = Entero(
        maximo=6,
        metadata={"description": "1, 2, 3 o 6 meses entre cuotas (mensual: 1)."},
    )
    porcentaje_escritura = Dinero(
        maximo=CIEN,
        allow_none=True,
        metadata={"description": "100 menos el de la cuota inicial (por defecto)."},
    )
    descuento_tipo = Texto(
        allow_none=True,
        validate=_uno_de(TipoDescuento.ALL),
        metadata={"enum": list(TipoDescuento.ALL)},
    )
    descuento_valor = Dinero(
        PlanPago.descuento_valor,
        allow_none=True,
        metadata={"description": "Pesos (valor) o porcentaje."},
    )
    descuento_sobre = Texto(
        allow_none=True,
        validate=_uno_de(DescuentoSobre.ALL),
        metadata={"enum": list(DescuentoSobre.ALL)},
    )
    tasa_interes_anual = Dinero(maximo=CIEN, allow_none=True, metadata=PORCENTAJE)
    beneficio = Texto(PlanPago.beneficio, allow_none=True)
    activo = Booleano()


class PlanPagoNuevoSchema(_PlanCampos):
    id_proyecto = Entero(required=True)

    def on_bind_field(self, field_name, field_obj) -> None:
        super().on_bind_field(field_name, field_obj)
        if field_name in ("nombre", "tipo", "porcentaje_cuota_inicial"):
            field_obj.required = True


class PlanPagoCambiosSchema(_PlanCampos):
    """Only the fields sent change; null removes a discount or the benefit."""


class PlanesQuerySchema(PaginaQuerySchema):
    proyecto = EnteroEnTexto(metadata={"description": "Solo los planes de este proyecto."})
    activo = fields.Boolean(metadata={"description": "true: solo los activos."})


class SimularSchema(NullAsMissingBodySchema):
    fecha = Fecha(allow_none=True, metadata={"description": "Por defecto, hoy (Bogotá)."})
    precio_bruto = Dinero(
        Venta.valor_total,
        allow_none=True,
        metadata={"description": "En lugar de unidades: un precio bruto."},
    )
    id_apartamento = Entero(allow_none=True)
    id_local = Entero(allow_none=True)
    id_parqueadero = Entero(allow_none=True)
    adicionales = fields.List(
        Entero(),
        allow_none=True,
        validate=validate.Length(max=20, error="Como máximo 20 parqueaderos adicionales."),
        metadata={"description": "Parqueaderos adicionales (ids)."},
    )


class ResumenSchema(Schema):
    precio_bruto = Dinero()
    descuento = Dinero()
    valor_total = Dinero()
    cuota_inicial = Dinero()
    valor_separacion = Dinero()
    saldo_cuota_inicial = Dinero()
    saldo_final = Dinero()
    plazo_meses = fields.Integer()
    frecuencia_meses = fields.Integer()
    numero_cuotas = fields.Integer()
    tasa_interes_anual = Dinero()
    porcentaje_cuota_inicial = Dinero()


class CuotaPlanSchema(Schema):
    numero = fields.Integer()
    concepto = fields.String(metadata={"enum": list(ConceptoCuota.ALL)})
    fecha_vencimiento = Fecha()
    valor = Dinero()
    capital = Dinero()
    interes = Dinero()
    saldo = Dinero()


class UnidadSchema(Schema):
    clase = fields.String(metadata={"enum": ["apartamento", "local", "parqueadero"]})
    id = fields.Integer()
    descripcion = fields.String()
    rol = fields.String(metadata={"enum": ["principal", "adicional"]})
    precio = Dinero()


class SimulacionSchema(Schema):
    id_plan_pago = fields.Integer()
    fecha = Fecha()
    resumen = fields.Nested(ResumenSchema)
    cuotas = fields.List(fields.Nested(CuotaPlanSchema))
    unidades = fields.List(fields.Nested(UnidadSchema))


# --- cotizaciones -----------------------------------------------------------------


class ProspectoSchema(BodySchema):
    nombre = Texto(Cotizacion.prospecto_nombre, required=True)
    telefono = Texto(Cotizacion.prospecto_telefono, allow_none=True)
    correo = Texto(Cotizacion.prospecto_correo, allow_none=True)


def _unidades(cotizacion: Cotizacion) -> list[dict]:
    return [
        {
            "clase": u.clase.lower(),
            "id": u.unidad.id,
            "descripcion": str(u.unidad),
            "rol": u.rol,
            "precio": u.precio,
        }
        for u in cotizacion.unidades
    ]


def _prospecto(cotizacion: Cotizacion):
    if cotizacion.prospecto_nombre is None:
        return None
    return {
        "nombre": cotizacion.prospecto_nombre,
        "telefono": cotizacion.prospecto_telefono,
        "correo": cotizacion.prospecto_correo,
    }


class ProspectoRespuestaSchema(Schema):
    nombre = fields.String()
    telefono = fields.String(allow_none=True)
    correo = fields.String(allow_none=True)


class CotizacionSchema(Schema):
    id = fields.Integer()
    numero = fields.Integer()
    fecha = Fecha()
    valida_hasta = Fecha()
    estado = fields.Function(
        lambda c: c.estado(today_bogota()),
        metadata={"type": "string", "enum": list(EstadoCotizacion.ALL)},
    )
    id_proyecto = fields.Integer()
    documento_cliente = fields.String(allow_none=True)
    nombre_cliente = fields.String()
    prospecto = Calculado(ProspectoRespuestaSchema, _prospecto, allow_none=True)
    id_plan_pago = fields.Integer()
    plan_nombre = fields.String()
    plan_tipo = fields.String(metadata={"enum": list(TipoPlan.ALL)})
    unidades = Calculado(UnidadSchema, _unidades, many=True)
    precio_bruto = Dinero()
    descuento = Dinero()
    valor_total = Dinero()
    cuota_inicial = Dinero()
    valor_separacion = Dinero()
    plazo_meses = fields.Integer()
    frecuencia_meses = fields.Integer()
    tasa_interes_anual = Dinero()
    id_usuario = fields.Integer(allow_none=True)
    id_venta = fields.Integer(allow_none=True)
    created_at = Instante()


class CotizacionDetalleSchema(CotizacionSchema):
    resumen = Calculado(ResumenSchema, resumen_de)
    cuotas = Calculado(CuotaPlanSchema, cuotas_de, many=True)


class CotizacionNuevaSchema(NullAsMissingBodySchema):
    id_plan_pago = Entero(required=True)
    id_apartamento = Entero(allow_none=True)
    id_local = Entero(allow_none=True)
    id_parqueadero = Entero(allow_none=True)
    adicionales = fields.List(
        Entero(),
        allow_none=True,
        validate=validate.Length(max=20, error="Como máximo 20 parqueaderos adicionales."),
    )
    documento_cliente = Texto(Cliente.documento, allow_none=True)
    prospecto = fields.Nested(ProspectoSchema, allow_none=True)
    fecha = Fecha(
        allow_none=True, metadata={"description": "Hoy por defecto; hasta 30 días atrás."}
    )
    valida_hasta = Fecha(
        allow_none=True,
        metadata={"description": "Por defecto, la fecha más los días de vigencia del proyecto."},
    )


class CotizacionesQuerySchema(PaginaQuerySchema):
    id_proyecto = EnteroEnTexto(metadata={"description": "Del proyecto."})
    id_usuario = EnteroEnTexto(metadata={"description": "Del asesor que la hizo."})
    documento_cliente = fields.String(metadata={"description": "Del cliente."})
    estado = fields.String(validate=_uno_de(EstadoCotizacion.ALL))
    q = fields.String(metadata={"description": "Número, documento o nombre del prospecto."})


class ConvertirSchema(NullAsMissingBodySchema):
    tipo_operacion = Texto(
        required=True,
        validate=_uno_de(TipoOperacion.ALL),
        metadata={"enum": list(TipoOperacion.ALL)},
    )
    fecha = Fecha(allow_none=True, metadata={"description": "Por defecto, hoy (Bogotá)."})
    fecha_limite_separacion = Fecha(
        allow_none=True, metadata={"description": "Obligatoria en una separación."}
    )
    id_forma_pago = Entero(allow_none=True, metadata={"description": "Obligatoria en una venta."})
    documento_cliente = Texto(
        Cliente.documento,
        allow_none=True,
        metadata={"description": "Para una cotización de un prospecto ya registrado."},
    )
    observaciones = Texto(Venta.observaciones, allow_none=True)
