"""Moodle's GIFT format (https://docs.moodle.org/en/GIFT_format), read and written the way
Moodle's own ``qformat_gift`` does, for the question types the bank has:

    ::Title:: Question text {=right ~wrong#feedback ####general feedback}   single choice
    {~%50%right ~%50%also right ~%-100%wrong}                               multiple response
    {T} {FALSE#feedback if wrong#feedback if right}                         true/false
    {=answer =%50%close}                                                    short answer
    {#2.5:0.1} {#1..5} {#=2.5:0.1 =%50%2:1}                                 numerical
    {=item -> match =other -> its match}                                    matching
    {}                                                                      essay

Questions are separated by blank lines; ``//`` starts a comment line; ``$CATEGORY: path``
names the category of the questions below it; ``\\~ \\= \\# \\{ \\} \\: \\\\`` are literal
characters and ``\\n`` a line break. ``[html]``, ``[markdown]``, ``[plain]`` and ``[moodle]``
before a text give its format (see ``quizzes.formats.text``); choices and feedback inherit the
question text's format, as in Moodle.

GIFT has no syntax for marks, ordering questions or the grading options. The writer puts marks
and options in comment lines that Moodle ignores and this reader understands, placed before the
question they belong to::

    // @marks: 2
    // @options: all_or_nothing, case_sensitive, no_shuffle

Ordering questions are written as a comment and listed as skipped.
"""

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from courses.uploads import decode_text
from quizzes.formats import (
    Export,
    Format,
    ParsedChoice,
    ParsedQuestion,
    ParseError,
    ParseResult,
    Skipped,
    default_name,
    finish,
    format_options,
    parse_decimal,
    parse_options,
    plain_number,
    quantize_credit,
    tolerance_value,
    unknown_options_message,
)
from quizzes.formats.text import (
    TextFormat,
    TextFormatError,
    html_to_plain,
    html_to_text,
    plain_inline_html,
    to_rich_text,
)
from quizzes.keys import key_from_snapshot
from quizzes.scoring import UNESCAPED_ASTERISKS, QuestionType, parse_number

# Escaped characters become private-use placeholders while the structure is parsed (as
# Moodle's escapedchar_pre does), and turn back into the characters afterwards.
ESCAPABLE = "\\~=#{}:"
PLACEHOLDERS = {char: chr(0xF0000 + i) for i, char in enumerate(ESCAPABLE)}
RESTORE = str.maketrans({value: key for key, value in PLACEHOLDERS.items()})
ESCAPE_SEQUENCE = re.compile(r"\\([\\~=#{}:n])")
FORMAT_MARKER = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
WEIGHT = re.compile(r"^\s*%\s*(-?\d+(?:[.,]\d+)?)\s*%")
DIRECTIVE = re.compile(r"^//\s*@(\w+)\s*:?\s*(.*)$")
CATEGORY_LINE = re.compile(r"^\s*\$CATEGORY:(.*)$")
CONTEXT_SEGMENT = re.compile(r"^\$\w+\$$")
TRUE_ANSWERS = {"T", "TRUE"}
FALSE_ANSWERS = {"F", "FALSE"}
HUNDRED = Decimal(100)
SHARE_SLACK = Decimal("0.01")  # percentages Moodle writes with five decimals (33.33333)


def true_label() -> str:
    return pgettext("true/false choice", "True")


def false_label() -> str:
    return pgettext("true/false choice", "False")


# Reading


