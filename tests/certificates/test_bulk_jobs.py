"""Bulk ZIP jobs: starting, building (in process and through the database worker), resuming,
and the admin screens. This module is also the tests' urlconf: the screens under /admin/."""

import csv
import datetime
import hashlib
import io
import re
import secrets
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import include, path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.admin.auth import require_admin_access
from wagtail.utils.urlpatterns import decorate_urlpatterns

from certificates import services, tasks
from certificates.admin_urls import bulk_urlpatterns
from certificates.models import BulkDownload, Certificate, CertificateEvent
from courses import leases
from courses.conf import lms_settings
from lms.urls import urlpatterns as project_urlpatterns
from tests import factories
from tests.certificates import factories as cf
from tests.worker_support import run_db_worker_batch

urlpatterns = [
    path("admin/", include(decorate_urlpatterns(bulk_urlpatterns(), require_admin_access))),
    *project_urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

ISSUED_AT = datetime.datetime(2024, 7, 11, 9, 0, tzinfo=datetime.UTC)


class Killed(BaseException):
    """A worker killed mid-way."""


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(tasks, "work_dir", lambda: tmp_path / "work")


def make_certificate(
    *,
    course=None,
    cohort=None,
    full_name="Nguyễn Thị Ánh Tuyết",
    serial=None,
    status=Certificate.Status.VALID,
    organisation="Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Thọ",
    province="Phú Thọ",
    issued_on=datetime.date(2024, 7, 11),
) -> Certificate:
    """A certificate row with a stored stand-in PDF (rendering is tested elsewhere)."""
    enrollment = cf.completed_enrollment(full_name=full_name, course=course, cohort=cohort)
    serial = serial or f"{enrollment.course.code}-2024-{secrets.randbelow(10**6):06d}"
    data = b"%PDF-1.7\n" + serial.encode() + secrets.token_bytes(3000)
    certificate = Certificate(
        serial=serial,
        verification_code=secrets.token_urlsafe(16),
        status=status,
        enrollment=enrollment,
        user=enrollment.user,
        course=enrollment.course,
        cohort=cohort,
        full_name=full_name,
        organisation=organisation,
        province=province,
        course_title=enrollment.course.title,
        cohort_name=cohort.name if cohort else "",
        issued_on=issued_on,
        issued_at=ISSUED_AT,
        pdf_sha256=hashlib.sha256(data).hexdigest(),
    )
    certificate.pdf.save(f"{certificate.verification_code}.pdf", ContentFile(data), save=False)
    certificate.save()
    return certificate


def hr_user():
    """An HR officer: the role group that may view certificates."""
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name=lms_settings.HR_GROUP))
    return user


def trainer_user():
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name=lms_settings.TRAINERS_GROUP))
    return user


def start(user, params, django_capture_on_commit_callbacks) -> BulkDownload:
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.start_bulk_download(user=user, params=params, language="vi")
    job.refresh_from_db()
    return job


def zip_contents(job: BulkDownload):
    with job.zip_file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        assert archive.testzip() is None
        return archive.infolist(), {i.filename: archive.read(i) for i in archive.infolist()}


