"""Scoring quiz answers: plain Python, no Django, no database.

Arithmetic is exact. Choice weights are ``Fraction``s (three right choices earn 1/3 each and sum to
exactly 1); marks are ``Decimal``s. Totals and percentages are computed exactly and rounded once, at
the end, so 7 of 10 meets a 70 % pass mark and rounding never turns a fail into a pass.
"""

import functools
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from courses.text import collapse_spaces, strip_diacritics, unify_tone_placement

TWO_PLACES = Decimal("0.01")


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    NUMERICAL = "numerical"
    MATCHING = "matching"
    ORDERING = "ordering"
    ESSAY = "essay"


class Outcome(StrEnum):
    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    UNANSWERED = "unanswered"
    NEEDS_GRADING = "needs_grading"


@dataclass(frozen=True, slots=True)
class ChoiceKey:
    """One choice of a question, as the scorer sees it.

    ``fraction`` is the share of the marks the choice is worth (1 for the right answer, between 0
    and 1 for partly right, negative to penalise a wrong pick in multiple response). ``text`` is the
    accepted answer (short answer), the number (numerical) or the left-hand item (matching);
    ``match`` is the right-hand item that belongs with it (matching). A matching choice without
    an item is a distractor: its match is one more wrong option, as in Moodle.
    """

    id: int
    fraction: Fraction = Fraction(0)
    text: str = ""
    match: str = ""
    tolerance: Decimal = Decimal(0)

    @property
    def is_distractor(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True, slots=True)
class QuestionKey:
    type: QuestionType
    marks: Decimal
    choices: tuple[ChoiceKey, ...] = ()
    all_or_nothing: bool = False  # multiple response, matching and ordering
    case_sensitive: bool = False  # short answer
    accept_without_diacritics: bool = False  # short answer
    wildcards: bool = False  # short answer: "*" in an accepted answer matches any characters

    def choice(self, choice_id: int) -> ChoiceKey | None:
        return next((c for c in self.choices if c.id == choice_id), None)


# An answer, by question type:
#   SINGLE, TRUE_FALSE: the chosen choice id (int)
#   MULTIPLE: the chosen choice ids (a collection of int)
#   SHORT_ANSWER, ESSAY: text (str); NUMERICAL: the number as typed (str)
#   MATCHING: {left choice id: chosen right-hand text}
#   ORDERING: choice ids in the delegate's order
Answer = int | str | Collection[int] | Mapping[int, str] | Sequence[int] | None


@dataclass(frozen=True, slots=True)
class QuestionScore:
    earned: Fraction | None  # None until a trainer grades it
    possible: Fraction
    outcome: Outcome

    @property
    def earned_decimal(self) -> Decimal | None:
        return None if self.earned is None else to_decimal(self.earned)


@dataclass(frozen=True, slots=True)
class ScoreResult:
    earned: Decimal
    possible: Decimal
    percent: Decimal  # quantized to 0.01, ROUND_HALF_UP
    passed: bool  # decided on the exact percentage, before rounding
    pending: int = 0  # questions waiting for a trainer's grade
    questions: tuple[QuestionScore, ...] = field(default=())

    @property
    def is_final(self) -> bool:
        return self.pending == 0


def to_decimal(value: Fraction | Decimal | int) -> Decimal:
    """Round an exact value to two places, half up (the only rounding there is)."""
    value = Fraction(value)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        TWO_PLACES, ROUND_HALF_UP
    )


def _clamp(value: Fraction) -> Fraction:
    return max(Fraction(0), min(Fraction(1), value))


def _outcome(fraction: Fraction) -> Outcome:
    if fraction >= 1:
        return Outcome.CORRECT
    if fraction > 0:
        return Outcome.PARTIAL
    return Outcome.INCORRECT


def is_blank(answer: Answer) -> bool:
    if answer is None:
        return True
    if isinstance(answer, str):
        return not answer.strip()
    if isinstance(answer, int):
        return False
    if isinstance(answer, Mapping):
        return not any(str(v).strip() for v in answer.values())
    return len(answer) == 0


# Text matching


def normalise_text(
    value: str, *, case_sensitive: bool = False, drop_diacritics: bool = False
) -> str:
    """NFC, trimmed, inner whitespace folded, old- and new-style tone placement unified
    (hoà = hòa); optionally case-folded and without diacritics."""
    text = unify_tone_placement(collapse_spaces(value))
    if drop_diacritics:
        text = strip_diacritics(text)
    return text if case_sensitive else text.casefold()


