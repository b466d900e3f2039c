"""Catálogos, proyectos and apartamentos as the API shows them."""

from marshmallow import Schema, ValidationError, fields
from sqlalchemy import func, select

from ...extensions import db
from ...models import Apartamento, EstadoInmueble
from ..pagination import PaginaQuerySchema
from .fields import Dinero, EnteroEnTexto


class CatalogoSchema(Schema):
    id = fields.Integer()
    nombre = fields.String()


class TipoDocumentoSchema(CatalogoSchema):
    codigo = fields.String()


class CatalogosSchema(Schema):
    tipos_cliente = fields.List(fields.Nested(CatalogoSchema))
    tipos_documento = fields.List(fields.Nested(TipoDocumentoSchema))
    estados_inmueble = fields.List(fields.Nested(CatalogoSchema))
    formas_pago = fields.List(fields.Nested(CatalogoSchema))
    medios_pago = fields.List(fields.Nested(CatalogoSchema))


class ProyectoSchema(Schema):
    id = fields.Integer()
    nombre = fields.String()
    ciudad = fields.String()
    porcentaje_cuota_inicial_min = Dinero()
    valor_min_separacion = Dinero()
    plazo_max_cuota_inicial_meses = fields.Integer()
    plazo_max_separacion_dias = fields.Integer()
    activo = fields.Boolean()
    torres = fields.List(fields.Nested(CatalogoSchema))


class ApartamentoSchema(Schema):
    id = fields.Integer()
    id_torre = fields.Integer()
    torre = fields.Nested(CatalogoSchema)
    id_proyecto = fields.Integer(attribute="torre.id_proyecto")
    proyecto = fields.Nested(CatalogoSchema, attribute="torre.proyecto")
    numero = fields.String()
    piso = fields.Integer()
    area_m2 = Dinero()
    habitaciones = fields.Integer()
    banos = fields.Integer()
    precio = Dinero()
    id_estado_inmueble = fields.Integer()
    estado = fields.String(attribute="estado.nombre", metadata={"example": "Disponible"})
    documento_cliente = fields.String(allow_none=True)


class EstadoInmuebleField(fields.String):
    """An estado by name (Disponible, Separado...), regardless of case: its id."""

    def _deserialize(self, value, attr, data, **kwargs):
        nombre = value.strip()
        if not nombre:
            return None
        estado = select(EstadoInmueble.id).where(
            func.lower(EstadoInmueble.nombre) == nombre.lower()
        )
        ident = db.session.scalar(estado)
        if ident is None:
            nombres = db.session.scalars(select(EstadoInmueble.nombre).order_by(EstadoInmueble.id))
            raise ValidationError("Debe ser uno de: " + ", ".join(nombres) + ".")
        return ident


class ApartamentosQuerySchema(PaginaQuerySchema):
    id_proyecto = EnteroEnTexto(metadata={"description": "Solo de este proyecto."})
    id_torre = EnteroEnTexto(metadata={"description": "Solo de esta torre."})
    estado = EstadoInmuebleField(
        metadata={
            "description": "Nombre del estado del inmueble (Disponible, Separado, Vendido, "
            "Bloqueado), sin importar mayúsculas.",
            "example": "Disponible",
        }
    )
    precio_min = Dinero(Apartamento.precio, metadata={"description": "Precio mínimo."})
    precio_max = Dinero(Apartamento.precio, metadata={"description": "Precio máximo."})
