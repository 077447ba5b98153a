"""Delegate rosters: read an organiser's XLSX or CSV list and check every row.

Plain functions, no database: the caller passes the province lookup in (see
``build_province_index``) and the service layer decides what each valid row means for
existing accounts (see ``classify``).
"""

import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl.styles import Font

from courses import uploads
from courses.spreadsheets import csv_text
from courses.text import collapse_spaces, match_key, nfc, strip_diacritics

# Lengths of the fields the rows end up in (DelegateProfile; the email is also the username).
MAX_LENGTHS = {"full_name": 150, "organisation": 200, "position": 150, "email": 150}
# Columns beyond this are never read; rows above this may hold a title before the header.
MAX_COLUMNS = 40
HEADER_SEARCH_ROWS = 10


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
# Administrative prefixes written before a province's name ("Tỉnh Phú Thọ", "TP. Huế").
PROVINCE_PREFIXES = ("thanh pho ", "tinh ", "tp ")


class RosterFileError(uploads.UploadError):
    """The file as a whole cannot be imported. ``message`` is translated, for the admin."""


class RowStatus(StrEnum):
    NEW = "new"  # an account is created and enrolled
    EXISTING = "existing"  # an existing account is enrolled; its profile is left alone
    ENROLLED = "enrolled"  # already in this cohort: skipped
    OTHER_COHORT = "other_cohort"  # in another cohort of the same course: skipped
    ERROR = "error"


STATUS_LABELS = {
    RowStatus.NEW: gettext_lazy("New account"),
    RowStatus.EXISTING: gettext_lazy("Existing account"),
    RowStatus.ENROLLED: gettext_lazy("Already enrolled"),
    RowStatus.OTHER_COHORT: gettext_lazy("In another cohort"),
    RowStatus.ERROR: gettext_lazy("Error"),
}
ENROLLING = frozenset({RowStatus.NEW, RowStatus.EXISTING})


@dataclass(frozen=True, slots=True)
class ProvinceMatch:
    province_id: int
    name: str
    former_name: str = ""  # set when the roster used a pre-2025 unit's name


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
class RosterRow:
    """A row after validation: cleaned values, the matched province, errors and notes."""

    number: int
    full_name: str
    organisation: str
    position: str
    province_text: str
    email: str
    province: ProvinceMatch | None
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def is_valid(self) -> bool:
        return not self.errors


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


def province_key(value: str) -> str:
    return heading_key(value)


def _without_prefix(key: str) -> str:
    for prefix in PROVINCE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


