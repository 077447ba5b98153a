"""Spreadsheet exports that open correctly in Excel with Vietnamese text: the one writer.

Every CSV the LMS writes starts with a UTF-8 byte order mark (without it Excel reads a CSV as
the local ANSI code page and mangles every diacritic) and has its text cells neutralised, so a
name such as ``=HYPERLINK(...)`` is shown as text, never run as a formula (CSV injection).
Uploaded spreadsheets are read by ``courses.uploads``.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.http import FileResponse
from wagtail.admin.views.mixins import SpreadsheetExportMixin

BYTE_ORDER_MARK = "\ufeff"
# Rows fetched at a time by a streamed export (``QuerySet.iterator``): its memory stays flat.
EXPORT_CHUNK_SIZE = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Cells starting with these are run as formulas by spreadsheet programs (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """``rows`` as CSV for Excel: byte order mark first, comma-separated, CRLF line ends, text
    cells neutralised. Encode it as UTF-8."""
    return "".join(csv_lines(rows))


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """``csv_text`` a line at a time, for a ``StreamingHttpResponse``: nothing is kept once
    it has been handed on."""
    yield BYTE_ORDER_MARK
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise_formula(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def xlsx_file(title: str, rows: Iterable[Iterable[Any]]) -> IO[bytes]:
    """A one-sheet workbook of ``rows`` (cells as given) in a temporary file, rewound, for a
    ``FileResponse`` to stream and close. openpyxl's write-only mode writes each row to disk as
    it comes and its strings inline, so memory does not grow with the rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])  # Excel: 31 characters
    for row in rows:
        sheet.append(row)
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    workbook.save(output)
    output.seek(0)
    return output


class ChunkedRows:
    """A queryset that Wagtail's export loops over, read with ``iterator(chunk_size=...)``:
    rows are not cached on the queryset, so a streamed export's memory stays flat. Wagtail
    reads ``model`` for the column headings."""

    def __init__(self, queryset: QuerySet, *, chunk_size: int = EXPORT_CHUNK_SIZE) -> None:
        self.queryset = queryset
        self.chunk_size = chunk_size

    @property
    def model(self):
        return self.queryset.model

    def __iter__(self):
        return self.queryset.iterator(chunk_size=self.chunk_size)


class ExcelFriendlyExportMixin(SpreadsheetExportMixin):
    """Wagtail's exports, with the byte order mark and formula neutralising of ``csv_text``."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # For the access log (courses.privacy.access_log): how many rows were exported.
        rows = len(queryset) if isinstance(queryset, list | tuple) else queryset.count()
        if isinstance(queryset, QuerySet):
            queryset = ChunkedRows(queryset)
        response = super().as_spreadsheet(queryset, spreadsheet_format)
        response.personal_data_rows = rows
        return response

    def write_xlsx_response(self, queryset):
        """As Wagtail's, into a temporary file instead of memory (streamed, then closed)."""
        output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type=XLSX_CONTENT_TYPE,
            filename=f"{self.get_filename()}.xlsx",
        )

    def stream_csv(self, queryset):
        yield BYTE_ORDER_MARK
        yield from super().stream_csv(queryset)

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralise_formula(value)
        return value


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Any], Iterable[Iterable[Any]]]]) -> bytes:
    """A workbook with one sheet per ``(title, header, rows)``: a bold, frozen header row and
    text cells neutralised as in ``csv_text``. Titles are cut to Excel's 31 characters."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([str(name) for name in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append([neutralise_formula(_cell(value)) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value):
    """What a cell can hold: numbers, text and booleans as they are, anything else as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
