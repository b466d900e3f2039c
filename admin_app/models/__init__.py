"""The domain model, one module per aggregate."""

from .accesos import MotivoAcceso, RegistroAcceso
from .avisos import Aviso, EstadoAviso, IntentoAviso, TipoAviso
from .bitacora import Bitacora
from .catalogos import EstadoInmueble, FormaPago, MedioPago, TipoCliente, TipoDocumento
from .clientes import Cliente
from .conteos import ConteoCache
from .documentos import Consecutivo, ReciboCaja
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
    "Aviso",
    "EstadoAviso",
    "IntentoAviso",
    "MotivoAcceso",
    "RegistroAcceso",
    "TipoAviso",
    "AplicacionPago",
    "ApiToken",
    "Apartamento",
    "Bitacora",
    "Cliente",
    "ConceptoCuota",
    "Consecutivo",
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
    "ReciboCaja",
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
