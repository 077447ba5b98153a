"""Leases on bulk ZIP jobs: which task run builds a job, and for how long without news.

A run claims a job (queued, or running under an expired lease) with one conditional UPDATE, so
two workers never hold it at once. While it works it renews the lease (``heartbeat_at``) every
third of ``LMS["TASK_LEASE_SECONDS"]``, and each of its writes to the job is conditional on
still holding it. A killed worker stops renewing; once its lease has expired, the next run of
the job's task takes the job over (``certificates.tasks`` keeps one such run queued while the
job is unfinished). A run that finds its lease gone (it was presumed dead: paused, or cut off
from the database for longer than the lease) stops without touching the job.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from certificates.models import BulkDownload
from courses.conf import lms_settings


class LeaseLost(Exception):
    """Another run has taken the job over: this one must stop and leave the job alone."""


def lease_duration() -> timedelta:
    seconds = lms_settings.TASK_LEASE_SECONDS
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
        raise ImproperlyConfigured(
            f'LMS["TASK_LEASE_SECONDS"] must be a positive number of seconds, not {seconds!r}.'
        )
    return timedelta(seconds=seconds)


def last_news(job: BulkDownload) -> datetime:
    return job.heartbeat_at or job.started_at or job.requested_at


def is_expired(job: BulkDownload, *, now: datetime) -> bool:
    """A running job whose builder has not renewed its lease in time: it was killed."""
    return job.state == BulkDownload.State.RUNNING and last_news(job) < now - lease_duration()


@dataclass(slots=True)
class Lease:
    """The lease a run holds on a job."""

    job_id: int
    run_id: str
    renewed_at: datetime

    @classmethod
    def claim(cls, *, job_id: int, run_id: str, now: datetime) -> "Lease | None":
        """Take the job if it is queued or its lease has expired; None if another run holds it
        (or it is finished)."""
        running = BulkDownload.State.RUNNING
        expired = Q(state=running) & (
            Q(heartbeat_at__lt=now - lease_duration()) | Q(heartbeat_at__isnull=True)
        )
        claimed = (
            BulkDownload.objects.filter(pk=job_id)
            .filter(Q(state=BulkDownload.State.QUEUED) | expired)
            .update(
                state=running,
                heartbeat_at=now,
                started_at=Coalesce(F("started_at"), now),
                task_result_id=run_id,
            )
        )
        return cls(job_id=job_id, run_id=run_id, renewed_at=now) if claimed else None

    def held(self):
        return BulkDownload.objects.filter(
            pk=self.job_id, task_result_id=self.run_id, state=BulkDownload.State.RUNNING
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
