"""Bulk jobs: a ZIP of many certificates, built in the background with Django's tasks framework.

``start_bulk_download`` fixes the set of certificates and queues ``build_bulk_download`` once
the request's transaction commits. Which backend runs it is the ``TASKS`` setting:

* Django's default ``ImmediateBackend`` runs it at once, in the request (300 certificates take a
  fraction of a second; fine for development and small sites).
* In production, ``django_tasks_db.DatabaseBackend`` (package ``django-tasks-db``) stores the
  task in the database and ``manage.py db_worker`` runs it; the page polls the job's progress.

A worker killed half way stops renewing its lease on the job (``courses.leases``). Each
run of the task, whatever it finds, first queues one more run of it for when the lease would
expire (on backends that can defer a task, as the database worker's can), so while a job is
unfinished one run always waits in the queue. Once the lease has expired, that run takes the job
over and carries on from the last checkpoint (see ``certificates.bulk``): the next worker finishes
the job without anyone pressing Resume, and the ZIP holds every certificate once. The status page
still offers to resume a stale job at once.

Finished ZIPs are deleted ``LMS["BULK_DOWNLOAD_RETENTION_DAYS"]`` days after they were built by
``purge_expired_downloads`` (the ``purge_bulk_downloads`` command or task, run daily); their jobs
stay, marked expired.
"""

import logging
import secrets
import tempfile
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certificates import bulk
from certificates.filters import clean_params, filter_certificates, parse_filters
from certificates.models import BulkDownload, Certificate, CertificateEvent
from courses import leases
from courses.compat import TaskContext, task
from courses.conf import lms_settings

logger = logging.getLogger(__name__)

MAX_CERTIFICATES = 20_000  # per ZIP; a bigger selection is refused with a message
PROGRESS_MIN_SECONDS = 0.25  # between two progress updates in the database


class NothingToDownload(bulk.BulkDownloadError):
    code = "nothing_to_download"

    def describe(self) -> str:
        return _("No certificates match these filters.")


class TooManyCertificates(bulk.BulkDownloadError):
    code = "too_many_certificates"

    def describe(self) -> str:
        return _(
            "More than %(max)s certificates match these filters. Narrow them down (for example "
            "by course or dates) and download in parts."
        ) % {"max": MAX_CERTIFICATES}


class CertificatesGone(bulk.BulkDownloadError):
    code = "certificates_gone"

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(self.describe())

    def describe(self) -> str:
        return ngettext(
            "%(count)s certificate of this download no longer exists.",
            "%(count)s certificates of this download no longer exist.",
            self.count,
        ) % {"count": self.count}


# Starting and resuming


def visible_jobs(*, user: AbstractBaseUser):
    """The jobs ``user`` may see: their own; a superuser's, everyone's."""
    jobs = BulkDownload.objects.all()
    return jobs if user.is_superuser else jobs.filter(requested_by=user)


def start_bulk_download(
    *,
    user: AbstractBaseUser,
    params: Mapping,
    language: str,
    now: datetime | None = None,
) -> BulkDownload:
    """Fix the certificates that ``params`` select and queue the ZIP's build.

    Raises ``InvalidFilter``, ``NothingToDownload`` or ``TooManyCertificates``.
    """
    filters = parse_filters(params)
    selected = filter_certificates(Certificate.objects.all(), filters).order_by("serial")
    ids = list(selected.values_list("pk", flat=True)[: MAX_CERTIFICATES + 1])
    if not ids:
        raise NothingToDownload()
    if len(ids) > MAX_CERTIFICATES:
        raise TooManyCertificates()
    job = BulkDownload.objects.create(
        requested_by=user,
        requested_at=now or timezone.now(),
        language=language,
        filters=clean_params(params),
        certificate_ids=ids,
        total=len(ids),
    )
    transaction.on_commit(lambda: enqueue_build(job))
    return job


def enqueue_build(job: BulkDownload) -> None:
    result = build_bulk_download.enqueue(job.pk)
    # The run to come, unless a run has claimed the job meanwhile (its id is the job's then).
    BulkDownload.objects.filter(pk=job.pk, state=BulkDownload.State.QUEUED).update(
        task_result_id=str(result.id)
    )


def is_stale(job: BulkDownload, *, now: datetime | None = None) -> bool:
    """A running job whose worker has let its lease expire: it was stopped. The next run of
    the job's task takes it over; the status page offers to resume it at once."""
    return leases.is_expired(job, now=now or timezone.now())


