"""Catálogos, proyectos and apartamentos as the API shows them."""

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields
from sqlalchemy import func, select

from ...extensions import db
from ...limites import (
    PISO_MAXIMO,
    PISO_MINIMO,
    PLAZO_MAXIMO_CUOTA_INICIAL_MESES,
    PLAZO_MAXIMO_SEPARACION_DIAS,
)
from ...models import Apartamento, EstadoInmueble, Proyecto, Torre
from ...services.inventario import AREA_MAXIMA, ESPACIOS_MAXIMO, NIVEL_MAXIMO
from ..pagination import PaginaQuerySchema
from .base import BodySchema
from .fields import Booleano, Dinero, Entero, EnteroEnTexto, Instante, Texto


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
    prima_altura_activa = fields.Boolean()
    prima_altura_base = Dinero()
    prima_altura_incremento = Dinero()
    torres = fields.List(fields.Nested(CatalogoSchema))


class ProyectoCambiosSchema(BodySchema):
    """PATCH: only the fields sent change."""

    nombre = Texto(Proyecto.nombre)
    ciudad = Texto(Proyecto.ciudad)
    porcentaje_cuota_inicial_min = Dinero(maximo=Decimal(100), metadata={"example": "30.00"})
    valor_min_separacion = Dinero(Proyecto.valor_min_separacion)
    plazo_max_cuota_inicial_meses = Entero(maximo=PLAZO_MAXIMO_CUOTA_INICIAL_MESES)
    plazo_max_separacion_dias = Entero(maximo=PLAZO_MAXIMO_SEPARACION_DIAS)
    activo = Booleano()
    prima_altura_activa = Booleano()
    prima_altura_base = Dinero(Proyecto.prima_altura_base)
    prima_altura_incremento = Dinero(Proyecto.prima_altura_incremento)


class ProyectoNuevoSchema(ProyectoCambiosSchema):
    nombre = Texto(Proyecto.nombre, required=True)
    ciudad = Texto(Proyecto.ciudad, required=True)
    porcentaje_cuota_inicial_min = Dinero(
        maximo=Decimal(100), load_default=Decimal("30.00"), metadata={"example": "30.00"}
    )
    valor_min_separacion = Dinero(Proyecto.valor_min_separacion, required=True)
    plazo_max_cuota_inicial_meses = Entero(maximo=PLAZO_MAXIMO_CUOTA_INICIAL_MESES, required=True)
    plazo_max_separacion_dias = Entero(maximo=PLAZO_MAXIMO_SEPARACION_DIAS, required=True)


class TorreSchema(Schema):
    id = fields.Integer()
    id_proyecto = fields.Integer()
    nombre = fields.String()
    nivel_inicio_prima = fields.Integer()
    created_at = Instante()
    updated_at = Instante()


class TorreCambiosSchema(BodySchema):
    nombre = Texto(Torre.nombre)
    nivel_inicio_prima = Entero(
        minimo=0, maximo=NIVEL_MAXIMO, metadata={"description": "Primer piso con prima de altura."}
    )


class TorreNuevaSchema(TorreCambiosSchema):
    id_proyecto = Entero(required=True)
    nombre = Texto(Torre.nombre, required=True)
    nivel_inicio_prima = Entero(minimo=0, maximo=NIVEL_MAXIMO, load_default=2)


class TorresQuerySchema(PaginaQuerySchema):
    id_proyecto = EnteroEnTexto(metadata={"description": "Solo de este proyecto."})


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
    id_tipo_apartamento = fields.Integer(allow_none=True)
    precio_base = Dinero()
    id_estado_inmueble = fields.Integer()
    estado = fields.String(attribute="estado.nombre", metadata={"example": "Disponible"})
    documento_cliente = fields.String(allow_none=True)


class ApartamentoCambiosSchema(BodySchema):
    """PATCH: only the fields sent change; the price follows (services/precios.py)."""

    numero = Texto(Apartamento.numero)
    piso = Entero(minimo=PISO_MINIMO, maximo=PISO_MAXIMO)
    area_m2 = Dinero(maximo=AREA_MAXIMA, metadata={"example": "60.50"})
    habitaciones = Entero(minimo=0, maximo=ESPACIOS_MAXIMO)
    banos = Entero(minimo=0, maximo=ESPACIOS_MAXIMO)
    id_tipo_apartamento = Entero(
        allow_none=True, metadata={"description": "Con tipo, el precio base es su valor estimado."}
    )
    precio_base = Dinero(
        Apartamento.precio_base, metadata={"description": "Sin tipo: el precio base escrito."}
    )


class ApartamentoNuevoSchema(ApartamentoCambiosSchema):
    id_torre = Entero(required=True)
    numero = Texto(Apartamento.numero, required=True)
    piso = Entero(minimo=PISO_MINIMO, maximo=PISO_MAXIMO, required=True)
    area_m2 = Dinero(maximo=AREA_MAXIMA, required=True, metadata={"example": "60.50"})
    habitaciones = Entero(minimo=0, maximo=ESPACIOS_MAXIMO, required=True)
    banos = Entero(minimo=0, maximo=ESPACIOS_MAXIMO, required=True)


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
