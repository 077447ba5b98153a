"""The template's second sheet, "Hướng dẫn": how to fill in each column, each type explained,
and one example row per type in the layout of the question sheet. Content, kept apart from
the code that reads and writes questions."""

from typing import Any

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from quizzes.formats.xlsx.layout import (
    HEADINGS,
    TEMPLATE_OPTIONS,
    TYPE_NAMES,
    Column,
    append_row,
    headings,
)
from quizzes.scoring import QuestionType

EXAMPLES: list[dict[str, Any]] = [
    {
        "type": QuestionType.SINGLE,
        "name": "Thủ đô",
        "question": "Thủ đô của Việt Nam là thành phố nào?",
        "options": ["Hà Nội", "Huế", "Đà Nẵng"],
        "correct": "A",
        "feedback": "Hà Nội là thủ đô từ năm 1010.",
        "option_feedback": ["", "Huế là kinh đô thời Nguyễn."],
    },
    {
        "type": QuestionType.MULTIPLE,
        "name": "Nguyên tắc",
        "question": "Những cách làm nào đúng với tinh thần Kết luận 57-KL/TW?",
        "marks": 2,
        "options": ["Chủ động", "Đồng bộ", "Bị động"],
        "correct": "A, B",
        "extra": "penalise_wrong_choices",
    },
    {
        "type": QuestionType.TRUE_FALSE,
        "question": "Kết luận 57-KL/TW được ban hành năm 2023.",
        "correct": "Đúng",
    },
    {
        "type": QuestionType.SHORT_ANSWER,
        "question": "Tỉnh nào được sáp nhập vào Phú Thọ cùng Vĩnh Phúc?",
        "correct": "Hòa Bình",
        "extra": "accept_without_diacritics",
    },
    {
        "type": QuestionType.NUMERICAL,
        "question": "Từ ngày 1/7/2025 Việt Nam có bao nhiêu tỉnh, thành phố?",
        "correct": "34±0",
    },
    {
        "type": QuestionType.MATCHING,
        "question": "Ghép mỗi văn bản với ngày ban hành.",
        "options": ["57-KL/TW => 15/6/2023", "16-KL/TW => 14/2/2012", "71-KL/TW => 16/2/2024"],
    },
    {
        "type": QuestionType.ORDERING,
        "question": "Sắp xếp các văn bản theo thứ tự ban hành.",
        "options": ["16-KL/TW", "57-KL/TW", "71-KL/TW"],
    },
    {
        "type": QuestionType.ESSAY,
        "question": "Nêu ba việc cơ quan anh/chị sẽ làm để thực hiện Kết luận 57-KL/TW.",
        "marks": 5,
    },
]


def example_rows() -> list[list[Any]]:
    """The guide's example rows, in the layout of the question sheet."""
    rows = []
    for example in EXAMPLES:
        options = list(example.get("options", []))
        option_feedback = list(example.get("option_feedback", []))
        rows.append(
            [
                TYPE_NAMES[example["type"]],
                example.get("name", ""),
                example["question"],
                example.get("marks", 1),
                *(options + [""] * (len(TEMPLATE_OPTIONS) - len(options))),
                example.get("correct", ""),
                example.get("feedback", ""),
                "",
                *(option_feedback + [""] * (len(TEMPLATE_OPTIONS) - len(option_feedback))),
                example.get("extra", ""),
            ]
        )
    return rows


def _explanations() -> dict[QuestionType, str]:
    return {
        QuestionType.SINGLE: _(
            "One right option. Fill in the options (Đáp án A, B, …) and write the right "
            "option's letter in the correct-answer column, e.g. A."
        ),
        QuestionType.MULTIPLE: _(
            "Several right options: write their letters separated by commas, e.g. A, C. For "
            "partial or negative credit add a percentage after a letter: A:50, B:50, C:-50."
        ),
        QuestionType.TRUE_FALSE: _(
            "Write Đúng (true) or Sai (false) in the correct-answer column; the options may stay "
            "empty."
        ),
        QuestionType.SHORT_ANSWER: _(
            "Write the accepted answer in the correct-answer column, several separated by |. Or "
            "put the answers in the option columns and their letters in the correct-answer "
            "column."
        ),
        QuestionType.NUMERICAL: _(
            "Write the number and how far off an answer may be, e.g. 2.5±0.1, or a range such "
            "as 1..5. Several accepted numbers go in the option columns."
        ),
        QuestionType.MATCHING: _(
            "Each option is a pair “item => match”; “=> match” without an item adds an extra "
            "wrong option. Leave the correct-answer column empty."
        ),
        QuestionType.ORDERING: _(
            "Write the items in the right order in the option columns; delegates see them "
            "shuffled. Leave the correct-answer column empty."
        ),
        QuestionType.ESSAY: _("Only the question: trainers grade the answers."),
    }


def _notes() -> list[str]:
    return [
        _("One question per row on the first sheet; empty rows are skipped."),
        _("Type: the Vietnamese name or the code in this table."),
        _("Name: optional; the start of the question is used when it is empty."),
        _(
            "Question: plain text; an empty line within the cell starts a new paragraph. A cell "
            "that starts with an HTML tag such as <p> is read as HTML."
        ),
        _("Marks: 1 when empty."),
        _("Category: optional; when empty the question goes to the category chosen on import."),
        _("Feedback A–F: optional, shown to delegates who chose that option."),
        _(
            "Options: optional, separated by commas: all_or_nothing, penalise_wrong_choices, "
            "case_sensitive, accept_without_diacritics, wildcards (short answer: * stands for "
            "any characters), no_shuffle."
        ),
        _("More than six options: add columns “Đáp án G”, “Đáp án H” and so on."),
    ]


def write_guide(sheet) -> None:
    bold = Font(bold=True)
    sheet.append([_("How to fill in the question sheet")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append([HEADINGS[Column.TYPE], _("Code"), _("How to fill in")])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for kind, explanation in _explanations().items():
        sheet.append([TYPE_NAMES[kind], kind.value, explanation])
    sheet.append([])
    for note in _notes():
        sheet.append([note])
    sheet.append([])
    sheet.append([_("Examples (one row per type, as on the question sheet)")])
    sheet[f"A{sheet.max_row}"].font = bold
    sheet.append(headings())
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in example_rows():
        append_row(sheet, row)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 70
    for row in sheet.iter_rows(min_row=4, max_row=11, min_col=3, max_col=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