HEADER_INDEX: dict[str, Column] = {
    heading_key(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases
}


def template_headings() -> list[str]:
    return [HEADER_ALIASES[column][0] for column in Column]


def template_example() -> list[str]:
    return [TEMPLATE_EXAMPLE[column] for column in Column]


# Provinces


def build_province_index(
    current: Iterable[tuple[int, str]], former: Iterable[tuple[str, int]]
) -> dict[str, ProvinceMatch]:
    """Map province keys to today's provinces.

    ``current`` holds ``(id, name)`` of today's provinces, ``former`` ``(name, successor_id)``
    of the units they replaced. A current name wins over a former one with the same key.
    """
    index: dict[str, ProvinceMatch] = {}
    names: dict[int, str] = {}
    for province_id, name in current:
        names[province_id] = name
        match = ProvinceMatch(province_id=province_id, name=name)
        key = province_key(name)
        index[key] = match
        index.setdefault(_without_prefix(key), match)
    for name, successor_id in former:
        if successor_id not in names:
            continue
        key = province_key(name)
        if key in index:
            continue
        match = ProvinceMatch(province_id=successor_id, name=names[successor_id], former_name=name)
        index[key] = match
        index.setdefault(_without_prefix(key), match)
    return index


def match_province(value: str, index: Mapping[str, ProvinceMatch]) -> ProvinceMatch | None:
    key = province_key(value)
    if not key:
        return None
    return index.get(key) or index.get(_without_prefix(key))


# Reading files


def read_roster(data: bytes, filename: str, *, max_rows: int, max_bytes: int) -> RosterTable:
    """Read the rows of an .xlsx or .csv roster. Raises ``RosterFileError``."""
    try:
        uploads.check_size(data, max_bytes=max_bytes)
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if extension == "xlsx":
            lines = _xlsx_lines(data)
        elif extension == "csv":
            lines = _csv_lines(data)
        elif extension in {"xls", "ods", "numbers"}:
            raise RosterFileError(
                _("This spreadsheet format cannot be read. Save it as an Excel workbook (.xlsx).")
            )
        else:
            raise RosterFileError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        try:
            return _table(lines, filename=filename, max_rows=max_rows)
        finally:
            lines.close()
    except RosterFileError:
        raise
    except uploads.UploadError as error:
        raise RosterFileError(error.message) from error


def _xlsx_lines(data: bytes) -> Iterator[list[str]]:
    rows = uploads.workbook_rows(data, max_columns=MAX_COLUMNS)
    try:
        for values in rows:
            yield [collapse_spaces(value) for value in values]
    finally:
        rows.close()


def _csv_lines(data: bytes) -> Iterator[list[str]]:
    try:
        text = uploads.decode_text(data)
    except uploads.UndecodableText as error:
        raise RosterFileError(
            _(
                "This CSV file is not in UTF-8. In Excel choose “Save as” and the type "
                "“CSV UTF-8 (Comma delimited)”, or upload the .xlsx file itself."
            )
        ) from error
    for values in uploads.csv_rows(text, max_columns=MAX_COLUMNS):
        yield [collapse_spaces(value) for value in values]


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


# Validating rows


def validate_rows(
    rows: Iterable[RawRow], *, provinces: Mapping[str, ProvinceMatch]
) -> list[RosterRow]:
    """Clean and check each row; a repeated email is an error on every later occurrence."""
    first_seen: dict[str, int] = {}
    result = []
    for raw in rows:
        row = validate_row(raw, provinces=provinces)
        if row.email and "@" in row.email:
            seen = first_seen.setdefault(row.email, row.number)
            if seen != row.number:
                message = _("The email %(email)s is already in row %(row)d.") % {
                    "email": row.email,
                    "row": seen,
                }
                row = RosterRow(**{**_fields(row), "errors": (*row.errors, message)})
        result.append(row)
    return result


def _fields(row: RosterRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in RosterRow.__dataclass_fields__}


def validate_row(raw: RawRow, *, provinces: Mapping[str, ProvinceMatch]) -> RosterRow:
    errors: list[str] = []
    notes: list[str] = []
    full_name = collapse_spaces(raw.full_name)
    organisation = collapse_spaces(raw.organisation)
    position = collapse_spaces(raw.position)
    province_text = collapse_spaces(raw.province)
    email = nfc(raw.email).lower()
    if email.startswith("mailto:"):
        email = email.removeprefix("mailto:")

    if not full_name:
        errors.append(_("The full name is missing."))
    if not organisation:
        errors.append(_("The organisation is missing."))
    for name, value, label in (
        ("full_name", full_name, COLUMN_LABELS[Column.FULL_NAME]),
        ("organisation", organisation, COLUMN_LABELS[Column.ORGANISATION]),
        ("position", position, COLUMN_LABELS[Column.POSITION]),
    ):
        if len(value) > MAX_LENGTHS[name]:
            errors.append(
                _("%(field)s is longer than %(limit)d characters.")
                % {"field": label, "limit": MAX_LENGTHS[name]}
            )

    if not email:
        errors.append(_("The email is missing."))
    elif len(email) > MAX_LENGTHS["email"]:
        errors.append(
            _("The email is longer than %(limit)d characters.") % {"limit": MAX_LENGTHS["email"]}
        )
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("“%(email)s” is not a valid email address.") % {"email": email})

    province = None
    if not province_text:
        errors.append(_("The province is missing."))
    else:
        province = match_province(province_text, provinces)
        if province is None:
            errors.append(
                _(
                    "The province “%(province)s” is unknown. Use one of today's 34 provinces "
                    "and cities, or a former province's name."
                )
                % {"province": province_text}
            )
        elif province.former_name:
            notes.append(
                _("The former province %(former)s is now part of %(province)s.")
                % {"former": province.former_name, "province": province.name}
            )

    return RosterRow(
        number=raw.number,
        full_name=full_name,
        organisation=organisation,
        position=position,
        province_text=province_text,
        email=email,
        province=province,
        errors=tuple(errors),
        notes=tuple(notes),
    )


# What a valid row means, given what the database already holds


def classify(
    row: RosterRow,
    *,
    has_account: bool,
    enrolled: bool,
    enrolled_cohort_id: int | None,
    cohort_id: int,
) -> RowStatus:
    """``enrolled``: the account has an enrolment in the cohort's course, in
    ``enrolled_cohort_id`` (``None`` when it enrolled on its own, outside any cohort)."""
    if row.errors:
        return RowStatus.ERROR
    if not has_account:
        return RowStatus.NEW
    if not enrolled or enrolled_cohort_id is None:
        return RowStatus.EXISTING
    if enrolled_cohort_id == cohort_id:
        return RowStatus.ENROLLED
    return RowStatus.OTHER_COHORT


# The downloadable template


def template_xlsx() -> bytes:
    """A workbook with the Vietnamese header row and one example row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Delegates")[:31]
    sheet.append(template_headings())
    sheet.append(template_example())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (28, 36, 18, 18, 32), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    """The same as CSV, UTF-8 with a byte order mark so that Excel shows the diacritics."""
    return csv_text([template_headings(), template_example()]).encode("utf-8")
