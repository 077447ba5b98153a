"""The Excel question template's layout: sheet names, headings, type names and the keys they
are matched by, shared by the reader, the writer and the guide sheet."""

import re
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from openpyxl.styles import Alignment

from courses.spreadsheets import keep_as_text
from courses.text import match_key, strip_diacritics
from quizzes.scoring import QuestionType

# File vocabulary, not interface text: the template's sheet names and headings (Vietnamese,
# with the English in brackets, as trainers asked) and the type names trainers write.
SHEET_TITLE = "Câu hỏi"
GUIDE_TITLE = "Hướng dẫn"
TEMPLATE_OPTIONS = "ABCDEF"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 80
MAX_CELL = 32767  # Excel's limit for one cell
MAX_BLANK_ROWS = 1000  # rows read beyond the question limit, for blank and title rows


class Column(StrEnum):
    TYPE = "type"
    NAME = "name"
    QUESTION = "question"
    MARKS = "marks"
    CORRECT = "correct"
    FEEDBACK = "feedback"
    CATEGORY = "category"
    OPTIONS = "options"


HEADINGS = {
    Column.TYPE: "Loại câu hỏi (type)",
    Column.NAME: "Tên (name)",
    Column.QUESTION: "Câu hỏi (question)",
    Column.MARKS: "Điểm (marks)",
    Column.CORRECT: "Đáp án đúng (correct: A,B / text / number±tolerance)",
    Column.FEEDBACK: "Phản hồi chung (feedback)",
    Column.CATEGORY: "Danh mục (category)",
    Column.OPTIONS: "Tùy chọn (options)",
}
HEADER_ALIASES = {
    Column.TYPE: ("Loại câu hỏi", "Loại", "type", "question type"),
    Column.NAME: ("Tên", "Tên câu hỏi", "name", "title"),
    Column.QUESTION: ("Câu hỏi", "Nội dung", "Nội dung câu hỏi", "question", "question text"),
    Column.MARKS: ("Điểm", "Số điểm", "marks", "mark", "points"),
    Column.CORRECT: ("Đáp án đúng", "correct", "correct answer", "answer"),
    Column.FEEDBACK: ("Phản hồi chung", "Phản hồi", "feedback", "general feedback"),
    Column.CATEGORY: ("Danh mục", "category"),
    Column.OPTIONS: ("Tùy chọn", "options"),
}
OPTION_HEADING = re.compile(r"^(?:dap an|phuong an|lua chon|option|choice)?\s*([a-z])$")
FEEDBACK_HEADING = re.compile(r"^(?:phan hoi|feedback)\s+([a-z])$")

TYPE_NAMES = {
    QuestionType.SINGLE: "một lựa chọn",
    QuestionType.MULTIPLE: "nhiều lựa chọn",
    QuestionType.TRUE_FALSE: "đúng/sai",
    QuestionType.SHORT_ANSWER: "trả lời ngắn",
    QuestionType.NUMERICAL: "số",
    QuestionType.MATCHING: "ghép đôi",
    QuestionType.ORDERING: "sắp xếp",
    QuestionType.ESSAY: "tự luận",
}
TYPE_ALIASES = {
    QuestionType.SINGLE: ("single choice", "một đáp án"),
    QuestionType.MULTIPLE: ("multiple response", "nhiều đáp án"),
    QuestionType.TRUE_FALSE: ("true/false", "đúng sai"),
    QuestionType.SHORT_ANSWER: ("short answer",),
    QuestionType.NUMERICAL: ("numerical", "number", "số học"),
    QuestionType.MATCHING: ("ghép cặp", "nối"),
    QuestionType.ORDERING: ("sắp thứ tự",),
    QuestionType.ESSAY: ("viết",),
}
MATCH_SEPARATORS = ("=>", "->", "→", "⇒")
NUMBER_TOLERANCE = re.compile(r"^(.+?)\s*(?:±|\+/-|\+-)\s*(.+)$")
PICK = re.compile(
    r"^([A-Za-z])\s*(?:[:=]\s*(-?\d+(?:[.,]\d+)?)\s*%?|\(\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*\))?$"
)
PICK_SEPARATOR = re.compile(r"[,;\s]+(?=[A-Za-z](?:[^\w]|$))")


def key(value: str) -> str:
    """Case-, diacritic- and punctuation-insensitive: ``"Đúng/Sai"`` -> ``"dung sai"``."""
    return " ".join(re.split(r"[\W_]+", strip_diacritics(match_key(value)))).strip()


HEADER_INDEX = {
    key(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases
}
TYPE_INDEX = {
    **{key(kind.value): kind for kind in QuestionType},
    **{key(name): kind for kind, name in TYPE_NAMES.items()},
    **{key(alias): kind for kind, aliases in TYPE_ALIASES.items() for alias in aliases},
}


def _option_headings(count: int) -> list[str]:
    return [f"Đáp án {letter}" for letter in LETTERS[:count]]


def _feedback_headings(count: int) -> list[str]:
    return [f"Phản hồi {letter} (feedback {letter})" for letter in LETTERS[:count]]


def headings(options: int = len(TEMPLATE_OPTIONS)) -> list[str]:
    return [
        HEADINGS[Column.TYPE],
        HEADINGS[Column.NAME],
        HEADINGS[Column.QUESTION],
        HEADINGS[Column.MARKS],
        *_option_headings(options),
        HEADINGS[Column.CORRECT],
        HEADINGS[Column.FEEDBACK],
        HEADINGS[Column.CATEGORY],
        *_feedback_headings(options),
        HEADINGS[Column.OPTIONS],
    ]


def append_row(sheet, values: Sequence[Any]) -> None:
    """Append a row of wrapped cells; text stays text even when it starts with ``=`` (a question
    file must import back unchanged, so nothing is added to the text)."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        keep_as_text(cell)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
