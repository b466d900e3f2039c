"""Reportes de cartera, recaudo y calendario as the API shows them (the figures
come from admin_app.reportes)."""

from marshmallow import Schema, fields, validate

from .base import QuerySchema
from .fields import Dinero, EnteroEnTexto, Fecha

TRAMOS = {
    "d1_30": "1 a 30 días de vencida",
    "d31_60": "31 a 60 días",
    "d61_90": "61 a 90 días",
    "d90": "más de 90 días",
}


class CarteraQuerySchema(QuerySchema):
    fecha = Fecha(metadata={"description": "Fecha de corte (por defecto, hoy en Bogotá)."})
    proyecto = EnteroEnTexto(metadata={"description": "Id del proyecto."})
    agrupar = fields.String(
        validate=validate.OneOf(
            ("proyecto", "asesor", "cliente"), error="Debe ser proyecto, asesor o cliente."
        ),
        load_default="proyecto",
    )


class RecaudoQuerySchema(QuerySchema):
    desde = Fecha(required=True)
    hasta = Fecha(required=True)
    agrupar = fields.String(
        validate=validate.OneOf(("mes", "semana", "dia"), error="Debe ser mes, semana o dia."),
        load_default="mes",
    )
    proyecto = EnteroEnTexto(metadata={"description": "Id del proyecto."})


class CalendarioQuerySchema(QuerySchema):
    desde = Fecha(required=True)
    hasta = Fecha(required=True)
    proyecto = EnteroEnTexto(metadata={"description": "Id del proyecto."})


class TramosSchema(Schema):
    d1_30 = Dinero(metadata={"description": TRAMOS["d1_30"]})
    d31_60 = Dinero(metadata={"description": TRAMOS["d31_60"]})
    d61_90 = Dinero(metadata={"description": TRAMOS["d61_90"]})
    d90 = Dinero(metadata={"description": TRAMOS["d90"]})


class FilaCarteraSchema(Schema):
    clave = fields.String(metadata={"description": "Id del proyecto o documento del cliente."})
    nombre = fields.String()
    tramos = fields.Nested(TramosSchema)
    total = Dinero()
    cuotas = fields.Integer()


class CarteraSchema(Schema):
    fecha = Fecha()
    agrupar = fields.String()
    filas = fields.List(fields.Nested(FilaCarteraSchema))
    totales = fields.Nested(TramosSchema)
    total = Dinero()
    cuotas = fields.Integer()


class FilaRecaudoSchema(Schema):
    inicio = Fecha()
    etiqueta = fields.String()
    por_medio = fields.Dict(keys=fields.String(), values=Dinero())
    total = Dinero()
    pagos = fields.Integer()


class RecaudoSchema(Schema):
    desde = Fecha()
    hasta = Fecha()
    agrupar = fields.String()
    medios = fields.List(fields.String())
    filas = fields.List(fields.Nested(FilaRecaudoSchema))
    por_proyecto = fields.Dict(keys=fields.String(), values=Dinero())
    totales = fields.Dict(keys=fields.String(), values=Dinero())
    total = Dinero()
    pagos = fields.Integer()


class FilaCalendarioSchema(Schema):
    anio = fields.Integer()
    mes = fields.Integer()
    programado = fields.Dict(keys=fields.String(), values=Dinero())
    pendiente = fields.Dict(keys=fields.String(), values=Dinero())
    total_programado = Dinero()
    total_pendiente = Dinero()


class ProyectoCalendarioSchema(Schema):
    programado = Dinero()
    pendiente = Dinero()


class CalendarioSchema(Schema):
    desde = Fecha()
    hasta = Fecha()
    conceptos = fields.List(fields.String())
    filas = fields.List(fields.Nested(FilaCalendarioSchema))
    por_proyecto = fields.Dict(keys=fields.String(), values=fields.Nested(ProyectoCalendarioSchema))
    total_programado = Dinero()
    total_pendiente = Dinero()