def is_waiting_long(job: BulkDownload, *, now: datetime | None = None) -> bool:
    """Queued for longer than a lease: the worker is busy, or not running."""
    return leases.is_waiting_long(job, now=now or timezone.now())


def resume_bulk_download(*, job: BulkDownload) -> bool:
    """Queue a stale job again at once; it continues from its last checkpoint. False if it is
    not stale (or another run took it over meanwhile)."""
    if not is_stale(job):
        return False
    now = timezone.now()
    queued = BulkDownload.objects.filter(
        pk=job.pk, state=BulkDownload.State.RUNNING, heartbeat_at=job.heartbeat_at
    ).update(state=BulkDownload.State.QUEUED, heartbeat_at=now)
    if not queued:
        return False
    job.state, job.heartbeat_at = BulkDownload.State.QUEUED, now
    transaction.on_commit(lambda: enqueue_build(job))
    return True


def record_bulk_download(*, job: BulkDownload, actor: AbstractBaseUser) -> None:
    """The audit trail: each certificate in the ZIP was downloaded by ``actor``."""
    now = timezone.now()
    with translation.override(job.language):
        note = _("In ZIP download #%(id)s") % {"id": job.pk}
    CertificateEvent.objects.bulk_create(
        CertificateEvent(
            certificate_id=pk,
            action=CertificateEvent.Action.DOWNLOADED,
            actor=actor,
            at=now,
            note=note,
        )
        for pk in job.certificate_ids
    )


# The task


@task(takes_context=True)
def build_bulk_download(context: TaskContext, job_id: int) -> dict:
    """Build the job's ZIP, take it over from a worker that died, or see that another run holds
    it. Returns the job's state."""
    return run_bulk_download(job_id=job_id, run_id=str(context.task_result.id))


def work_dir() -> Path:
    """Where partial ZIPs grow: the worker's temporary directory (``TMPDIR``)."""
    return Path(tempfile.gettempdir()) / "lms-certificate-zips"


def part_path(job: BulkDownload) -> Path:
    return work_dir() / f"{job.pk}-{job.work_token}.zip.part"


def run_bulk_download(
    *,
    job_id: int,
    run_id: str | None = None,
    after_file: Callable[[int], None] | None = None,
) -> dict:
    """The task's body, for the run ``run_id`` (the task result's id). ``after_file(n)`` runs
    after each PDF is added (tests kill the run there)."""
    run_id = run_id or f"run-{secrets.token_hex(8)}"
    job = BulkDownload.objects.get(pk=job_id)
    if job.is_finished:
        return _summary(job)
    leases.schedule_check(build_bulk_download, job)
    lease = leases.Lease.claim(BulkDownload, job_id=job.pk, run_id=run_id, now=timezone.now())
    if lease is not None:
        part = part_path(job)
        # The lease keeps out other machines; the lock, a process of this machine that was
        # presumed dead too early (it stops at its next renewal, and a later run carries on).
        with bulk.exclusive(part) as mine:
            if mine:
                job.refresh_from_db()
                with translation.override(job.language):
                    _build(job, part, after_file, lease)
    job.refresh_from_db()
    return _summary(job)


def _summary(job: BulkDownload) -> dict:
    return {"job": job.pk, "state": job.state, "done": job.done, "total": job.total}


def _progress(job: BulkDownload, lease: leases.Lease, done: int) -> None:
    """Show progress (and renew the lease), at most every ``PROGRESS_MIN_SECONDS``: a small
    ZIP builds faster than anyone watches it, and each update is a commit."""
    now = timezone.now()
    recent = job.heartbeat_at and (now - job.heartbeat_at).total_seconds() < PROGRESS_MIN_SECONDS
    if recent and done < job.total:
        return
    lease.renew(now=now, force=True, done=done)
    job.done, job.heartbeat_at = done, now


def _after_file(lease: leases.Lease, after_file, written: int) -> None:
    lease.renew()  # between checkpoints too: a slow storage must not look like a dead worker
    if after_file:
        after_file(written)


