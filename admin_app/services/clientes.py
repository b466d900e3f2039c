"""Clientes: validation, creation, update and deletion rules (docs/dominio.md).

The admin and the API both call these; they flush, never commit. A duplicate
documento that slips past the check (two clerks at once) surfaces as an
IntegrityError at flush or commit, which admin_app.integrity maps to the
documento field.
"""

from sqlalchemy import func, select
from wtforms.validators import ValidationError

from ..extensions import db
from ..models import Apartamento, Cliente, TipoCliente, TipoDocumento, Venta
from ..validators import (
    Correo,
    DocumentoValido,
    LongitudMaxima,
    Obligatorio,
    Telefono,
    TextoVisible,
)
from .errors import Conflict, Errores

CAMPOS_EDITABLES = (
    "nombre",
    "id_tipo_cliente",
    "id_tipo_documento",
    "direccion",
    "telefono",
    "correo",
)
CAMPOS = ("documento", *CAMPOS_EDITABLES)

DOCUMENTO_DUPLICADO = "Ya existe un cliente con este documento."
DOCUMENTO_INMUTABLE = "El documento no se puede modificar; cree un cliente nuevo si es otro."
NO_ES_TEXTO = "Debe ser un texto."

# Field -> the validators of its text, in order (lengths from the model's columns).
_REGLAS_TEXTO = {
    "documento": (Obligatorio(), LongitudMaxima(Cliente.documento.type.length)),
    "nombre": (Obligatorio(), TextoVisible(), LongitudMaxima(Cliente.nombre.type.length)),
    "direccion": (TextoVisible(), LongitudMaxima(Cliente.direccion.type.length)),
    "telefono": (LongitudMaxima(Cliente.telefono.type.length), Telefono()),
    "correo": (LongitudMaxima(Cliente.correo.type.length), Correo()),
}
_TIPOS = {
    "id_tipo_cliente": (TipoCliente, "Seleccione un tipo de cliente de la lista."),
    "id_tipo_documento": (TipoDocumento, "Seleccione un tipo de documento de la lista."),
}
_documento_valido = DocumentoValido()


def _texto(campo: str, valor, errores: Errores):
    if isinstance(valor, int) and not isinstance(valor, bool) and campo == "documento":
        valor = str(valor)  # JSON clients send document numbers as numbers
    if valor is not None and not isinstance(valor, str):
        errores.add(campo, NO_ES_TEXTO)
        return None
    try:
        for regla in _REGLAS_TEXTO[campo]:
            valor = regla.check(valor)
    except ValidationError as exc:
        errores.add(campo, str(exc))
        return None
    if isinstance(valor, str):
        valor = valor.strip()
    return valor or None


def _catalogo(campo: str, valor, errores: Errores):
    model, mensaje = _TIPOS[campo]
    if valor is None or (isinstance(valor, str) and not valor.strip()):
        errores.add(campo, "Este campo es obligatorio.")
        return None
    try:
        ident = int(valor)
    except (TypeError, ValueError):
        ident = None
    fila = (
        db.session.get(model, ident) if ident is not None and not isinstance(valor, bool) else None
    )
    if fila is None:
        errores.add(campo, mensaje)
    return fila


def _consistencia(tipo_cliente: TipoCliente, tipo_documento: TipoDocumento) -> str | None:
    codigo, nombre = tipo_documento.codigo.upper(), tipo_cliente.nombre
    if codigo == "NIT" and nombre != TipoCliente.PERSONA_JURIDICA:
        return (
            "Un NIT identifica a una Persona Jurídica: elija ese tipo de cliente "
            "o un tipo de documento de persona natural."
        )
    if codigo == "CC" and nombre != TipoCliente.PERSONA_NATURAL:
        return (
            "La cédula de ciudadanía identifica a una Persona Natural: elija ese tipo "
            "de cliente o, para una empresa, el NIT."
        )
    return None


