"""The Excel question template that trainers fill in, read and written.

One sheet of questions, one row each, under a header row in Vietnamese with English in
brackets; a second sheet, "Hướng dẫn", explains each type with an example row. Export writes
the same layout, so an exported workbook imports again unchanged.

========================  ==============================================================
column                    content
========================  ==============================================================
Loại câu hỏi (type)       a code (``single``) or its Vietnamese name (``một lựa chọn``)
Tên (name)                optional: the start of the question text otherwise
Câu hỏi (question)        plain text (a blank line starts a paragraph), or HTML if the
                          cell starts with a tag such as ``<p>``
Điểm (marks)              optional, 1 if empty
Đáp án A … F (G, H, …)    the options; matching ``item => match``; ordering in the right
                          order; short answer and numerical may list accepted answers here
Đáp án đúng (correct)     letters ``A, C`` (with credit ``A:50, C:-50``); short answer: the
                          answer (several separated by ``|``); numerical ``2.5±0.1`` or
                          ``1..5``; true/false ``Đúng``/``Sai`` (or a letter)
Phản hồi chung            general feedback
Danh mục (category)       optional: the category chosen on import otherwise
Phản hồi A … F            optional feedback for each option
Tùy chọn (options)        optional grading options (see ``quizzes.formats.OPTION_ALIASES``)
========================  ==============================================================
"""

import io
import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from courses import uploads
from courses.text import match_key, strip_diacritics
from quizzes.formats import (
    Export,
    Format,
    ParsedChoice,
    ParsedQuestion,
    ParseError,
    ParseResult,
    QuestionFileError,
    Skipped,
    default_name,
    finish,
    format_options,
    parse_decimal,
    parse_options,
    plain_number,
    quantize_credit,
    too_many_questions,
    unknown_options_message,
)
from quizzes.formats.gift import GiftSyntaxError, false_label, true_label, truth
from quizzes.formats.gift import numerical_answer as gift_numerical_answer
from quizzes.formats.text import clean_html, html_to_plain, looks_like_html, plain_to_html
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


# Reading


def _rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """The question sheet's rows, numbered as the spreadsheet shows them."""
    rows = uploads.workbook_rows(data, max_columns=MAX_COLUMNS, skip_sheets={GUIDE_TITLE})
    try:
        yield from enumerate(rows, start=1)
    finally:
        rows.close()  # closes the workbook when the reading stops early


def _heading(value: str) -> tuple[str, str] | None:
    """What a heading names: ``("column", name)``, ``("option", letter)`` or
    ``("feedback", letter)``."""
    candidates = [value]
    before, bracket, inside = value.partition("(")
    if bracket:
        inside = inside.rstrip(") ")
        candidates += [before, inside, inside.split(":", 1)[0]]
    for candidate in candidates:
        heading = key(candidate)
        if heading in HEADER_INDEX:
            return "column", HEADER_INDEX[heading]
        if match := FEEDBACK_HEADING.match(heading):
            return "feedback", match[1].upper()
        if match := OPTION_HEADING.match(heading):
            return "option", match[1].upper()
    return None


class _Layout:
    def __init__(self, headings: list[str]) -> None:
        self.columns: dict[Column, int] = {}
        self.options: dict[str, int] = {}
        self.feedback: dict[str, int] = {}
        for position, value in enumerate(headings):
            found = _heading(value) if value else None
            if found is None:
                continue
            kind, name = found
            target = {"column": self.columns, "option": self.options, "feedback": self.feedback}
            target[kind].setdefault(name, position)
        self.options = dict(sorted(self.options.items()))

    @property
    def complete(self) -> bool:
        return Column.TYPE in self.columns and Column.QUESTION in self.columns