def _entries(job: BulkDownload) -> list[bulk.Entry]:
    fields = (
        "serial",
        "full_name",
        "organisation",
        "province",
        "course_title",
        "issued_on",
        "issued_at",
        "status",
        "pdf",
        "pdf_sha256",
    )
    certificates = Certificate.objects.only(*fields).in_bulk(job.certificate_ids)
    missing = [pk for pk in job.certificate_ids if pk not in certificates]
    if missing:
        raise CertificatesGone(len(missing))
    return [
        bulk.Entry(
            serial=c.serial,
            full_name=c.full_name,
            pdf_name=c.pdf.name,
            sha256=c.pdf_sha256,
            issued_on=c.issued_on,
            organisation=c.organisation,
            province=c.province,
            course_title=c.course_title,
            status=str(c.get_status_display()),
            modified=timezone.localtime(c.issued_at),
        )
        for c in (certificates[pk] for pk in job.certificate_ids)
    ]


def _build(job: BulkDownload, part: Path, after_file, lease: leases.Lease) -> None:
    try:
        path = bulk.build_zip(
            _entries(job),
            part=part,
            storage=Certificate._meta.get_field("pdf").storage,
            created=timezone.localtime(job.requested_at),
            on_checkpoint=lambda done: _progress(job, lease, done),
            after_file=lambda written: _after_file(lease, after_file, written),
        )
        with path.open("rb") as handle:
            job.zip_file.save(
                f"{secrets.token_urlsafe(16)}.zip", _BuiltFile(handle, path), save=False
            )
    except leases.LeaseLost:
        logger.warning("Bulk download %s was taken over by another run; this one stops.", job.pk)
        return
    except bulk.BulkDownloadError as error:
        _fail(job, lease, error.describe())
        bulk.discard(part)
        return
    except Exception:
        logger.exception("Bulk download %s failed", job.pk)
        _fail(
            job,
            lease,
            _(
                "The ZIP could not be built because of an unexpected error. Start the download "
                "again; if it fails again, tell the site's administrators."
            ),
        )
        bulk.discard(part)
        raise
    finished = lease.finish(
        state=BulkDownload.State.DONE,
        done=job.total,
        error="",
        zip_file=job.zip_file.name,
        finished_at=timezone.now(),
    )
    if not finished:  # taken over at the last moment: the run that holds the job hands over
        logger.warning("Bulk download %s was taken over by another run: ZIP dropped.", job.pk)
        job.zip_file.storage.delete(job.zip_file.name)
    bulk.discard(part)


class _BuiltFile(File):
    """The finished ZIP on the worker's disk: FileSystemStorage moves it into place (as it does
    Django's temporary uploads) instead of copying megabytes; other storages read it."""

    def __init__(self, handle, path: Path) -> None:
        super().__init__(handle, name=path.name)
        self.path = path

    def temporary_file_path(self) -> str:
        return str(self.path)


def _fail(job: BulkDownload, lease: leases.Lease, message: str) -> None:
    lease.finish(state=BulkDownload.State.FAILED, error=message, finished_at=timezone.now())


# Retention


def retention_days() -> int:
    days = lms_settings.BULK_DOWNLOAD_RETENTION_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ImproperlyConfigured(
            f'LMS["BULK_DOWNLOAD_RETENTION_DAYS"] must be a whole number of days (0 or more), '
            f"not {days!r}."
        )
    return days


def purge_expired_downloads(*, now: datetime | None = None) -> int:
    """Delete the files of ZIPs built more than ``retention_days()`` ago. Each job stays, marked
    expired (the history of who downloaded what); nothing else is deleted. Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    expired = BulkDownload.objects.filter(state=BulkDownload.State.DONE, finished_at__lt=cutoff)
    count = 0
    for job_id in expired.values_list("pk", flat=True):
        with transaction.atomic():
            # Locked and checked again: the same purge may be running as a task and a command.
            job = expired.select_for_update().filter(pk=job_id).first()
            if job is None:
                continue
            name = job.zip_file.name
            job.state, job.expired_at, job.zip_file = BulkDownload.State.EXPIRED, now, ""
            job.save(update_fields=["state", "expired_at", "zip_file"])
            if name:
                # Once the job no longer points at it: a failed delete leaves a stray file, never
                # a job offering a file that is gone.
                transaction.on_commit(lambda name=name: _delete_file(name))
        count += 1
    return count


def _delete_file(name: str) -> None:
    try:
        BulkDownload._meta.get_field("zip_file").storage.delete(name)
    except OSError:
        logger.exception("Could not delete the expired ZIP %s", name)


@task
def purge_bulk_downloads() -> dict:
    """``purge_expired_downloads`` for a scheduler that enqueues tasks."""
    return {"expired": purge_expired_downloads()}
