"""Spreadsheets in and out: the one reader (``reader``: uploaded CSV, text and XLSX files, with
encoding detection and the workbook limits), the one writer (``writer``: CSV with a byte order
mark and XLSX with a bold header, formulas neutralised, streamed row by row) and Wagtail's
exports through that writer (``exports``). The names other modules use are re-exported here;
``ExcelFriendlyExportMixin`` on first use, so that the reader and the writer import without
Wagtail's admin (and its models) loaded."""

from courses.spreadsheets.reader import (
    DEFAULT_LIMITS,
    UndecodableText,
    WorkbookLimits,
    cell_text,
    check_workbook,
    csv_rows,
    decode_text,
    read_rows,
    workbook_rows,
)
from courses.spreadsheets.writer import (
    BYTE_ORDER_MARK,
    CSV_CONTENT_TYPE,
    EXPORT_CHUNK_SIZE,
    FORMULA_PREFIXES,
    XLSX_CONTENT_TYPE,
    csv_chunks,
    csv_text,
    keep_as_text,
    neutralise_formula,
    sheet_title,
    write_xlsx,
    xlsx_bytes,
    xlsx_chunks,
    xlsx_file,
)
from courses.uploads import UploadError

__all__ = [
    "BYTE_ORDER_MARK",
    "CSV_CONTENT_TYPE",
    "DEFAULT_LIMITS",
    "EXPORT_CHUNK_SIZE",
    "FORMULA_PREFIXES",
    "XLSX_CONTENT_TYPE",
    "ExcelFriendlyExportMixin",
    "UndecodableText",
    "UploadError",
    "WorkbookLimits",
    "cell_text",
    "check_workbook",
    "csv_chunks",
    "csv_rows",
    "csv_text",
    "decode_text",
    "keep_as_text",
    "neutralise_formula",
    "read_rows",
    "sheet_title",
    "workbook_rows",
    "write_xlsx",
    "xlsx_bytes",
    "xlsx_chunks",
    "xlsx_file",
]


def __getattr__(name: str):
    if name == "ExcelFriendlyExportMixin":
        from courses.spreadsheets.exports import ExcelFriendlyExportMixin

        return ExcelFriendlyExportMixin
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
