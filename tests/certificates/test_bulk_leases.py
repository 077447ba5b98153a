"""Jobs survive a dead worker: a bulk ZIP whose worker died is taken over by the next worker
once its lease has expired, without anyone pressing Resume, and still makes one ZIP holding
each certificate once; a run that was presumed dead and wakes up stops without writing."""

import datetime
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from certificates import tasks
from certificates.models import BulkDownload, CertificateEvent
from courses import leases
from tests import factories
from tests.certificates.test_bulk_jobs import (
    DB_TASKS,
    Killed,
    hr_user,
    make_certificate,
    manifest,
    start,
    zip_contents,
)
from tests.certificates.test_bulk_jobs import urlpatterns as urlpatterns  # the admin screens
from tests.subprocesses import database_url
from tests.worker_support import run_db_worker_batch

needs_db_worker = pytest.mark.skipif(
    not apps.is_installed("django_tasks_db"), reason="django_tasks_db is not in INSTALLED_APPS"
)


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(tasks, "work_dir", lambda: tmp_path / "work")


@pytest.fixture
def small_checkpoints(monkeypatch):
    monkeypatch.setattr(tasks.bulk, "PROGRESS_EVERY", 4)
    monkeypatch.setattr(tasks, "PROGRESS_MIN_SECONDS", 0)  # every checkpoint shows


def kill_after(count: int):
    def after_file(written: int) -> None:
        if written == count:
            raise Killed

    return after_file


def stored_zips() -> list[Path]:
    folder = Path(django_settings.MEDIA_ROOT) / "certificates" / "bulk"
    return sorted(folder.glob("*.zip")) if folder.exists() else []


def past_the_lease() -> datetime.datetime:
    later = leases.lease_duration() + leases.CHECK_MARGIN + datetime.timedelta(seconds=1)
    return timezone.now() + later


def assert_one_complete_zip(job: BulkDownload, certificates) -> None:
    job.refresh_from_db()
    assert job.state == BulkDownload.State.DONE, (job.state, job.error)
    assert stored_zips() == [Path(job.zip_file.path)]  # one ZIP, no stray copy
    infos, files = zip_contents(job)
    names = [info.filename for info in infos]
    assert len(names) == len(set(names)) == len(certificates) + 1
    serials = [name.split(" - ")[0] for name in names[:-1]]
    assert serials == [c.serial for c in certificates]
    assert [row[0] for row in manifest(files)[1:]] == serials


def ten_certificates(course):
    return [
        make_certificate(course=course, serial=f"TTĐN-2024-{n:06d}", full_name=f"Lê Văn Ước {n}")
        for n in range(1, 11)
    ]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@needs_db_worker
