"""Finished certificate ZIPs are deleted after LMS["BULK_DOWNLOAD_RETENTION_DAYS"] days; their
jobs stay, marked expired."""

import datetime
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from certificates import tasks
from certificates.models import BulkDownload, Certificate, CertificateEvent
from tests import factories
from tests.certificates.test_bulk_jobs import hr_user, make_certificate, start, status_url

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.certificates.test_bulk_jobs")]

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(tasks, "work_dir", lambda: tmp_path / "work")


@pytest.fixture
def course():
    return factories.course()


@pytest.fixture
def hr():
    return hr_user()


@pytest.fixture
def built(course, hr, django_capture_on_commit_callbacks):
    """A finished ZIP of one certificate, built eight days ago."""
    make_certificate(course=course)
    job = start(hr, {"course": str(course.pk)}, django_capture_on_commit_callbacks)
    assert job.state == BulkDownload.State.DONE
    BulkDownload.objects.filter(pk=job.pk).update(finished_at=timezone.now() - 8 * DAY)
    job.refresh_from_db()
    return job


def file_exists(name: str) -> bool:
    return BulkDownload._meta.get_field("zip_file").storage.exists(name)


def purge(django_capture_on_commit_callbacks, **kwargs) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return tasks.purge_expired_downloads(**kwargs)


def test_a_zip_older_than_seven_days_is_deleted_and_its_job_kept_as_expired(
    built, django_capture_on_commit_callbacks
):
    name = built.zip_file.name
    assert file_exists(name)
    now = timezone.now()
    assert purge(django_capture_on_commit_callbacks, now=now) == 1
    built.refresh_from_db()
    assert built.state == BulkDownload.State.EXPIRED
    assert built.expired_at == now
    assert not built.zip_file
    assert not file_exists(name)
    # The history stays: who asked, when, for which certificates.
    assert built.requested_by is not None and len(built.certificate_ids) == built.total == 1
    assert built.finished_at < now and built.is_finished


def test_a_younger_zip_and_unfinished_or_failed_jobs_are_left_alone(
    course, hr, built, django_capture_on_commit_callbacks
):
    young = start(hr, {"course": str(course.pk)}, django_capture_on_commit_callbacks)
    queued = tasks.start_bulk_download(user=hr, params={}, language="vi")  # never run
    failed = tasks.start_bulk_download(user=hr, params={}, language="vi")
    long_ago = timezone.now() - 30 * DAY
    BulkDownload.objects.filter(pk=failed.pk).update(
        state=BulkDownload.State.FAILED, finished_at=long_ago
    )
    BulkDownload.objects.filter(pk=queued.pk).update(requested_at=long_ago)

    assert purge(django_capture_on_commit_callbacks) == 1
    states = dict(BulkDownload.objects.values_list("pk", "state"))
    assert states == {
        built.pk: "expired",
        young.pk: "done",
        queued.pk: "queued",
        failed.pk: "failed",
    }
    young.refresh_from_db()
    assert file_exists(young.zip_file.name)


def test_nothing_but_the_zip_file_is_deleted(built, django_capture_on_commit_callbacks):
    certificate = Certificate.objects.get()
    events = CertificateEvent.objects.count()
    purge(django_capture_on_commit_callbacks)
    assert Certificate.objects.filter(pk=certificate.pk).exists()
    with certificate.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert CertificateEvent.objects.count() == events
    assert BulkDownload.objects.filter(pk=built.pk).exists()


def test_the_retention_is_the_lms_setting(built, django_capture_on_commit_callbacks):
    with override_settings(LMS={"BULK_DOWNLOAD_RETENTION_DAYS": 10}):
        assert purge(django_capture_on_commit_callbacks) == 0
    with override_settings(LMS={"BULK_DOWNLOAD_RETENTION_DAYS": 8}):
        assert purge(django_capture_on_commit_callbacks, now=built.finished_at + 8 * DAY) == 0
        later = built.finished_at + 8 * DAY + datetime.timedelta(seconds=1)
        assert purge(django_capture_on_commit_callbacks, now=later) == 1


@pytest.mark.parametrize("days", [-1, "7", 2.5, None])
def test_a_bad_retention_setting_is_refused_and_changes_nothing(built, days):
    with (
        override_settings(LMS={"BULK_DOWNLOAD_RETENTION_DAYS": days}),
        pytest.raises(ImproperlyConfigured, match="BULK_DOWNLOAD_RETENTION_DAYS"),
    ):
        call_command("purge_bulk_downloads", stdout=io.StringIO())
    built.refresh_from_db()
    assert built.state == BulkDownload.State.DONE and file_exists(built.zip_file.name)


def test_the_command_purges_and_says_how_many(built, django_capture_on_commit_callbacks):
    name = built.zip_file.name
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_bulk_downloads", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 certificate ZIP(s) older than 7 day(s)."
    built.refresh_from_db()
    assert built.state == BulkDownload.State.EXPIRED
    assert not file_exists(name)
    out = io.StringIO()
    call_command("purge_bulk_downloads", stdout=out)
    assert out.getvalue() == ""  # nothing left to purge: quiet, for cron


def test_the_task_purges(built, django_capture_on_commit_callbacks):
    name = built.zip_file.name
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.purge_bulk_downloads.enqueue()  # Django's ImmediateBackend runs it here
    assert result.return_value == {"expired": 1}
    built.refresh_from_db()
    assert built.state == BulkDownload.State.EXPIRED
    assert not file_exists(name)


def test_the_status_page_says_the_zip_expired_and_offers_to_build_it_again(
    client, course, hr, built, django_capture_on_commit_callbacks
):
    purge(django_capture_on_commit_callbacks)
    client.force_login(hr)
    with translation.override("vi"):  # the admin's language here
        expired = gettext("The ZIP has expired: its file was deleted.")
        kept = ngettext(
            "Finished ZIPs are kept for %(days)s day, then deleted. Build it again to download "
            "these certificates.",
            "Finished ZIPs are kept for %(days)s days, then deleted. Build it again to download "
            "these certificates.",
            7,
        ) % {"days": 7}
    data = client.get(status_url(built, format="json")).json()
    assert data["state"] == "expired" and data["finished"]
    assert data["download_url"] is None
    assert data["text"] == expired
    html = client.get(status_url(built)).content.decode()
    assert kept in html
    rebuild = f"{reverse('certificates_bulk_start')}?course={course.pk}"  # the same filters
    assert f'href="{rebuild}"' in html
    assert reverse("certificates_bulk_download", args=[built.pk]) not in html
    assert "fetch(" not in html  # finished: no polling
    assert client.get(reverse("certificates_bulk_download", args=[built.pk])).status_code == 404
