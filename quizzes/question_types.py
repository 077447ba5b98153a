"""Which fields of the question editor each question type uses.

The editor shows only these (``static/quizzes/question_form.js`` reads the ``data-question-types``
attribute the panels carry); the server ignores the others, whatever was posted, so a value left
in a field of another type never changes a question and never fails the form. Pure: no database.
"""

from collections.abc import Mapping
from typing import Any

from quizzes.scoring import QuestionType

T = QuestionType
EVERY_TYPE = frozenset(QuestionType)
WITH_CHOICES = EVERY_TYPE - {T.ESSAY}
KEYED_BY_TICK = frozenset({T.SINGLE, T.MULTIPLE, T.TRUE_FALSE, T.SHORT_ANSWER, T.NUMERICAL})

# The question's own fields (those not listed serve every type).
QUESTION_FIELD_TYPES: Mapping[str, frozenset[QuestionType]] = {
    # Numerical and short answers have nothing to shuffle; true/false keeps "True" first; ordering
    # items are always shuffled.
    "shuffle_choices": frozenset({T.SINGLE, T.MULTIPLE, T.MATCHING}),
    "all_or_nothing": frozenset({T.MULTIPLE, T.MATCHING, T.ORDERING}),
    "penalise_wrong_choices": frozenset({T.MULTIPLE}),
    "case_sensitive": frozenset({T.SHORT_ANSWER}),
    "accept_without_diacritics": frozenset({T.SHORT_ANSWER}),
    "wildcards": frozenset({T.SHORT_ANSWER}),
    "choices": WITH_CHOICES,
}

# The fields of each choice (an option, an accepted answer, a pair or an item).
CHOICE_FIELD_TYPES: Mapping[str, frozenset[QuestionType]] = {
    "text": WITH_CHOICES,
    "is_correct": KEYED_BY_TICK,
    "match": frozenset({T.MATCHING}),
    "credit_percent": frozenset({T.SINGLE, T.MULTIPLE, T.SHORT_ANSWER, T.NUMERICAL}),
    "tolerance": frozenset({T.NUMERICAL}),
    "feedback": KEYED_BY_TICK,
}


def types_attribute(types: frozenset[QuestionType]) -> str:
    """The ``data-question-types`` value: the types' names, space-separated, in a stable order."""
    return " ".join(sorted(kind.value for kind in types))


def uses(field_types: Mapping[str, frozenset[QuestionType]], name: str, kind: QuestionType) -> bool:
    return kind in field_types.get(name, EVERY_TYPE)


def without_unused_fields(data: Mapping[str, Any], *, choices_prefix: str = "choices") -> dict:
    """Posted form data with the fields the posted type does not use put back to their
    defaults: unticked, empty; every pair and item part of the key (matching, ordering); an
    essay's choices deleted. Data naming no known type is returned unchanged, to fail as it is.

    ``data`` is a ``QueryDict`` or a plain mapping; a mutable copy is returned.
    """
    cleaned = data.copy()
    try:
        kind = QuestionType(data.get("type"))
    except ValueError:
        return cleaned
    for name, types in QUESTION_FIELD_TYPES.items():
        if name != "choices" and kind not in types:
            cleaned.pop(name, None)  # an unticked box is no value at all
    try:
        total = int(data.get(f"{choices_prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        return cleaned  # the formset reports a broken management form itself
    for index in range(min(max(total, 0), 1000)):
        prefix = f"{choices_prefix}-{index}-"
        if kind not in QUESTION_FIELD_TYPES["choices"]:
            cleaned[prefix + "DELETE"] = "on"
            continue
        for name, types in CHOICE_FIELD_TYPES.items():
            if kind in types:
                continue
            if name == "is_correct":
                # Every pair and item is part of the key; a blank new row stays blank, so that
                # the formset leaves it out.
                filled = str(data.get(prefix + "text", "")).strip()
                if kind in {T.MATCHING, T.ORDERING} and filled:
                    cleaned[prefix + name] = "on"
                else:
                    cleaned.pop(prefix + name, None)
            elif prefix + name in cleaned:
                cleaned[prefix + name] = ""
    return cleaned
