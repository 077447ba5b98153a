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


# Attempt ids in one statement's IN list (SQLite takes 32,766 parameters at most).
IDS_PER_STATEMENT = 1000


def regrade_quiz(
    *, quiz: QuizPage, dry_run: bool, now: datetime | None = None
) -> list[RegradeChange]:
    """Score every submitted attempt again with the current version of each question.

    With ``dry_run`` nothing is written: the result says what would change. Otherwise answers move
    to the current version of their question (when it is compatible) and attempts are rescored.

    The answers are read as values and each version's key is made once: a national quiz has
    200,000 answers but a few dozen versions (for 10,000 attempts, 3.9 s against 37-54 s with a
    model instance and a key an answer).
    """
    with transaction.atomic():
        attempts = list(
            Attempt.objects.select_for_update(of=("self",))
            .filter(quiz=quiz, state=Attempt.State.SUBMITTED)
            .select_related("quiz", "user")
            .order_by("pk")
        )
        responses = (
            Response.objects.filter(attempt__quiz=quiz, attempt__state=Attempt.State.SUBMITTED)
            .order_by("attempt_id", "position")
            .values_list("attempt_id", "question_version_id", "answer", "manual_grade")
        )
        rows: dict[int, list[tuple[int, object, Decimal | None]]] = {a.pk: [] for a in attempts}
        for attempt_id, version_id, answer, manual_grade in responses:
            if attempt_id in rows:  # not one submitted since the attempts were locked
                rows[attempt_id].append((version_id, answer, manual_grade))
        scored_with = _scored_with({version for row in rows.values() for version, *_ in row})
        keys = {pk: key_from_snapshot(version.data) for pk, version in scored_with.items()}
        changes = []
        for attempt in attempts:
            scored = [(keys[version], answer, grade) for version, answer, grade in rows[attempt.pk]]
            result = score_attempt(
                [key for key, _answer, _grade in scored],
                [for_scoring(key.type, answer) for key, answer, _grade in scored],
                pass_mark_percent=quiz.pass_mark_percent,
                manual_grades=[grade for _key, _answer, grade in scored],
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
            moved = {old: new.pk for old, new in scored_with.items() if new.pk != old}
            ids = [a.pk for a in attempts]
            for start in range(0, len(ids), IDS_PER_STATEMENT):
                for old, new in moved.items():
                    Response.objects.filter(
                        attempt_id__in=ids[start : start + IDS_PER_STATEMENT],
                        question_version_id=old,
                    ).update(question_version_id=new)
            for attempt in attempts:
                rescore(attempt)
    return changes


def _scored_with(version_ids: set[int]) -> dict[int, QuestionVersion]:
    """Each version id to the version its answers are scored with when regrading: the current
    version of its question when compatible (the same type and choices), else itself."""
    versions = QuestionVersion.objects.in_bulk(version_ids)
    latest = current_versions(
        Question.objects.filter(pk__in={v.question_id for v in versions.values()}).prefetch_related(
            choices_in_order()
        )
    )
    scored_with = {}
    for pk, version in versions.items():
        newest = latest[version.question_id]
        scored_with[pk] = newest if _compatible(version.data, newest.data) else version
    return scored_with