class DescriptionItem(Exception):  # noqa: N818 (not an error: a kind of item)
    """Text without answers: Moodle's "description", which the bank has no type for."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        super().__init__(offset)


class GiftSyntaxError(Exception):
    def __init__(self, offset: int, message: str) -> None:
        self.offset = offset
        self.message = message
        super().__init__(message)


def protect(text: str) -> str:
    return ESCAPE_SEQUENCE.sub(
        lambda m: "\n" if m[1] == "n" else PLACEHOLDERS[m[1]],
        text,
    )


def restore(text: str) -> str:
    return text.translate(RESTORE)


@dataclass(slots=True)
class _Block:
    """The lines of one question, joined, with where each line starts."""

    text: str
    starts: list[int]
    numbers: list[int]

    def line_at(self, offset: int) -> int:
        return self.numbers[max(0, bisect.bisect_right(self.starts, offset) - 1)]


@dataclass(slots=True)
class _Reader:
    questions: list[ParsedQuestion]
    errors: list[ParseError]
    notes: list[ParseError]
    category: str = ""
    pending: dict[str, Any] | None = None

    def error(self, line: int, message: str) -> None:
        self.errors.append(ParseError(line, message))


def parse(data: bytes, *, max_questions: int) -> ParseResult:
    reader = _Reader(questions=[], errors=[], notes=[])
    for block in _blocks(decode_text(data)):
        _read_block(reader, block)
    if reader.pending:
        reader.notes.append(
            ParseError(
                reader.pending["line"],
                _("These @marks or @options lines are not followed by a question."),
            )
        )
    return finish(reader.questions, reader.errors, reader.notes, max_questions=max_questions)


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    blocks: list[list[tuple[int, str]]] = []
    block: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            block.append((number, line))
        elif block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    return blocks


def _read_block(reader: _Reader, lines: list[tuple[int, str]]) -> None:
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
    block = _Block("\n".join(parts), starts, numbers)
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


def _read_comment(reader: _Reader, number: int, comment: str) -> None:
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


def category_name(path: str) -> str:
    """``$course$/top/Chương 1/Bài 2`` -> ``Chương 1/Bài 2``: the bank's categories are flat,
    so Moodle's context and ``top`` are dropped and the rest of the path is the name. ``//``
    is a slash within a name."""
    segments, current, i = [], "", 0
    path = path.strip()
    while i < len(path):
        if path.startswith("//", i):
            current += "/"
            i += 2
        elif path[i] == "/":
            segments.append(current)
            current = ""
            i += 1
        else:
            current += path[i]
            i += 1
    segments.append(current)
    segments = [" ".join(segment.split()) for segment in segments if segment.strip()]
    if segments and CONTEXT_SEGMENT.match(segments[0]):
        segments = segments[1:]
    if segments and segments[0].lower() == "top":
        segments = segments[1:]
    return "/".join(segments)


def category_path(name: str) -> str:
    """The ``$CATEGORY:`` path of a category: its name with ``/`` doubled, behind Moodle's
    context and ``top`` when the name itself starts like them."""
    path = name.replace("/", "//")
    first = name.split("/", 1)[0].strip()
    if first.lower() == "top" or CONTEXT_SEGMENT.match(first):
        return "$course$/top/" + path
    return path


def _text_format(text: str, inherited: TextFormat) -> tuple[str, TextFormat]:
    marker = FORMAT_MARKER.match(text)
    if not marker:
        return text, inherited
    name = marker[1].lower()
    fmt = {"html": TextFormat.HTML, "markdown": TextFormat.MARKDOWN}.get(name, TextFormat.PLAIN)
    return text[marker.end() :], fmt


def _plain(text: str, inherited: TextFormat) -> str:
    """Choice and feedback text: the bank keeps them as plain text."""
    text, fmt = _text_format(text, inherited)
    text = restore(text).strip()
    if fmt == TextFormat.HTML:
        return html_to_text(text)
    return text


def _read_question(block: _Block, reader: _Reader, pending: dict[str, Any]) -> ParsedQuestion:
    text = block.text
    start = len(text) - len(text.lstrip())
    name = ""
    if text.startswith("::", start):
        end = text.find("::", start + 2)
        if end < 0:
            raise GiftSyntaxError(start, _("The title is not closed with “::”."))
        name = " ".join(restore(text[start + 2 : end]).split())
        start = end + 2
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
    after = text[closing + 1 :]
    question_text = text[start:opening] + ("_____" + after if after.strip() else "")
    answers = text[opening + 1 : closing]
    answers_offset = opening + 1

    general_feedback = ""
    separator = answers.rfind("####")
    question_text, fmt = _text_format(question_text.strip(), TextFormat.PLAIN)
    if separator >= 0:
        general_feedback = _plain(answers[separator + 4 :], fmt)
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
    kind, choices, flags = _read_answers(answers, answers_offset, fmt, reader, block)
    category = reader.category
    weighted = any((choice.credit_percent or 0) < 0 for choice in choices)
    for option, value in pending.items():
        if option in {"line", "marks"}:
            continue
        if option == "penalise_wrong_choices" and weighted:
            continue  # negative weights already say what wrong picks cost
        flags[option] = value
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


def _pieces(answers: str, offset: int, markers: str) -> list[tuple[str, str, int]]:
    """Split answers at each marker character: ``(marker, text, offset)``. Text before the
    first marker must be blank."""
    positions = [i for i, char in enumerate(answers) if char in markers]
    lead = answers[: positions[0]] if positions else answers
    if lead.strip():
        raise GiftSyntaxError(
            offset,
            _("“%(text)s” comes before the first answer; start each answer with %(markers)s.")
            % {"text": restore(lead.strip()), "markers": " ".join(f"“{m}”" for m in markers)},
        )
    pieces = []
    for index, position in enumerate(positions):
        end = positions[index + 1] if index + 1 < len(positions) else len(answers)
        pieces.append((answers[position], answers[position + 1 : end], offset + position))
    return pieces


def _weight(body: str, offset: int) -> tuple[Decimal | None, str]:
    match = WEIGHT.match(body)
    if not match:
        return None, body
    weight = parse_decimal(match[1])
    if weight is None:  # pragma: no cover - the pattern only lets numbers through
        raise GiftSyntaxError(offset, _("The answer's weight is not a number."))
    return weight, body[match.end() :]


def _feedback(body: str, fmt: TextFormat) -> tuple[str, str]:
    text, _sep, feedback = body.partition("#")
    return text, _plain(feedback, fmt) if feedback else ""


def _read_answers(
    answers: str, offset: int, fmt: TextFormat, reader: _Reader, block: _Block
) -> tuple[str, list[ParsedChoice], dict[str, Any]]:
    stripped = answers.strip()
    offset += len(answers) - len(answers.lstrip())
    if not stripped:
        return QuestionType.ESSAY, [], {}
    if stripped.startswith("#"):
        return QuestionType.NUMERICAL, _numerical(stripped[1:], offset + 1, fmt, reader, block), {}
    if "~" in stripped:
        return _choices(stripped, offset, fmt)
    if "=" in stripped and "->" in stripped:
        return QuestionType.MATCHING, _matching(stripped, offset, fmt), {}
    head = stripped.split("#", 1)[0].strip()
    if head.upper() in TRUE_ANSWERS | FALSE_ANSWERS:
        return QuestionType.TRUE_FALSE, _true_false(stripped, fmt), {}
    if stripped.startswith("="):
        return QuestionType.SHORT_ANSWER, _short_answer(stripped, offset, fmt), {}
    raise GiftSyntaxError(
        offset,
        _(
            "The answers could not be read: start right answers with “=”, wrong ones with “~”, "
            "a number with “#”, or write {T} or {F}."
        ),
    )


def _choices(
    answers: str, offset: int, fmt: TextFormat
) -> tuple[str, list[ParsedChoice], dict[str, Any]]:
    entries = []
    for marker, body, position in _pieces(answers, offset, "=~"):
        if marker == "=":
            weight, rest = HUNDRED, body  # as in Moodle: "=" is always the full answer
        else:
            parsed, rest = _weight(body, position)
            weight = parsed if parsed is not None else Decimal(0)
        text, feedback = _feedback(rest, fmt)
        entries.append((marker, weight, _plain(text, fmt), feedback))
    full = [entry for entry in entries if entry[0] == "="]
    if full:
        # Moodle's single-answer question: "=" marks the right answer (several "=" are each
        # fully right), "~%50%" earns part of the marks.
        choices = [
            ParsedChoice(
                text=text,
                is_correct=weight > 0,
                credit_percent=None
                if weight == 0 or (marker == "=" and len(full) == 1)
                else quantize_credit(weight),
                feedback=feedback,
            )
            for marker, weight, text, feedback in entries
        ]
        return QuestionType.SINGLE, choices, {}
    weights = [weight for _m, weight, _t, _f in entries]
    credits, penalise = multiple_credits(weights)
    choices = [
        ParsedChoice(text=text, is_correct=weight > 0, credit_percent=credit, feedback=feedback)
        for (_m, weight, text, feedback), credit in zip(entries, credits, strict=True)
    ]
    return QuestionType.MULTIPLE, choices, {"penalise_wrong_choices": penalise}


def multiple_credits(weights: Sequence[Decimal]) -> tuple[list[Decimal | None], bool]:
    """Multiple-response weights -> each choice's explicit credit (None: the bank's default
    share) and whether wrong picks subtract.

    Right choices that share the marks equally (``%50%`` twice, ``%33.33333%`` three times)
    get the default share, kept exact as 1/n rather than rounded percentages; wrong choices
    that all take away one share become "wrong picks subtract"."""
    positive = [weight for weight in weights if weight > 0]
    if positive:
        share = HUNDRED / len(positive)
        if all(abs(weight - share) <= SHARE_SLACK for weight in positive):
            negative = [weight for weight in weights if weight < 0]
            if (
                negative
                and len(negative) == len(weights) - len(positive)
                and all(abs(weight + share) <= SHARE_SLACK for weight in negative)
            ):
                return [None] * len(weights), True
            return [quantize_credit(weight) if weight < 0 else None for weight in weights], False
    return [quantize_credit(weight) if weight else None for weight in weights], False


def _true_false(answers: str, fmt: TextFormat) -> list[ParsedChoice]:
    parts = answers.split("#", 2)
    is_true = parts[0].strip().upper() in TRUE_ANSWERS
    wrong = _plain(parts[1], fmt) if len(parts) > 1 else ""
    right = _plain(parts[2], fmt) if len(parts) > 2 else ""
    return [
        ParsedChoice(text=true_label(), is_correct=is_true, feedback=right if is_true else wrong),
        ParsedChoice(
            text=false_label(), is_correct=not is_true, feedback=wrong if is_true else right
        ),
    ]


def _accepted(body: str, position: int) -> tuple[Decimal, str]:
    weight, rest = _weight(body, position)
    return (HUNDRED if weight is None else weight), rest


def _credit(weight: Decimal) -> Decimal | None:
    return None if weight in (0, HUNDRED) else quantize_credit(weight)


def _short_answer(answers: str, offset: int, fmt: TextFormat) -> list[ParsedChoice]:
    choices = []
    for _marker, body, position in _pieces(answers, offset, "="):
        weight, rest = _accepted(body, position)
        text, feedback = _feedback(rest, fmt)
        choices.append(
            ParsedChoice(
                text=_plain(text, fmt),
                is_correct=weight > 0,
                credit_percent=_credit(weight),
                feedback=feedback,
            )
        )
    return choices


def short_answer_wildcards(
    choices: Sequence[ParsedChoice], declared: bool
) -> tuple[list[ParsedChoice], bool]:
    """As in Moodle, a ``*`` in a short answer's accepted answer is a wildcard and ``\\*`` an
    asterisk. A question uses wildcards when one of its answers has a ``*`` (or its
    ``@options`` say so); otherwise its answers are kept as typed, ``\\*`` as ``*``."""
    if declared or any(UNESCAPED_ASTERISKS.search(choice.text) for choice in choices):
        return list(choices), True
    return [replace(choice, text=choice.text.replace("\\*", "*")) for choice in choices], False


def _numerical(
    answers: str, offset: int, fmt: TextFormat, reader: _Reader, block: _Block
) -> list[ParsedChoice]:
    other = answers.find("~")
    if other >= 0:
        reader.notes.append(
            ParseError(
                block.line_at(offset + other),
                _("Feedback for any other answer (“~”) is not kept: the bank has no place for it."),
            )
        )
        answers = answers[:other]
    body = answers.strip()
    lead = len(answers) - len(answers.lstrip())
    if body and not body.startswith("="):
        body = "=" + body  # the single-answer form {#2.5:0.1}
        lead -= 1
    pieces = _pieces(body, offset + lead, "=")
    if not pieces:
        raise GiftSyntaxError(offset, _("The numerical question has no accepted number."))
    choices = []
    for _marker, piece, position in pieces:
        weight, rest = _accepted(piece, position)
        value, feedback = _feedback(rest, fmt)
        number, tolerance = numerical_answer(restore(value), position)
        choices.append(
            ParsedChoice(
                text=number,
                is_correct=weight > 0,
                credit_percent=_credit(weight),
                tolerance=tolerance,
                feedback=feedback,
            )
        )
    return choices


def numerical_answer(value: str, position: int = 0) -> tuple[str, Decimal]:
    """``"2.5:0.1"`` -> ``("2.5", 0.1)``; ``"1..5"`` -> ``("3", 2)``; ``"7"`` -> ``("7", 0)``."""
    value = value.strip()
    if ".." in value[1:]:
        low_text, high_text = value.split("..", 1)
        low, high = parse_decimal(low_text), parse_decimal(high_text)
        if low is None or high is None or high < low:
            raise GiftSyntaxError(
                position,
                _("“%(value)s” is not a range of numbers like 1..5.") % {"value": value},
            )
        middle = (low + high) / 2
        return plain_number(middle), tolerance_value(high - middle)
    number_text, _sep, tolerance_text = value.partition(":")
    number = parse_decimal(number_text)
    tolerance = parse_decimal(tolerance_text) if tolerance_text.strip() else Decimal(0)
    if number is None or tolerance is None or tolerance < 0:
        raise GiftSyntaxError(
            position,
            _("“%(value)s” is not a number, optionally with its tolerance like 2.5:0.1.")
            % {"value": value},
        )
    return plain_number(number), tolerance_value(tolerance)


def _matching(answers: str, offset: int, fmt: TextFormat) -> list[ParsedChoice]:
    choices = []
    for _marker, body, position in _pieces(answers, offset, "="):
        item, arrow, rest = body.partition("->")
        if not arrow:
            raise GiftSyntaxError(
                position,
                _("Each pair of a matching question is written “=item -> match”."),
            )
        match, feedback = _feedback(rest, fmt)
        choices.append(
            ParsedChoice(
                text=_plain(item, fmt),
                match=restore(match).strip(),  # plain, as in Moodle
                is_correct=True,
                feedback=feedback,
            )
        )
    return choices


# Writing


def escape(text: str) -> str:
    """GIFT's escapes, as Moodle writes them: ``\\ # = ~ { } :`` and line breaks."""
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _guard_marker(text: str, fmt: TextFormat) -> str:
    """Text that itself starts with something like ``[html]`` gets its format written first."""
    if FORMAT_MARKER.match(text):
        return ("[html]" if fmt == TextFormat.HTML else "[moodle]") + text
    return text