def test_the_next_worker_takes_over_a_job_whose_worker_died_once_its_lease_expires(
    client, small_checkpoints, monkeypatch, time_machine, django_capture_on_commit_callbacks
):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker drops connections between tasks; inside the test's transaction it must not.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    course, hr = factories.course(), hr_user()
    certificates = ten_certificates(course)
    with override_settings(TASKS=DB_TASKS):
        job = start(hr, {"course": course.pk}, django_capture_on_commit_callbacks)
        first = DBTaskResult.objects.get()
        # A worker claims the task and is killed after the sixth PDF.
        first.claim("worker-that-dies")
        with pytest.raises(Killed):
            tasks.run_bulk_download(job_id=job.pk, run_id=str(first.id), after_file=kill_after(6))
        job.refresh_from_db()
        assert (job.state, job.done, job.task_result_id) == ("running", 4, str(first.id))

        # Another worker, while the dead one's lease still holds: nothing is built twice.
        run_db_worker_batch()
        job.refresh_from_db()
        assert (job.state, job.task_result_id) == ("running", str(first.id))

        # Once it has expired, the next worker takes the job over: nobody pressed Resume.
        time_machine.move_to(past_the_lease())
        run_db_worker_batch()

        job.refresh_from_db()
        assert job.task_result_id != str(first.id)
        taken_over_by = tasks.build_bulk_download.get_result(job.task_result_id)
        assert taken_over_by.status == "SUCCESSFUL"
    assert_one_complete_zip(job, certificates)

    # Downloading it records each certificate once.
    client.force_login(hr)
    response = client.get(reverse("certificates_bulk_download", args=[job.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    events = CertificateEvent.objects.filter(action=CertificateEvent.Action.DOWNLOADED)
    assert sorted(events.values_list("certificate_id", flat=True)) == sorted(
        c.pk for c in certificates
    )


@pytest.mark.django_db
def test_a_run_presumed_dead_stops_at_its_next_renewal_and_writes_nothing(
    small_checkpoints, time_machine
):
    course, hr = factories.course(), hr_user()
    certificates = ten_certificates(course)
    job = tasks.start_bulk_download(user=hr, params={"course": course.pk}, language="vi")
    seen = {}

    def paused_for_too_long(written: int) -> None:
        if written == 3:
            # The process stalls past its lease; meanwhile another run takes the job over.
            time_machine.move_to(past_the_lease())
            tasks.run_bulk_download(job_id=job.pk, run_id="the-next-run")
            seen["owner"] = BulkDownload.objects.get(pk=job.pk).task_result_id

    tasks.run_bulk_download(job_id=job.pk, run_id="the-stalled-run", after_file=paused_for_too_long)

    job.refresh_from_db()
    assert seen["owner"] == "the-next-run"
    assert job.task_result_id == "the-next-run"  # the stalled run left the job alone
    assert job.state == BulkDownload.State.RUNNING
    assert stored_zips() == []
    # The run that holds it now could not build while the stalled process held the file; when
    # its own lease runs out, the next run finishes the job from the last checkpoint.
    time_machine.move_to(past_the_lease())
    tasks.run_bulk_download(job_id=job.pk, run_id="the-last-run")
    assert_one_complete_zip(job, certificates)


def test_the_lease_must_be_a_positive_number(settings):
    for wrong in (0, -5, "120", True, None):
        settings.LMS = {"TASK_LEASE_SECONDS": wrong}
        with pytest.raises(Exception, match="TASK_LEASE_SECONDS"):
            leases.lease_duration()
    settings.LMS = {"TASK_LEASE_SECONDS": 2.5}
    assert leases.lease_duration() == datetime.timedelta(seconds=2.5)


# A real worker process, killed with SIGKILL half way (PostgreSQL: both processes see the data)

LEASE_SECONDS = 2
SECONDS_PER_PDF = 0.1  # a slow storage, so that the worker can be killed half way


def start_worker(tmp_path: Path, name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "DATABASE_URL": database_url(),
        "LMS_TEST_MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "LMS_TEST_LEASE_SECONDS": str(LEASE_SECONDS),
        "LMS_TEST_SECONDS_PER_PDF": str(SECONDS_PER_PDF),
        "TMPDIR": str(tmp_path / "tmp"),
    }
    (tmp_path / "tmp").mkdir(exist_ok=True)
    log = (tmp_path / f"{name}.log").open("w")
    return subprocess.Popen(  # noqa: S603 (fixed arguments)
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0.2",
            "--worker-id",
            name,
        ],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    pytest.fail(f"Timed out waiting for {what}.")


@pytest.mark.concurrency
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two processes share the database")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@needs_db_worker
def test_a_worker_killed_mid_job_is_replaced_by_the_next_worker(tmp_path):
    course, hr = factories.course(), hr_user()
    certificates = [
        make_certificate(course=course, serial=f"TTĐN-2024-{n:06d}", full_name=f"Đỗ Thị Ý {n}")
        for n in range(1, 61)
    ]
    with override_settings(TASKS=DB_TASKS):
        job = tasks.start_bulk_download(user=hr, params={"course": course.pk}, language="vi")
    job.refresh_from_db()
    first_run = job.task_result_id
    assert first_run

    worker = start_worker(tmp_path, "first")
    try:
        # Killed once the first checkpoint is safely written, with more to do.
        wait_for(
            lambda: BulkDownload.objects.filter(pk=job.pk, done__gt=0, done__lt=60).exists(),
            timeout=120,
            what="the first worker's first checkpoint",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    job.refresh_from_db()
    assert job.state == BulkDownload.State.RUNNING and job.task_result_id == first_run

    worker = start_worker(tmp_path, "second")
    try:
        wait_for(
            lambda: BulkDownload.objects.filter(pk=job.pk).exclude(state="running").exists(),
            timeout=120,
            what="the second worker to finish the job",
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    job.refresh_from_db()
    assert job.task_result_id != first_run
    with zipfile.ZipFile(job.zip_file.path) as archive:
        assert archive.testzip() is None
    assert_one_complete_zip(job, certificates)