def manifest(files) -> list[list[str]]:
    data = files["manifest.csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def course():
    return factories.course()


@pytest.fixture
def hr():
    return hr_user()


# Building in process (Django's default ImmediateBackend)


def test_a_job_zips_the_filtered_certificates_once_each_with_a_manifest(
    course, hr, django_capture_on_commit_callbacks
):
    names = ["Đặng Thị Ngọc Hân", "Nguyễn Văn Ước", "Trần Thị Ẩn Ửng"]
    certificates = [
        make_certificate(course=course, full_name=name, serial=f"TTĐN-2024-{n:06d}")
        for n, name in enumerate(names, start=1)
    ]
    make_certificate(full_name="Khóa khác")  # another course: not in the ZIP
    job = start(hr, {"course": str(course.pk)}, django_capture_on_commit_callbacks)

    assert job.state == BulkDownload.State.DONE
    assert (job.done, job.total) == (3, 3)
    assert job.finished_at is not None and job.error == ""
    infos, files = zip_contents(job)
    assert [i.filename for i in infos] == [
        "TTĐN-2024-000001 - Đặng Thị Ngọc Hân.pdf",
        "TTĐN-2024-000002 - Nguyễn Văn Ước.pdf",
        "TTĐN-2024-000003 - Trần Thị Ẩn Ửng.pdf",
        "manifest.csv",
    ]
    assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
    assert all(i.flag_bits & 0x800 for i in infos[:3])
    for certificate, info in zip(certificates, infos, strict=False):
        assert hashlib.sha256(files[info.filename]).hexdigest() == certificate.pdf_sha256
    rows = manifest(files)
    with translation.override("vi"):  # headings and statuses in the requester's language
        assert rows[0][0] == gettext("Serial number")
        valid = str(Certificate.Status.VALID.label)
    assert [row[:3] for row in rows[1:]] == [
        [c.serial, c.full_name, c.organisation] for c in certificates
    ]
    assert {row[6] for row in rows[1:]} == {valid}
    assert [row[7] for row in rows[1:]] == [c.pdf_sha256 for c in certificates]


def test_real_issued_pdfs_are_copied_byte_for_byte(hr, django_capture_on_commit_callbacks):
    course = factories.course(modules=1)
    cf.template(course=course)
    issued = []
    for name in ("Lê Ỷ Ỳ Ỹ", "Phạm Ờ Ở Ỡ"):
        enrollment = cf.completed_enrollment(full_name=name, course=course)
        issued.append(services.issue_certificate(enrollment_id=enrollment.pk)[0])
    job = start(hr, {"course": [str(course.pk)]}, django_capture_on_commit_callbacks)
    _infos, files = zip_contents(job)
    for certificate in issued:
        with certificate.pdf.open("rb") as handle:
            assert files[f"{certificate.serial} - {certificate.full_name}.pdf"] == handle.read()


def test_the_set_of_certificates_is_fixed_when_the_job_starts(
    course, hr, django_capture_on_commit_callbacks
):
    first = make_certificate(course=course)
    job = tasks.start_bulk_download(user=hr, params={"course": course.pk}, language="en")
    make_certificate(course=course)  # issued while the job waits in the queue
    tasks.run_bulk_download(job_id=job.pk)
    job.refresh_from_db()
    infos, _files = zip_contents(job)
    assert job.certificate_ids == [first.pk]
    assert [i.filename for i in infos][:-1] == [f"{first.serial} - {first.full_name}.pdf"]


def test_a_missing_pdf_fails_the_job_with_a_clear_message(
    course, hr, django_capture_on_commit_callbacks
):
    make_certificate(course=course, serial="TTĐN-2024-000001")
    lost = make_certificate(course=course, serial="TTĐN-2024-000002")
    lost.pdf.storage.delete(lost.pdf.name)
    with override_settings(LANGUAGE_CODE="en"):
        job = tasks.start_bulk_download(user=hr, params={"course": course.pk}, language="en")
        tasks.run_bulk_download(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == BulkDownload.State.FAILED
    assert "TTĐN-2024-000002" in job.error and "missing" in job.error
    assert not job.zip_file
    assert job.finished_at is not None
    assert not list((tasks.work_dir()).glob("*.part"))  # nothing left behind


def test_an_unexpected_error_fails_the_job_and_reaches_the_task_backend(course, hr, monkeypatch):
    make_certificate(course=course)
    job = tasks.start_bulk_download(user=hr, params={}, language="en")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(tasks.bulk, "build_zip", broken)
    with pytest.raises(RuntimeError):
        tasks.run_bulk_download(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == BulkDownload.State.FAILED
    assert "unexpected error" in job.error


def test_a_killed_job_resumes_without_duplicates(course, hr, monkeypatch, time_machine):
    monkeypatch.setattr(tasks.bulk, "PROGRESS_EVERY", 4)
    monkeypatch.setattr(tasks, "PROGRESS_MIN_SECONDS", 0)  # every checkpoint shows
    certificates = [
        make_certificate(course=course, serial=f"TTĐN-2024-{n:06d}", full_name=f"Vũ Thị Ứ {n}")
        for n in range(1, 11)
    ]
    job = tasks.start_bulk_download(user=hr, params={"course": course.pk}, language="vi")

    def kill_after_six(written):
        if written == 6:
            raise Killed

    with pytest.raises(Killed):
        tasks.run_bulk_download(job_id=job.pk, after_file=kill_after_six)
    job.refresh_from_db()
    assert job.state == BulkDownload.State.RUNNING  # as a killed worker leaves it
    assert job.done == 4  # the last checkpoint

    added = []
    tasks.run_bulk_download(job_id=job.pk, after_file=added.append)
    assert added == []  # the dead run's lease still holds: nobody builds it twice
    time_machine.move_to(timezone.now() + leases.lease_duration() + datetime.timedelta(seconds=1))
    tasks.run_bulk_download(job_id=job.pk, after_file=added.append)
    job.refresh_from_db()
    assert added == [5, 6, 7, 8, 9, 10]  # carried on after the checkpoint
    assert job.state == BulkDownload.State.DONE
    infos, files = zip_contents(job)
    names = [i.filename for i in infos]
    assert len(names) == len(set(names)) == 11
    serials = [name.split(" - ")[0] for name in names[:-1]]
    assert serials == [c.serial for c in certificates]
    assert [row[0] for row in manifest(files)[1:]] == serials
    assert not list(tasks.work_dir().glob("*.part*"))


def test_a_finished_job_is_not_built_twice(course, hr, django_capture_on_commit_callbacks):
    make_certificate(course=course)
    job = start(hr, {}, django_capture_on_commit_callbacks)
    name = job.zip_file.name
    tasks.run_bulk_download(job_id=job.pk)
    job.refresh_from_db()
    assert job.zip_file.name == name


def test_only_a_running_job_without_progress_is_stale(course, hr):
    make_certificate(course=course)
    job = tasks.start_bulk_download(user=hr, params={}, language="vi")
    now = timezone.now()
    later = now + datetime.timedelta(hours=1)
    assert not tasks.is_stale(job, now=later)  # queued: still in the queue, not resumable
    assert tasks.is_waiting_long(job, now=later)  # but the page says the worker may be down
    job.state, job.heartbeat_at = BulkDownload.State.RUNNING, now
    assert not tasks.is_stale(job, now=now + datetime.timedelta(seconds=30))
    lease = leases.lease_duration()
    assert not tasks.is_stale(job, now=now + lease)
    assert tasks.is_stale(job, now=now + lease + datetime.timedelta(seconds=1))


def test_nothing_to_download_and_too_many_are_refused(course, hr, monkeypatch):
    with pytest.raises(tasks.NothingToDownload):
        tasks.start_bulk_download(user=hr, params={"course": course.pk}, language="vi")
    make_certificate(course=course)
    make_certificate(course=course)
    monkeypatch.setattr(tasks, "MAX_CERTIFICATES", 1)
    with pytest.raises(tasks.TooManyCertificates):
        tasks.start_bulk_download(user=hr, params={"course": course.pk}, language="vi")
    assert not BulkDownload.objects.exists()


# Through the database worker (django-tasks-db), as in production

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.skipif(
    not apps.is_installed("django_tasks_db"),
    reason="django_tasks_db is not in INSTALLED_APPS",
)
def test_the_database_worker_builds_a_queued_job(
    course, hr, django_capture_on_commit_callbacks, monkeypatch
):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker drops connections between tasks; inside the test's transaction it must not.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    make_certificate(course=course, full_name="Hồ Ầ Ẩ Ẫ")
    with override_settings(TASKS=DB_TASKS):
        job = start(hr, {"course": course.pk}, django_capture_on_commit_callbacks)
        assert job.state == BulkDownload.State.QUEUED  # stored, not run
        queued = DBTaskResult.objects.get()
        assert queued.task_path == "certificates.tasks.build_bulk_download"
        assert str(queued.id) == job.task_result_id

        run_db_worker_batch()

        result = tasks.build_bulk_download.get_result(job.task_result_id)
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"job": job.pk, "state": "done", "done": 1, "total": 1}
    job.refresh_from_db()
    assert job.state == BulkDownload.State.DONE
    infos, _files = zip_contents(job)
    assert len(infos) == 2


# The admin screens


def status_url(job, **query):
    url = reverse("certificates_bulk_status", args=[job.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_start_page_shows_the_selection_and_post_builds_the_zip(
    client, course, hr, django_capture_on_commit_callbacks
):
    make_certificate(course=course)
    make_certificate(course=course)
    client.force_login(hr)
    url = reverse("certificates_bulk_start") + f"?course={course.pk}&status=valid&q=ignored"
    page = client.get(url)
    assert page.status_code == 200
    assert course.title in page.content.decode()
    assert "2" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = BulkDownload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates_bulk_status", args=[job.pk])
    assert job.filters == {"course": [str(course.pk)], "status": ["valid"]}
    assert job.requested_by == hr
    assert job.state == BulkDownload.State.DONE


def test_bad_filters_are_refused(client, hr):
    client.force_login(hr)
    url = reverse("certificates_bulk_start") + "?issued_from=11/07/2024"
    assert client.get(url).status_code == 200  # explains
    assert client.post(url).status_code == 400
    assert not BulkDownload.objects.exists()


def test_progress_json_for_polling(client, course, hr, time_machine):
    make_certificate(course=course)
    job = tasks.start_bulk_download(user=hr, params={}, language="vi")
    assert leases.Lease.claim(BulkDownload, job_id=job.pk, run_id="a-worker", now=timezone.now())
    client.force_login(hr)
    data = client.get(status_url(job), headers={"accept": "application/json"}).json()
    assert data == {
        "id": job.pk,
        "state": "running",
        "state_label": data["state_label"],
        "done": 0,
        "total": 1,
        "percent": 0,
        "finished": False,
        "text": data["text"],
        "error": "",
        "stale": False,
        "waiting_long": False,
        "download_url": None,
    }
    # That worker stops; once its lease has expired, the next run finishes the job.
    time_machine.move_to(timezone.now() + leases.lease_duration() + datetime.timedelta(seconds=1))
    assert client.get(status_url(job, format="json")).json()["stale"]
    tasks.run_bulk_download(job_id=job.pk)
    data = client.get(status_url(job, format="json")).json()
    assert data["state"] == "done" and data["finished"] and data["percent"] == 100
    assert data["download_url"] == reverse("certificates_bulk_download", args=[job.pk])


def test_the_status_page_has_an_accessible_progress_bar_that_polls(client, course, hr):
    make_certificate(course=course)
    job = tasks.start_bulk_download(user=hr, params={"course": course.pk}, language="vi")
    client.force_login(hr)
    html = client.get(status_url(job)).content.decode()
    assert '<progress id="job-progress" max="1" value="0"' in html
    assert 'aria-describedby="job-progress-text"' in html
    assert 'role="status" aria-live="polite"' in html
    assert '<label for="job-progress"' in html
    # Polls while unfinished, with a script of its own (no inline code under the CSP).
    assert re.search(r'<script src="[^"]*/courses/job_progress\.js" defer>', html)
    polling = Path(finders.find("courses/job_progress.js")).read_text(encoding="utf-8")
    assert "fetch(box.dataset.statusUrl" in polling
    assert f'data-status-url="{status_url(job)}"' in html
    assert f'href="{status_url(job)}"' in html  # and works by reloading


def test_a_stale_job_can_be_resumed(client, course, hr, django_capture_on_commit_callbacks):
    make_certificate(course=course)
    job = tasks.start_bulk_download(user=hr, params={}, language="vi")
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    BulkDownload.objects.filter(pk=job.pk).update(
        state=BulkDownload.State.RUNNING, heartbeat_at=long_ago
    )
    client.force_login(hr)
    html = client.get(status_url(job)).content.decode()
    assert reverse("certificates_bulk_resume", args=[job.pk]) in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates_bulk_resume", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == BulkDownload.State.DONE


def test_the_requester_downloads_the_zip_and_the_audit_trail_records_it(
    client, course, hr, django_capture_on_commit_callbacks
):
    certificate = make_certificate(course=course)
    job = start(hr, {}, django_capture_on_commit_callbacks)
    client.force_login(hr)
    response = client.get(reverse("certificates_bulk_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert len(archive.namelist()) == 2
    event = CertificateEvent.objects.get(certificate=certificate, action="downloaded")
    assert event.actor == hr and str(job.pk) in event.note


def test_other_users_get_404_and_superusers_see_every_job(
    client, course, hr, django_capture_on_commit_callbacks
):
    make_certificate(course=course)
    job = start(hr, {}, django_capture_on_commit_callbacks)
    urls = [
        status_url(job),
        status_url(job, format="json"),
        reverse("certificates_bulk_download", args=[job.pk]),
    ]
    client.force_login(hr_user())  # another HR officer
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(reverse("certificates_bulk_resume", args=[job.pk])).status_code == 404
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    for url in urls:
        assert client.get(url).status_code == 200


def test_users_who_may_not_view_certificates_are_refused(client, course):
    make_certificate(course=course)
    client.force_login(trainer_user())
    assert client.get(reverse("certificates_bulk_start")).status_code == 403
    assert client.post(reverse("certificates_bulk_start")).status_code == 403
    assert not BulkDownload.objects.exists()
