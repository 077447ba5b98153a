"""Writing questions as GIFT, as Moodle writes them, with the marks and options Moodle has no
syntax for in comment lines this reader understands."""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from quizzes.formats import (
    Export,
    Format,
    Skipped,
    format_options,
    plain_number,
)
from quizzes.formats.gift.syntax import FORMAT_MARKER, WEIGHT, category_path, escape, is_true_choice
from quizzes.formats.text import (
    TextFormat,
    html_to_plain,
    plain_inline_html,
)
from quizzes.keys import key_from_snapshot
from quizzes.scoring import QuestionType, parse_number


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
