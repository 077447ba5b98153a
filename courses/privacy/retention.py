"""Retention: every provider's rules applied at once (``manage.py apply_retention`` and the
``apply_retention_task`` task). Idempotent: a second run finds nothing to do."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from courses.compat import task
from courses.privacy.registry import RetentionResult, providers

logger = logging.getLogger(__name__)


def apply_retention(*, dry_run: bool, now: datetime | None = None) -> list[RetentionResult]:
    """Each provider's rules, each provider in its own transaction, logged."""
    now = now or timezone.now()
    results = []
    for provider in providers():
        with transaction.atomic():
            found = provider.apply_retention(now=now, dry_run=dry_run)
            if dry_run:
                transaction.set_rollback(True)  # a dry run changes nothing, whatever a rule did
        for result in found:
            logger.info(
                "retention %s%s: %s: %d",
                "(dry run) " if dry_run else "",
                result.rule,
                result.description,
                result.count,
            )
        results.extend(found)
    return results


@task
def apply_retention_task() -> int:
    """The retention schedule as a background task. Returns how many records it changed."""
    return sum(result.count for result in apply_retention(dry_run=False))
