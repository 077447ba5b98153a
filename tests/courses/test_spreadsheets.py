"""courses/spreadsheets/writer.py, the one writer of CSV and XLSX files, and what the one reader
makes of what it writes. Pure: no database here.

Formula neutralising, the byte order mark, the bold header, streaming with constant memory, and
round trips written → read back (``courses.spreadsheets.reader``) for both formats.
"""

import codecs
import csv
import datetime
import io
import tracemalloc
import unicodedata
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.spreadsheets import (
    FORMULA_PREFIXES,
    ExcelFriendlyExportMixin,
    cell_text,
    csv_chunks,
    csv_text,
    neutralise_formula,
    read_rows,
    sheet_title,
    xlsx_bytes,
    xlsx_chunks,
)
from courses.spreadsheets.writer import ILLEGAL_CHARACTERS_RE

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER = ["Họ và tên", "Email", "Đơn vị"]


def cells(row):
    """A read row without the empty cells a sheet pads it with."""
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


# Neutralising formulas


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_every_formula_prefix_is_neutralised(prefix):
    assert neutralise_formula(f"{prefix}HYPERLINK(1)") == f"'{prefix}HYPERLINK(1)"


@pytest.mark.parametrize("value", ["Nguyễn Thị Hồng", "", "a=b", "'=quoted", 5, -1.5, None])
def test_other_values_are_left_alone(value):
    assert neutralise_formula(value) == value


@given(st.text(max_size=30))
def test_no_neutralised_text_starts_a_formula_and_the_text_is_kept(value):
    neutralised = neutralise_formula(value)

    assert not neutralised.startswith(FORMULA_PREFIXES)
    assert neutralised.removeprefix("'") == value or neutralised == value


# CSV


def test_csv_for_excel_has_a_byte_order_mark_crlf_and_no_formulas():
    text = csv_text([["Họ và tên", "Email"], ["=cmd|' /C calc'!A0", "a@x.vn"], [1, None]])

    assert text == ("\ufeffHọ và tên,Email\r\n'=cmd|' /C calc'!A0,a@x.vn\r\n1,\r\n")


@given(st.lists(st.lists(st.text(max_size=20), min_size=1, max_size=5), min_size=1, max_size=5))
def test_no_written_cell_starts_a_formula_and_every_cell_reads_back(rows):
    text = csv_text(rows)

    assert text.startswith("\ufeff")
    written = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert written == [[neutralise_formula(cell) for cell in row] for row in rows]
    assert not any(cell.startswith(FORMULA_PREFIXES) for row in written for cell in row)


def test_csv_is_streamed_a_row_at_a_time():
    taken = []

    def rows():
        for number in range(3):
            taken.append(number)
            yield [number, "Hồng"]

    chunks = csv_chunks(rows())

    assert next(chunks) == "\ufeff" and taken == []  # the mark goes out before any row is read
    assert next(chunks) == "0,Hồng\r\n" and taken == [0]
    assert list(chunks) == ["1,Hồng\r\n", "2,Hồng\r\n"]


# Cells: text the reader gives back. A cell is read as text in NFC without the spaces around it,
# with \n line ends; a tab or carriage return at its start is neutralised, so the reader keeps it.
READABLE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=25,
)


def read_back(value, *, xlsx: bool = False) -> str:
    if xlsx and isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # XML cannot hold them
    return cell_text(neutralise_formula(value))


@PROPERTY
@given(
    st.lists(
        st.lists(
            READABLE_TEXT.filter(lambda text: not {";", "\t"} & set(text)), min_size=3, max_size=3
        ),
        min_size=1,
        max_size=6,
    )
)
def test_csv_written_then_read_gives_the_same_cells(rows):
    # The reader guesses the separator (",", ";" or tab) from the first lines: the written CSV
    # has a header of three columns, as every export has, and its cells hold no ";" or tab.
    data = csv_text([HEADER, *rows]).encode("utf-8")

    read = [cells(row) for row in read_rows(data, kind="csv", max_columns=10)]

    expected = [HEADER, *([read_back(value) for value in row] for row in rows)]
    assert read == [cells(row) for row in expected]


# XLSX


