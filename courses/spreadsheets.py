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

    def stream_csv(self, queryset):
        yield BYTE_ORDER_MARK
        yield from super().stream_csv(queryset)

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralise_formula(value)
        return value
