"""Wagtail admin: cohorts, trainer access, progress reports and exports."""

import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.conf import lms_settings
from courses.models import Cohort, Completion, Enrollment
from courses.services import sync_course_trainers
from tests import factories

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request would load it: permission caches live on the instance."""
    return type(user).objects.get(pk=user.pk)


def staff(group_name: str, **kwargs):
    user = factories.UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def trainer():
    return staff(lms_settings.TRAINERS_GROUP, first_name="Trần", last_name="Văn Huấn")


@pytest.fixture
def hr_officer():
    return staff(lms_settings.HR_GROUP)


def cohort_form_data(course, **overrides):
    data = {
        "name": "Hội nghị tập huấn lần thứ 3",
        "course": course.pk,
        "starts_on": "2024-07-10",
        "ends_on": "2024-07-11",
        "venue": "Hòa Bình",
        "organiser": "Ban Tuyên giáo Trung ương",
        "enrolment_code": " ttdn 2024 ",
        "enrolment_closes_at": "",
        "capacity": "",
    }
    data.update(overrides)
    return data


def test_admin_creates_cohort_and_its_trainer_may_then_edit_the_course(admin_client, trainer):
    course = factories.course(modules=1)
    other_course = factories.course()
    assert not course.permissions_for_user(trainer).can_edit()

    response = admin_client.post(
        reverse("cohorts:add"), cohort_form_data(course, trainers=[trainer.pk])
    )

    assert response.status_code == 302, response.context["form"].errors
    cohort = Cohort.objects.get()
    assert cohort.enrolment_code == "TTDN2024"
    assert list(cohort.trainers.all()) == [trainer]
    trainer = fresh(trainer)
    assert course.permissions_for_user(trainer).can_edit()
    assert course.get_children().first().permissions_for_user(trainer).can_edit()
    assert not other_course.permissions_for_user(trainer).can_edit()


def test_removing_a_trainer_from_the_cohort_revokes_course_editing(admin_client, trainer):
    cohort = factories.CohortFactory()
    cohort.trainers.add(trainer)
    sync_course_trainers(course=cohort.course)
    assert cohort.course.permissions_for_user(fresh(trainer)).can_edit()

    response = admin_client.post(
        reverse("cohorts:edit", args=[cohort.pk]),
        cohort_form_data(cohort.course, enrolment_code=cohort.enrolment_code, trainers=[]),
    )

    assert response.status_code == 302
    assert not cohort.course.permissions_for_user(fresh(trainer)).can_edit()


def test_cohort_form_rejects_end_before_start_and_bad_codes(admin_client):
    course = factories.course()
    response = admin_client.post(
        reverse("cohorts:add"),
        cohort_form_data(
            course, starts_on="2024-07-11", ends_on="2024-07-10", enrolment_code="TTĐN-1"
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "enrolment_code" in errors
    assert errors["__all__"]
    assert not Cohort.objects.exists()


def test_trainer_lists_only_their_cohorts_and_hr_lists_all(client, trainer, hr_officer):
    mine = factories.CohortFactory(name="Lớp của tôi")
    mine.trainers.add(trainer)
    factories.CohortFactory(name="Lớp khác")

    client.force_login(trainer)
    names = [c.name for c in client.get(reverse("cohorts:index")).context["object_list"]]
    assert names == ["Lớp của tôi"]

    client.force_login(hr_officer)
    names = {c.name for c in client.get(reverse("cohorts:index")).context["object_list"]}
    assert names == {"Lớp của tôi", "Lớp khác"}


def enrol_in(cohort, *, full_name, completed_modules=0):
    profile = factories.DelegateProfileFactory(full_name=full_name)
    user = profile.user
    enrollment = factories.EnrollmentFactory(
        user=user, course=cohort.course, cohort=cohort, province=profile.province
    )
    for module in cohort.course.get_children()[:completed_modules]:
        Completion.objects.create(
            enrollment=enrollment, page=module, completed_at=enrollment.enrolled_at
        )
    return enrollment


@pytest.fixture
def followed_cohort(trainer):
    cohort = factories.CohortFactory(course=factories.course(modules=2))
    cohort.trainers.add(trainer)
    enrol_in(cohort, full_name="Nguyễn Thị Ánh", completed_modules=2)
    enrol_in(cohort, full_name="Đặng Quốc Hưng", completed_modules=1)
    enrol_in(cohort, full_name="Lê Văn Ủy")
    return cohort


def test_trainer_reads_the_progress_of_their_cohort(client, trainer, followed_cohort):
    client.force_login(trainer)
    response = client.get(reverse("courses_cohort_progress", args=[followed_cohort.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Nguyễn Thị Ánh", "Đặng Quốc Hưng", "Lê Văn Ủy"):
        assert name in html
    assert 'aria-valuenow="100"' in html
    assert 'aria-valuenow="50"' in html


def test_progress_report_filters_by_status(client, trainer, followed_cohort):
    client.force_login(trainer)
    url = reverse("courses_cohort_progress", args=[followed_cohort.pk])
    rows = client.get(url, {"status": "not_started"}).context["object_list"]
    assert [row.full_name for row in rows] == ["Lê Văn Ủy"]


def test_another_trainer_cannot_read_the_cohort_progress(client, followed_cohort):
    outsider = staff(lms_settings.TRAINERS_GROUP)
    client.force_login(outsider)
    response = client.get(reverse("courses_cohort_progress", args=[followed_cohort.pk]))
    assert response.status_code == 404


def test_a_delegate_cannot_reach_the_admin_reports(client, followed_cohort):
    client.force_login(followed_cohort.enrollments.first().user)
    response = client.get(reverse("courses_cohort_progress", args=[followed_cohort.pk]))
    assert response.status_code in {302, 403}
    assert "Nguyễn Thị Ánh" not in response.content.decode()


def test_progress_csv_export_opens_in_excel_with_diacritics(client, trainer, followed_cohort):
    client.force_login(trainer)
    response = client.get(
        reverse("courses_cohort_progress", args=[followed_cohort.pk]), {"export": "csv"}
    )
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    assert "Nguyễn Thị Ánh" in content
    assert "Đặng Quốc Hưng" in content


def test_progress_xlsx_export_keeps_vietnamese_names(client, hr_officer, followed_cohort):
    client.force_login(hr_officer)
    response = client.get(
        reverse("courses_cohort_progress", args=[followed_cohort.pk]), {"export": "xlsx"}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row]
    assert "Lê Văn Ủy" in values
    assert 100 in values


def test_csv_export_neutralises_formulas(client, trainer, followed_cohort):
    enrol_in(followed_cohort, full_name='=HYPERLINK("http://evil")')
    client.force_login(trainer)
    response = client.get(
        reverse("courses_cohort_progress", args=[followed_cohort.pk]), {"export": "csv"}
    )
    content = b"".join(response.streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in content


def test_enrolments_are_read_only_in_the_admin_even_for_superusers(admin_client):
    enrollment = factories.EnrollmentFactory()
    assert admin_client.get(reverse("enrollments:index")).status_code == 200
    assert admin_client.get(reverse("enrollments:add")).status_code in {302, 403}
    assert admin_client.get(reverse("enrollments:edit", args=[enrollment.pk])).status_code in {
        302,
        403,
    }
    assert admin_client.get(reverse("enrollments:inspect", args=[enrollment.pk])).status_code == 200
    assert Enrollment.objects.count() == 1


def test_the_enrolment_inspect_page_shows_times_in_vietnam(admin_client):
    # 21:30 UTC on 22 November is 04:30 on 23 November in Hanoi: the date changes too.
    enrolled_at = datetime.datetime(2026, 11, 22, 21, 30, tzinfo=datetime.UTC)
    enrollment = factories.EnrollmentFactory(enrolled_at=enrolled_at)
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=enrolled_at)

    html = admin_client.get(reverse("enrollments:inspect", args=[enrollment.pk])).content.decode()

    values = [" ".join(value.split()) for value in re.findall(r"<dd[^>]*>(.*?)</dd>", html, re.S)]
    assert "04:30 Ngày 23 tháng 11 năm 2026" in values
    assert "None" not in values  # no cohort, not completed: a dash
    assert "—" in values


def test_trainer_sees_only_enrolments_of_their_cohorts(client, trainer, followed_cohort):
    stranger = factories.EnrollmentFactory()
    client.force_login(trainer)
    listed = set(client.get(reverse("enrollments:index")).context["object_list"])
    assert stranger not in listed
    assert listed == set(followed_cohort.enrollments.all())


def test_admin_dashboard_shows_the_trainers_cohorts(client, trainer, followed_cohort):
    client.force_login(trainer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert followed_cohort.name in html
    assert reverse("courses_cohort_progress", args=[followed_cohort.pk]) in html


def test_cohort_dates_default_sensibly():
    cohort = factories.CohortFactory()
    assert cohort.ends_on - cohort.starts_on == datetime.timedelta(days=2)
    assert cohort.enrolment_code.isalnum() and cohort.enrolment_code.isupper()
