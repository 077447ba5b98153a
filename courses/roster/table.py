"""Delegate rosters, read: an organiser's XLSX or CSV list as a table of raw rows.

The file is read by ``courses.spreadsheets.reader``; this finds the header row among the first
rows (a title may sit above it), maps the headings organisers write to the columns, and stops
at the signature block under the table. Plain functions, no database.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from courses import uploads
from courses.spreadsheets import reader
from courses.spreadsheets.writer import csv_text, xlsx_bytes
from courses.text import collapse_spaces, match_key, strip_diacritics

# Columns beyond this are never read; rows above this may hold a title before the header.
MAX_COLUMNS = 40
HEADER_SEARCH_ROWS = 10
TEMPLATE_WIDTHS = (28, 36, 18, 18, 32)


class Column(StrEnum):
    FULL_NAME = "full_name"
    ORGANISATION = "organisation"
    POSITION = "position"
    PROVINCE = "province"
    EMAIL = "email"


COLUMN_LABELS = {
    Column.FULL_NAME: gettext_lazy("Full name"),
    Column.ORGANISATION: gettext_lazy("Organisation"),
    Column.POSITION: gettext_lazy("Position"),
    Column.PROVINCE: gettext_lazy("Province"),
    Column.EMAIL: gettext_lazy("Email"),
}
REQUIRED_COLUMNS = (Column.FULL_NAME, Column.ORGANISATION, Column.PROVINCE, Column.EMAIL)

# Input vocabulary, not interface text: the headings organisers actually write, in Vietnamese
# and English. The first of each is the heading of the downloadable template. Headings are
# compared without case, diacritics or punctuation, so "HỌ VÀ TÊN (*)" matches "Họ và tên".
HEADER_ALIASES: dict[Column, tuple[str, ...]] = {
    Column.FULL_NAME: ("Họ và tên", "Họ tên", "Họ và tên đại biểu", "Full name", "Name"),
    Column.ORGANISATION: (
        "Cơ quan, đơn vị",
        "Cơ quan",
        "Đơn vị",
        "Đơn vị công tác",
        "Cơ quan công tác",
        "Organisation",
        "Organization",
    ),
    Column.POSITION: ("Chức vụ", "Chức danh", "Position", "Job title"),
    Column.PROVINCE: (
        "Tỉnh/thành phố",
        "Tỉnh",
        "Tỉnh/TP",
        "Địa phương",
        "Province",
        "Province/city",
    ),
    Column.EMAIL: ("Email", "E-mail", "Thư điện tử", "Địa chỉ email", "Email address"),
}
TEMPLATE_EXAMPLE = {
    Column.FULL_NAME: "Nguyễn Thị Hồng",
    Column.ORGANISATION: "Sở Văn hóa, Thể thao và Du lịch",
    Column.POSITION: "Chuyên viên",
    Column.PROVINCE: "Phú Thọ",
    Column.EMAIL: "nguyen.thi.hong@example.vn",
}
# How the signature block and notes under an organiser's table begin, compared as heading
# keys (no case, diacritics or punctuation): "NGƯỜI LẬP DANH SÁCH", "(Ký, ghi rõ họ tên)",
# "Nơi nhận:", "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN", "Ghi chú:", "Tổng cộng: 25 người".
TABLE_END_STARTS = (
    "nguoi lap",
    "ky ghi ro",
    "ky ten",
    "ky va ghi ro",
    "noi nhan",
    "xac nhan",
    "thu truong",
    "giam doc",
    "pho giam doc",
    "chu tich",
    "truong ban",
    "truong phong",
    "kt ",
    "tm ",
    "tl ",
    "ghi chu",
    "luu y",
    "tong cong",
    "tong so",
)
# "Hà Nội, ngày 15 tháng 11 năm 2024", also with the date left blank to be written by hand.
PLACE_AND_DATE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")


class RosterFileError(uploads.UploadError):
    """The file as a whole cannot be imported. ``message`` is translated, for the admin."""


@dataclass(frozen=True, slots=True)
class RawRow:
    """One non-blank data row, as text, with the row number the spreadsheet shows."""

    number: int
    full_name: str = ""
    organisation: str = ""
    position: str = ""
    province: str = ""
    email: str = ""

    def as_list(self) -> list[Any]:
        return [
            self.number,
            self.full_name,
            self.organisation,
            self.position,
            self.province,
            self.email,
        ]

    @classmethod
    def from_list(cls, values: Sequence[Any]) -> "RawRow":
        number, full_name, organisation, position, province, email = values
        return cls(
            number=int(number),
            full_name=str(full_name),
            organisation=str(organisation),
            position=str(position),
            province=str(province),
            email=str(email),
        )


@dataclass(frozen=True, slots=True)
class TableEnd:
    """The row that ended the table (a signature block or a note), and its first text."""

    number: int
    text: str


@dataclass(frozen=True, slots=True)
class RosterTable:
    filename: str
    rows: tuple[RawRow, ...]
    ignored_headings: tuple[str, ...] = ()  # headed columns that are not imported
    end: TableEnd | None = None  # None: the table runs to the end of the sheet


# Keys


def heading_key(value: str) -> str:
    """A key ignoring case, diacritics, tone placement and punctuation.

    ``"Cơ quan/đơn vị"`` -> ``"co quan don vi"``.
    """
    return " ".join(re.split(r"[\W_]+", strip_diacritics(match_key(value)))).strip()


HEADER_INDEX: dict[str, Column] = {
    heading_key(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases
}


def template_headings() -> list[str]:
    return [HEADER_ALIASES[column][0] for column in Column]


def template_example() -> list[str]:
    return [TEMPLATE_EXAMPLE[column] for column in Column]


# Reading files


def read_roster(data: bytes, filename: str, *, max_rows: int, max_bytes: int) -> RosterTable:
    """Read the rows of an .xlsx or .csv roster. Raises ``RosterFileError``."""
    try:
        uploads.check_size(data, max_bytes=max_bytes)
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if extension in {"xls", "ods", "numbers"}:
            raise RosterFileError(
                _("This spreadsheet format cannot be read. Save it as an Excel workbook (.xlsx).")
            )
        if extension not in {"xlsx", "csv"}:
            raise RosterFileError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        lines = _lines(data, kind=extension)
        try:
            return _table(lines, filename=filename, max_rows=max_rows)
        finally:
            lines.close()
    except RosterFileError:
        raise
    except uploads.UploadError as error:
        raise RosterFileError(error.message) from error


def _lines(data: bytes, *, kind: Literal["xlsx", "csv"]) -> Iterator[list[str]]:
    try:
        rows = reader.read_rows(data, kind=kind, max_columns=MAX_COLUMNS)
    except reader.UndecodableText as error:
        raise RosterFileError(
            _(
                "This CSV file is not in UTF-8. In Excel choose “Save as” and the type "
                "“CSV UTF-8 (Comma delimited)”, or upload the .xlsx file itself."
            )
        ) from error
    try:
        for values in rows:
            yield [collapse_spaces(value) for value in values]
    finally:
        rows.close()


def _find_header(lines: Iterator[list[str]]) -> tuple[int, list[str], dict[Column, int]]:
    """The header is the first row naming every required column; a title may sit above it.

    Without one, the error names the columns missing from the likeliest candidate.
    """
    best: dict[Column, int] = {}
    candidates = 0
    for number, values in enumerate(lines, start=1):
        if not any(values):
            continue
        candidates += 1
        columns: dict[Column, int] = {}
        for position, value in enumerate(values):
            column = HEADER_INDEX.get(heading_key(value))
            if column is not None and column not in columns:
                columns[column] = position
        if all(column in columns for column in REQUIRED_COLUMNS):
            return number, values, columns
        if len(columns) > len(best):
            best = columns
        if candidates >= HEADER_SEARCH_ROWS:
            break
    if not candidates:
        raise RosterFileError(_("The file is empty."))
    raise RosterFileError(
        _missing_columns_message([column for column in REQUIRED_COLUMNS if column not in best])
    )


def _missing_columns_message(missing: Sequence[Column]) -> str:
    names = ", ".join(f"“{COLUMN_LABELS[column]}”" for column in missing)
    return ngettext(
        "The header row has no %(columns)s column. Use the headings of the roster template.",
        "The header row lacks these columns: %(columns)s. Use the headings of the roster template.",
        len(missing),
    ) % {"columns": names}


def ends_table(values: Sequence[str]) -> bool:
    """Whether a row below the header is the signature block or a note that ends the table:
    its first text starts as those do ("NGƯỜI LẬP DANH SÁCH", "Ghi chú:"), or it is a place
    and date ("Hà Nội, ngày 15 tháng 11 năm 2024"). A row with an email address in it is
    always a delegate's."""
    texts = [value for value in values if value]
    if not texts or any("@" in value for value in texts):
        return False
    first = heading_key(texts[0])
    return first.startswith(TABLE_END_STARTS) or any(
        PLACE_AND_DATE.search(heading_key(value)) for value in texts
    )


