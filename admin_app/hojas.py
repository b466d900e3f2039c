"""Tables written for people to open in a spreadsheet: one CSV writer (UTF-8 with
BOM, so Excel reads accents right) and one guard against formula injection,
shared by the list exports and the import's report of rejected rows."""

import csv
import io
from collections.abc import Iterable, Iterator

# CSV rows per chunk sent to the client.
BATCH = 500
# A spreadsheet runs a cell starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: str) -> str:
    """Prefix a would-be formula with a quote so the spreadsheet shows it as text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_chunks(headers: list[str], rows: Iterable[list[str]]) -> Iterator[bytes]:
    """UTF-8 with BOM (Excel then reads accents right), comma-separated, quoted as
    needed, for rows already turned into neutralized text (sql_text in an
    export_sql)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([neutralize(h) for h in headers])
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            writer.writerows(batch)
            batch.clear()
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    writer.writerows(batch)
    yield buffer.getvalue().encode("utf-8")
