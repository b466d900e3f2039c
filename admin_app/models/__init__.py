"""The domain model, one module per aggregate."""

from .bitacora import Bitacora
from .catalogos import (
    EstadoInmueble,
    FormaPago,
    MedioPago,
    TipoCliente,
    TipoDocumento,
    TipoParqueadero,
)
from .clientes import Cliente
from .conteos import ConteoCache
from .inmuebles import (
    Apartamento,
    HistorialPrecio,
    Local,
    MotivoPrecio,
    Parqueadero,
    PoliticaPrecio,
    Proyecto,
    TipoApartamento,
    Torre,
)
from .planes import (
    Cotizacion,
    CotizacionUnidad,
    DescuentoSobre,
    EstadoCotizacion,
    PlanPago,
    TipoDescuento,
    TipoPlan,
)
from .trabajos import EstadoTrabajo, Trabajo
from .usuarios import ApiToken, IntentoLogin, Rol, Sesion, Usuario
from .ventas import (
    AplicacionPago,
    ConceptoCuota,
    Cuota,
    EstadoOperacion,
    OperacionUnidad,
    Pago,
    RolUnidad,
    TipoOperacion,
    Venta,
)

__all__ = [
    "OperacionUnidad",
    "RolUnidad",
    "PoliticaPrecio",
    "TipoApartamento",
    "Cotizacion",
    "CotizacionUnidad",
    "DescuentoSobre",
    "EstadoCotizacion",
    "PlanPago",
    "TipoDescuento",
    "TipoPlan",
    "TipoParqueadero",
    "Parqueadero",
    "MotivoPrecio",
    "Local",
    "HistorialPrecio",
    "AplicacionPago",
    "ApiToken",
    "Apartamento",
    "Bitacora",
    "Cliente",
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