def _guard_weight(text: str, default_weight: str) -> str:
    """Text that starts like a weight (``%50%``) gets its real weight written first."""
    if WEIGHT.match(text):
        return f"%{default_weight}%" + text
    return text


def _part(text: str, fmt: TextFormat) -> str:
    """A choice, match or feedback in the question's format."""
    value = plain_inline_html(text) if fmt == TextFormat.HTML else text
    return _guard_marker(escape(value), fmt)


def percent(value: Fraction) -> str:
    """A fraction of the marks as Moodle writes weights: ``50``, ``-33.33333``."""
    hundredths = value * 100
    if hundredths.denominator == 1:
        return str(hundredths.numerator)
    return plain_number(
        (Decimal(hundredths.numerator) / Decimal(hundredths.denominator)).quantize(
            Decimal("0.00001")
        )
    )


def _question_text(text: str) -> tuple[str, TextFormat]:
    plain = html_to_plain(text)
    if plain is not None:
        return _guard_marker(escape(plain), TextFormat.PLAIN), TextFormat.PLAIN
    return "[html]" + escape(text), TextFormat.HTML


def export(questions: Sequence[Mapping[str, Any]]) -> Export:
    lines: list[str] = []
    skipped: list[Skipped] = []
    category = None
    count = 0
    for question in questions:
        kind = QuestionType(question["type"])
        reason = unsuitable(question)
        if reason:
            skipped.append(Skipped(question["name"], reason))
            lines += [
                "// "
                + _("Skipped question “%(name)s”: %(reason)s")
                % {"name": " ".join(question["name"].split()), "reason": reason},
                "",
            ]
            continue
        if question.get("category", "") != category:
            if category or question.get("category", ""):  # "" after a category resets it
                lines += ["$CATEGORY: " + category_path(question.get("category", "")), ""]
            category = question.get("category", "")
        lines += _question_lines(question, kind)
        lines.append("")
        count += 1
    return Export(
        content="\n".join(lines).encode("utf-8"),
        format=Format.GIFT,
        count=count,
        skipped=tuple(skipped),
    )


