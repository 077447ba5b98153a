"""Staff reports at national scale cannot regress into N+1: each report page and export makes
the same number of queries for 3 delegates as for 12, and the big exports stream (a streaming
response whose rows are read in chunks). benchmarks/reports.py measures them at 10,000."""

import io
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates import services as certificate_services
from certificates import tasks
from certificates.models import BulkDownload
from courses import roster
from courses.conf import lms_settings
from courses.models import Enrollment
from courses.spreadsheets import csv_text
from tests import factories
from tests.quizzes import factories as qf
from tests.quizzes.test_statistics_selectors import enrol, right, take, wrong

pytestmark = pytest.mark.django_db

SIZES = (3, 12)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def population(size: int) -> dict:
    """A cohort of ``size`` delegates who each took the quiz once and completed the course,
    each with a certificate."""
    course = factories.course(modules=1)
    cohort = factories.CohortFactory(course=course)
    single = qf.question("single")
    multiple = qf.question("multiple")
    quiz = qf.quiz(course, questions=[single, multiple], shuffle_choices=False)
    for n in range(size):
        user = enrol(cohort, organisation=f"Sở Ngoại vụ {n}")
        take(quiz, user, {single: right(single) if n % 2 else wrong(single), multiple: []})
        enrollment = Enrollment.objects.get(user=user, course=course)
        Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=timezone.now())
        certificate_services.issue_certificate(enrollment_id=enrollment.pk)
    return {"cohort": cohort, "quiz": quiz, "course": course}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def queries_for(client, url: str, *, warm: bool = True) -> tuple[int, object, bytes]:
    """The queries of one GET (after one untimed GET filling per-process caches), with the
    body read: a streamed export queries while it is read."""
    if warm:
        body(client.get(url))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        content = body(response)
    assert response.status_code == 200, content[:500]
    return len(captured.captured_queries), response, content


def counts(admin_client, url_for) -> dict[int, int]:
    """Queries of ``url_for(population)`` for each size, each size in its own data."""
    result = {}
    for size in SIZES:
        result[size] = queries_for(admin_client, url_for(population(size)))[0]
    return result


REPORT_PAGES = {
    "quiz statistics": lambda p: reverse("quizzes_statistics", args=[p["quiz"].pk]),
    "cohort progress": lambda p: reverse("courses_cohort_progress", args=[p["cohort"].pk]),
    "completion report": lambda p: (
        reverse("certificate_completion:index") + f"?cohort={p['cohort'].pk}"
    ),
}
EXPORTS = {
    "responses xlsx": lambda p: reverse("quizzes_responses_export", args=[p["quiz"].pk, "xlsx"]),
    "responses csv": lambda p: reverse("quizzes_responses_export", args=[p["quiz"].pk, "csv"]),
    "register csv": lambda p: (
        reverse("certificate_register:index") + f"?export=csv&cohort={p['cohort'].pk}"
    ),
    "register xlsx": lambda p: (
        reverse("certificate_register:index") + f"?export=xlsx&cohort={p['cohort'].pk}"
    ),
    "register csv (API)": lambda p: (
        reverse("lms_api:certificate-export-csv") + f"?cohort={p['cohort'].pk}"
    ),
    "register xlsx (API)": lambda p: (
        reverse("lms_api:certificate-export-xlsx") + f"?cohort={p['cohort'].pk}"
    ),
    "cohort progress csv": lambda p: (
        reverse("courses_cohort_progress", args=[p["cohort"].pk]) + "?export=csv"
    ),
    "completion report xlsx": lambda p: (
        reverse("certificate_completion:index") + f"?cohort={p['cohort'].pk}&export=xlsx"
    ),
}


@pytest.mark.parametrize("name", list(REPORT_PAGES))
def test_a_report_page_makes_as_many_queries_for_twelve_delegates_as_for_three(admin_client, name):
    counted = counts(admin_client, REPORT_PAGES[name])

    assert counted[3] == counted[12], counted


