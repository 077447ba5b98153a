"""The certificates register as a spreadsheet (CSV or XLSX). The admin register and the API's
export are this one definition: the same columns, headings and Excel-friendly encoding (UTF-8
with a byte order mark for CSV, formulas neutralised)."""

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from courses.spreadsheets import ExcelFriendlyExportMixin

REGISTER_COLUMNS = [
    "serial",
    "full_name",
    "organisation",
    "position",
    "province",
    "course_title",
    "cohort_name",
    "score",
    "issued_on",
    "valid_until",
    "get_status_display",
    "revoked_at",
    "revocation_reason",
]
REGISTER_HEADINGS = {"get_status_display": _("Status")}
REGISTER_FILENAME = "certificates"

CSV, XLSX = ExcelFriendlyExportMixin.FORMAT_CSV, ExcelFriendlyExportMixin.FORMAT_XLSX


class RegisterSpreadsheet(ExcelFriendlyExportMixin):
    """Wagtail's spreadsheet export of the register, usable outside an admin view."""

    list_export = REGISTER_COLUMNS
    export_headings = REGISTER_HEADINGS
    export_filename = REGISTER_FILENAME


def register_spreadsheet(
    certificates: QuerySet[Certificate], *, spreadsheet_format: str
) -> HttpResponseBase:
    """A download response of ``certificates`` as ``csv`` or ``xlsx``."""
    return RegisterSpreadsheet().as_spreadsheet(certificates, spreadsheet_format)
