"""The domain model, one module per aggregate."""

from .bitacora import Bitacora
from .catalogos import EstadoInmueble, FormaPago, MedioPago, TipoCliente, TipoDocumento
from .clientes import Cliente
from .comisiones import (
    Comision,
    EstadoComision,
    EstadoLiquidacion,
    Liquidacion,
    Meta,
    PoliticaComision,
    TipoComision,
    TipoMeta,
)
from .conteos import ConteoCache
from .inmuebles import Apartamento, Proyecto, Torre
from .trabajos import EstadoTrabajo, Trabajo
from .usuarios import ApiToken, IntentoLogin, Rol, Sesion, Usuario
from .ventas import (
    AplicacionPago,
    ConceptoCuota,
    Cuota,
    EstadoOperacion,
    Pago,
    TipoOperacion,
    Venta,
)

__all__ = [
    "AplicacionPago",
    "ApiToken",
    "Apartamento",
    "Bitacora",
    "Cliente",
    "Comision",
    "EstadoComision",
    "EstadoLiquidacion",
    "Liquidacion",
    "Meta",
    "PoliticaComision",
    "TipoComision",
    "TipoMeta",
    "ConceptoCuota",
    "ConteoCache",
    "Cuota",
    "EstadoInmueble",
    "EstadoOperacion",
    "EstadoTrabajo",
    "FormaPago",
    "IntentoLogin",
    "MedioPago",
    "Pago",
    "Proyecto",
    "Rol",
    "Sesion",
    "TipoCliente",
    "TipoDocumento",
    "TipoOperacion",
    "Torre",
    "Trabajo",
    "Usuario",
    "Venta",
]
