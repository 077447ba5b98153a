"""Attempts and the answers in them: records, changed only through quizzes.services."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def counts_now() -> Q:
    """The attempts that count towards the quiz now: every one, or, once the delegate has taken
    the course again to renew a certificate, those started since (``Enrollment.restarted_at``).
    Earlier attempts stay on record; they no longer use up attempts or make the grade."""
    return Q(enrollment__restarted_at__isnull=True) | Q(
        started_at__gte=F("enrollment__restarted_at")
    )


class Attempt(models.Model):
    """One delegate's go at a quiz: its layout, deadline, state and score."""

    wagtail_reference_index_ignore = True  # records: nothing "uses" them

    class State(models.TextChoices):
        OPEN = "open", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    class ClosedBy(models.TextChoices):
        DELEGATE = "delegate", _("Submitted by the delegate")
        DEADLINE = "deadline", _("Closed when time ran out")
        QUIZ_CLOSED = "quiz_closed", _("Closed when the quiz closed")

    quiz = models.ForeignKey(
        "quizzes.QuizPage",
        on_delete=models.PROTECT,
        related_name="attempts",
        verbose_name=_("quiz"),
        # No index of its own: one_attempt_number_per_delegate starts with this column.
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quiz_attempts",
        verbose_name=_("delegate"),
    )
    enrollment = models.ForeignKey(
        "courses.Enrollment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quiz_attempts",
        verbose_name=_("enrolment"),
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    closed_by = models.CharField(
        _("closed by"), max_length=12, choices=ClosedBy.choices, blank=True
    )
    started_at = models.DateTimeField(_("started"))
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    pages = models.JSONField(_("layout"), default=list)  # [[position, ...], ...] per page
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(
        _("out of"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    pending_grading = models.PositiveSmallIntegerField(_("awaiting grading"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="one_attempt_number_per_delegate"
            ),
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(state="open"),
                name="one_open_attempt_per_delegate",
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline_at"])]
        permissions = [("grade_attempt", _("Can grade essays and regrade attempts"))]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.number} ({self.user})"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class Response(models.Model):
    """One question of an attempt: the version shown, the choice order, and the answer saved."""

    wagtail_reference_index_ignore = True  # records: nothing "uses" them

    attempt = models.ForeignKey(
        Attempt,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("attempt"),
        # No index of its own: one_response_per_position starts with this column.
        db_index=False,
    )
    # With a context: "position" is also a delegate's job title in courses and certificates.
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("place of a question in an attempt", "position")
    )
    question_version = models.ForeignKey(
        "quizzes.QuestionVersion",
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("question"),
    )
    # What a start leaves at its initial value has a database default (``db_default``), so a
    # start's INSERT of 20 rows names only the attempt, position, question version, choice
    # order, answer (whose default would be JSON null, not SQL NULL) and grader: a start's
    # instructions −6 %.
    choice_order = models.JSONField(default=list)  # choice ids in the order shown
    answer = models.JSONField(_("answer"), null=True, blank=True)
    revision = models.PositiveIntegerField(db_default=0)  # bumped on every save: stale pages lose
    # The delegate's own note to come back to this question before submitting.
    flagged = models.BooleanField(_("flagged for review"), db_default=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, db_default=None)
    earned = models.DecimalField(
        _("marks earned"), max_digits=9, decimal_places=4, null=True, blank=True, db_default=None
    )
    outcome = models.CharField(_("outcome"), max_length=15, blank=True, db_default="")
    manual_grade = models.DecimalField(
        _("grade"), max_digits=8, decimal_places=2, null=True, blank=True, db_default=None
    )
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("graded by"),
    )
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True, db_default=None)
    grader_comment = models.TextField(_("comment"), blank=True, db_default="")

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="one_response_per_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} Q{self.position + 1}"