def number_readings(value: str) -> tuple[Decimal, ...]:
    """Every number ``value`` can mean, the Vietnamese reading first.

    ``3,5`` and ``3.5`` are 3.5; ``3.366,5`` and ``1,000.25`` are unambiguous (with both marks, the
    last one is the decimal mark); a repeated mark groups thousands (``1.000.000``). A single mark
    followed by exactly three digits is ambiguous: ``1.000`` is one thousand to a Vietnamese reader
    and one to an English one, so both readings are returned. Spaces group digits too.
    """
    text = "".join(unicodedata.normalize("NFKC", value).split()).replace("−", "-")
    if not text:
        return ()
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        candidates = [text.replace(group_mark, "").replace(decimal_mark, ".")]
    elif commas + dots == 1:
        mark = "," if commas else "."
        whole, _sep, fraction = text.partition(mark)
        as_decimal = f"{whole}.{fraction}"
        as_groups = whole + fraction
        ambiguous = len(fraction) == 3 and whole.lstrip("+-") not in {"", "0"}
        if not ambiguous:
            candidates = [as_decimal]
        elif mark == ".":
            candidates = [as_groups, as_decimal]  # Vietnamese: dots group thousands
        else:
            candidates = [as_decimal, as_groups]  # Vietnamese: the comma is the decimal mark
    else:
        candidates = [text.replace(",", "").replace(".", "")]
    readings = []
    for candidate in candidates:
        try:
            number = Decimal(candidate)
        except ArithmeticError:
            continue
        if number.is_finite():
            readings.append(number)
    return tuple(readings)


def parse_number(value: str) -> Decimal | None:
    """The number ``value`` means to a Vietnamese reader, or None if it is not a number."""
    readings = number_readings(value)
    return readings[0] if readings else None


# Per-type scoring: each returns the fraction of the marks earned, in [0, 1].


def _single(key: QuestionKey, answer: Answer) -> Fraction:
    choice = key.choice(answer) if isinstance(answer, int) else None
    return _clamp(choice.fraction) if choice else Fraction(0)


def _multiple(key: QuestionKey, answer: Answer) -> Fraction:
    chosen = {choice_id for choice_id in answer if isinstance(choice_id, int)}
    if key.all_or_nothing:
        right = {c.id for c in key.choices if c.fraction > 0}
        return Fraction(1) if chosen == right else Fraction(0)
    return _clamp(sum((c.fraction for c in key.choices if c.id in chosen), Fraction(0)))


def _short_answer(key: QuestionKey, answer: Answer) -> Fraction:
    matched = matching_choices(key, answer)
    if key.wildcards and matched:
        # Moodle grades by the first accepted answer that matches, so that a catch-all "*"
        # written last only catches what nothing before it did.
        return _clamp(matched[0].fraction)
    return _clamp(max((choice.fraction for choice in matched), default=Fraction(0)))


UNESCAPED_ASTERISKS = re.compile(r"(?<!\\)\*+")


@functools.lru_cache(maxsize=1024)
def wildcard_pattern(accepted: str) -> re.Pattern[str]:
    """An accepted answer with wildcards as a pattern, as Moodle's short answer compares them
    (``qtype_shortanswer_question::compare_string_with_wildcard``): each run of ``*`` not
    preceded by a backslash matches any characters (none included), ``\\*`` is an asterisk,
    everything else is literal, and the whole answer must match."""
    parts = UNESCAPED_ASTERISKS.split(accepted)
    # DOTALL: answers reach here normalised to one line; a stray line break is any character.
    return re.compile(".*".join(re.escape(part.replace("\\*", "*")) for part in parts), re.DOTALL)


def wildcard_match(answer: str, accepted: str) -> bool:
    """``answer`` (already normalised) matches ``accepted`` (normalised alike), ``*`` wildcards
    and all."""
    return wildcard_pattern(accepted).fullmatch(answer) is not None


def literal_answer(accepted: str) -> str:
    """An accepted answer with wildcards as a delegate would type it: ``\\*`` an asterisk, each
    ``*`` a space (Moodle's ``clean_response``)."""
    parts = re.split(r"(?<!\\)\*", accepted)
    return " ".join(" ".join(part.replace("\\*", "*") for part in parts).split())


def matching_choices(key: QuestionKey, answer: Answer) -> list[ChoiceKey]:
    """Short answer and numerical: the choices (accepted answers) the given answer matches."""
    if not isinstance(answer, str):
        return []
    if key.type == QuestionType.NUMERICAL:
        readings = number_readings(answer)
        return [
            choice
            for choice in key.choices
            if (target := parse_number(choice.text)) is not None
            and any(abs(number - target) <= abs(choice.tolerance) for number in readings)
        ]
    options = {"case_sensitive": key.case_sensitive}
    given = normalise_text(answer, **options)
    given_plain = normalise_text(answer, drop_diacritics=True, **options)
    same = wildcard_match if key.wildcards else str.__eq__
    return [
        choice
        for choice in key.choices
        if same(given, normalise_text(choice.text, **options))
        or (
            key.accept_without_diacritics
            and same(given_plain, normalise_text(choice.text, drop_diacritics=True, **options))
        )
    ]


def _numerical(key: QuestionKey, answer: Answer) -> Fraction:
    matched = matching_choices(key, answer)
    return _clamp(max((choice.fraction for choice in matched), default=Fraction(0)))


