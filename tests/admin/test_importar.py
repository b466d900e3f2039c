"""Import clientes: upload -> preview -> confirm -> report of rejected rows.

TestConfig runs the jobs at once (JOBS_INLINE); tests/jobs runs them in a
thread and on RQ."""

import csv
import io
import re

import openpyxl
import pytest

from admin_app.extensions import db
from admin_app.models import Bitacora, Cliente, TipoDocumento
from admin_app.services import importar_clientes
from tests import factories

HEADERS = [
    "Documento",
    "Nombre",
    "Tipo de cliente",
    "Tipo de documento",
    "Dirección",
    "Teléfono",
    "Correo",
]
ANA = ["1020304050", "Ana Gómez", "Persona Natural", "CC", "Calle 10 # 20-30", "3001234567", ""]
CONSTRUCTORA = [
    "900.123.456-8",
    "Constructora Andina S.A.S.",
    "Persona Jurídica",
    "Número de Identificación Tributaria",
    "",
    "",
    "info@andina.co",
]
MALA = ["12AB", "Pedro Ruiz", "Persona Natural", "CC", "", "", "no-es-correo"]


def csv_bytes(rows, headers=HEADERS, encoding="utf-8-sig", delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    libro = openpyxl.Workbook()
    hoja = libro.active
    hoja.append(headers)
    for row in rows:
        hoja.append(row)
    buffer = io.BytesIO()
    libro.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, filename="clientes.csv", actualizar=False):
    data = {"archivo": (io.BytesIO(content), filename)}
    if actualizar:
        data["actualizar"] = "1"
    return client.post("/admin/importar/", data=data, content_type="multipart/form-data")


def preview(client, content, **kwargs):
    response = upload(client, content, **kwargs)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"], client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def confirm(client, preview_url: str):
    trabajo = preview_url.rstrip("/").rsplit("/", 1)[-1]
    return client.post(f"/admin/importar/{trabajo}/confirmar"), trabajo


def clientes() -> dict[str, Cliente]:
    db.session.expire_all()
    return {c.documento: c for c in db.session.scalars(db.select(Cliente))}


def test_the_preview_says_row_by_row_what_would_happen(admin_client, db):
    _url, html = preview(admin_client, csv_bytes([ANA, CONSTRUCTORA, MALA]))

    assert re.search(r"Se crearán: <b>2</b>", html)
    assert re.search(r"Rechazadas: <b>1</b>", html)
    assert "Documento: La cédula de ciudadanía solo puede tener dígitos." in html
    assert "Correo:" in html
    assert "Constructora Andina S.A.S." in html


def test_the_preview_changes_nothing(admin_client, db):
    preview(admin_client, csv_bytes([ANA, CONSTRUCTORA]))

    assert clientes() == {}


def test_confirming_saves_the_valid_rows(admin_client, db):
    url, _html = preview(admin_client, csv_bytes([ANA, CONSTRUCTORA, MALA]))

    response, _token = confirm(admin_client, url)

    assert response.status_code == 302
    saved = clientes()
    assert set(saved) == {"1020304050", "900123456-8"}
    assert saved["1020304050"].direccion == "Calle 10 # 20-30"
    assert saved["900123456-8"].id_tipo_cliente == 2
    assert saved["1020304050"].nombre_busqueda == "ana gomez"


def test_imported_clientes_are_in_the_bitacora(admin_client, db):
    url, _html = preview(admin_client, csv_bytes([ANA]))
    confirm(admin_client, url)

    entry = db.session.scalars(db.select(Bitacora).where(Bitacora.tabla == "clientes")).one()
    assert (entry.actor, entry.accion, entry.registro) == ("admin", "crear", "1020304050")
    assert entry.cambios["nombre"] == [None, "Ana Gómez"]