def validar_datos_cliente(datos: dict, *, cliente: Cliente | None = None) -> dict:
    """The normalized values of documento and CAMPOS_EDITABLES, or ValidationFailed
    with every failing field. With `cliente` (an update) missing keys keep its values
    and documento must stay the same."""
    if cliente is not None:
        datos = {campo: datos.get(campo, getattr(cliente, campo)) for campo in CAMPOS}
    errores = Errores()
    limpio: dict = {}
    for campo in ("nombre", "direccion", "telefono", "correo"):
        limpio[campo] = _texto(campo, datos.get(campo), errores)
    tipo_cliente = _catalogo("id_tipo_cliente", datos.get("id_tipo_cliente"), errores)
    tipo_documento = _catalogo("id_tipo_documento", datos.get("id_tipo_documento"), errores)
    limpio["id_tipo_cliente"] = tipo_cliente.id if tipo_cliente else None
    limpio["id_tipo_documento"] = tipo_documento.id if tipo_documento else None
    if cliente is None:
        limpio["documento"] = _documento_nuevo(datos.get("documento"), tipo_documento, errores)
    else:
        limpio["documento"] = _documento_existente(
            cliente, datos.get("documento"), tipo_documento, errores
        )
    if tipo_cliente is not None and tipo_documento is not None:
        mensaje = _consistencia(tipo_cliente, tipo_documento)
        if mensaje:
            errores.add("id_tipo_cliente", mensaje)
    errores.raise_if_any("Revise los campos marcados.")
    return {campo: limpio[campo] for campo in CAMPOS}


def _documento_nuevo(valor, tipo_documento, errores: Errores) -> str | None:
    documento = _texto("documento", valor, errores)
    if documento is None or tipo_documento is None:
        return None
    try:
        documento = _documento_valido.check(documento, tipo_documento.codigo)
    except ValidationError as exc:
        errores.add("documento", str(exc))
        return None
    if db.session.get(Cliente, documento) is not None:
        errores.add("documento", DOCUMENTO_DUPLICADO)
    return documento


def _documento_existente(cliente, valor, tipo_documento, errores: Errores) -> str:
    """The key never changes: any other number is refused, whatever sent it."""
    if valor is not None and valor != cliente.documento:
        mismo = isinstance(valor, str) and valor.strip().upper() == cliente.documento
        if not mismo and tipo_documento is not None:
            try:
                mismo = _documento_valido.check(valor, tipo_documento.codigo) == cliente.documento
            except ValidationError:
                mismo = False
        if not mismo:
            errores.add("documento", DOCUMENTO_INMUTABLE)
    if tipo_documento is not None and tipo_documento.id != cliente.id_tipo_documento:
        # A new tipo must fit the number already stored.
        try:
            _documento_valido.check(cliente.documento, tipo_documento.codigo)
        except ValidationError as exc:
            errores.add(
                "id_tipo_documento",
                f"El documento {cliente.documento} no corresponde a este tipo: {exc}",
            )
    return cliente.documento


def crear_cliente(datos: dict) -> Cliente:
    limpio = validar_datos_cliente(datos)
    cliente = Cliente(**limpio)
    db.session.add(cliente)
    db.session.flush()
    return cliente


def actualizar_cliente(cliente: Cliente, datos: dict) -> Cliente:
    limpio = validar_datos_cliente(datos, cliente=cliente)
    for campo in CAMPOS_EDITABLES:
        if getattr(cliente, campo) != limpio[campo]:
            setattr(cliente, campo, limpio[campo])
    db.session.flush()
    return cliente


def _plural(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def motivos_no_eliminables(documentos: list[str]) -> dict[str, str]:
    """documento -> why that client must be kept, for the ones that must (two queries)."""
    if not documentos:
        return {}
    ventas = dict(
        db.session.execute(
            select(Venta.documento_cliente, func.count())
            .where(Venta.documento_cliente.in_(documentos))
            .group_by(Venta.documento_cliente)
        ).all()
    )
    apartamentos = dict(
        db.session.execute(
            select(Apartamento.documento_cliente, func.count())
            .where(Apartamento.documento_cliente.in_(documentos))
            .group_by(Apartamento.documento_cliente)
        ).all()
    )
    motivos = {}
    for documento in documentos:
        partes = []
        if ventas.get(documento):
            partes.append(
                "tiene " + _plural(ventas[documento], "venta o separación", "ventas o separaciones")
            )
        if apartamentos.get(documento):
            partes.append(
                "es propietario de "
                + _plural(apartamentos[documento], "apartamento", "apartamentos")
            )
        if partes:
            motivos[documento] = " y ".join(partes)
    return motivos


def motivo_no_eliminable(cliente: Cliente) -> str | None:
    """Why the client must be kept (its sales, its apartments), or None."""
    return motivos_no_eliminables([cliente.documento]).get(cliente.documento)


def eliminar_cliente(cliente: Cliente) -> None:
    motivo = motivo_no_eliminable(cliente)
    if motivo:
        raise Conflict(f"No se puede eliminar a {cliente}: {motivo}.")
    db.session.delete(cliente)
    db.session.flush()
