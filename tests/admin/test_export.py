"""Exports: what the list shows, all pages, CSV with BOM and XLSX, formulas neutralised."""

import csv
import io

import openpyxl
import pytest

from admin_app import hojas
from admin_app.hojas import neutralize
from tests import factories

HEADERS = [
    "Documento",
    "Nombre",
    "Tipo de cliente",
    "Tipo de documento",
    "Teléfono",
    "Correo",
    "Creado",
]


@pytest.fixture
def clientes(db):
    factories.cliente("1020304050", nombre="José Álvarez", correo="jose@example.com")
    factories.cliente("1020999", nombre='=HYPERLINK("http://x")', telefono="+57 300 1234567")
    factories.cliente(juridica=True, documento="900123456-8", nombre="@Constructora")
    db.session.commit()


def _csv(client, query="") -> tuple[bytes, list[list[str]]]:
    response = client.get(f"/admin/clientes/export/csv/?{query}", buffered=True)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data()
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_bom_spanish_headers_and_catalog_names(digitador_client, clientes):
    body, rows = _csv(digitador_client, "sort=0")
    assert body.startswith("\ufeff".encode())
    assert rows[0] == HEADERS
    assert rows[1][:4] == ["1020304050", "José Álvarez", "Persona Natural", "CC"]
    assert rows[3][2:4] == ["Persona Jurídica", "NIT"]


def test_csv_exports_the_filtered_and_sorted_list_across_pages(admin_client, db):
    for n in range(25):
        factories.cliente(str(5000000 + n), nombre=f"Ana {n:02d}")
    factories.cliente("7777777", nombre="Pedro")
    db.session.commit()
    _body, rows = _csv(admin_client, "search=ana&sort=1&desc=1&page_size=20")
    assert [r[1] for r in rows[1:]] == [f"Ana {n:02d}" for n in reversed(range(25))]


def test_csv_neutralises_formulas(admin_client, clientes):
    _body, rows = _csv(admin_client, "sort=0")
    by_doc = {r[0]: r for r in rows[1:]}
    assert by_doc["1020999"][1] == '\'=HYPERLINK("http://x")'
    assert by_doc["1020999"][4] == "'+57 300 1234567"
    assert by_doc["900123456-8"][1] == "'@Constructora"


def test_xlsx_opens_with_the_same_rows(admin_client, clientes):
    response = admin_client.get("/admin/clientes/export/xlsx/?sort=0", buffered=True)
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert [r[0] for r in rows[1:]] == ["1020304050", "1020999", "900123456-8"]
    assert rows[2][1] == '\'=HYPERLINK("http://x")'


def test_the_list_export_buttons_point_to_the_streaming_export(admin_client, clientes):
    html = admin_client.get("/admin/clientes/?search=jose").get_data(as_text=True)
    assert "/admin/clientes/export/csv/" in html and "/admin/clientes/export/xlsx/" in html


def test_the_export_is_streamed_from_batches_of_rows(app, clientes, monkeypatch):
    monkeypatch.setattr(hojas, "BATCH", 1)  # one row per chunk
    view = next(v for v in app.extensions["backoffice_admin"]._views if v.endpoint == "clientes")
    with app.test_request_context("/admin/clientes/export/csv/?sort=0"):
        response = type(view).export.__wrapped__(view, "csv")  # past the login check
        assert response.is_streamed
        chunks = list(response.response)
    assert len(chunks) == 4  # header with the first row, one chunk per other row, the rest
    assert b"".join(chunks).decode("utf-8-sig").splitlines()[0] == ",".join(HEADERS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+57", "'+57"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
    ],
)
def test_neutralize(value, expected):
    assert neutralize(value) == expected