def parse(data: bytes, *, max_questions: int) -> ParseResult:
    rows = _rows(data)
    layout = None
    for number, values in rows:
        candidate = _Layout(values)
        if candidate.complete:
            layout = candidate
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if layout is None:
        rows.close()
        raise QuestionFileError(
            _(
                "The first sheet has no header row with the columns “%(type)s” and "
                "“%(question)s”. Start from the template."
            )
            % {"type": HEADINGS[Column.TYPE], "question": HEADINGS[Column.QUESTION]}
        )
    questions: list[ParsedQuestion] = []
    errors: list[ParseError] = []
    notes: list[ParseError] = []
    read = 0
    for number, values in rows:
        if number > max_questions + MAX_BLANK_ROWS:
            rows.close()
            raise too_many_questions(max_questions)
        if not any(values):
            continue
        read += 1
        if read > max_questions:
            rows.close()
            raise too_many_questions(max_questions)
        question, row_errors, row_notes = _read_row(number, values, layout)
        notes += [ParseError(number, note) for note in row_notes]
        if question is None:
            errors += [ParseError(number, message) for message in row_errors]
        else:
            questions.append(question)
    return finish(questions, errors, notes, max_questions=max_questions)


def _read_row(
    number: int, values: list[str], layout: _Layout
) -> tuple[ParsedQuestion | None, list[str], list[str]]:
    def cell(position: int | None) -> str:
        return values[position] if position is not None and position < len(values) else ""

    def column(name: Column) -> str:
        return cell(layout.columns.get(name))

    errors: list[str] = []
    notes: list[str] = []
    type_text = column(Column.TYPE)
    kind = TYPE_INDEX.get(key(type_text))
    if kind is None:
        if type_text:
            message = _("Unknown question type “%(type)s”. Use one of: %(types)s.") % {
                "type": type_text,
                "types": ", ".join(TYPE_NAMES.values()),
            }
        else:
            message = _("The question type is missing.")
        return None, [message], notes

    source = column(Column.QUESTION)
    if looks_like_html(source):
        text, removed = clean_html(source)
        if removed:
            notes.append(
                _("Formatting the question editor does not offer was removed from the text.")
            )
    else:
        text = plain_to_html(source)

    marks_text = column(Column.MARKS)
    marks = parse_decimal(marks_text) if marks_text else Decimal(1)
    if marks is None:
        errors.append(_("“%(value)s” is not a number of marks.") % {"value": marks_text})
        marks = Decimal(1)

    options = {
        letter: cell(position) for letter, position in layout.options.items() if cell(position)
    }
    feedback = {
        letter: cell(position) for letter, position in layout.feedback.items() if cell(position)
    }
    correct = column(Column.CORRECT)
    flags, unknown = parse_options(column(Column.OPTIONS))
    if unknown:
        errors.append(unknown_options_message(unknown))

    try:
        choices = _choices(kind, options, correct, feedback)
    except _RowError as error:
        # The answers could not be read: report that alone, not what follows from it.
        return None, [*errors, error.message], notes
    else:
        for letter in feedback:
            if (
                kind != QuestionType.TRUE_FALSE
                and letter not in options
                and not (
                    not options and kind in {QuestionType.SHORT_ANSWER, QuestionType.NUMERICAL}
                )
            ):
                errors.append(
                    _("There is feedback for option %(letter)s, which is empty.")
                    % {"letter": letter}
                )

    return (
        ParsedQuestion(
            line=number,
            type=kind,
            name=" ".join(column(Column.NAME).split()) or default_name(text),
            text=text,
            marks=marks,
            general_feedback=column(Column.FEEDBACK),
            choices=tuple(choices),
            category=" ".join(column(Column.CATEGORY).split()),
            errors=tuple(errors),
            **flags,
        ),
        [],
        notes,
    )