def _matching(key: QuestionKey, answer: Answer) -> Fraction:
    items = [choice for choice in key.choices if not choice.is_distractor]
    if not isinstance(answer, Mapping) or not items:
        return Fraction(0)
    right = sum(
        1
        for choice in items
        if normalise_text(str(answer.get(choice.id, ""))) == normalise_text(choice.match)
    )
    if key.all_or_nothing:
        return Fraction(1) if right == len(items) else Fraction(0)
    return Fraction(right, len(items))


def _ordering(key: QuestionKey, answer: Answer) -> Fraction:
    expected = [choice.id for choice in key.choices]
    given = list(answer) if not isinstance(answer, (str, Mapping, int)) else []
    if not expected or sorted(given) != sorted(expected):
        return Fraction(0)  # not a permutation of the items: nothing is in place
    in_place = sum(1 for a, b in zip(given, expected, strict=True) if a == b)
    if key.all_or_nothing:
        return Fraction(1) if in_place == len(expected) else Fraction(0)
    return Fraction(in_place, len(expected))


SCORERS = {
    QuestionType.SINGLE: _single,
    QuestionType.TRUE_FALSE: _single,
    QuestionType.MULTIPLE: _multiple,
    QuestionType.SHORT_ANSWER: _short_answer,
    QuestionType.NUMERICAL: _numerical,
    QuestionType.MATCHING: _matching,
    QuestionType.ORDERING: _ordering,
}


def score_question(
    key: QuestionKey, answer: Answer, *, manual_grade: Decimal | None = None
) -> QuestionScore:
    """Score one answer. Essays are scored by a trainer: pass their ``manual_grade`` (in marks)."""
    possible = Fraction(key.marks)
    if key.type == QuestionType.ESSAY:
        if manual_grade is not None:
            earned = max(Fraction(0), min(possible, Fraction(manual_grade)))
            share = earned / possible if possible else Fraction(0)
            return QuestionScore(earned=earned, possible=possible, outcome=_outcome(share))
        if is_blank(answer):
            return QuestionScore(earned=Fraction(0), possible=possible, outcome=Outcome.UNANSWERED)
        return QuestionScore(earned=None, possible=possible, outcome=Outcome.NEEDS_GRADING)
    if is_blank(answer):
        return QuestionScore(earned=Fraction(0), possible=possible, outcome=Outcome.UNANSWERED)
    share = SCORERS[key.type](key, answer)
    return QuestionScore(earned=possible * share, possible=possible, outcome=_outcome(share))


def exact_percent(earned: Fraction, possible: Fraction) -> Fraction:
    return Fraction(0) if possible <= 0 else earned * 100 / possible


def score_attempt(
    keys: Sequence[QuestionKey],
    answers: Sequence[Answer],
    *,
    pass_mark_percent: Decimal,
    manual_grades: Sequence[Decimal | None] | None = None,
) -> ScoreResult:
    """Score a whole attempt: ``answers[i]`` answers ``keys[i]``.

    Questions awaiting a trainer's grade count as 0 until graded (``pending`` says how many): a
    grade can only add marks, so a pass shown before grading is never taken away.
    """
    if len(answers) != len(keys):
        raise ValueError("one answer (or None) is needed per question")
    grades = list(manual_grades) if manual_grades is not None else [None] * len(keys)
    questions = tuple(
        score_question(key, answer, manual_grade=grade)
        for key, answer, grade in zip(keys, answers, grades, strict=True)
    )
    return total_score(questions, pass_mark_percent=pass_mark_percent)


def total_score(questions: Sequence[QuestionScore], *, pass_mark_percent: Decimal) -> ScoreResult:
    """The attempt's score from its questions' scores (``score_question``), which a caller
    scoring many attempts may have kept: the same answer to the same key scores the same."""
    questions = tuple(questions)
    earned = sum((q.earned or Fraction(0) for q in questions), Fraction(0))
    possible = sum((q.possible for q in questions), Fraction(0))
    percent = exact_percent(earned, possible)
    pending = sum(1 for q in questions if q.outcome == Outcome.NEEDS_GRADING)
    return ScoreResult(
        earned=to_decimal(earned),
        possible=to_decimal(possible),
        percent=to_decimal(percent),
        passed=possible > 0 and percent >= Fraction(pass_mark_percent),
        pending=pending,
        questions=questions,
    )


class GradingMethod(StrEnum):
    HIGHEST = "highest"
    AVERAGE = "average"
    FIRST = "first"
    LAST = "last"


def final_grade(percents: Sequence[Decimal], method: GradingMethod) -> Decimal | None:
    """The quiz grade from the graded attempts' percentages, oldest first."""
    if not percents:
        return None
    if method == GradingMethod.HIGHEST:
        return max(percents)
    if method == GradingMethod.FIRST:
        return percents[0]
    if method == GradingMethod.LAST:
        return percents[-1]
    return to_decimal(sum((Fraction(p) for p in percents), Fraction(0)) / len(percents))
