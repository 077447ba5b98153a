"""Issuing a completed course's certificate off the delegate's request, as a task.

The completion (``courses.signals.course_completed``, sent after commit) enqueues
``issue_completion_certificate``; with Django's ``ImmediateBackend`` (the demo, the tests) it
runs at once, with ``django_tasks_db`` a ``db_worker`` runs it. Until it has run, the
delegate's pages say the certificate is being prepared (``selectors.pending_certificates``).

The task is idempotent: ``services.issue_certificate`` locks the enrolment's row and returns
the certificate it already has (and a partial unique constraint forbids two valid ones), so a
task run twice, or a retry racing HR's manual issue, still issues exactly once.

A signer that is temporarily unavailable (a token unplugged, a timestamp server down) leaves
nothing issued; the task queues itself again with a growing delay, on backends that can defer
a task. Anything else that stops the issue is logged for HR, who can issue by hand once fixed.
"""

import logging
from datetime import timedelta

from django.utils import timezone

from certificates.exceptions import CertificateError
from certificates.signing import SignerUnavailable
from courses.compat import task

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


def retry_delay(attempt: int) -> timedelta:
    """30 s, 1 min, 2 min, … at most an hour: a token plugged back in is used soon."""
    return min(FIRST_RETRY * 2 ** (attempt - 1), LONGEST_RETRY)


@task
def issue_completion_certificate(enrollment_id: int, attempt: int = 1) -> dict:
    from certificates.services import issue_certificate

    try:
        certificate, created = issue_certificate(enrollment_id=enrollment_id)
    except SignerUnavailable as error:
        return _retry(enrollment_id, attempt, error)
    except CertificateError:
        logger.exception("Could not issue the certificate of enrolment %s", enrollment_id)
        return {"enrollment": enrollment_id, "state": "failed"}
    return {"enrollment": enrollment_id, "state": "issued", "certificate": certificate.pk}


def _retry(enrollment_id: int, attempt: int, error: Exception) -> dict:
    backend = issue_completion_certificate.get_backend()
    if attempt >= MAX_ATTEMPTS or not backend.supports_defer:
        logger.error(
            "The certificate of enrolment %s is not issued: the signer is unavailable (%s). "
            "Issue it by hand once the signer is back.",
            enrollment_id,
            error,
        )
        return {"enrollment": enrollment_id, "state": "failed"}
    when = timezone.now() + retry_delay(attempt)
    logger.warning(
        "Signer unavailable for enrolment %s (%s); trying again at %s.", enrollment_id, error, when
    )
    issue_completion_certificate.using(run_after=when).enqueue(enrollment_id, attempt + 1)
    return {"enrollment": enrollment_id, "state": "retrying", "attempt": attempt}


def enqueue_issue(*, enrollment_id: int) -> None:
    issue_completion_certificate.enqueue(enrollment_id)
