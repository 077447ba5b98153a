"""Question snapshots (the JSON kept in ``QuestionVersion.data``) and what can be derived from
them without a database: the scoring key, validation errors, the delegate-safe view."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from courses.text import match_key
from quizzes.scoring import ChoiceKey, QuestionKey, QuestionType, matching_choices, parse_number

Snapshot = Mapping[str, Any]

CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE}


def _decimal(value: Any, default: Decimal = Decimal(0)) -> Decimal:
    if value in (None, ""):
        return default
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return default


def _credit(choice: Mapping[str, Any]) -> Fraction | None:
    if choice.get("credit_percent") in (None, ""):
        return None
    return Fraction(_decimal(choice["credit_percent"])) / 100


def key_from_snapshot(data: Snapshot) -> QuestionKey:
    """The scoring key of a question version."""
    kind = QuestionType(data["type"])
    choices = list(data.get("choices", []))
    if kind == QuestionType.MULTIPLE:
        right = sum(1 for c in choices if c.get("is_correct"))
        share = Fraction(1, right) if right else Fraction(0)
        penalty = -share if data.get("penalise_wrong_choices") else Fraction(0)

        def fraction(choice):
            credit = _credit(choice)
            if credit is not None:
                return credit
            return share if choice.get("is_correct") else penalty

    else:

        def fraction(choice):
            credit = _credit(choice)
            if credit is not None:
                return credit
            correct = choice.get("is_correct") or kind in {
                QuestionType.MATCHING,
                QuestionType.ORDERING,
            }
            return Fraction(1) if correct else Fraction(0)

    return QuestionKey(
        type=kind,
        marks=_decimal(data.get("marks"), Decimal(1)),
        choices=tuple(
            ChoiceKey(
                id=int(c["id"]),
                fraction=fraction(c),
                text=str(c.get("text", "")),
                match=str(c.get("match", "")),
                tolerance=abs(_decimal(c.get("tolerance"))),
            )
            for c in choices
        ),
        all_or_nothing=bool(data.get("all_or_nothing")),
        case_sensitive=bool(data.get("case_sensitive")),
        accept_without_diacritics=bool(data.get("accept_without_diacritics")),
        wildcards=bool(data.get("wildcards")),
    )


def validate_snapshot(data: Snapshot) -> list[str]:
    """Everything wrong with a question, as translated messages. Serves the admin form, the
    importers and the API alike."""
    try:
        kind = QuestionType(data.get("type"))
    except ValueError:
        return [_("Unknown question type.")]
    choices = list(data.get("choices", []))
    right = [c for c in choices if c.get("is_correct")]
    errors: list[str] = []
    if _decimal(data.get("marks"), Decimal(-1)) < 0:
        errors.append(_("Marks must be zero or more."))
    if not str(data.get("text", "")).strip():
        errors.append(_("The question needs a text."))
    if any(not str(c.get("text", "")).strip() and not is_distractor(kind, c) for c in choices):
        errors.append(_("Every choice needs a text."))
    errors += TYPE_CHECKS[kind](choices, right)
    if any(not (-1 <= credit <= 1) for c in choices if (credit := _credit(c)) is not None):
        errors.append(_("Credit must be between -100 and 100 %."))
    return errors


# What each question type requires of its choices (``choices``; ``right``: those marked
# correct), in the order validate_snapshot reports it.

Choices = list[Mapping[str, Any]]


def _choice_errors(choices: Choices, right: Choices) -> list[str]:
    errors = []
    if len(choices) < 2:
        errors.append(_("Add at least two choices."))
    if not right:
        errors.append(_("Mark at least one choice as correct."))
    return errors


def _single_errors(choices: Choices, right: Choices) -> list[str]:
    errors = _choice_errors(choices, right)
    if len(right) > 1 and not any(_credit(c) for c in right):
        errors.append(
            _("A single-choice question has one correct choice; use multiple response instead.")
        )
    return errors


def _true_false_errors(choices: Choices, right: Choices) -> list[str]:
    errors = _choice_errors(choices, right)
    if len(choices) != 2:
        errors.append(_("A true/false question has exactly two choices."))
    return errors


def _short_answer_errors(choices: Choices, right: Choices) -> list[str]:
    return [] if right else [_("Add at least one accepted answer and mark it correct.")]


def _numerical_errors(choices: Choices, right: Choices) -> list[str]:
    errors = []
    if not right:
        errors.append(_("Add at least one accepted number and mark it correct."))
    if any(parse_number(str(c.get("text", ""))) is None for c in choices):
        errors.append(_("Every accepted answer of a numerical question must be a number."))
    return errors


def _matching_errors(choices: Choices, right: Choices) -> list[str]:
    errors = []
    if sum(1 for c in choices if not is_distractor(QuestionType.MATCHING, c)) < 2:
        errors.append(_("A matching question needs at least two pairs."))
    if any(not str(c.get("match", "")).strip() for c in choices):
        errors.append(_("Every item of a matching question needs its match."))
    return errors


def _ordering_errors(choices: Choices, right: Choices) -> list[str]:
    return [_("An ordering question needs at least two items.")] if len(choices) < 2 else []


def _essay_errors(choices: Choices, right: Choices) -> list[str]:
    return [_("An essay question has no choices.")] if choices else []


TYPE_CHECKS = {
    QuestionType.SINGLE: _single_errors,
    QuestionType.MULTIPLE: _choice_errors,
    QuestionType.TRUE_FALSE: _true_false_errors,
    QuestionType.SHORT_ANSWER: _short_answer_errors,
    QuestionType.NUMERICAL: _numerical_errors,
    QuestionType.MATCHING: _matching_errors,
    QuestionType.ORDERING: _ordering_errors,
    QuestionType.ESSAY: _essay_errors,
}


def is_distractor(kind: QuestionType, choice: Mapping[str, Any]) -> bool:
    """A matching "pair" with a match and no item: one more wrong option (Moodle's extra
    answers, written ``= -> distractor`` in GIFT)."""
    return (
        kind == QuestionType.MATCHING
        and not str(choice.get("text", "")).strip()
        and bool(str(choice.get("match", "")).strip())
    )


def public_view(data: Snapshot, choice_order: list[int]) -> dict[str, Any]:
    """What a delegate may see of a question before review: no keys, no correctness, no
    feedback. Matching shows the right-hand items as a shuffled list of options."""
    kind = QuestionType(data["type"])
    by_id = {int(c["id"]): c for c in data.get("choices", [])}
    ordered = [by_id[i] for i in choice_order if i in by_id]
    view: dict[str, Any] = {"type": kind.value, "text": data["text"], "marks": data.get("marks")}
    if kind in CHOICE_TYPES or kind == QuestionType.ORDERING:
        view["choices"] = [{"id": int(c["id"]), "text": c["text"]} for c in ordered]
    elif kind == QuestionType.MATCHING:
        view["items"] = [
            {"id": int(c["id"]), "text": c["text"]}
            for c in data["choices"]
            if not is_distractor(kind, c)
        ]
        # Options in alphabetical order: any order tied to the items (or to their shuffle)
        # could give an answer away.
        view["options"] = sorted(dict.fromkeys(c["match"] for c in data["choices"]), key=match_key)
    return view


def feedback_notes(data: Snapshot, answer: Any, *, grader_comment: str = "") -> list[str]:
    """The feedback an answer brings up: that of the choices picked (or, for typed answers, of
    the accepted answers the text matched, right or wrong), then the general feedback and the
    grader's comment. ``answer`` is in its stored form (``quizzes.answers``)."""
    kind = QuestionType(data["type"])
    if kind in {QuestionType.SHORT_ANSWER, QuestionType.NUMERICAL}:
        matched = {c.id for c in matching_choices(key_from_snapshot(data), answer)}
    elif kind in {QuestionType.SINGLE, QuestionType.TRUE_FALSE}:
        matched = {answer}
    elif kind == QuestionType.MULTIPLE:
        matched = set(answer or ())
    else:
        matched = set()
    notes = [
        c["feedback"] for c in data.get("choices", []) if c.get("feedback") and c["id"] in matched
    ]
    if data.get("general_feedback"):
        notes.append(data["general_feedback"])
    if grader_comment:
        notes.append(grader_comment)
    return notes
