"""The Excel question template, written: questions as rows under the styled header, with the
type column's drop-down list and the guide sheet."""

import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from quizzes.formats import Export, Format, Skipped, format_options, plain_number
from quizzes.formats.text import html_to_plain
from quizzes.formats.xlsx.guide import write_guide
from quizzes.formats.xlsx.layout import (
    GUIDE_TITLE,
    LETTERS,
    MATCH_SEPARATORS,
    MAX_CELL,
    SHEET_TITLE,
    TEMPLATE_OPTIONS,
    TYPE_NAMES,
    append_row,
    headings,
)
from quizzes.scoring import QuestionType


def _text_cell(value: str) -> str:
    plain = html_to_plain(value)
    return value if plain is None else plain


def _credit_text(credit: Any) -> str:
    return plain_number(Decimal(str(credit)))


def _pick_list(choices: list[Mapping[str, Any]]) -> str:
    picks = []
    for letter, choice in zip(LETTERS, choices, strict=False):
        credit = choice.get("credit_percent")
        if credit not in (None, ""):
            picks.append(f"{letter}:{_credit_text(credit)}")
        elif choice.get("is_correct"):
            picks.append(letter)
    return ", ".join(picks)


def _number_text(choice: Mapping[str, Any]) -> str:
    from quizzes.scoring import parse_number

    number = parse_number(str(choice.get("text", "")))
    text = plain_number(number) if number is not None else str(choice.get("text", ""))
    tolerance = choice.get("tolerance")
    if tolerance not in (None, "") and Decimal(str(tolerance)):
        return f"{text}±{plain_number(Decimal(str(tolerance)))}"
    return text


def _row(question: Mapping[str, Any], options: int) -> list[Any]:
    kind = QuestionType(question["type"])
    choices = list(question.get("choices", []))
    cells = [""] * options
    correct = ""
    if kind in {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE}:
        cells[: len(choices)] = [choice["text"] for choice in choices]
        correct = _pick_list(choices)
    elif kind in {QuestionType.SHORT_ANSWER, QuestionType.NUMERICAL}:
        texts = [_number_text(c) if kind == QuestionType.NUMERICAL else c["text"] for c in choices]
        only = choices[0] if len(choices) == 1 else None
        if (
            only is not None
            and only.get("is_correct")
            and only.get("credit_percent") in (None, "")
            and not only.get("feedback")
            and "|" not in texts[0]
        ):
            correct = texts[0]
        else:
            cells[: len(texts)] = texts
            correct = _pick_list(choices)
    elif kind == QuestionType.MATCHING:
        cells[: len(choices)] = [f"{c['text']} => {c.get('match', '')}" for c in choices]
    elif kind == QuestionType.ORDERING:
        cells[: len(choices)] = [choice["text"] for choice in choices]
    feedback = [""] * options
    feedback[: len(choices)] = [choice.get("feedback", "") for choice in choices]
    return [
        TYPE_NAMES[kind],
        question["name"],
        _text_cell(question["text"]),
        Decimal(str(question.get("marks", 1))),
        *cells,
        correct,
        question.get("general_feedback", ""),
        question.get("category", ""),
        *feedback,
        format_options(question),
    ]


def unsuitable(question: Mapping[str, Any]) -> str:
    """Why a question cannot be written to the template ("" if it can)."""
    choices = question.get("choices", [])
    if len(choices) > len(LETTERS):
        return _("The template holds at most 26 options.")
    if question["type"] == QuestionType.MATCHING and any(
        separator in choice.get("text", "") for choice in choices for separator in MATCH_SEPARATORS
    ):
        return _("A matching item contains “=>” or “->”, which separate items from matches.")
    if len(question.get("text", "")) > MAX_CELL:
        return _("The question text is longer than an Excel cell holds.")
    return ""


def _style_header(sheet, count: int) -> None:
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for column in range(1, count + 1):
        cell = sheet.cell(row=1, column=column)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = 18
    sheet.column_dimensions["C"].width = 50
    sheet.freeze_panes = "A2"


def _type_validation(sheet, rows: int) -> None:
    choices = ",".join(TYPE_NAMES.values())
    validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    validation.showErrorMessage = False  # codes are accepted too
    sheet.add_data_validation(validation)
    validation.add(f"A2:A{max(rows, 500)}")


def _workbook(questions: Sequence[Mapping[str, Any]], options: int) -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    header = headings(options)
    sheet.append(header)
    _style_header(sheet, len(header))
    for question in questions:
        append_row(sheet, _row(question, options))
    _type_validation(sheet, len(questions) + 1)
    write_guide(workbook.create_sheet(GUIDE_TITLE))
    return workbook


def _save(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export(questions: Sequence[Mapping[str, Any]]) -> Export:
    written, skipped = [], []
    for question in questions:
        reason = unsuitable(question)
        if reason:
            skipped.append(Skipped(question["name"], reason))
        else:
            written.append(question)
    options = max(
        [len(TEMPLATE_OPTIONS), *(len(q.get("choices", [])) for q in written)],
    )
    return Export(
        content=_save(_workbook(written, options)),
        format=Format.XLSX,
        count=len(written),
        skipped=tuple(skipped),
    )


def template() -> bytes:
    """The empty template, with its guide sheet."""
    return _save(_workbook([], len(TEMPLATE_OPTIONS)))
