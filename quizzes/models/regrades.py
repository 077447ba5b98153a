"""A regrade of a quiz's submitted attempts, run by a background task in chunks.

The job's row is the truth (decision 0002): its state, how far it has come (the delegates are
taken in id order, all of a delegate's attempts in one chunk, each chunk committed with the id
it reached) and which task run holds it.
One regrade of a quiz at a time: a second request while one is queued or running gets that one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegradeJob(models.Model):
    wagtail_reference_index_ignore = True  # records: nothing "uses" them

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    quiz = models.ForeignKey(
        "quizzes.QuizPage",
        on_delete=models.CASCADE,
        related_name="regrade_jobs",
        verbose_name=_("quiz"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("attempts in total"), default=0)
    done = models.PositiveIntegerField(_("attempts regraded"), default=0)
    changed = models.PositiveIntegerField(_("attempts whose score changed"), default=0)
    # The checkpoint: the submitted attempts of every delegate up to this user id are regraded.
    last_user_id = models.PositiveBigIntegerField(_("regraded up to delegate"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    task_result_id = models.CharField(_("task id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("regrade")
        verbose_name_plural = _("regrades")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz"],
                condition=Q(state__in=["queued", "running"]),
                name="one_unfinished_regrade_per_quiz",
            )
        ]

    def __str__(self) -> str:
        return f"Regrade #{self.pk} ({self.state}, {self.done}/{self.total})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(100, 100 * self.done // self.total) if self.total else 0
