"""The personal data ``quizzes`` holds: attempts, answers, grades (``courses.privacy``)."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from courses.conf import lms_settings
from courses.privacy.registry import (
    ErasureContext,
    ExportSection,
    PersonalData,
    Provider,
    RetentionResult,
)
from quizzes.models import Attempt, Response


def _iso(value):
    return value.isoformat() if value is not None else None


def _number(value):
    return str(value) if value is not None else None


class QuizzesProvider(Provider):
    app_label = "quizzes"
    declarations = (
        PersonalData(
            "quizzes.Attempt",
            ("user", "started_at", "submitted_at", "score", "percent", "passed"),
            _("A delegate's attempts at quizzes and their scores."),
            _("Kept with the anonymous account, so quiz statistics keep their numbers."),
        ),
        PersonalData(
            "quizzes.Response",
            ("answer", "grader_comment", "grader"),
            _("A delegate's answers, their marks and the grader's comment."),
            _("Free-text answers and comments removed; choices and marks kept anonymous."),
        ),
        PersonalData(
            "quizzes.QuestionVersion",
            ("created_by",),
            _("Who wrote a version of a question."),
            _("Points at the anonymous account."),
        ),
        PersonalData(
            "quizzes.RegradeJob",
            ("requested_by",),
            _("Who regraded a quiz."),
            _("Points at the anonymous account."),
        ),
    )
    not_personal = {
        "quizzes.QuestionCategory": "Names of question banks.",
        "quizzes.Question": "Names of questions.",
    }

    def export(self, user: AbstractBaseUser) -> list[ExportSection]:
        attempts = Attempt.objects.filter(user=user).select_related("quiz").order_by("started_at")
        responses = (
            Response.objects.filter(attempt__user=user)
            .select_related("attempt__quiz", "question_version__question")
            .order_by("attempt__started_at", "position")
        )
        return [
            ExportSection(
                "attempts",
                _("Quiz attempts"),
                (
                    "quiz",
                    "attempt",
                    "state",
                    "started_at",
                    "submitted_at",
                    "score",
                    "max_score",
                    "percent",
                    "passed",
                ),
                [
                    (
                        a.quiz.title,
                        a.number,
                        a.state,
                        _iso(a.started_at),
                        _iso(a.submitted_at),
                        _number(a.score),
                        _number(a.max_score),
                        _number(a.percent),
                        a.passed,
                    )
                    for a in attempts
                ],
            ),
            ExportSection(
                "answers",
                _("Answers"),
                (
                    "quiz",
                    "attempt",
                    "question",
                    "answer",
                    "marks",
                    "outcome",
                    "grade",
                    "grader_comment",
                ),
                [
                    (
                        r.attempt.quiz.title,
                        r.attempt.number,
                        r.question_version.question.name,
                        r.answer,
                        _number(r.earned),
                        r.outcome,
                        _number(r.manual_grade),
                        r.grader_comment,
                    )
                    for r in responses
                ],
            ),
        ]

    def erase(self, context: ErasureContext) -> None:
        cleared = clear_free_text(Response.objects.filter(attempt__user=context.user))
        context.notes.append(f"quizzes: {cleared} free-text answers or comments removed")

    def apply_retention(self, *, now, dry_run: bool) -> list[RetentionResult]:
        days = lms_settings.RETENTION_ATTEMPT_TEXT_DAYS
        if days is None:
            return []
        old = Response.objects.filter(attempt__submitted_at__lt=now - timedelta(days=days))
        count = clear_free_text(old, dry_run=dry_run)
        return [
            RetentionResult(
                "RETENTION_ATTEMPT_TEXT_DAYS",
                f"free-text answers and comments of attempts submitted over {days} days ago",
                count,
            )
        ]


def clear_free_text(responses, *, dry_run: bool = False) -> int:
    """Remove free-text answers (short answer, numerical, essay: stored as text) and graders'
    comments; choices, marks and grades stay. Returns how many responses had some."""
    cleared = 0
    # SQL NULL: an answer never given or cleared (``answer=None`` would mean JSON null).
    candidates = responses.exclude(answer__isnull=True, grader_comment="").only(
        "pk", "answer", "grader_comment"
    )
    for response in candidates.iterator():
        if not (isinstance(response.answer, str) or response.grader_comment):
            continue
        cleared += 1
        if dry_run:
            continue
        if isinstance(response.answer, str):
            response.answer = None
        response.grader_comment = ""
        response.save(update_fields=["answer", "grader_comment"])
    return cleared
