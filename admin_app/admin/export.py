"""Streaming CSV and XLSX export of exactly what a list view shows.

Mix StreamingExportMixin into a ModelView (before SecureModelView): the export
buttons keep pointing at the `export` endpoint, which now applies the list's
search, filters and sort to all pages and streams the rows read in batches,
never a list of every row.
"""

import io
import logging
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from html import escape

from flask import Response, flash, redirect, stream_with_context
from flask_admin import expose
from flask_admin.helpers import get_redirect_target
from sqlalchemy import String, case, func, literal, type_coerce
from sqlalchemy.exc import DataError
from werkzeug.utils import secure_filename

from ..extensions import db
from ..formatting import format_date, format_datetime, today_bogota
from ..hojas import FORMULA_STARTS, csv_chunks, neutralize

log = logging.getLogger(__name__)

EXPORT_FALLIDA = (
    "No se pudo exportar con esos filtros. Revise las fechas y los valores de los filtros."
)
# Rows read per database round trip.
YIELD_PER = 5000
# Distinct hours or minutes remembered per export (about 5 MB at most).
FORMAT_CACHE_MAX = 50_000
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sql_datetime(expr):
    """The column without SQLAlchemy's result processing: SQLite then hands over its
    ISO text (parsing it into a datetime costs more than the rest of the row);
    PostgreSQL's driver still returns a datetime. date_formatter() takes both."""
    return type_coerce(expr, String)


def _cached_formatter(formato, chars: int, **truncar):
    """`formato` with a per-export cache: a million rows share a few thousand
    distinct hours (or minutes), and the time zone conversion is the costly part.
    SQLite hands over ISO text in UTC (see sql_datetime), keyed by its first
    `chars` characters; PostgreSQL a datetime, keyed truncated by `truncar`."""
    cache: dict = {}

    def formatter(value) -> str:
        if value is None:
            return ""
        key = value[:chars] if isinstance(value, str) else value.replace(**truncar)
        text = cache.get(key)
        if text is None:
            if len(cache) >= FORMAT_CACHE_MAX:  # a log spread over years: keep memory flat
                cache.clear()
            moment = datetime.fromisoformat(value) if isinstance(value, str) else value
            text = cache[key] = formato(moment)
        return text

    return formatter


def date_formatter():
    return _cached_formatter(format_date, 13, minute=0, second=0, microsecond=0)


def datetime_formatter():
    return _cached_formatter(format_datetime, 16, second=0, microsecond=0)


def label_sql(column, labels: dict[str, str]):
    """The Spanish label of a coded column, worked out by the database."""
    return case(*((column == code, text) for code, text in labels.items()), else_=column)


class Numero(str):
    """Text of a number: a CSV writes it as is, an XLSX as a number cell (sums work)."""


def numero(value) -> str:
    return "" if value is None else Numero(value)


def sql_text(expr):
    """neutralize() and None -> "" done by the database, so text cells need no Python work."""
    return case(
        (func.substr(expr, 1, 1).in_(FORMULA_STARTS), literal("'") + expr),
        else_=func.coalesce(expr, ""),
    )


# The few parts of a one-sheet workbook of inline strings, the header row bold (style 1).
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="2">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>"
    ),
}
_XML_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
_XML_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_text(value: str) -> str:
    if _XML_SPECIAL.search(value) is None:
        return value
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # XML 1.0 cannot carry these; Excel's own escape is _xHHHH_.
    return _XML_CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)


def xlsx_chunks(headers: list[str], rows: Iterable[list], sheet: str = "Datos") -> Iterator[bytes]:
    """An XLSX of rows of neutralized text (export_rows), written straight as
    sheet XML into a zip on disk: XlsxWriter's per-cell bookkeeping costs ~10 µs a
    cell, too slow for a million rows. The file is then streamed and removed."""
    with tempfile.TemporaryDirectory() as tmpdir:
        path = os.path.join(tmpdir, "export.xlsx")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
            for name, text in _XLSX_PARTS.items():
                book.writestr(name, text)
            book.writestr(
                "xl/workbook.xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<sheets><sheet name="{escape(sheet[:31], quote=True)}" sheetId="1" '
                'r:id="rId1"/></sheets></workbook>',
            )
            with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8")
                out.write(
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    '<sheetData><row r="1">'
                )
                out.write(
                    "".join(
                        f'<c s="1" t="inlineStr"><is><t xml:space="preserve">'
                        f"{_xml_text(neutralize(h))}</t></is></c>"
                        for h in headers
                    )
                )
                out.write("</row>")
                parts: list[str] = []
                for number, row in enumerate(rows, start=2):
                    parts.append(f'<row r="{number}">')
                    for value in row:
                        if not value:
                            parts.append("<c/>")
                        elif type(value) is Numero:
                            parts.append(f"<c><v>{value}</v></c>")
                        else:
                            parts.append(
                                '<c t="inlineStr"><is><t xml:space="preserve">'
                                f"{_xml_text(value)}</t></is></c>"
                            )
                    parts.append("</row>")
                    if len(parts) > 8000:
                        out.write("".join(parts))
                        parts.clear()
                out.write("".join(parts))
                out.write("</sheetData></worksheet>")
                out.flush()
                out.detach()
        with open(path, "rb") as handle:
            while chunk := handle.read(64 * 1024):
                yield chunk