def _table(lines: Iterator[list[str]], *, filename: str, max_rows: int) -> RosterTable:
    header_number, headings, columns = _find_header(lines)
    rows: list[RawRow] = []
    end: TableEnd | None = None
    for number, values in enumerate(lines, start=header_number + 1):
        if not any(values):
            continue
        if ends_table(values):
            end = TableEnd(number=number, text=next(value for value in values if value))
            break
        cells = {
            column.value: values[position] if position < len(values) else ""
            for column, position in columns.items()
        }
        if not any(cells.values()):
            continue  # blank rows (and rows holding only a running number) are skipped
        if len(rows) >= max_rows:
            raise RosterFileError(
                ngettext(
                    "The file has more than %(limit)d delegate. Split it into smaller files.",
                    "The file has more than %(limit)d delegates. Split it into smaller files.",
                    max_rows,
                )
                % {"limit": max_rows}
            )
        rows.append(RawRow(number=number, **cells))
    if not rows:
        raise RosterFileError(_("The file has no delegates below its header row."))
    used = set(columns.values())
    ignored = tuple(value for i, value in enumerate(headings) if value and i not in used)
    return RosterTable(filename=filename, rows=tuple(rows), ignored_headings=ignored, end=end)


# The downloadable template


def template_xlsx() -> bytes:
    """A workbook with the Vietnamese header row and one example row."""
    return xlsx_bytes(
        [(_("Delegates"), template_headings(), [template_example()])],
        column_widths=TEMPLATE_WIDTHS,
    )


def template_csv() -> bytes:
    """The same as CSV, UTF-8 with a byte order mark so that Excel shows the diacritics."""
    return csv_text([template_headings(), template_example()]).encode("utf-8")
