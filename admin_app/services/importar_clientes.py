"""Import clientes from a CSV or XLSX in the export's format.

analizar() reads the file and decides, row by row, what would happen (create,
update, unchanged, rejected and why) with the same rules as the form
(validar_datos_cliente), telling its progress to an optional callback;
aplicar() writes the valid rows of the file or of a batch of it (bulk insert,
one query per chunk to find existing documentos) and flushes, never commits.
A bad file raises ArchivoInvalido and nothing is read further. The background
job that runs both, in batches, is admin_app.jobs.importar_clientes.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter
from sqlalchemy import insert, select

from .. import audit
from ..documentos import DocumentoInvalido, normalize_documento
from ..extensions import db
from ..hojas import FORMULA_STARTS, csv_chunks, neutralize
from ..models import Cliente, TipoCliente, TipoDocumento
from ..models.base import utcnow
from ..text import fold
from .clientes import CAMPOS, CAMPOS_EDITABLES, validar_datos_cliente
from .errors import ServiceError, ValidationFailed

# Export header (folded) -> column of the file we read.
COLUMNAS = {
    "documento": "documento",
    "nombre": "nombre",
    "tipo de cliente": "tipo_cliente",
    "tipo de documento": "tipo_documento",
    "direccion": "direccion",
    "telefono": "telefono",
    "correo": "correo",
}
ENCABEZADOS = {
    "documento": "Documento",
    "nombre": "Nombre",
    "tipo_cliente": "Tipo de cliente",
    "tipo_documento": "Tipo de documento",
    "direccion": "Dirección",
    "telefono": "Teléfono",
    "correo": "Correo",
}
OBLIGATORIAS = ("documento", "nombre", "tipo_cliente", "tipo_documento")
MAX_BYTES = 15 * 1024 * 1024
MAX_FILAS = 100_000
MAX_XLSX_DESCOMPRIMIDO = 300 * 1024 * 1024  # a zip bomb stops here
LOTE = 900  # under SQLite's limit of bound parameters per statement
# The export prefixes these with a quote so spreadsheets keep them as text.

CREAR = "crear"
ACTUALIZAR = "actualizar"
SIN_CAMBIOS = "sin_cambios"
RECHAZAR = "rechazar"

CAMPO_LABEL = {
    "documento": "Documento",
    "nombre": "Nombre",
    "id_tipo_cliente": "Tipo de cliente",
    "id_tipo_documento": "Tipo de documento",
    "direccion": "Dirección",
    "telefono": "Teléfono",
    "correo": "Correo",
}


class ArchivoInvalido(ValidationFailed):
    """The file as a whole cannot be imported; the message says why, in Spanish."""

    def __init__(self, message: str) -> None:
        super().__init__(message, {"archivo": [message]})


@dataclass
class Fila:
    numero: int  # as the spreadsheet numbers it (the header is row 1)
    valores: dict[str, str]
    accion: str = RECHAZAR
    errores: list[str] = field(default_factory=list)
    datos: dict | None = None
    # Fields already reported while reading the row; the validator's words for them are dropped.
    campos_con_error: set[str] = field(default_factory=set)


@dataclass
class Analisis:
    columnas: list[str]
    ignoradas: list[str]
    filas: list[Fila]
    actualizar: bool
    catalogos: tuple = ()
    existentes: dict[str, Cliente] = field(default_factory=dict)

    def contar(self, accion: str) -> int:
        return sum(1 for fila in self.filas if fila.accion == accion)

    @property
    def rechazadas(self) -> list[Fila]:
        return [fila for fila in self.filas if fila.accion == RECHAZAR]


# -- reading --------------------------------------------------------------------------
def leer_archivo(nombre: str, contenido: bytes) -> list[list]:
    """The rows of the file (header first), or ArchivoInvalido."""
    revisar_tamano(contenido)
    extension = nombre.rsplit(".", 1)[-1].lower() if "." in nombre else ""
    if extension == "xlsx" or contenido[:4] == b"PK\x03\x04":
        return _leer_xlsx(contenido)
    if extension in ("xls", "ods", "pdf", "doc", "docx") or contenido[:8] == (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    ):
        raise ArchivoInvalido(
            "El archivo no es una hoja de cálculo que se pueda leer: use CSV o Excel "
            "(.xlsx). Un .xls antiguo se puede guardar como .xlsx desde Excel."
        )
    return _leer_csv(contenido)


def revisar_tamano(contenido: bytes) -> None:
    """The checks that need no reading: done at once, before the file is kept."""
    if not contenido:
        raise ArchivoInvalido("El archivo está vacío.")
    if len(contenido) > MAX_BYTES:
        raise ArchivoInvalido(
            f"El archivo es demasiado grande (máximo {MAX_BYTES // (1024 * 1024)} MB); "
            "divídalo en varios archivos."
        )


def _leer_csv(contenido: bytes) -> list[list]:
    if b"\x00" in contenido[:4096]:
        raise ArchivoInvalido(
            "El archivo no es una hoja de cálculo CSV ni Excel (.xlsx); revise que sea "
            "el archivo correcto."
        )
    try:
        texto = contenido.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ArchivoInvalido(
            "El archivo no está en codificación UTF-8 (las tildes y la ñ se leerían mal). "
            "En Excel use «Guardar como» → «CSV UTF-8 (delimitado por comas)», "
            "o suba el archivo .xlsx."
        ) from None
    primera = texto.split("\n", 1)[0]
    delimitador = max((",", ";", "\t"), key=primera.count)
    filas = list(csv.reader(io.StringIO(texto, newline=""), delimiter=delimitador))
    _limite_filas(len(filas))
    for numero, fila in enumerate(filas, start=1):
        for columna, celda in enumerate(fila):
            if celda.startswith("="):
                raise ArchivoInvalido(_formula(numero, columna))
    return filas


def _leer_xlsx(contenido: bytes) -> list[list]:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(contenido)) as archivo:
            if sum(info.file_size for info in archivo.infolist()) > MAX_XLSX_DESCOMPRIMIDO:
                raise ArchivoInvalido(
                    "El archivo de Excel es demasiado grande; divídalo en varios archivos."
                )
        libro = openpyxl.load_workbook(io.BytesIO(contenido), read_only=True, data_only=False)
    except ArchivoInvalido:
        raise
    except Exception:  # noqa: BLE001 - any parser failure means the same to the user
        raise ArchivoInvalido(
            "El archivo no es un Excel (.xlsx) válido o está dañado; ábralo en Excel y "
            "guárdelo de nuevo, o expórtelo como CSV UTF-8."
        ) from None
    try:
        hoja = libro.worksheets[0]
        filas = []
        for numero, celdas in enumerate(hoja.iter_rows(), start=1):
            _limite_filas(numero)
            fila = []
            for columna, celda in enumerate(celdas):
                if celda.data_type == "f":
                    raise ArchivoInvalido(_formula(numero, columna))
                fila.append(celda.value)
            filas.append(fila)
        return filas
    finally:
        libro.close()


def _limite_filas(cantidad: int) -> None:
    if cantidad > MAX_FILAS + 1:
        raise ArchivoInvalido(
            f"El archivo tiene más de {MAX_FILAS:,} filas".replace(",", ".")
            + "; divídalo en varios archivos."
        )


def _formula(numero: int, columna: int) -> str:
    return (
        f"La celda {get_column_letter(columna + 1)}{numero} contiene una fórmula; "
        "no se importan fórmulas. "
        "Copie la hoja y péguela «solo valores» antes de subirla."
    )


def _texto(valor) -> str:
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return "Sí" if valor else "No"
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)  # Excel stores 1020304050 as a number
    texto = str(valor).strip()
    if texto.startswith("'") and texto[1:2] and texto[1:].startswith(FORMULA_STARTS):
        texto = texto[1:]  # the export's guard against formulas, undone
    return texto


# -- analysing ------------------------------------------------------------------------
def _columnas(encabezado: list) -> tuple[dict[int, str], list[str]]:
    posiciones: dict[int, str] = {}
    ignoradas = []
    for posicion, titulo in enumerate(encabezado):
        texto = _texto(titulo)
        columna = COLUMNAS.get(fold(texto))
        if columna is None:
            if texto:
                ignoradas.append(texto)
            continue
        if columna in posiciones.values():
            raise ArchivoInvalido(f"La columna «{ENCABEZADOS[columna]}» está repetida.")
        posiciones[posicion] = columna
    faltan = [ENCABEZADOS[c] for c in OBLIGATORIAS if c not in posiciones.values()]
    if faltan:
        raise ArchivoInvalido(
            "Faltan columnas: "
            + ", ".join(faltan)
            + ". La primera fila debe tener los encabezados de la exportación de clientes: "
            + ", ".join(ENCABEZADOS.values())
            + "."
        )
    return posiciones, ignoradas


def _catalogos() -> tuple[dict[str, TipoCliente], dict[str, TipoDocumento]]:
    # Objects, not ids: holding them keeps them in the session's identity map,
    # so the validator's session.get() of each row finds them without a query.
    tipos_cliente = {fold(t.nombre): t for t in db.session.scalars(select(TipoCliente))}
    # Codes first: a name never takes the place of a code (rows saved before
    # names and codes were kept apart may still have a name equal to a code).
    tipos = db.session.scalars(select(TipoDocumento).order_by(TipoDocumento.id)).all()
    tipos_documento: dict[str, TipoDocumento] = {}
    for texto in (lambda t: t.codigo, lambda t: str(t), lambda t: t.nombre):
        for tipo in tipos:
            tipos_documento.setdefault(fold(texto(tipo)), tipo)
    return tipos_cliente, tipos_documento


Progreso = Callable[[int, int], None]  # (rows checked, rows in all)


def analizar(
    nombre: str, contenido: bytes, *, actualizar: bool, progreso: Progreso | None = None
) -> Analisis:
    filas_crudas = leer_archivo(nombre, contenido)
    if not filas_crudas:
        raise ArchivoInvalido("El archivo está vacío.")
    posiciones, ignoradas = _columnas(filas_crudas[0])
    tipos_cliente, tipos_documento = _catalogos()

    filas: list[Fila] = []
    for numero, crudas in enumerate(filas_crudas[1:], start=2):
        valores = {
            columna: _texto(crudas[p]) if p < len(crudas) else ""
            for p, columna in posiciones.items()
        }
        if not any(valores.values()):
            continue  # blank lines at the end of a sheet
        filas.append(_preparar(numero, valores, tipos_cliente, tipos_documento))
    if not filas:
        raise ArchivoInvalido("El archivo no tiene filas de clientes debajo de los encabezados.")

    analisis = Analisis(
        columnas=[c for c in ENCABEZADOS if c in posiciones.values()],
        ignoradas=ignoradas,
        filas=filas,
        actualizar=actualizar,
        catalogos=(tipos_cliente, tipos_documento),
    )
    analisis.existentes = _existentes([f.datos["documento"] for f in filas if f.datos])
    _validar(analisis, progreso)
    return analisis


def _preparar(numero, valores, tipos_cliente, tipos_documento) -> Fila:
    fila = Fila(numero=numero, valores=valores)
    datos = {
        "documento": valores["documento"],
        "nombre": valores["nombre"],
        "id_tipo_cliente": None,
        "id_tipo_documento": None,
    }
    tipo_cliente = tipos_cliente.get(fold(valores["tipo_cliente"]))
    if tipo_cliente is not None:
        datos["id_tipo_cliente"] = tipo_cliente.id
    for columna in ("direccion", "telefono", "correo"):
        if columna in valores:
            datos[columna] = valores[columna] or None
    tipo_documento = tipos_documento.get(fold(valores["tipo_documento"]))
    if valores["tipo_cliente"] and datos["id_tipo_cliente"] is None:
        fila.errores.append(f"Tipo de cliente desconocido: «{valores['tipo_cliente']}».")
        fila.campos_con_error.add("id_tipo_cliente")
    if valores["tipo_documento"] and tipo_documento is None:
        fila.errores.append(f"Tipo de documento desconocido: «{valores['tipo_documento']}».")
        fila.campos_con_error.add("id_tipo_documento")
    if tipo_documento is not None:
        datos["id_tipo_documento"] = tipo_documento.id
        try:
            # The stored form of the key (the form's own rule), to find it among
            # the existing clients with one query per chunk.
            datos["documento"] = normalize_documento(tipo_documento.codigo, valores["documento"])
        except DocumentoInvalido as exc:
            fila.errores.append(f"Documento: {exc}")
            fila.campos_con_error.add("documento")
    fila.datos = datos
    return fila


def _existentes(documentos: list[str]) -> dict[str, Cliente]:
    encontrados: dict[str, Cliente] = {}
    unicos = sorted(set(documentos))
    for inicio in range(0, len(unicos), LOTE):
        lote = unicos[inicio : inicio + LOTE]
        for cliente in db.session.scalars(select(Cliente).where(Cliente.documento.in_(lote))):
            encontrados[cliente.documento] = cliente
    return encontrados


def _validar(analisis: Analisis, progreso: Progreso | None = None) -> None:
    vistos: dict[str, int] = {}
    total = len(analisis.filas)
    for hechas, fila in enumerate(analisis.filas):
        if progreso is not None and hechas % 500 == 0:
            progreso(hechas, total)
        datos = fila.datos
        existente = analisis.existentes.get(datos["documento"])
        if existente is not None and not analisis.actualizar:
            fila.errores.append(
                "Ya existe un cliente con este documento; marque «Actualizar clientes "
                "existentes» para actualizarlo."
            )
        try:
            # A new row is checked as an edit of a blank client with its (already
            # valid) key: the service's per-row lookup of the documento is the one
            # query per row that _existentes did for the whole file.
            base = existente or Cliente(
                documento=datos["documento"], id_tipo_documento=datos["id_tipo_documento"]
            )
            limpio = validar_datos_cliente(datos, cliente=base)
        except ServiceError as exc:
            fila.errores.extend(
                f"{CAMPO_LABEL.get(campo, campo)}: {mensaje}"
                for campo, mensajes in exc.errors.items()
                if campo not in fila.campos_con_error
                for mensaje in mensajes
            )
            limpio = None
        if fila.errores or limpio is None:
            fila.datos = None
            continue
        anterior = vistos.get(limpio["documento"])
        if anterior is not None:
            fila.errores.append(
                f"Documento repetido en el archivo (ya está en la fila {anterior})."
            )
            fila.datos = None
            continue
        vistos[limpio["documento"]] = fila.numero
        fila.datos = limpio
        if existente is None:
            fila.accion = CREAR
        elif all(getattr(existente, c) == limpio[c] for c in CAMPOS_EDITABLES):
            fila.accion = SIN_CAMBIOS
        else:
            fila.accion = ACTUALIZAR


# -- writing -------------------------------------------------------------------------
def aplicar(analisis: Analisis, filas: Iterable[Fila] | None = None) -> tuple[int, int]:
    """Create and update the valid rows (of `filas`, a batch, or of the whole file);
    flush, never commit. (creados, actualizados)."""
    filas = list(analisis.filas if filas is None else filas)
    ahora = utcnow()
    nuevas = [
        {
            **{campo: fila.datos[campo] for campo in CAMPOS},
            "nombre_busqueda": fold(fila.datos["nombre"]),
            "created_at": ahora,
            "updated_at": ahora,
            "version": 1,
        }
        for fila in filas
        if fila.accion == CREAR
    ]
    for inicio in range(0, len(nuevas), 5000):
        # Core executemany: no unit of work for tens of thousands of rows, so the
        # bitacora entries are written here rather than by the flush listener.
        lote = nuevas[inicio : inicio + 5000]
        db.session.execute(insert(Cliente), lote)
        audit.registrar(
            db.session,
            audit.CREAR,
            Cliente.__tablename__,
            {fila["documento"]: {c: [None, fila[c]] for c in CAMPOS} for fila in lote},
        )
    actualizados = 0
    por_actualizar = [fila for fila in filas if fila.accion == ACTUALIZAR]
    # Read again: a batch runs in a later transaction than the analysis.
    existentes = _existentes([fila.datos["documento"] for fila in por_actualizar])
    for fila in por_actualizar:
        cliente = existentes.get(fila.datos["documento"])
        if cliente is None:  # deleted since the analysis
            continue
        for campo in CAMPOS_EDITABLES:
            if getattr(cliente, campo) != fila.datos[campo]:
                setattr(cliente, campo, fila.datos[campo])
        actualizados += 1
    db.session.flush()
    return len(nuevas), actualizados


def reporte_rechazos(analisis: Analisis, *, despues_de: int = 0, previo: bytes = b"") -> bytes:
    """CSV of the rejected rows and why, written as the exports are (BOM, no formulas).

    A resumed import passes the report of the run before and the last row it
    saved: rows up to there keep the verdict they had then."""
    columnas = list(ENCABEZADOS)
    anteriores = []
    if despues_de and previo:
        lector = csv.reader(io.StringIO(previo.decode("utf-8-sig"), newline=""))
        next(lector, None)
        anteriores = [fila for fila in lector if int(fila[0]) <= despues_de]
    nuevas = (
        [
            str(fila.numero),
            *(neutralize(fila.valores.get(c, "")) for c in columnas),
            neutralize(" ".join(fila.errores)),
        ]
        for fila in analisis.rechazadas
        if fila.numero > despues_de
    )
    filas = itertools.chain(anteriores, nuevas)
    return b"".join(csv_chunks(["Fila", *ENCABEZADOS.values(), "Motivos"], filas))
