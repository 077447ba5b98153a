"""Regrading a quiz in the background: a job taken in chunks of delegates by a task.

A national quiz has 10,000 submitted attempts; regrading them all in the trainer's request
took half a minute, longer than a proxy waits. ``start_regrade`` records a ``RegradeJob`` and
queues ``regrade_quiz_job`` once the request commits; the trainer's page polls the job. Which
backend runs the task is the ``TASKS`` setting (decision 0016): the immediate backend regrades
in the request, as before, and production's ``db_worker`` off it.

Each chunk of ``CHUNK_SIZE`` delegates (in id order; all of a delegate's attempts together, as
their grade may read them all) is one transaction: their submitted attempts locked, the answers
moved to the current versions, the new scores written where they differ and passes recorded
(``quizzes.services.regrading``), and the job's checkpoint and counts written with them, on
condition that the run still holds the job's lease (``courses.leases``). A run killed half way
loses at most its open chunk; the run that ``courses.leases.schedule_check`` keeps queued takes
the job over once the lease has expired and carries on from the checkpoint. Regrading is
idempotent, so nothing is counted or recorded twice.
"""

import logging
import secrets
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from courses import leases
from courses.compat import TaskContext, task
from quizzes.models import QuizPage, RegradeJob
from quizzes.services.regrading import of_quiz, regrade_attempts, submitted_attempts

logger = logging.getLogger(__name__)

CHUNK_SIZE = 500  # delegates a transaction (a few attempts each): under a second, at most
UNFINISHED = (RegradeJob.State.QUEUED, RegradeJob.State.RUNNING)


def unfinished_regrade(quiz: QuizPage) -> RegradeJob | None:
    return RegradeJob.objects.filter(quiz=quiz, state__in=UNFINISHED).first()


def start_regrade(
    *, quiz: QuizPage, user: AbstractBaseUser, now: datetime | None = None
) -> RegradeJob:
    """Queue a regrade of ``quiz``, or return the one already queued or running (one at a time:
    a second would only do the same work again). A job whose run has died (its lease expired)
    is queued again and carries on from its checkpoint."""
    now = now or timezone.now()
    job = unfinished_regrade(quiz)
    if job is None:
        try:
            with transaction.atomic():
                job = RegradeJob.objects.create(
                    quiz=quiz,
                    requested_by=user,
                    requested_at=now,
                    total=submitted_attempts(quiz).count(),
                )
        except IntegrityError:  # requested twice at once: both get the one that won
            return unfinished_regrade(quiz) or start_regrade(quiz=quiz, user=user, now=now)
        transaction.on_commit(lambda: _enqueue(job))
    elif leases.is_expired(job, now=now):
        requeued = RegradeJob.objects.filter(
            pk=job.pk, state=RegradeJob.State.RUNNING, heartbeat_at=job.heartbeat_at
        ).update(state=RegradeJob.State.QUEUED, heartbeat_at=now)
        if requeued:
            job.state, job.heartbeat_at = RegradeJob.State.QUEUED, now
            transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: RegradeJob) -> None:
    result = regrade_quiz_job.enqueue(job.pk)
    # The run to come, unless a run has claimed the job meanwhile (its id is the job's then).
    RegradeJob.objects.filter(pk=job.pk, state=RegradeJob.State.QUEUED).update(
        task_result_id=str(result.id)
    )


def is_stale(job: RegradeJob, *, now: datetime | None = None) -> bool:
    """A running job whose run has let its lease expire: it was stopped."""
    return leases.is_expired(job, now=now or timezone.now())


@task(takes_context=True)
def regrade_quiz_job(context: TaskContext, job_id: int) -> dict:
    """Regrade the job's quiz, take the job over from a run that died, or see that another run
    holds it. Returns the job's state."""
    return run_regrade(job_id=job_id, run_id=str(context.task_result.id))


def run_regrade(*, job_id: int, run_id: str | None = None, after_chunk=None) -> dict:
    """The task's body, for the run ``run_id`` (the task result's id). ``after_chunk(job)``
    runs after each committed chunk (tests stop a run there)."""
    run_id = run_id or f"run-{secrets.token_hex(8)}"
    job = RegradeJob.objects.get(pk=job_id)
    if not job.is_finished:
        leases.schedule_check(regrade_quiz_job, job)
        lease = leases.Lease.claim(RegradeJob, job_id=job.pk, run_id=run_id, now=timezone.now())
        if lease is not None:
            job.refresh_from_db()
            _regrade(job, lease, after_chunk)
    job.refresh_from_db()
    return {"job": job.pk, "state": job.state, "done": job.done, "total": job.total}


def _regrade(job: RegradeJob, lease: leases.Lease, after_chunk) -> None:
    quiz = QuizPage.objects.get(pk=job.quiz_id)
    try:
        while _regrade_chunk(job, quiz, lease):
            if after_chunk:
                after_chunk(job)
    except leases.LeaseLost:
        logger.warning("Regrade %s was taken over by another run; this one stops.", job.pk)
        return
    except Exception:
        logger.exception("Regrade %s failed", job.pk)
        lease.finish(
            state=RegradeJob.State.FAILED,
            error=_(
                "The regrade stopped because of an unexpected error. The attempts regraded "
                "before it keep their new scores; regrade again to finish the rest. If it fails "
                "again, tell the site's administrators."
            ),
            finished_at=timezone.now(),
        )
        raise
    if lease.finish(state=RegradeJob.State.DONE, error="", finished_at=timezone.now()):
        job.refresh_from_db()
        # In the quiz page's history, as Wagtail's own actions on it are.
        log(
            quiz,
            "quizzes.regrade",
            user=job.requested_by,
            data={"job": job.pk, "attempts": job.done, "changed": job.changed},
        )


def _regrade_chunk(job: RegradeJob, quiz: QuizPage, lease: leases.Lease) -> bool:
    """Regrade the next chunk of delegates after the checkpoint and move the checkpoint, in one
    transaction (rolled back if the lease is lost). False when no delegate is left."""
    submitted = submitted_attempts(quiz)
    with transaction.atomic():
        users = list(
            submitted.filter(user_id__gt=job.last_user_id)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()[:CHUNK_SIZE]
        )
        if not users:
            return False
        attempts = of_quiz(
            list(
                submitted.select_for_update(of=("self",))
                .filter(user_id__in=users)
                .select_related("user")
                .order_by("pk")
            ),
            quiz,
        )
        changes = regrade_attempts(quiz, attempts)
        count, changed = len(attempts), sum(change.changed for change in changes)
        lease.renew(
            force=True,
            done=F("done") + count,
            # Attempts submitted since the job was queued are regraded too.
            total=Greatest(F("total"), F("done") + count),
            changed=F("changed") + changed,
            last_user_id=users[-1],
        )
    job.last_user_id = users[-1]
    job.done += count
    job.changed += changed
    return True
