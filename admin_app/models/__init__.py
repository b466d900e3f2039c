"""The domain model, one module per aggregate."""

from .accesos import MotivoAcceso, RegistroAcceso
from .avisos import Aviso, EstadoAviso, IntentoAviso, TipoAviso
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
from .documentos import Consecutivo, ReciboCaja
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
    "Comision",
    "EstadoComision",
    "EstadoLiquidacion",
    "Liquidacion",
    "Meta",
    "PoliticaComision",
    "TipoComision",
    "TipoMeta",
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