class _RowError(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _choices(
    kind: QuestionType, options: dict[str, str], correct: str, feedback: dict[str, str]
) -> list[ParsedChoice]:
    if kind == QuestionType.ESSAY:
        return [ParsedChoice(text=text) for text in options.values()]
    if kind == QuestionType.ORDERING:
        return [
            ParsedChoice(text=text, feedback=feedback.get(letter, ""))
            for letter, text in options.items()
        ]
    if kind == QuestionType.MATCHING:
        return [_pair(letter, text, feedback.get(letter, "")) for letter, text in options.items()]
    if kind == QuestionType.TRUE_FALSE and not options:
        return _true_false(correct, feedback)
    if kind in {QuestionType.SHORT_ANSWER, QuestionType.NUMERICAL} and not options:
        answers = [part.strip() for part in correct.split("|") if part.strip()]
        options = dict(zip(LETTERS, answers, strict=False))
        picks = dict.fromkeys(options)
    elif kind in {QuestionType.SHORT_ANSWER, QuestionType.NUMERICAL} and not correct:
        picks = dict.fromkeys(options)
    else:
        picks = _picks(correct, options)
    choices = []
    for letter, text in options.items():
        credit = picks.get(letter)
        tolerance = None
        value = text
        if kind == QuestionType.NUMERICAL:
            value, tolerance = _number(text)
        choices.append(
            ParsedChoice(
                text=value,
                is_correct=letter in picks and (credit is None or credit > 0),
                credit_percent=credit,
                tolerance=tolerance,
                feedback=feedback.get(letter, ""),
            )
        )
    return choices


def _pair(letter: str, text: str, feedback: str) -> ParsedChoice:
    for separator in MATCH_SEPARATORS:
        item, found, match = text.partition(separator)
        if found:
            return ParsedChoice(
                text=item.strip(), match=match.strip(), is_correct=True, feedback=feedback
            )
    raise _RowError(
        _("Option %(letter)s of a matching question is written “item => match”.")
        % {"letter": letter}
    )


def _true_false(correct: str, feedback: dict[str, str]) -> list[ParsedChoice]:
    if not correct:
        raise _RowError(_("Write Đúng or Sai in the correct-answer column."))
    is_true = {"a": True, "b": False}.get(key(correct), truth(correct))
    if is_true is None:
        raise _RowError(
            _("“%(value)s” is neither true nor false: write Đúng or Sai.") % {"value": correct}
        )
    return [
        ParsedChoice(text=true_label(), is_correct=is_true, feedback=feedback.get("A", "")),
        ParsedChoice(text=false_label(), is_correct=not is_true, feedback=feedback.get("B", "")),
    ]


def _picks(correct: str, options: dict[str, str]) -> dict[str, Decimal | None]:
    """``"A, C:50"`` -> ``{"A": None, "C": 50}``. An option's own text names it too."""
    if not correct:
        return {}
    by_text = {key(text): letter for letter, text in options.items()}
    if key(correct) in by_text and not PICK.match(correct):
        return {by_text[key(correct)]: None}
    picks: dict[str, Decimal | None] = {}
    for token in PICK_SEPARATOR.split(correct):
        token = token.strip(" ,;")
        if not token:
            continue
        pick = PICK.match(token)
        if pick is None:
            letter = by_text.get(key(token))
            if letter is None:
                raise _RowError(
                    _("“%(value)s” in the correct-answer column is not an option letter.")
                    % {"value": token}
                )
            picks[letter] = None
            continue
        letter = pick[1].upper()
        if letter not in options:
            raise _RowError(
                _("The correct answer names option %(letter)s, which is empty.")
                % {"letter": letter}
            )
        amount = pick[2] or pick[3]
        credit = parse_decimal(amount) if amount else None
        picks[letter] = None if credit is None else quantize_credit(credit)
    return picks


def _number(text: str) -> tuple[str, Decimal]:
    value = text.strip()
    match = NUMBER_TOLERANCE.match(value)
    if match:
        value = f"{match[1]}:{match[2]}"
    try:
        return gift_numerical_answer(value)
    except GiftSyntaxError as error:
        raise _RowError(
            _("“%(value)s” is not a number, optionally with its tolerance like 2.5±0.1.")
            % {"value": text}
        ) from error


# Writing


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


def _append(sheet, values: Sequence[Any]) -> None:
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # text, never a formula
        cell.alignment = Alignment(wrap_text=True, vertical="top")


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
        _append(sheet, _row(question, options))
    _type_validation(sheet, len(questions) + 1)
    _guide(workbook.create_sheet(GUIDE_TITLE))
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


# The guide sheet

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


def _guide(sheet) -> None:
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
        _append(sheet, row)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 70
    for row in sheet.iter_rows(min_row=4, max_row=11, min_col=3, max_col=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
