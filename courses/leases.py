"""Leases on background jobs (a bulk ZIP of certificates, a quiz's regrade): which task run
works on a job, and for how long without news.

A job is a model with a ``State`` of at least ``QUEUED`` and ``RUNNING`` and the fields
``requested_at``, ``started_at``, ``heartbeat_at`` and ``task_result_id``; its row is the
truth (decision 0002). A run claims a job (queued, or running under an expired lease) with one
conditional UPDATE, so two workers never hold it at once. While it works it renews the lease
(``heartbeat_at``) every third of ``LMS["TASK_LEASE_SECONDS"]``, and each of its writes to the
job is conditional on still holding it. A killed worker stops renewing; once its lease has
expired, the next run of the job's task takes the job over (``schedule_check`` keeps one such
run queued while the job is unfinished: ``certificates.tasks``, ``quizzes.tasks``). A run that
finds its lease gone (it was presumed dead: paused, or cut off from the database for longer
than the lease) stops without touching the job.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Model, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.conf import lms_settings

CHECK_MARGIN = timedelta(seconds=1)  # after a lease's expiry, before the next run looks at it


class LeaseLost(Exception):
    """Another run has taken the job over: this one must stop and leave the job alone."""


def lease_duration() -> timedelta:
    seconds = lms_settings.TASK_LEASE_SECONDS
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
        raise ImproperlyConfigured(
            f'LMS["TASK_LEASE_SECONDS"] must be a positive number of seconds, not {seconds!r}.'
        )
    return timedelta(seconds=seconds)


def is_waiting_long(job: Model, *, now: datetime) -> bool:
    """Queued for longer than a lease (since it was requested, or queued again): the worker is
    busy, or not running."""
    last = job.heartbeat_at or job.requested_at
    return job.state == job.State.QUEUED and last < now - lease_duration()


def job_status(job: Model, *, text: str, now: datetime | None = None) -> dict:
    """What a job's status page shows and its poller (``courses/job_progress.js``) reads, as
    JSON: its progress, what the bar says (``text``), and whether it waits long or went stale."""
    now = now or timezone.now()
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "finished": job.is_finished,
        "text": text,
        "error": job.error,
        "stale": is_expired(job, now=now),
        "waiting_long": is_waiting_long(job, now=now),
    }


def asks_for_status(request) -> bool:
    """A request for a job's status as JSON rather than its page: the poller's
    ``Accept: application/json``, or ``?format=json``."""
    return request.GET.get("format") == "json" or (
        request.get_preferred_type(["text/html", "application/json"]) == "application/json"
    )


def last_news(job: Model) -> datetime:
    return job.heartbeat_at or job.started_at or job.requested_at


def is_expired(job: Model, *, now: datetime) -> bool:
    """A running job whose run has not renewed its lease in time: it was killed."""
    return job.state == job.State.RUNNING and last_news(job) < now - lease_duration()


@dataclass(slots=True)
class Lease:
    """The lease a run holds on a job."""

    model: type[Model]
    job_id: int
    run_id: str
    renewed_at: datetime

    @classmethod
    def claim(
        cls, model: type[Model], *, job_id: int, run_id: str, now: datetime
    ) -> "Lease | None":
        """Take the job (a ``model`` row) if it is queued or its lease has expired; None if
        another run holds it (or it is finished)."""
        running = model.State.RUNNING
        expired = Q(state=running) & (
            Q(heartbeat_at__lt=now - lease_duration()) | Q(heartbeat_at__isnull=True)
        )
        claimed = (
            model.objects.filter(pk=job_id)
            .filter(Q(state=model.State.QUEUED) | expired)
            .update(
                state=running,
                heartbeat_at=now,
                started_at=Coalesce(F("started_at"), now),
                task_result_id=run_id,
            )
        )
        if not claimed:
            return None
        return cls(model=model, job_id=job_id, run_id=run_id, renewed_at=now)

    def held(self):
        return self.model.objects.filter(
            pk=self.job_id, task_result_id=self.run_id, state=self.model.State.RUNNING
        )

    def renew(self, *, now: datetime | None = None, force: bool = False, **fields) -> None:
        """Renew the lease (writing ``fields`` too) once a third of it has passed, or now if
        ``force``. Raises ``LeaseLost`` if another run has taken the job over."""
        now = now or timezone.now()
        if not force and now - self.renewed_at < lease_duration() / 3:
            return
        if not self.held().update(heartbeat_at=now, **fields):
            raise LeaseLost(self.job_id)
        self.renewed_at = now

    def finish(self, **fields) -> bool:
        """The run's last write (done or failed); False if another run has taken the job over."""
        return bool(self.held().update(**fields))


def schedule_check(task, job: Model) -> None:
    """Queue another run of ``task`` (which takes the job's id) for just after the job's current
    lease would expire: it finds the job finished (and stops), still renewed (and queues
    another), or abandoned (and takes it over). Backends that run tasks at once, in the request,
    have no worker to lose."""
    if not task.get_backend().supports_defer:
        return
    now = timezone.now()
    renewed = job.heartbeat_at if job.state == job.State.RUNNING else None
    when = max(now, renewed or now) + lease_duration() + CHECK_MARGIN
    task.using(run_after=when).enqueue(job.pk)
