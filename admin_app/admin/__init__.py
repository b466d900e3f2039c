"""The Flask-Admin back office: init_admin(app) builds a fresh Admin per app."""

import os

from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from ..extensions import db
from ..models import (
    Apartamento,
    Aviso,
    Cliente,
    Cotizacion,
    EstadoInmueble,
    FormaPago,
    Local,
    MedioPago,
    Pago,
    Parqueadero,
    PlanPago,
    PoliticaPrecio,
    Proyecto,
    ReciboCaja,
    RegistroAcceso,
    TipoApartamento,
    TipoCliente,
    TipoDocumento,
    TipoParqueadero,
    Torre,
    Usuario,
    Venta,
)
from .accesos import RegistroAccesoView
from .apartamentos import ApartamentoView
from .autocomplete import AutocompleteView
from .avisos import AvisoView
from .bitacora import add_bitacora_views
from .catalogos import CatalogoView, ProyectoView, TipoDocumentoView, TorreView
from .clientes import ClienteView
from .comercial import add_comercial_views
from .documentos import DocumentosView, ReciboCajaView
from .home import HomeView
from .importar import ImportarClientesView
from .locales import LocalView
from .menu import MenuCache
from .pagos import PagoView
from .parqueaderos import ParqueaderoView
from .planes import CotizacionView, PlanPagoView
from .precios import PoliticaPrecioView, TipoApartamentoView
from .reportes import add_reportes_views
from .usuarios import UsuarioView
from .ventas import VentaView

CATALOGOS = "Catálogos"
PRECIOS = "Precios"


def init_admin(app: Flask) -> Admin:
    # A module-level Admin breaks on the second app (Flask-Admin #910).
    admin = Admin(
        app,
        name="Back office",
        url="/admin",
        index_view=HomeView(name="Inicio", url="/admin"),
        theme=Bootstrap4Theme(swatch="default", fluid=True),
        # Flask-Admin's own Spanish .mo lags its .po; ours is compiled from the .po.
        translations_path=os.path.join(os.path.dirname(__file__), "..", "translations"),
    )
    session = db  # Flask-Admin 2 takes the db object, not its session
    admin.add_view(ClienteView(Cliente, session, name="Clientes", endpoint="clientes"))
    admin.add_view(
        ApartamentoView(Apartamento, session, name="Apartamentos", endpoint="apartamentos")
    )
    admin.add_view(LocalView(Local, session, name="Locales", endpoint="locales"))
    admin.add_view(
        ParqueaderoView(Parqueadero, session, name="Parqueaderos", endpoint="parqueaderos")
    )
    admin.add_view(VentaView(Venta, session, name="Ventas y separaciones", endpoint="ventas"))
    admin.add_view(PagoView(Pago, session, name="Pagos", endpoint="pagos"))
    admin.add_view(ReciboCajaView(ReciboCaja, session, name="Recibos de caja", endpoint="recibos"))
    admin.add_view(DocumentosView(name="Documentos", endpoint="documentos", url="documentos"))
    admin.add_view(
        CotizacionView(Cotizacion, session, name="Cotizaciones", endpoint="cotizaciones")
    )
    admin.add_view(
        AutocompleteView(name="Autocompletar", endpoint="autocomplete", url="autocomplete")
    )

    admin.add_view(
        ProyectoView(Proyecto, session, name="Proyectos", endpoint="proyectos", category=CATALOGOS)
    )
    admin.add_view(TorreView(Torre, session, name="Torres", endpoint="torres", category=CATALOGOS))
    admin.add_view(
        TipoApartamentoView(
            TipoApartamento,
            session,
            name="Tipos de apartamento",
            endpoint="tipos_apartamento",
            category=PRECIOS,
        )
    )
    admin.add_view(
        PoliticaPrecioView(
            PoliticaPrecio,
            session,
            name="Políticas de precio",
            endpoint="politicas_precio",
            category=PRECIOS,
        )
    )
    admin.add_view(
        PlanPagoView(
            PlanPago, session, name="Planes de pago", endpoint="planes_pago", category=CATALOGOS
        )
    )
    for model, name, endpoint in (
        (TipoCliente, "Tipos de cliente", "tipos_cliente"),
        (EstadoInmueble, "Estados de inmueble", "estados_inmueble"),
        (FormaPago, "Formas de pago", "formas_pago"),
        (MedioPago, "Medios de pago", "medios_pago"),
        (TipoParqueadero, "Tipos de parqueadero", "tipos_parqueadero"),
    ):
        admin.add_view(
            CatalogoView(model, session, name=name, endpoint=endpoint, category=CATALOGOS)
        )
    admin.add_view(
        TipoDocumentoView(
            TipoDocumento,
            session,
            name="Tipos de documento",
            endpoint="tipos_documento",
            category=CATALOGOS,
        )
    )
    admin.add_view(UsuarioView(Usuario, session, name="Usuarios", endpoint="usuarios"))
    add_bitacora_views(admin, session)
    admin.add_view(AvisoView(Aviso, session, name="Avisos por correo", endpoint="avisos"))
    admin.add_view(
        RegistroAccesoView(
            RegistroAcceso, session, name="Registro de accesos", endpoint="registro_accesos"
        )
    )
    admin.add_view(ImportarClientesView(name="Importar clientes", endpoint="importar"))
    add_comercial_views(admin, session)
    add_reportes_views(admin)
    app.extensions["backoffice_admin"] = admin
    app.jinja_env.globals["menu_principal"] = MenuCache()
    return admin
