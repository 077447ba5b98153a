"""Retention (``manage.py apply_retention``): a dry run changes nothing; a real run purges what
has outlived its period and nothing else; a second run finds nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from certificates.models import Certificate
from courses.models import ErasedAccount, PersonalDataAccess
from courses.privacy.access_log import record_access
from courses.privacy.retention import apply_retention
from quizzes.models import Attempt, Response

pytestmark = pytest.mark.django_db

LATER = timezone.now() + datetime.timedelta(days=800)
RULES = {
    "RETENTION_INACTIVE_DELEGATE_DAYS": 730,
    "RETENTION_ATTEMPT_TEXT_DAYS": 365,
    "RETENTION_CERTIFICATE_PDF_DAYS": 365,
    "ACCESS_LOG_RETENTION_DAYS": 365,
}


def snapshot():
    return {
        "erased": ErasedAccount.objects.count(),
        "texts": sorted(
            str(a)
            for a in Response.objects.exclude(answer__isnull=True).values_list("answer", flat=True)
        ),
        "pdfs": Certificate.objects.exclude(pdf="").count(),
        "log": PersonalDataAccess.objects.count(),
        "attempts": Attempt.objects.count(),
    }


@override_settings(LMS=RULES)
def test_a_dry_run_changes_nothing_and_counts_what_a_run_would_do(admin_world):
    record_access(actor=admin_world.hr, action="export", what="x", path="/admin/x/")
    PersonalDataAccess.objects.update(at=timezone.now() - datetime.timedelta(days=400))
    before = snapshot()
    dry = {r.rule: r.count for r in apply_retention(dry_run=True, now=LATER)}
    assert snapshot() == before
    assert dry["RETENTION_ATTEMPT_TEXT_DAYS"] == 2  # the two essays
    real = {r.rule: r.count for r in apply_retention(dry_run=False, now=LATER)}
    # The erasure of the inactive delegates (run first) already removed their essays' text.
    assert real == dry | {"RETENTION_ATTEMPT_TEXT_DAYS": 0}
    # the two delegates inactive for 800 days; HR, trainers and the admin have no profile
    assert real["RETENTION_INACTIVE_DELEGATE_DAYS"] == 2
    assert real["RETENTION_CERTIFICATE_PDF_DAYS"] == 2
    assert real["ACCESS_LOG_RETENTION_DAYS"] == 1
    after = snapshot()
    assert after["erased"] == 2 and after["pdfs"] == 0 and after["log"] == 0
    assert "Ý" not in after["texts"] and after["attempts"] == before["attempts"]
    again = {r.rule: r.count for r in apply_retention(dry_run=False, now=LATER)}
    assert set(again.values()) == {0}


@override_settings(LMS=RULES)
def test_recent_data_is_kept(admin_world):
    before = snapshot()
    results = apply_retention(dry_run=False)
    assert {r.count for r in results} == {0}
    assert snapshot() == before


@override_settings(
    LMS={
        "RETENTION_INACTIVE_DELEGATE_DAYS": None,
        "RETENTION_ATTEMPT_TEXT_DAYS": None,
        "RETENTION_CERTIFICATE_PDF_DAYS": None,
        "ACCESS_LOG_RETENTION_DAYS": None,
    }
)
def test_no_period_keeps_everything(admin_world):
    assert apply_retention(dry_run=False, now=LATER) == []


@override_settings(LMS=RULES)
def test_the_command_reports_each_rule(admin_world):
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "RETENTION_ATTEMPT_TEXT_DAYS: would purge 0" in text
    assert "ACCESS_LOG_RETENTION_DAYS" in text
