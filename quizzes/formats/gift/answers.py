"""Reading the answers between a GIFT question's braces into choices, per question type, as
Moodle's ``qformat_gift`` reads them."""

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from quizzes.formats import (
    ParsedChoice,
    ParseError,
    parse_decimal,
    plain_number,
    quantize_credit,
    tolerance_value,
)
from quizzes.formats.gift.syntax import (
    FALSE_ANSWERS,
    HUNDRED,
    SHARE_SLACK,
    TRUE_ANSWERS,
    WEIGHT,
    Block,
    GiftSyntaxError,
    false_label,
    restore,
    text_format,
    true_label,
)
from quizzes.formats.text import (
    TextFormat,
    html_to_text,
)
from quizzes.scoring import UNESCAPED_ASTERISKS, QuestionType

if TYPE_CHECKING:  # the reader imports this module
    from quizzes.formats.gift.reader import Reader


def plain_text(text: str, inherited: TextFormat) -> str:
    """Choice and feedback text: the bank keeps them as plain text."""
    text, fmt = text_format(text, inherited)
    text = restore(text).strip()
    if fmt == TextFormat.HTML:
        return html_to_text(text)
    return text


def answer_pieces(answers: str, offset: int, markers: str) -> list[tuple[str, str, int]]:
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


def weight_of(body: str, offset: int) -> tuple[Decimal | None, str]:
    match = WEIGHT.match(body)
    if not match:
        return None, body
    weight = parse_decimal(match[1])
    if weight is None:  # pragma: no cover - the pattern only lets numbers through
        raise GiftSyntaxError(offset, _("The answer's weight is not a number."))
    return weight, body[match.end() :]


def split_feedback(body: str, fmt: TextFormat) -> tuple[str, str]:
    text, _sep, feedback = body.partition("#")
    return text, plain_text(feedback, fmt) if feedback else ""


def read_answers(
    answers: str, offset: int, fmt: TextFormat, reader: "Reader", block: Block
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
    for marker, body, position in answer_pieces(answers, offset, "=~"):
        if marker == "=":
            weight, rest = HUNDRED, body  # as in Moodle: "=" is always the full answer
        else:
            parsed, rest = weight_of(body, position)
            weight = parsed if parsed is not None else Decimal(0)
        text, feedback = split_feedback(rest, fmt)
        entries.append((marker, weight, plain_text(text, fmt), feedback))
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
    wrong = plain_text(parts[1], fmt) if len(parts) > 1 else ""
    right = plain_text(parts[2], fmt) if len(parts) > 2 else ""
    return [
        ParsedChoice(text=true_label(), is_correct=is_true, feedback=right if is_true else wrong),
        ParsedChoice(
            text=false_label(), is_correct=not is_true, feedback=wrong if is_true else right
        ),
    ]


def _accepted(body: str, position: int) -> tuple[Decimal, str]:
    weight, rest = weight_of(body, position)
    return (HUNDRED if weight is None else weight), rest


def _credit(weight: Decimal) -> Decimal | None:
    return None if weight in (0, HUNDRED) else quantize_credit(weight)


def _short_answer(answers: str, offset: int, fmt: TextFormat) -> list[ParsedChoice]:
    choices = []
    for _marker, body, position in answer_pieces(answers, offset, "="):
        weight, rest = _accepted(body, position)
        text, feedback = split_feedback(rest, fmt)
        choices.append(
            ParsedChoice(
                text=plain_text(text, fmt),
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
    answers: str, offset: int, fmt: TextFormat, reader: "Reader", block: Block
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
    pieces = answer_pieces(body, offset + lead, "=")
    if not pieces:
        raise GiftSyntaxError(offset, _("The numerical question has no accepted number."))
    choices = []
    for _marker, piece, position in pieces:
        weight, rest = _accepted(piece, position)
        value, feedback = split_feedback(rest, fmt)
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
    for _marker, body, position in answer_pieces(answers, offset, "="):
        item, arrow, rest = body.partition("->")
        if not arrow:
            raise GiftSyntaxError(
                position,
                _("Each pair of a matching question is written “=item -> match”."),
            )
        match, feedback = split_feedback(rest, fmt)
        choices.append(
            ParsedChoice(
                text=plain_text(item, fmt),
                match=restore(match).strip(),  # plain, as in Moodle
                is_correct=True,
                feedback=feedback,
            )
        )
    return choices
