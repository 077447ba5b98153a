"""Reading a GIFT file: blocks, comments and ``@`` instructions, categories, titles and text,
then the answers (``quizzes.formats.gift.answers``) and the shared checks."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from courses.spreadsheets import decode_text
from quizzes.formats import (
    ParsedQuestion,
    ParseError,
    ParseResult,
    default_name,
    finish,
    parse_decimal,
    parse_options,
    unknown_options_message,
)
from quizzes.formats.gift.answers import plain_text, read_answers, short_answer_wildcards
from quizzes.formats.gift.syntax import (
    CATEGORY_LINE,
    DIRECTIVE,
    Block,
    DescriptionItem,
    GiftSyntaxError,
    category_name,
    protect,
    restore,
    split_blocks,
    text_format,
)
from quizzes.formats.text import (
    TextFormat,
    TextFormatError,
    to_rich_text,
)
from quizzes.scoring import QuestionType


@dataclass(slots=True)
class Reader:
    """What reading a file has found so far, the category in force, and the ``@marks`` and
    ``@options`` waiting for the next question."""

    questions: list[ParsedQuestion]
    errors: list[ParseError]
    notes: list[ParseError]
    category: str = ""
    pending: dict[str, Any] | None = None

    def error(self, line: int, message: str) -> None:
        self.errors.append(ParseError(line, message))


def parse(data: bytes, *, max_questions: int) -> ParseResult:
    reader = Reader(questions=[], errors=[], notes=[])
    for block in split_blocks(decode_text(data)):
        _read_block(reader, block)
    if reader.pending:
        reader.notes.append(
            ParseError(
                reader.pending["line"],
                _("These @marks or @options lines are not followed by a question."),
            )
        )
    return finish(reader.questions, reader.errors, reader.notes, max_questions=max_questions)


def _read_block(reader: Reader, lines: list[tuple[int, str]]) -> None:
    content: list[tuple[int, str]] = []
    for number, line in lines:
        stripped = line.strip()
        if stripped.startswith("//"):
            _read_comment(reader, number, stripped)
        else:
            content.append((number, line))
    if not content:
        return
    category = CATEGORY_LINE.match(content[0][1])
    if category:
        reader.category = category_name(category[1])
        content = content[1:]
        if not content:
            return
    starts, numbers, parts, offset = [], [], [], 0
    for number, line in content:
        starts.append(offset)
        numbers.append(number)
        protected = protect(line)
        parts.append(protected)
        offset += len(protected) + 1
    block = Block("\n".join(parts), starts, numbers)
    pending, reader.pending = reader.pending or {}, None
    try:
        question = _read_question(block, reader, pending)
    except GiftSyntaxError as error:
        reader.error(block.line_at(error.offset), error.message)
        return
    except DescriptionItem as item:
        reader.notes.append(
            ParseError(
                block.line_at(item.offset),
                _(
                    "This text has no answers in braces { }: Moodle reads it as a description, "
                    "which is not a question of the bank, so it was not imported. Write {} after "
                    "it to import it as an essay question."
                ),
            )
        )
        return
    reader.questions.append(question)


def _read_comment(reader: Reader, number: int, comment: str) -> None:
    directive = DIRECTIVE.match(comment)
    if not directive:
        return
    name, value = directive[1].lower(), directive[2].strip()
    pending = reader.pending if reader.pending is not None else {"line": number}
    reader.pending = pending
    if name == "marks":
        marks = parse_decimal(value)
        if marks is None or marks < 0:
            reader.error(number, _("“%(value)s” is not a number of marks.") % {"value": value})
        else:
            pending["marks"] = marks
    elif name == "options":
        flags, unknown = parse_options(value)
        if unknown:
            reader.error(number, unknown_options_message(unknown))
        pending.update(flags)
    else:
        reader.error(
            number, _("Unknown instruction “@%(name)s”: use @marks or @options.") % {"name": name}
        )


def _apply_options(flags: dict[str, Any], pending: dict[str, Any], choices: list) -> None:
    """The ``@options`` given before the question, over the flags its answers set."""
    weighted = any((choice.credit_percent or 0) < 0 for choice in choices)
    for option, value in pending.items():
        if option in {"line", "marks"}:
            continue
        if option == "penalise_wrong_choices" and weighted:
            continue  # negative weights already say what wrong picks cost
        flags[option] = value


def _title(text: str, start: int) -> tuple[str, int]:
    """The question's ``::title::`` if it has one, and where the text after it starts."""
    if not text.startswith("::", start):
        return "", start
    end = text.find("::", start + 2)
    if end < 0:
        raise GiftSyntaxError(start, _("The title is not closed with “::”."))
    return " ".join(restore(text[start + 2 : end]).split()), end + 2


def _braces(text: str, start: int) -> tuple[int, int]:
    """Where the one set of answers in braces opens and closes. A block without braces is a
    description (``DescriptionItem``)."""
    opening = text.find("{", start)
    closing = text.find("}", start)
    if opening < 0 and closing < 0:
        raise DescriptionItem(start)
    if closing < 0:
        raise GiftSyntaxError(opening, _("The answers opened with “{” are not closed with “}”."))
    if opening < 0 or closing < opening:
        raise GiftSyntaxError(
            closing,
            _(
                "The braces { } around the answers do not match. Write \\{ or \\} for a brace "
                "in the text."
            ),
        )
    extra = min(
        (i for i in (text.find("{", closing), text.find("}", closing + 1)) if i >= 0), default=-1
    )
    if extra >= 0:
        raise GiftSyntaxError(
            extra,
            _(
                "A question has one set of answers in braces; write \\{ or \\} for a brace in "
                "the text."
            ),
        )
    return opening, closing


def _read_question(block: Block, reader: Reader, pending: dict[str, Any]) -> ParsedQuestion:
    text = block.text
    name, start = _title(text, len(text) - len(text.lstrip()))
    opening, closing = _braces(text, start)
    after = text[closing + 1 :]
    question_text = text[start:opening] + ("_____" + after if after.strip() else "")
    answers = text[opening + 1 : closing]
    answers_offset = opening + 1

    general_feedback = ""
    separator = answers.rfind("####")
    question_text, fmt = text_format(question_text.strip(), TextFormat.PLAIN)
    if separator >= 0:
        general_feedback = plain_text(answers[separator + 4 :], fmt)
        answers = answers[:separator]

    try:
        html, removed = to_rich_text(restore(question_text).strip(), fmt)
    except TextFormatError as error:
        raise GiftSyntaxError(start, error.message) from error
    line = block.line_at(start)
    if removed:
        reader.notes.append(
            ParseError(
                line,
                _("Formatting the question editor does not offer was removed from the text."),
            )
        )
    kind, choices, flags = read_answers(answers, answers_offset, fmt, reader, block)
    category = reader.category
    _apply_options(flags, pending, choices)
    if kind == QuestionType.SHORT_ANSWER:
        choices, flags["wildcards"] = short_answer_wildcards(choices, flags.get("wildcards", False))
    else:
        flags.pop("wildcards", None)
    return ParsedQuestion(
        line=line,
        type=kind,
        name=name or default_name(html),
        text=html,
        marks=pending.get("marks", Decimal(1)),
        general_feedback=general_feedback,
        choices=tuple(choices),
        category=category,
        **flags,
    )
