"""The one writer of spreadsheets: every CSV and XLSX the LMS hands out is written here.

CSV
    Starts with a UTF-8 byte order mark (without it Excel reads a CSV as the local ANSI code
    page and mangles every diacritic), comma-separated, CRLF line ends.
XLSX
    One sheet per ``(title, header, rows)``, a bold and frozen header row, titles cut to Excel's
    31 characters. openpyxl's write-only mode writes each row out as it comes, so memory stays
    the same for ten rows or a hundred thousand.
Formulas
    A text cell starting with ``= + - @``, a tab or a carriage return is run as a formula by
    spreadsheet programs ("CSV injection"): ``neutralise_formula`` puts an apostrophe before it,
    in both formats, so ``=HYPERLINK(...)`` is shown as text. In an XLSX file every text cell is
    also stored as text, never as a formula.
Streaming
    Rows come from any iterable (a queryset's ``iterator()``, a generator) and are never held
    together: ``csv_chunks`` yields text line by line and ``xlsx_chunks`` yields the finished
    workbook in 64 KiB pieces from a temporary file, both ready for a ``StreamingHttpResponse``.
    ``csv_text`` and ``xlsx_bytes`` are the same, joined, for small files.

Uploaded spreadsheets are read by ``courses.spreadsheets.reader``.
"""

import csv
import datetime
import decimal
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BYTE_ORDER_MARK = "\ufeff"
# Cells starting with these are run as formulas by spreadsheet programs (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXCEL_MAX_TITLE = 31
# Characters Excel refuses in a sheet's title.
TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "-"))
CHUNK_SIZE = 64 * 1024
# Rows fetched at a time by a streamed export (``QuerySet.iterator``): its memory stays flat.
EXPORT_CHUNK_SIZE = 500

type Rows = Iterable[Iterable[Any]]
type Sheet = tuple[str, Iterable[Any], Rows]


def neutralise_formula(value):
    """``value`` with an apostrophe before it if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# CSV


class _Line:
    """A file-like object that hands back what ``csv.writer`` writes to it."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(rows: Rows) -> Iterator[str]:
    """``rows`` as CSV for Excel, one piece per row after the byte order mark; encode each as
    UTF-8 (a ``StreamingHttpResponse`` does)."""
    yield BYTE_ORDER_MARK
    writer = csv.writer(_Line())
    for row in rows:
        yield writer.writerow([neutralise_formula(value) for value in row])


def csv_text(rows: Rows) -> str:
    """``rows`` as CSV for Excel: byte order mark first, comma-separated, CRLF line ends, text
    cells neutralised. Encode it as UTF-8."""
    return "".join(csv_chunks(rows))


# XLSX


def sheet_title(title: Any) -> str:
    """A title Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    return str(title).translate(TITLE_FORBIDDEN)[:EXCEL_MAX_TITLE] or "-"


def cell_value(value: Any) -> Any:
    """What an XLSX cell can hold: numbers, text, booleans and dates as they are (an aware
    date and time in the local time zone, as Excel has none), anything else as text."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(
        value, bool | int | float | str | decimal.Decimal | datetime.date | datetime.time
    ):
        return value
    return str(value)


def keep_as_text(cell) -> None:
    """Store a cell that openpyxl took for a formula (text starting with ``=``) as text."""
    if cell.data_type == "f":
        cell.data_type = "s"


def xlsx_value(value: Any) -> Any:
    """What the writer puts in an XLSX cell for ``value``: see ``cell_value``; text neutralised
    (see ``neutralise_formula``: openpyxl never sees a formula) and without the control
    characters XML cannot hold (openpyxl would refuse the whole workbook)."""
    value = cell_value(value)
    if isinstance(value, str):
        return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def xlsx_cell(sheet, value: Any, **style: Any) -> WriteOnlyCell:
    """A write-only cell of ``value`` (see ``xlsx_value``) with ``style`` (``font=``,
    ``number_format=``...)."""
    cell = WriteOnlyCell(sheet, xlsx_value(value))
    keep_as_text(cell)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _row(sheet, values: Iterable[Any], datetime_format: str | None) -> list[Any]:
    """Plain values, which openpyxl writes fastest; a styled cell only for a date and time."""
    row = []
    for value in values:
        value = xlsx_value(value)
        if datetime_format and isinstance(value, datetime.datetime):
            value = xlsx_cell(sheet, value, number_format=datetime_format)
        row.append(value)
    return row


def write_xlsx(
    output: IO[bytes],
    sheets: Iterable[Sheet],
    *,
    datetime_format: str | None = None,
    column_widths: Sequence[float] = (),
) -> None:
    """Write a workbook of ``sheets`` to ``output``, row by row (see the module's notes).
    ``column_widths`` are those of the first columns of every sheet, in Excel's units."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=sheet_title(title))
        sheet.freeze_panes = "A2"
        for number, width in enumerate(column_widths, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        sheet.append([xlsx_cell(sheet, str(name), font=bold) for name in header])
        for row in rows:
            sheet.append(_row(sheet, row, datetime_format))
    workbook.save(output)


def xlsx_file(sheets: Iterable[Sheet], *, datetime_format: str | None = None) -> IO[bytes]:
    """The workbook in a temporary file, at its start (a ``FileResponse`` streams and closes it)."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it
    try:
        write_xlsx(output, sheets, datetime_format=datetime_format)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


def xlsx_chunks(
    sheets: Iterable[Sheet], *, datetime_format: str | None = None, chunk_size: int = CHUNK_SIZE
) -> Iterator[bytes]:
    """The workbook in pieces of ``chunk_size`` bytes, written first to a temporary file: an
    XLSX file is a ZIP whose directory comes last, so it cannot be sent before it is done."""
    with xlsx_file(sheets, datetime_format=datetime_format) as output:
        while chunk := output.read(chunk_size):
            yield chunk


def xlsx_bytes(
    sheets: Iterable[Sheet],
    *,
    datetime_format: str | None = None,
    column_widths: Sequence[float] = (),
) -> bytes:
    """A workbook with one sheet per ``(title, header, rows)``: a bold, frozen header row and
    text cells neutralised as in ``csv_text``. Titles are cut to Excel's 31 characters."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets, datetime_format=datetime_format, column_widths=column_widths)
    return buffer.getvalue()