@pytest.mark.parametrize("name", list(EXPORTS))
def test_an_export_makes_as_many_queries_for_twelve_rows_as_for_three(admin_client, name):
    counted = counts(admin_client, EXPORTS[name])

    assert counted[3] == counted[12], counted


@pytest.mark.parametrize(
    "name", ["responses xlsx", "responses csv", "register csv", "register xlsx"]
)
def test_the_big_exports_stream_every_row(admin_client, name):
    seeded = population(12)

    _queries, response, content = queries_for(admin_client, EXPORTS[name](seeded))

    # FileResponse (XLSX from a temporary file) is a StreamingHttpResponse too.
    assert isinstance(response, StreamingHttpResponse)
    if name.endswith("csv"):
        lines = content.decode("utf-8-sig").strip().splitlines()
        assert len(lines) == 1 + 12
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        assert sum(1 for _row in sheet.iter_rows(values_only=True)) == 1 + 12


def test_the_responses_export_keeps_each_attempts_answers_on_its_own_row(admin_client):
    seeded = population(3)

    response = admin_client.get(EXPORTS["responses csv"](seeded))

    lines = response.getvalue().decode("utf-8-sig").strip().splitlines()
    header, *rows = [line.split(",") for line in lines]
    assert header[-4:] == ["Q1 answer", "Q1 marks", "Q2 answer", "Q2 marks"]
    assert len(rows) == 3
    assert all(len(row) == len(header) for row in rows)
    assert sorted(row[0] for row in rows) == sorted(
        Enrollment.objects.filter(cohort=seeded["cohort"]).values_list(
            "user__delegate_profile__full_name", flat=True
        )
    )


def roster_upload(size: int) -> SimpleUploadedFile:
    lines = [roster.template_headings()]
    lines += [
        [f"Đại biểu {n}", "Sở Ngoại vụ", "Chuyên viên", "Phú Thọ", f"roster{size}.{n}@example.vn"]
        for n in range(size)
    ]
    return SimpleUploadedFile("roster.csv", csv_text(lines).encode("utf-8"), "text/csv")


def test_a_roster_preview_and_import_make_as_many_queries_for_twelve_rows_as_for_three(
    admin_client, django_capture_on_commit_callbacks
):
    Group.objects.get_or_create(name=lms_settings.DELEGATES_GROUP)  # as on any live site
    previews, imports = {}, {}
    for size in (1, *SIZES):  # the first, untimed, fills per-process caches
        cohort = factories.CohortFactory()
        uploaded = admin_client.post(
            reverse("courses_roster_upload", args=[cohort.pk]), {"file": roster_upload(size)}
        )
        preview_url = uploaded["Location"]
        with CaptureQueriesContext(connection) as preview:
            assert admin_client.get(preview_url).status_code == 200
        with (
            CaptureQueriesContext(connection) as confirm,
            django_capture_on_commit_callbacks(execute=False),
        ):
            assert admin_client.post(preview_url + "confirm/").status_code == 302
        assert Enrollment.objects.filter(cohort=cohort).count() == size
        previews[size], imports[size] = len(preview), len(confirm)

    assert previews[3] == previews[12], previews
    assert imports[3] == imports[12], imports


def test_a_bulk_zip_reads_its_certificates_in_a_constant_number_of_queries(
    admin_user, django_capture_on_commit_callbacks, monkeypatch
):
    # One progress write at the start and one at the end, however long the build takes.
    monkeypatch.setattr(tasks, "PROGRESS_MIN_SECONDS", 3600)
    counted = {}
    for size in SIZES:
        seeded = population(size)
        with (
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks(execute=True),
        ):
            job = tasks.start_bulk_download(
                user=admin_user, params={"cohort": [str(seeded["cohort"].pk)]}, language="en"
            )
        job.refresh_from_db()
        assert job.state == BulkDownload.State.DONE, job.error
        with job.zip_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            assert len(archive.namelist()) == size + 1
        counted[size] = len(captured)

    assert counted[3] == counted[12], counted
