"""Spreadsheet exports that open correctly in Excel with Vietnamese text."""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

# Cells starting with these are run as formulas by spreadsheet programs (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class ExcelFriendlyExportMixin(SpreadsheetExportMixin):
    """Wagtail's exports, plus a UTF-8 byte order mark (without it Excel reads a CSV as the
    local ANSI code page and mangles every diacritic) and formula neutralising in CSV cells."""

    def stream_csv(self, queryset):
        yield "\ufeff"
        yield from super().stream_csv(queryset)

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralise_formula(value)
        return value