def test_the_rejected_rows_report_lists_each_row_and_why(admin_client, db):
    url, _html = preview(admin_client, csv_bytes([ANA, MALA]))
    _response, token = confirm(admin_client, url)

    result = admin_client.get(f"/admin/importar/{token}").get_data(as_text=True)
    report = admin_client.get(f"/admin/importar/{token}/rechazos.csv")

    assert "Clientes creados: <b>1</b>" in result
    rows = list(csv.reader(io.StringIO(report.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Fila" and rows[0][-1] == "Motivos"
    assert rows[1][0] == "3" and rows[1][1] == "12AB"
    assert "solo puede tener dígitos" in rows[1][-1]
    assert len(rows) == 2


def test_an_existing_cliente_is_rejected_unless_updating_is_chosen(admin_client, db):
    factories.cliente(documento="1020304050", nombre="Ana Vieja")
    db.session.commit()

    _url, html = preview(admin_client, csv_bytes([ANA]))

    assert "Rechazadas: <b>1</b>" in html
    assert "marque «Actualizar clientes existentes»" in html


def test_updating_existing_clientes_when_chosen(admin_client, db):
    factories.cliente(documento="1020304050", nombre="Ana Vieja")
    db.session.commit()

    url, html = preview(admin_client, csv_bytes([ANA]), actualizar=True)
    assert "Se actualizarán: <b>1</b>" in html
    confirm(admin_client, url)

    cliente = clientes()["1020304050"]
    assert (cliente.nombre, cliente.telefono) == ("Ana Gómez", "3001234567")


def test_a_repeated_documento_in_the_file_is_rejected_once(admin_client, db):
    _url, html = preview(admin_client, csv_bytes([ANA, ANA]))

    assert "Documento repetido en el archivo (ya está en la fila 2)." in html


def test_a_digitador_may_import(digitador_client, db):
    url, _html = preview(digitador_client, xlsx_bytes([ANA]), filename="clientes.xlsx")
    confirm(digitador_client, url)

    assert set(clientes()) == {"1020304050"}


def test_another_user_cannot_confirm_an_import(admin_client, digitador_client, db):
    url, _html = preview(digitador_client, csv_bytes([ANA]))

    response, _token = confirm(admin_client, url)

    assert response.status_code == 404
    assert clientes() == {}


def test_the_csv_export_round_trips(admin_client, db):
    factories.cliente(documento="1020304050", nombre="Ana Gómez", telefono="+57 3001234567")
    factories.cliente(
        juridica=True, documento="900123456-8", nombre="Andina S.A.S.", correo="a@andina.co"
    )
    db.session.commit()
    exported = admin_client.get("/admin/clientes/export/csv/", buffered=True).get_data()
    before = {
        d: (c.nombre, c.id_tipo_cliente, c.id_tipo_documento, c.telefono, c.correo)
        for d, c in clientes().items()
    }
    db.session.execute(db.delete(Cliente))
    db.session.commit()

    url, _html = preview(admin_client, exported)
    confirm(admin_client, url)

    after = {
        d: (c.nombre, c.id_tipo_cliente, c.id_tipo_documento, c.telefono, c.correo)
        for d, c in clientes().items()
    }
    assert after == before


def test_an_xlsx_in_the_export_format_imports(admin_client, db):
    rows = [[1020304050, "Ana Gómez", "Persona Natural", "CC", None, 3001234567, None]]

    url, html = preview(admin_client, xlsx_bytes(rows), filename="clientes.xlsx")
    confirm(admin_client, url)

    assert clientes()["1020304050"].telefono == "3001234567"


def _formula_xlsx() -> bytes:
    return xlsx_bytes([["=1+1", "Ana", "Persona Natural", "CC", "", "", ""]])


@pytest.mark.parametrize(
    "content, filename, message",
    [
        (b"", "clientes.csv", "El archivo está vacío."),
        (
            csv_bytes([ANA], headers=["Cedula", "Nombre"]),
            "clientes.csv",
            "Faltan columnas: Documento, Tipo de cliente, Tipo de documento.",
        ),
        (
            csv_bytes([ANA], encoding="latin-1"),
            "clientes.csv",
            "El archivo no está en codificación UTF-8",
        ),
        (b"%PDF-1.4\x00\x01binary", "clientes.pdf", "no es una hoja de cálculo"),
        (b"PK\x03\x04 not really a zip", "clientes.xlsx", "no es un Excel (.xlsx) válido"),
        (_formula_xlsx(), "clientes.xlsx", "La celda A2 contiene una fórmula"),
        (csv_bytes([["=HYPERLINK(1)", *ANA[1:]]]), "clientes.csv", "La celda A2 contiene"),
        (csv_bytes([]), "clientes.csv", "no tiene filas de clientes"),
    ],
    ids=[
        "empty",
        "columns",
        "encoding",
        "not-spreadsheet",
        "bad-xlsx",
        "formula",
        "csv-formula",
        "no-rows",
    ],
)
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(
    admin_client, db, app, content, filename, message
):
    response = upload(admin_client, content, filename=filename)

    if content:  # read by the job: its page says why, and offers no retry
        assert response.status_code == 302
        html = admin_client.get(response.headers["Location"]).get_data(as_text=True)
        assert "La importación no se completó" in html and "Reintentar" not in html
    else:  # refused at once
        assert response.status_code == 400
        html = response.get_data(as_text=True)
    assert message in html
    assert clientes() == {}


def test_a_too_large_file_is_refused(admin_client, db, monkeypatch):
    monkeypatch.setattr(importar_clientes, "MAX_BYTES", 100)

    response = upload(admin_client, csv_bytes([ANA, CONSTRUCTORA, ANA]))

    assert response.status_code == 400
    assert "El archivo es demasiado grande" in response.get_data(as_text=True)


def test_too_many_rows_are_refused(admin_client, db, monkeypatch):
    monkeypatch.setattr(importar_clientes, "MAX_FILAS", 1)

    response = upload(admin_client, csv_bytes([ANA, CONSTRUCTORA]))

    html = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "El archivo tiene más de 1 filas" in html


@pytest.mark.parametrize(
    ("archivo", "documento"),
    [
        ("clientes.xlsx", 1e30),
        ("clientes.xlsx", 1.5),
        ("clientes.xlsx", -5.0),
        ("clientes.xlsx", 1e-7),
        ("clientes.csv", "NaN"),
        ("clientes.csv", "Infinity"),
        ("clientes.csv", "1e400"),
    ],
)
def test_a_number_that_is_no_documento_is_a_rejected_row(db, archivo, documento):
    fila = [documento, *ANA[1:]]
    contenido = xlsx_bytes([fila]) if archivo.endswith("xlsx") else csv_bytes([fila])
    analisis = importar_clientes.analizar(archivo, contenido, actualizar=False)
    assert [f.accion for f in analisis.filas] == [importar_clientes.RECHAZAR]
    assert analisis.filas[0].errores


def test_reimporting_an_unchanged_export_changes_nothing(admin_client, db):
    """Even beside a legacy tipo de documento named like another's code: codes match first."""
    db.session.add(TipoDocumento(codigo="Z42146", nombre="CC"))
    factories.cliente(documento="1020304050", nombre="Ana Gómez", telefono="+57 3001234567")
    factories.cliente(documento="52345678", nombre="Luz Pérez")
    factories.cliente(
        juridica=True, documento="900123456-8", nombre="Andina S.A.S.", correo="a@andina.co"
    )
    db.session.commit()
    antes = {d: (c.id_tipo_documento, c.version) for d, c in clientes().items()}
    exported = admin_client.get("/admin/clientes/export/csv/", buffered=True).get_data()

    url, html = preview(admin_client, exported, actualizar=True)
    assert "Se crearán: <b>0</b>" in html
    assert "Se actualizarán: <b>0</b>" in html
    assert "Sin cambios: <b>3</b>" in html
    confirm(admin_client, url)

    assert {d: (c.id_tipo_documento, c.version) for d, c in clientes().items()} == antes
    assert (
        db.session.scalar(
            db.select(db.func.count(Bitacora.id)).where(
                Bitacora.tabla == "clientes", Bitacora.accion != "crear"
            )
        )
        == 0
    )


@pytest.mark.parametrize(
    ("columna", "largo", "etiqueta"), [(1, 150, "Nombre"), (4, 200, "Dirección")]
)
def test_a_text_longer_than_its_column_is_a_rejected_row(
    admin_client, db, columna, largo, etiqueta
):
    fila = list(ANA)
    fila[columna] = "x" * (largo + 1)
    _url, html = preview(admin_client, csv_bytes([fila]))
    assert "Rechazadas: <b>1</b>" in html
    assert f"{etiqueta}: No puede tener más de {largo} caracteres." in html
    assert clientes() == {}
