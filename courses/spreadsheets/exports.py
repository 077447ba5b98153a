"""Wagtail's listing and report exports, written by ``courses.spreadsheets.writer``.

``ExcelFriendlyExportMixin`` goes where Wagtail's ``SpreadsheetExportMixin`` would (an
``IndexView``, a ``ReportView``). It keeps Wagtail's columns, headings and value preprocessing
and changes only the writing, through the mixin's documented methods:

* CSV (``stream_csv``): a byte order mark first; text cells neutralised;
* XLSX (``write_xlsx``, ``write_xlsx_response``): the writer's workbook, a bold header row, text
  cells neutralised, the sheet named by ``export_sheet_title`` (translated, where Wagtail writes
  "Sheet1"), built in a temporary file that the response streams (constant memory).
"""

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy
from wagtail.admin.views.mixins import ExcelDateFormatter, SpreadsheetExportMixin

from courses.spreadsheets.writer import (
    BYTE_ORDER_MARK,
    EXPORT_CHUNK_SIZE,
    XLSX_CONTENT_TYPE,
    neutralise_formula,
    write_xlsx,
    xlsx_file,
)


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
    """Wagtail's exports, with the byte order mark, formula neutralising and sheet of the writer.

    ``export_sheet_title`` names the XLSX sheet; override ``get_export_sheet_title`` to name
    it after what is exported."""

    export_sheet_title = gettext_lazy("Sheet1")

    def get_export_sheet_title(self) -> str:
        return str(self.export_sheet_title)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # For the access log (courses.privacy.access_log): how many rows were exported.
        rows = len(queryset) if isinstance(queryset, list | tuple) else queryset.count()
        if isinstance(queryset, QuerySet):
            queryset = ChunkedRows(queryset)
        response = super().as_spreadsheet(queryset, spreadsheet_format)
        response.personal_data_rows = rows
        return response

    def stream_csv(self, queryset):
        yield BYTE_ORDER_MARK
        yield from super().stream_csv(queryset)

    def preprocess_field_value(self, field, value, export_format):
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))

    def export_sheet(self, queryset):
        """The ``(title, header, rows)`` of ``queryset`` for the writer; rows are made one by
        one as the writer asks for them."""
        header = [self.get_heading(queryset, field) for field in self.list_export]
        rows = (
            [
                self.preprocess_field_value(field, value, self.FORMAT_XLSX)
                for field, value in self.to_row_dict(item).items()
            ]
            for item in queryset
        )
        return self.get_export_sheet_title(), header, rows

    def write_xlsx(self, queryset, output):
        write_xlsx(
            output, [self.export_sheet(queryset)], datetime_format=ExcelDateFormatter().get()
        )

    def write_xlsx_response(self, queryset):
        return FileResponse(
            xlsx_file([self.export_sheet(queryset)], datetime_format=ExcelDateFormatter().get()),
            as_attachment=True,
            content_type=XLSX_CONTENT_TYPE,
            filename=f"{self.get_filename()}.xlsx",
        )
