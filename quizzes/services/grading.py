"""Trainers' grading of essays by hand (regrading after a key is fixed: ``regrading``)."""

from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quizzes import exceptions
from quizzes.models import Response
from quizzes.scoring import QuestionType
from quizzes.services.attempts import _locked, rescore


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
