"""The completion report: who of a cohort completed (with the certificate's number), who is in
progress, who has not started, counted per province and status."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from certificates import services
from certificates.admin_views import CompletionRow, ProvinceCounts, count_by_province
from courses.conf import lms_settings
from courses.models import Completion, Province
from courses.progress import Progress
from tests import factories

URL = "certificate_completion:index"


def staff(group_name: str):
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def enrol(cohort, full_name, *, province=None, modules_done=0, completed=False, active=False):
    province = Province.objects.get(name=province) if province else None
    profile = factories.DelegateProfileFactory(full_name=full_name, province=province)
    now = timezone.now()
    enrollment = factories.EnrollmentFactory(
        user=profile.user,
        course=cohort.course,
        cohort=cohort,
        province=province,
        organisation="Sở Nội vụ",
        completed_at=now if completed else None,
        last_activity_at=now if (active or modules_done) else None,
    )
    for module in cohort.course.get_children()[:modules_done]:
        Completion.objects.create(enrollment=enrollment, page=module, completed_at=now)
    return enrollment


@pytest.fixture
def cohort(db):
    """Six delegates in two provinces (and one without): 2 completed, 2 in progress, 2 not
    started; only Ánh holds a valid certificate (Hưng's was revoked)."""
    cohort = factories.CohortFactory(name="Hội nghị tháng 7", course=factories.course(modules=2))
    anh = enrol(cohort, "Nguyễn Thị Ánh", province="Hà Nội", modules_done=2, completed=True)
    hung = enrol(cohort, "Đặng Quốc Hưng", province="Phú Thọ", modules_done=2, completed=True)
    enrol(cohort, "Lê Văn Ủy", province="Hà Nội", modules_done=1)
    enrol(cohort, "Trần Thị Hoà", province="Phú Thọ")
    enrol(cohort, "Võ Văn Bình", province="Phú Thọ", active=True)
    enrol(cohort, "Hà Thị Giang")
    other = factories.CohortFactory(course=cohort.course)
    enrol(other, "Người Lớp Khác", province="Hà Nội", modules_done=2, completed=True)
    cohort.anh_certificate = services.issue_certificate(enrollment_id=anh.pk)[0]
    revoked = services.issue_certificate(enrollment_id=hung.pk)[0]
    services.revoke_certificate(certificate_id=revoked.pk, by=None, reason="Sai tên")
    return cohort


@pytest.fixture
def hr_client(client, db):
    client.force_login(staff(lms_settings.HR_GROUP))
    return client


def names(response) -> list[str]:
    return [row.full_name for row in response.context["object_list"]]


@pytest.mark.django_db
def test_the_report_counts_a_hand_built_cohort(hr_client, cohort):
    response = hr_client.get(reverse(URL), {"cohort": cohort.pk})

    assert response.status_code == 200
    rows = {row.full_name: row for row in response.context["object_list"]}
    assert {name: row.status for name, row in rows.items()} == {
        "Nguyễn Thị Ánh": "completed",
        "Đặng Quốc Hưng": "completed",
        "Lê Văn Ủy": "in_progress",
        "Võ Văn Bình": "in_progress",
        "Trần Thị Hoà": "not_started",
        "Hà Thị Giang": "not_started",
    }
    assert rows["Nguyễn Thị Ánh"].certificate_serial == cohort.anh_certificate.serial
    assert rows["Đặng Quốc Hưng"].certificate_serial == ""  # revoked: no valid certificate
    assert rows["Lê Văn Ủy"].percent == 50
    assert response.context["province_counts"] == [
        ProvinceCounts("Hà Nội", completed=1, in_progress=1, not_started=0, certified=1),
        ProvinceCounts("Phú Thọ", completed=1, in_progress=1, not_started=1, certified=0),
        ProvinceCounts("", completed=0, in_progress=0, not_started=1, certified=0),
    ]
    totals = response.context["totals"]
    assert (totals.completed, totals.in_progress, totals.not_started, totals.total) == (2, 2, 2, 6)
    assert totals.certified == 1
    html = response.content.decode()
    assert cohort.anh_certificate.serial in html
    assert "Người Lớp Khác" not in html


@pytest.mark.django_db
def test_the_report_filters_by_status_and_province(hr_client, cohort):
    completed = hr_client.get(reverse(URL), {"cohort": cohort.pk, "status": "completed"})
    assert sorted(names(completed)) == ["Nguyễn Thị Ánh", "Đặng Quốc Hưng"]
    assert completed.context["totals"].total == 6  # the counts keep the whole picture

    hanoi = hr_client.get(reverse(URL), {"cohort": cohort.pk, "province": _hanoi().pk})
    assert sorted(names(hanoi)) == ["Lê Văn Ủy", "Nguyễn Thị Ánh"]
    assert [counts.province for counts in hanoi.context["province_counts"]] == ["Hà Nội"]


def _hanoi():
    return Province.objects.get(name="Hà Nội")


@pytest.mark.django_db
def test_without_a_cohort_the_report_asks_for_one(hr_client, cohort):
    response = hr_client.get(reverse(URL))
    assert response.status_code == 200
    assert response.context["object_list"] == []
    assert "Choose a cohort" in response.content.decode()


@pytest.mark.django_db
def test_the_report_exports_csv_and_xlsx(hr_client, cohort):
    csv = hr_client.get(reverse(URL), {"cohort": cohort.pk, "export": "csv"})
    content = b"".join(csv.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    assert "Nguyễn Thị Ánh" in content and cohort.anh_certificate.serial in content

    xlsx = hr_client.get(reverse(URL), {"cohort": cohort.pk, "export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    values = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert "Trần Thị Hoà" in values and cohort.anh_certificate.serial in values


@pytest.mark.django_db
def test_the_csv_export_neutralises_formulas(hr_client, cohort):
    enrol(cohort, '=HYPERLINK("http://evil")')
    response = hr_client.get(reverse(URL), {"cohort": cohort.pk, "export": "csv"})
    assert "'=HYPERLINK" in b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.django_db
def test_a_trainer_reports_on_their_cohort_without_certificate_numbers(client, cohort):
    trainer = staff(lms_settings.TRAINERS_GROUP)
    cohort.trainers.add(trainer)
    client.force_login(trainer)

    response = client.get(reverse(URL), {"cohort": cohort.pk})

    assert len(names(response)) == 6
    assert cohort.anh_certificate.serial not in response.content.decode()
    export = client.get(reverse(URL), {"cohort": cohort.pk, "export": "csv"})
    assert cohort.anh_certificate.serial not in b"".join(export.streaming_content).decode()


@pytest.mark.django_db
def test_a_trainer_cannot_report_on_another_cohort(client, cohort):
    client.force_login(staff(lms_settings.TRAINERS_GROUP))
    response = client.get(reverse(URL), {"cohort": cohort.pk})
    assert response.context["object_list"] == []
    assert "Nguyễn Thị Ánh" not in response.content.decode()


@pytest.mark.django_db
def test_delegates_cannot_see_the_report(client, cohort):
    client.force_login(cohort.enrollments.first().user)
    response = client.get(reverse(URL), {"cohort": cohort.pk})
    assert response.status_code == 302
    assert "Nguyễn Thị Ánh" not in response.content.decode()


def row(province: str, status: str, serial: str = "") -> CompletionRow:
    progress = Progress(completed=0, total=1, percent=0, is_complete=False, next_item_id=None)
    return CompletionRow(
        full_name="x",
        email="",
        organisation="",
        position="",
        province=province,
        progress=progress,
        status=status,
        completed_at=datetime.datetime(2024, 7, 1, tzinfo=datetime.UTC),
        certificate_serial=serial,
    )


def test_counting_by_province_needs_no_database():
    provinces, totals = count_by_province(
        [
            row("Huế", "completed", "S-1"),
            row("Huế", "not_started"),
            row("", "in_progress"),
            row("Cần Thơ", "completed"),
        ]
    )
    assert [(c.province, c.completed, c.total, c.certified) for c in provinces] == [
        ("Cần Thơ", 1, 1, 0),
        ("Huế", 1, 2, 1),
        ("", 0, 1, 0),
    ]
    assert (totals.completed, totals.in_progress, totals.not_started, totals.certified) == (
        2,
        1,
        1,
        1,
    )
