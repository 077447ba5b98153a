"""The Excel question template, read: the first sheet's header row found, each row a question."""

from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from courses.spreadsheets import workbook_rows
from quizzes.formats import (
    ParsedChoice,
    ParsedQuestion,
    ParseError,
    ParseResult,
    QuestionFileError,
    default_name,
    finish,
    parse_decimal,
    parse_options,
    quantize_credit,
    too_many_questions,
    unknown_options_message,
)
from quizzes.formats.gift import GiftSyntaxError, false_label, true_label, truth
from quizzes.formats.gift import numerical_answer as gift_numerical_answer
from quizzes.formats.text import clean_html, looks_like_html, plain_to_html
from quizzes.formats.xlsx.layout import (
    FEEDBACK_HEADING,
    GUIDE_TITLE,
    HEADER_INDEX,
    HEADER_SEARCH_ROWS,
    HEADINGS,
    LETTERS,
    MATCH_SEPARATORS,
    MAX_BLANK_ROWS,
    MAX_COLUMNS,
    NUMBER_TOLERANCE,
    OPTION_HEADING,
    PICK,
    PICK_SEPARATOR,
    TYPE_INDEX,
    TYPE_NAMES,
    Column,
    key,
)
from quizzes.scoring import QuestionType


def _rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """The question sheet's rows, numbered as the spreadsheet shows them."""
    rows = workbook_rows(data, max_columns=MAX_COLUMNS, skip_sheets={GUIDE_TITLE})
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


def _unknown_type_message(type_text: str) -> str:
    if not type_text:
        return _("The question type is missing.")
    return _("Unknown question type “%(type)s”. Use one of: %(types)s.") % {
        "type": type_text,
        "types": ", ".join(TYPE_NAMES.values()),
    }


def _question_text(source: str, notes: list[str]) -> str:
    """The question's text as the editor stores it; a note when formatting was dropped."""
    if not looks_like_html(source):
        return plain_to_html(source)
    text, removed = clean_html(source)
    if removed:
        notes.append(_("Formatting the question editor does not offer was removed from the text."))
    return text


def _orphan_feedback_errors(
    kind: QuestionType, options: dict[str, str], feedback: dict[str, str]
) -> list[str]:
    """Feedback given for an option left empty (true/false and answer-only types excepted)."""
    answer_only = not options and kind in {QuestionType.SHORT_ANSWER, QuestionType.NUMERICAL}
    if kind == QuestionType.TRUE_FALSE or answer_only:
        return []
    return [
        _("There is feedback for option %(letter)s, which is empty.") % {"letter": letter}
        for letter in feedback
        if letter not in options
    ]


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
        return None, [_unknown_type_message(type_text)], notes

    text = _question_text(column(Column.QUESTION), notes)

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
    errors += _orphan_feedback_errors(kind, options, feedback)

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
