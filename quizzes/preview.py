"""Trying a question out as a delegate would, without an attempt.

The question is shown through the delegate's own template and view of it (``public_view``), the
posted answer is read, checked and scored by the very functions an attempt uses
(``answers_from_post``, ``clean_answer``, ``score_question``), and the feedback is the review's
(``feedback_notes``). Nothing is written: no attempt, no response, no question version.
"""

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import QueryDict

from quizzes.answers import InvalidAnswer, clean_answer, for_scoring
from quizzes.forms import answers_from_post
from quizzes.keys import Snapshot, feedback_notes, key_from_snapshot, public_view
from quizzes.layout import order_choices
from quizzes.scoring import Outcome, QuestionType, score_question, to_decimal
from quizzes.selectors import QuestionOnPage, right_answer_texts

POSITION = 0  # the one question of the preview, as the first of an attempt


@dataclass
class TrialResponse:
    """Stands in for an attempt's ``Response`` in the delegate's question template."""

    answer: Any = None
    position: int = POSITION
    revision: int = 0


@dataclass(frozen=True, slots=True)
class TrialResult:
    outcome: Outcome
    earned: Decimal | None  # None: an essay waits for a trainer
    possible: Decimal
    feedback: list[str] = field(default_factory=list)
    right_answer: list[str] = field(default_factory=list)


def choice_order(data: Snapshot, *, seed: int) -> list[int]:
    """The choices in an order a delegate could get; the same on every request for one question
    (``seed``), so the page answered is the page shown again."""
    rng = random.Random(seed)  # noqa: S311 (layout, not security)
    return list(
        order_choices(
            QuestionType(data["type"]),
            [int(c["id"]) for c in data.get("choices", [])],
            rng=rng,
            shuffle=bool(data.get("shuffle_choices")),
        )
    )


def question_on_page(data: Snapshot, *, seed: int, answer: Any = None) -> QuestionOnPage:
    return QuestionOnPage(
        response=TrialResponse(answer=answer),  # type: ignore[arg-type]
        view=public_view(data, choice_order(data, seed=seed)),
    )


def try_answer(data: Snapshot, post: QueryDict, *, seed: int) -> tuple[Any, TrialResult]:
    """The posted answer as stored and what it would earn. Raises ``InvalidAnswer`` as saving it
    in an attempt would."""
    question = question_on_page(data, seed=seed)
    answers, _revisions = answers_from_post(post, [question])
    kind = QuestionType(data["type"])
    view = question.view
    answer = clean_answer(
        kind,
        answers.get(POSITION),
        choice_ids={int(c["id"]) for c in data.get("choices", [])},
        options=view.get("options", ()),
    )
    score = score_question(key_from_snapshot(data), for_scoring(kind, answer))
    return answer, TrialResult(
        outcome=score.outcome,
        earned=score.earned_decimal,
        possible=to_decimal(score.possible),
        feedback=feedback_notes(data, answer),
        right_answer=right_answer_texts(data),
    )


__all__ = ["InvalidAnswer", "TrialResult", "question_on_page", "try_answer"]
