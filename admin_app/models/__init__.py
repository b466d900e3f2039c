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
    Proyecto,
    Torre,
)
from .planes import (
    Cotizacion,
    CotizacionUnidad,
    DescuentoSobre,
    EstadoCotizacion,
    PlanPago,
    RolUnidad,
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
    Pago,
    TipoOperacion,
    Venta,
)

__all__ = [
    "Cotizacion",
    "CotizacionUnidad",
    "DescuentoSobre",
    "EstadoCotizacion",
    "PlanPago",
    "RolUnidad",
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