def test_a_workbook_has_a_bold_frozen_header_and_typed_cells():
    moment = datetime.datetime(2026, 3, 1, 2, 30, tzinfo=datetime.UTC)
    data = xlsx_bytes(
        [
            (
                "Kết quả: lớp 1/2026",
                HEADER,
                [["=HYPERLINK(1)", 2, Decimal("7.50")], [moment, None, True]],
            )
        ]
    )

    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert book.sheetnames == ["Kết quả- lớp 1-2026"]  # ":" and "/" are not allowed
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[2]] == ["'=HYPERLINK(1)", 2, 7.5]
    assert sheet["A2"].data_type == "s"
    # Excel has no time zones: an aware time is written as the local time (Asia/Ho_Chi_Minh).
    assert sheet["A3"].value == datetime.datetime(2026, 3, 1, 9, 30)
    assert sheet["C3"].value is True


def test_sheet_titles_fit_excel():
    assert sheet_title("x" * 40) == "x" * 31
    assert sheet_title("a[b]c*d?e/f\\g:h") == "a-b-c-d-e-f-g-h"
    assert sheet_title("") == "-"


def test_control_characters_xml_cannot_hold_are_dropped_not_refused():
    data = xlsx_bytes([("S", ["a"], [["Hồng\x0b\x01"]])])

    assert list(read_rows(data, kind="xlsx", max_columns=1)) == [["a"], ["Hồng"]]


@PROPERTY
@given(
    st.lists(
        st.lists(
            st.one_of(
                READABLE_TEXT,
                st.integers(min_value=-(10**12), max_value=10**12),
                st.booleans(),
                st.none(),
            ),
            min_size=3,
            max_size=3,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_xlsx_written_then_read_gives_the_same_cells(rows):
    data = xlsx_bytes([("Sheet", HEADER, rows)])

    read = [cells(row) for row in read_rows(data, kind="xlsx", max_columns=10)]

    expected = [HEADER, *([read_back(value, xlsx=True) for value in row] for row in rows)]
    assert read == [cells(row) for row in expected]


def test_xlsx_is_written_with_constant_memory_and_sent_in_pieces():
    def rows(count):
        for number in range(count):
            yield [f"Nguyễn Thị Hồng {number}", f"hong{number}@example.vn", number, 8.5]

    def peak(count) -> tuple[int, int]:
        tracemalloc.start()
        try:
            pieces = sum(1 for _ in xlsx_chunks([("S", HEADER, rows(count))], chunk_size=4096))
            return tracemalloc.get_traced_memory()[1], pieces
        finally:
            tracemalloc.stop()

    small, _ = peak(200)
    large, pieces = peak(4000)

    assert pieces > 10  # many pieces, each sent as it is read
    assert large < small + 256 * 1024  # twenty times the rows, about the same memory


# Wagtail's exports


class Thing:
    def __init__(self, name):
        self.name = name


class ThingExport(ExcelFriendlyExportMixin):
    list_export = ["name"]
    export_headings = {"name": "Tên"}


def test_wagtail_exports_name_their_sheet_in_vietnamese_and_neutralise_both_formats():
    things = [Thing("=HYPERLINK(1)"), Thing("Hồng")]
    with translation.override("vi"):
        response = ThingExport().as_spreadsheet(things, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        csv_response = ThingExport().as_spreadsheet(things, "csv")
        text = b"".join(csv_response.streaming_content).decode("utf-8")

    assert book.sheetnames == ["Trang tính1"]
    assert [[cell.value for cell in row] for row in book.active] == [
        ["Tên"],
        ["'=HYPERLINK(1)"],
        ["Hồng"],
    ]
    assert book.active["A1"].font.b
    assert response.personal_data_rows == 2
    assert text == "\ufeffTên\r\n'=HYPERLINK(1)\r\nHồng\r\n"


# Every encoding people save a CSV in, read back the same


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.encode(), id="utf-8"),
        pytest.param(lambda text: text.encode("utf-8-sig"), id="utf-8 with a mark"),
        pytest.param(lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), id="utf-16 LE"),
        pytest.param(lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"), id="utf-16 BE"),
        pytest.param(lambda text: unicodedata.normalize("NFD", text).encode(), id="decomposed"),
    ],
)
def test_a_written_csv_saved_again_in_any_encoding_reads_back(encode):
    rows = [HEADER, ["Nguyễn Thị Hồng", "hong@example.vn", "Sở Văn hóa, Thể thao và Du lịch"]]
    text = csv_text(rows).removeprefix("\ufeff")

    assert list(read_rows(encode(text), kind="csv", max_columns=5)) == rows