def unsuitable(question: Mapping[str, Any]) -> str:
    """Why a question cannot be written as GIFT ("" if it can)."""
    kind = question["type"]
    if kind == QuestionType.ORDERING:
        return _("GIFT has no ordering questions.")
    texts = [choice.get("text", "") for choice in question.get("choices", [])]
    if kind in {QuestionType.SHORT_ANSWER, QuestionType.MATCHING} and any(
        "->" in text for text in texts
    ):
        # GIFT reads "=a -> b" as a matching pair and has no escape for "->".
        return _("An answer contains “->”, which GIFT reads as a matching pair.")
    return ""


def _question_lines(question: Mapping[str, Any], kind: QuestionType) -> list[str]:
    lines = []
    marks = Decimal(str(question.get("marks", 1)))
    if marks != 1:
        lines.append(f"// @marks: {plain_number(marks)}")
    # Multiple response: the weights say what wrong picks cost.
    options = format_options({**question, "penalise_wrong_choices": False})
    if options:
        lines.append(f"// @options: {options}")
    text, fmt = _question_text(question["text"])
    head = f"::{escape(' '.join(question['name'].split()))}::{text}"
    general = question.get("general_feedback", "")
    general_line = f"\t####{_part(general, fmt)}" if general else ""
    key = key_from_snapshot(question)
    choices = list(question.get("choices", []))

    if kind == QuestionType.ESSAY:
        return [*lines, head + "{" + general_line.strip() + "}"]
    if kind == QuestionType.TRUE_FALSE:
        return [*lines, head + "{" + _true_false_answer(choices, fmt) + general_line.strip() + "}"]

    # A single-choice question keeps one "=": further full answers are written "~%100%" so
    # that the question is never mistaken for a short answer.
    first_full = next((i for i, c in enumerate(key.choices) if c.fraction == 1), None)
    answer_lines = []
    for index, (choice, choice_key) in enumerate(zip(choices, key.choices, strict=True)):
        feedback = choice.get("feedback", "")
        tail = f"#{_part(feedback, fmt)}" if feedback else ""
        answer = _answer(
            kind,
            choice,
            choice_key,
            fmt,
            first=index == first_full,
            wildcards=bool(question.get("wildcards")),
        )
        answer_lines.append("\t" + answer + tail)
    opening = "{#" if kind == QuestionType.NUMERICAL else "{"
    return [*lines, head + opening, *answer_lines, *([general_line] if general else []), "}"]


