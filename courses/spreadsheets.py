"""Spreadsheet exports that open correctly in Excel with Vietnamese text: the one writer.

Every CSV the LMS writes starts with a UTF-8 byte order mark (without it Excel reads a CSV as
the local ANSI code page and mangles every diacritic) and has its text cells neutralised, so a
name such as ``=HYPERLINK(...)`` is shown as text, never run as a formula (CSV injection).
Uploaded spreadsheets are read by ``courses.uploads``.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

from wagtail.admin.views.mixins import SpreadsheetExportMixin

BYTE_ORDER_MARK = "\ufeff"
# Cells starting with these are run as formulas by spreadsheet programs (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """``rows`` as CSV for Excel: byte order mark first, comma-separated, CRLF line ends, text
    cells neutralised. Encode it as UTF-8."""
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise_formula(value) for value in row])
    return buffer.getvalue()


class ExcelFriendlyExportMixin(SpreadsheetExportMixin):
    """Wagtail's exports, with the byte order mark and formula neutralising of ``csv_text``."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        response = super().as_spreadsheet(queryset, spreadsheet_format)
        # For the access log (courses.privacy.access_log): how many rows were exported.
        response.personal_data_rows = (
            len(queryset) if isinstance(queryset, list | tuple) else queryset.count()
        )
        return response

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
