"""Distractor analysis of choice questions (Moodle's "response analysis"): how many responses
picked each choice, and how many none. Plain Python, like ``quizzes.statistics.analysis``."""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class ChoiceOption:
    """A choice of a choice question. ``credit`` is its share of the marks: 1 right, 0 wrong,
    in between partly right, negative when picking it takes marks away."""

    id: int
    text: str
    credit: Fraction = Fraction(0)

    @property
    def is_right(self) -> bool:
        return self.credit >= 1

    @property
    def is_partly_right(self) -> bool:
        return 0 < self.credit < 1


@dataclass(frozen=True, slots=True)
class ChoiceFrequency:
    option: ChoiceOption
    count: int
    percent: float | None  # of the responses; None when there are none


@dataclass(frozen=True, slots=True)
class DistractorAnalysis:
    responses: int
    choices: tuple[ChoiceFrequency, ...]
    unanswered: int

    @property
    def unanswered_percent(self) -> float | None:
        return _percent(self.unanswered, self.responses)


def _percent(count: int, whole: int) -> float | None:
    return None if whole == 0 else 100 * count / whole


def distractor_analysis(
    options: Sequence[ChoiceOption], answers: Iterable[Collection[int] | None]
) -> DistractorAnalysis:
    """How many responses picked each choice, in the order of ``options``, and how many picked
    none. An answer is the collection of choice ids picked (one for single choice); None or empty
    is "not answered". Multiple response answers count once per choice picked, so the
    percentages can add up to more than 100. Ids not among ``options`` are ignored."""
    counts = dict.fromkeys((o.id for o in options), 0)
    responses = unanswered = 0
    for answer in answers:
        responses += 1
        if not answer:
            unanswered += 1
            continue
        for choice_id in set(answer):
            if choice_id in counts:
                counts[choice_id] += 1
    return DistractorAnalysis(
        responses=responses,
        choices=tuple(
            ChoiceFrequency(option=o, count=counts[o.id], percent=_percent(counts[o.id], responses))
            for o in options
        ),
        unanswered=unanswered,
    )