def _answer(kind, choice, choice_key, fmt: TextFormat, *, first: bool, wildcards: bool) -> str:
    text = choice.get("text", "")
    if kind == QuestionType.SHORT_ANSWER and not wildcards:
        text = text.replace("*", "\\*")  # Moodle would read a bare "*" as a wildcard
    weight = percent(choice_key.fraction)
    if kind == QuestionType.SINGLE and first:
        return "=" + _part(text, fmt)  # "=" answers never carry a weight
    if kind in {QuestionType.SINGLE, QuestionType.MULTIPLE}:
        if choice_key.fraction == 0:
            return "~" + _guard_weight(_part(text, fmt), "0")
        return f"~%{weight}%" + _part(text, fmt)
    if kind == QuestionType.SHORT_ANSWER:
        if choice_key.fraction == 1:
            return "=" + _guard_weight(_part(text, fmt), "100")
        return f"=%{weight}%" + _part(text, fmt)
    if kind == QuestionType.NUMERICAL:
        prefix = "=" if choice_key.fraction == 1 else f"=%{weight}%"
        number = parse_number(text)
        value = plain_number(number) if number is not None else escape(text)
        return f"{prefix}{value}:{plain_number(choice_key.tolerance)}"
    # Matching: the match is plain text in Moodle too.
    match = escape(choice.get("match", ""))
    return f"={_part(text, fmt)} -> {match}"


