"""courses/spreadsheets.py, the one CSV writer, is pure: no database here."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.spreadsheets import FORMULA_PREFIXES, csv_text, neutralise_formula


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_every_formula_prefix_is_neutralised(prefix):
    assert neutralise_formula(f"{prefix}HYPERLINK(1)") == f"'{prefix}HYPERLINK(1)"


@pytest.mark.parametrize("value", ["Nguyễn Thị Hồng", "", "a=b", "'=quoted", 5, -1.5, None])
def test_other_values_are_left_alone(value):
    assert neutralise_formula(value) == value


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
