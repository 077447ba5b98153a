"""Trainers' grading: essays by hand, and regrading after a key is fixed."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quizzes import exceptions
from quizzes.answers import for_scoring
from quizzes.keys import key_from_snapshot
from quizzes.models import Attempt, Question, QuestionVersion, QuizPage, Response
from quizzes.scoring import QuestionType, score_attempt
from quizzes.services.attempts import _locked, rescore
from quizzes.services.versions import choices_in_order, current_versions


@transaction.atomic
def grade_response(
    *,
    response_id: int,
    grader: AbstractBaseUser,
    grade: Decimal,
    comment: str = "",
    now: datetime | None = None,
) -> Response:
    """Record a trainer's grade for an essay answer and rescore its attempt."""
    response = Response.objects.select_related("question_version").get(pk=response_id)
    attempt = _locked(response.attempt_id, None)
    if attempt.is_open or response.question_version.data["type"] != QuestionType.ESSAY:
        raise exceptions.NotGradable()
    marks = Decimal(response.question_version.data.get("marks") or 0)
    if grade < 0 or grade > marks:
        raise exceptions.GradeOutOfRange(
            _("The grade must be between 0 and %(marks)s.") % {"marks": marks}
        )
    response.manual_grade = grade
    response.grader = grader
    response.graded_at = now or timezone.now()
    response.grader_comment = comment.strip()
    response.save(update_fields=["manual_grade", "grader", "graded_at", "grader_comment"])
    rescore(attempt)
    return response


@dataclass(frozen=True, slots=True)
class RegradeChange:
    attempt: Attempt
    old_percent: Decimal | None
    new_percent: Decimal
    old_passed: bool | None
    new_passed: bool

    @property
    def changed(self) -> bool:
        return self.old_percent != self.new_percent or self.old_passed != self.new_passed


def _compatible(old: dict, new: dict) -> bool:
    """A newer version can score an old answer if the answer's choices still mean the same."""
    same_ids = [c["id"] for c in old.get("choices", [])] == [
        c["id"] for c in new.get("choices", [])
    ]
    return old["type"] == new["type"] and same_ids


def regrade_quiz(
    *, quiz: QuizPage, dry_run: bool, now: datetime | None = None
) -> list[RegradeChange]:
    """Score every submitted attempt again with the current version of each question.

    With ``dry_run`` nothing is written: the result says what would change. Otherwise answers move
    to the current version of their question (when it is compatible) and attempts are rescored.
    """
    with transaction.atomic():
        attempts = list(
            Attempt.objects.select_for_update(of=("self",))
            .filter(quiz=quiz, state=Attempt.State.SUBMITTED)
            .select_related("quiz", "user")
            .order_by("pk")
        )
        responses = list(
            Response.objects.filter(attempt__in=attempts)
            .select_related("question_version")
            .order_by("attempt_id", "position")
        )
        question_ids = {r.question_version.question_id for r in responses}
        latest = current_versions(
            Question.objects.filter(pk__in=question_ids).prefetch_related(choices_in_order())
        )
        by_attempt: dict[int, list[Response]] = {a.pk: [] for a in attempts}
        for response in responses:
            newest: QuestionVersion = latest[response.question_version.question_id]
            if newest.pk != response.question_version_id and _compatible(
                response.question_version.data, newest.data
            ):
                response.question_version = newest
            by_attempt[response.attempt_id].append(response)
        changes = []
        for attempt in attempts:
            rows = by_attempt[attempt.pk]
            keys = [key_from_snapshot(r.question_version.data) for r in rows]
            result = score_attempt(
                keys,
                [for_scoring(k.type, r.answer) for k, r in zip(keys, rows, strict=True)],
                pass_mark_percent=quiz.pass_mark_percent,
                manual_grades=[r.manual_grade for r in rows],
            )
            changes.append(
                RegradeChange(
                    attempt=attempt,
                    old_percent=attempt.percent,
                    new_percent=result.percent,
                    old_passed=attempt.passed,
                    new_passed=result.passed,
                )
            )
        if not dry_run:
            Response.objects.bulk_update(responses, ["question_version"])
            for attempt in attempts:
                rescore(attempt)
    return changes
