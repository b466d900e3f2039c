"""Estados de cuenta as the API shows them (the figures come from admin_app.reportes)."""

from marshmallow import Schema, fields

from .base import QuerySchema
from .fields import Dinero, Fecha


class EstadoCuentaQuerySchema(QuerySchema):
    fecha = Fecha(metadata={"description": "Fecha de corte (por defecto, hoy en Bogotá)."})


class LineaPlanSchema(Schema):
    numero = fields.Integer()
    concepto = fields.String()
    fecha_vencimiento = Fecha()
    valor = Dinero()
    pagado = Dinero()
    pendiente = Dinero()
    estado = fields.String(metadata={"description": "Pendiente, Parcial, Pagada o Vencida."})


class LineaPagoSchema(Schema):
    id = fields.Integer()
    fecha = Fecha()
    valor = Dinero()
    medio_pago = fields.String()
    referencia = fields.String(allow_none=True)
    recibo = fields.Integer(allow_none=True, metadata={"description": "Número del recibo de caja."})


class EstadoCuentaVentaSchema(Schema):
    id_venta = fields.Integer()
    tipo = fields.String()
    estado = fields.String()
    fecha_operacion = Fecha()
    cliente = fields.String()
    documento_cliente = fields.String()
    unidades = fields.List(fields.String())
    valor_total = Dinero()
    fecha = Fecha(metadata={"description": "Fecha de corte."})
    total = Dinero()
    pagado = Dinero()
    pendiente = Dinero()
    vencido = Dinero()
    cuotas_vencidas = fields.Integer()
    plan = fields.List(fields.Nested(LineaPlanSchema))
    pagos = fields.List(fields.Nested(LineaPagoSchema))


class EstadoCuentaClienteSchema(Schema):
    documento = fields.String()
    nombre = fields.String()
    fecha = Fecha(metadata={"description": "Fecha de corte."})
    total = Dinero(metadata={"description": "De las operaciones vigentes."})
    pagado = Dinero()
    pendiente = Dinero()
    vencido = Dinero()
    operaciones = fields.List(fields.Nested(EstadoCuentaVentaSchema))