class StreamingExportMixin:
    """Replaces Flask-Admin's export (which loads every row, and needs tablib for XLSX)."""

    export_types = ["csv", "xlsx"]

    def export_query(self):
        """The list view's query with its search, filters and sort, all pages."""
        view_args = self._get_list_extra_args()
        sort = self._get_column_by_idx(view_args.sort)
        _count, query = self.get_list(
            0,
            sort[0] if sort else None,
            view_args.sort_desc,
            view_args.search,
            view_args.filters,
            execute=False,
            page_size=0,
        )
        return query

    def export_sql(self):
        """([(sql expression, formatter to text)] per export column, [(table, onclause)]
        to outer-join): the export reads plain tuples, never ORM objects. Text columns
        go through sql_text; a formatter returning `numero(value)` makes a number
        cell in the XLSX."""
        raise NotImplementedError

    def export_statement(self, query=None):
        """(SELECT of the export's columns, [(index, formatter)], session)."""
        columns, joins = self.export_sql()
        query = self.export_query() if query is None else query
        for target, onclause in joins:
            query = query.outerjoin(target, onclause)
        stmt = query.with_entities(*(expr for expr, _f in columns)).statement
        pairs = [(i, f) for i, (_e, f) in enumerate(columns) if f is not None]
        return stmt, pairs, query.session

    @staticmethod
    def _formatted(rows, pairs) -> Iterator[list]:
        for row in rows:
            out = list(row)
            for i, f in pairs:
                out[i] = f(out[i])
            yield out

    def export_rows(self, query=None) -> Iterator[list]:
        """The rows of `query` (the list's, by default) as export_sql says."""
        stmt, pairs, session = self.export_statement(query)
        stmt = stmt.execution_options(yield_per=YIELD_PER, stream_results=True)
        # Core rows, not ORM ones: no per-row entity loading.
        for partition in session.connection().execute(stmt).partitions():
            yield from self._formatted(partition, pairs)

    def check_export(self) -> None:
        """Run the export's query for its first row before the response starts, so a
        query the database refuses is a page, not a file cut halfway. (Not the
        streamed cursor itself: PostgreSQL closes it when the request's
        transaction ends, before the body is sent.)"""
        stmt, pairs, session = self.export_statement()
        list(self._formatted(session.execute(stmt.limit(1)), pairs))

    def export_headers(self) -> list[str]:
        return [str(label) for _name, label in self._export_columns]

    def get_export_name(self, export_type: str = "csv") -> str:
        return f"{self.endpoint}_{today_bogota():%Y-%m-%d}.{export_type}"

    @expose("/export/<export_type>/")
    def export(self, export_type: str):
        return_url = get_redirect_target() or self.get_url(".index_view")
        if not self.can_export or export_type not in self.export_types:
            flash("No tiene permiso para exportar en ese formato.", "error")
            return redirect(return_url)
        headers = self.export_headers()
        try:
            self.check_export()
        except (DataError, OverflowError, ValueError) as exc:
            # Before the first byte: a page that says so, not a file cut halfway.
            db.session.rollback()
            log.warning("Export of %s refused: %s", self.endpoint, exc)
            flash(EXPORT_FALLIDA, "error")
            return redirect(return_url)
        rows = self.export_rows()
        if export_type == "csv":
            body, mimetype = csv_chunks(headers, rows), "text/csv; charset=utf-8"
        else:
            body, mimetype = xlsx_chunks(headers, rows, str(self.name)), XLSX_MIMETYPE
        filename = secure_filename(self.get_export_name(export_type))
        return Response(
            stream_with_context(body),
            mimetype=mimetype,
            headers={"Content-Disposition": f"attachment; filename={filename}"},
        )
