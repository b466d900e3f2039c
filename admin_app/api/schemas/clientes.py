"""Clientes as the API reads and writes them; the rules are services.clientes'."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from marshmallow.experimental.context import Context

from ...models import Cliente
from ...security import is_safe_path
from ...services import clientes as servicio
from ...services.errors import ValidationFailed
from ..pagination import PaginaQuerySchema
from .base import BodySchema
from .fields import Documento, Entero, EnteroEnTexto, Instante, Texto
from .inventario import CatalogoSchema, TipoDocumentoSchema

DOCUMENTO_LEN = Cliente.documento.type.length


class ClienteSchema(Schema):
    documento = fields.String()
    nombre = fields.String()
    id_tipo_cliente = fields.Integer()
    tipo_cliente = fields.Nested(CatalogoSchema)
    id_tipo_documento = fields.Integer()
    tipo_documento = fields.Nested(TipoDocumentoSchema)
    direccion = fields.String(allow_none=True)
    telefono = fields.String(allow_none=True)
    correo = fields.String(allow_none=True)
    created_at = Instante()
    updated_at = Instante()


class ClienteCambiosSchema(BodySchema):
    """PATCH: only the fields sent change."""

    documento = Documento(
        Cliente.documento, allow_none=True, metadata={"description": "Si se envía, el mismo."}
    )
    nombre = Texto(Cliente.nombre)
    id_tipo_cliente = Entero()
    id_tipo_documento = Entero()
    direccion = Texto(Cliente.direccion, allow_none=True)
    telefono = Texto(Cliente.telefono, allow_none=True)
    correo = Texto(Cliente.correo, allow_none=True, metadata={"format": "email"})

    def handle_error(self, error, data, *, many, **kwargs):
        """Every failing field in one 422: the service's rules too, on the fields
        whose type is right (a wrong type already explains its field)."""
        try:
            servicio.validar_datos_cliente(error.valid_data, cliente=Context.get({}).get("row"))
        except ValidationFailed as exc:
            for campo, mensajes in exc.errors.items():
                error.messages.setdefault(campo, mensajes)


class ClienteCompletoSchema(ClienteCambiosSchema):
    """PUT replaces: an optional field left out is cleared."""

    nombre = Texto(Cliente.nombre, required=True)
    id_tipo_cliente = Entero(required=True)
    id_tipo_documento = Entero(required=True)
    direccion = Texto(Cliente.direccion, allow_none=True, load_default=None)
    telefono = Texto(Cliente.telefono, allow_none=True, load_default=None)
    correo = Texto(Cliente.correo, allow_none=True, load_default=None, metadata={"format": "email"})


def _ruta_local(valor: str) -> None:
    if not is_safe_path(valor):
        raise ValidationError("Solo se admite una ruta de este sitio, ej. /admin/cliente/.")


class ClienteNuevoSchema(ClienteCompletoSchema):
    documento = Documento(
        Cliente.documento,
        required=True,
        metadata={"description": "Según su tipo: CC, NIT con dígito de verificación..."},
    )
    redirect = Texto(
        validate=_ruta_local,
        metadata={
            "description": "Ruta local (ej. /admin/cliente/) que se devuelve en meta.redirect; "
            "cualquier otra cosa es un 422 en `redirect`."
        },
    )


class ClienteCreadoSchema(Schema):
    data = fields.Nested(ClienteSchema)
    meta = fields.Nested(Schema.from_dict({"redirect": fields.String()}, name="RedirectSchema"))


class ClientesQuerySchema(PaginaQuerySchema):
    q = fields.String(
        metadata={
            "description": "Prefijo del documento (con o sin puntos) o palabras del nombre "
            "(sin importar tildes ni mayúsculas)."
        }
    )
    id_tipo_cliente = EnteroEnTexto(metadata={"description": "Solo de este tipo de cliente."})
    id_tipo_documento = EnteroEnTexto(metadata={"description": "Solo de este tipo de documento."})
    despues_de = Texto(
        validate=validate.Length(
            max=DOCUMENTO_LEN, error=f"Debe ser un documento (hasta {DOCUMENTO_LEN} caracteres)."
        ),
        metadata={
            "description": "Los clientes con documento posterior a este (el meta.siguiente de "
            "la página anterior), en lugar de page."
        },
    )

    @validates_schema
    def _page_or_cursor(self, data: dict, **kwargs) -> None:
        if data.get("despues_de") is not None and data["page"] != 1:
            raise ValidationError("Use page o despues_de, no los dos.", "despues_de")