TRUE_WORDS = {"t", "true", "dung", "yes", "co", "1"}
FALSE_WORDS = {"f", "false", "sai", "no", "khong", "0"}


def truth(text: str) -> bool | None:
    """``"Đúng"``, ``"True"``, ``"T"`` -> True; ``"Sai"``, ``"False"`` -> False; else None."""
    from courses.text import match_key, strip_diacritics

    def word(value: str) -> str:
        return strip_diacritics(match_key(value))

    if word(text) in TRUE_WORDS or word(text) == word(true_label()):
        return True
    if word(text) in FALSE_WORDS or word(text) == word(false_label()):
        return False
    return None


def is_true_choice(text: str, position: int) -> bool:
    """Whether a true/false choice stands for "true": by its text (Đúng, True, ...), else by
    its place (the first choice is "true")."""
    value = truth(text)
    return position == 0 if value is None else value


def _true_false_answer(choices: list[Mapping[str, Any]], fmt: TextFormat) -> str:
    right = next((i for i, choice in enumerate(choices) if choice.get("is_correct")), 0)
    right_choice = choices[right] if choices else {}
    wrong_choice = next((c for i, c in enumerate(choices) if i != right), {})
    answer = "TRUE" if is_true_choice(right_choice.get("text", ""), right) else "FALSE"
    wrong = wrong_choice.get("feedback", "")
    right_feedback = right_choice.get("feedback", "")
    if right_feedback:
        return f"{answer}#{_part(wrong, fmt)}#{_part(right_feedback, fmt)}"
    if wrong:
        return f"{answer}#{_part(wrong, fmt)}"
    return answer
