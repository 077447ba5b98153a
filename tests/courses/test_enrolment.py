"""Enrolment: self-enrolment, cohort codes, snapshots, and the views that call them."""

import datetime

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import override

from courses import exceptions, services
from courses.models import Enrollment, Province
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 9, 2, 8, 30, tzinfo=datetime.UTC)


def enrol_url(course) -> str:
    return reverse("courses:enrol", args=[course.pk])


def first_module(course):
    return course.get_children().live().first().specific


def sent_messages(response) -> list:
    return list(get_messages(response.wsgi_request))


# Self-enrolment


def test_delegate_can_enrol_themselves_in_an_open_course(delegate_user):
    course = factories.course(modules=1)

    enrollment = services.enrol(user=delegate_user, course=course, now=NOW)

    assert enrollment.user == delegate_user
    assert enrollment.course_id == course.pk
    assert enrollment.cohort is None
    assert enrollment.method == Enrollment.Method.SELF
    assert enrollment.enrolled_at == NOW
    assert enrollment.completed_at is None


def test_self_enrolment_is_refused_when_the_course_is_open_to_codes_only(delegate_user):
    course = factories.course(allow_self_enrolment=False)

    with pytest.raises(exceptions.SelfEnrolmentClosed):
        services.enrol(user=delegate_user, course=course)

    assert not Enrollment.objects.exists()


def test_enrolling_twice_raises_already_enrolled_and_keeps_one_enrolment(delegate_user):
    course = factories.course()
    first = services.enrol(user=delegate_user, course=course)

    with pytest.raises(exceptions.AlreadyEnrolled):
        services.enrol(user=delegate_user, course=course)

    assert list(Enrollment.objects.all()) == [first]


def test_an_unpublished_course_cannot_be_enrolled_in(delegate_user):
    course = factories.course()
    course.unpublish()

    with pytest.raises(exceptions.CourseUnavailable):
        services.enrol(user=delegate_user, course=course)

    assert not Enrollment.objects.exists()


# Enrolment codes


def test_enrolment_code_is_case_insensitive_and_ignores_spaces(delegate_user):
    cohort = factories.CohortFactory(enrolment_code="K7M2QX9P")

    enrollment = services.enrol_with_code(user=delegate_user, code="  k7m2 qx9p ", now=NOW)

    assert enrollment.cohort == cohort
    assert enrollment.course_id == cohort.course_id
    assert enrollment.method == Enrollment.Method.CODE
    assert enrollment.enrolled_at == NOW


def test_a_code_joins_a_course_closed_to_self_enrolment(delegate_user):
    course = factories.course(allow_self_enrolment=False)
    cohort = factories.CohortFactory(course=course)

    enrollment = services.enrol_with_code(user=delegate_user, code=cohort.enrolment_code)

    assert enrollment.cohort == cohort


def test_an_unknown_code_is_refused(delegate_user):
    factories.CohortFactory(enrolment_code="K7M2QX9P")

    with pytest.raises(exceptions.UnknownEnrolmentCode):
        services.enrol_with_code(user=delegate_user, code="K7M2QX9Q")

    assert not Enrollment.objects.exists()


def test_a_code_is_refused_once_its_cohort_closes(delegate_user):
    cohort = factories.CohortFactory(enrolment_closes_at=NOW - datetime.timedelta(minutes=1))

    with pytest.raises(exceptions.EnrolmentCodeExpired):
        services.enrol_with_code(user=delegate_user, code=cohort.enrolment_code, now=NOW)

    assert not Enrollment.objects.exists()


def test_a_code_closes_at_the_closing_moment_itself(delegate_user):
    cohort = factories.CohortFactory(enrolment_closes_at=NOW)

    with pytest.raises(exceptions.EnrolmentCodeExpired):
        services.enrol_with_code(user=delegate_user, code=cohort.enrolment_code, now=NOW)


def test_a_code_works_until_its_cohort_closes(delegate_user):
    cohort = factories.CohortFactory(enrolment_closes_at=NOW + datetime.timedelta(minutes=1))

    enrollment = services.enrol_with_code(user=delegate_user, code=cohort.enrolment_code, now=NOW)

    assert enrollment.cohort == cohort


def test_a_code_expires_by_the_clock_when_no_time_is_passed(delegate_user, time_machine):
    time_machine.move_to(NOW, tick=False)
    cohort = factories.CohortFactory(enrolment_closes_at=NOW - datetime.timedelta(seconds=1))

    with pytest.raises(exceptions.EnrolmentCodeExpired):
        services.enrol_with_code(user=delegate_user, code=cohort.enrolment_code)


def test_a_full_cohort_refuses_another_delegate():
    cohort = factories.CohortFactory(capacity=2)
    for _ in range(2):
        services.enrol_with_code(user=factories.delegate(), code=cohort.enrolment_code)

    with pytest.raises(exceptions.CohortFull):
        services.enrol_with_code(user=factories.delegate(), code=cohort.enrolment_code)

    assert cohort.enrollments.count() == 2


def test_a_self_enrolled_delegate_joins_the_cohort_by_code_keeping_their_enrolment(
    delegate_user,
):
    cohort = factories.CohortFactory()
    own = services.enrol(user=delegate_user, course=cohort.course, now=NOW)

    joined = services.enrol_with_code(user=delegate_user, code=cohort.enrolment_code)

    assert joined.pk == own.pk
    own.refresh_from_db()
    assert own.cohort == cohort
    assert own.enrolled_at == NOW
    assert Enrollment.objects.count() == 1


def test_a_self_enrolled_delegate_cannot_join_a_full_cohort(delegate_user):
    cohort = factories.CohortFactory(capacity=1)
    services.enrol_with_code(user=factories.delegate(), code=cohort.enrolment_code)
    own = services.enrol(user=delegate_user, course=cohort.course)

    with pytest.raises(exceptions.CohortFull):
        services.enrol_with_code(user=delegate_user, code=cohort.enrolment_code)

    own.refresh_from_db()
    assert own.cohort is None


def test_a_delegate_already_in_a_cohort_cannot_join_again(delegate_user):
    cohort = factories.CohortFactory()
    other_cohort = factories.CohortFactory(course=cohort.course)
    first = services.enrol_with_code(user=delegate_user, code=cohort.enrolment_code)

    with pytest.raises(exceptions.AlreadyEnrolled):
        services.enrol_with_code(user=delegate_user, code=cohort.enrolment_code)
    with pytest.raises(exceptions.AlreadyEnrolled):
        services.enrol_with_code(user=delegate_user, code=other_cohort.enrolment_code)

    assert list(Enrollment.objects.all()) == [first]
    first.refresh_from_db()
    assert first.cohort == cohort


def test_a_code_for_an_unpublished_course_is_refused(delegate_user):
    cohort = factories.CohortFactory()
    cohort.course.unpublish()

    with pytest.raises(exceptions.CourseUnavailable):
        services.enrol_with_code(user=delegate_user, code=cohort.enrolment_code)

    assert not Enrollment.objects.exists()


# Snapshot


def test_enrolment_snapshots_province_organisation_and_position():
    profile = factories.DelegateProfileFactory(
        organisation="Sở Thông tin và Truyền thông", position="Phó Giám đốc"
    )
    course = factories.course()

    enrollment = services.enrol(user=profile.user, course=course)

    assert enrollment.province == profile.province
    assert enrollment.organisation == "Sở Thông tin và Truyền thông"
    assert enrollment.position == "Phó Giám đốc"


def test_a_later_profile_change_does_not_rewrite_the_enrolment_snapshot():
    profile = factories.DelegateProfileFactory(
        organisation="Sở Thông tin và Truyền thông", position="Phó Giám đốc"
    )
    original_province = profile.province
    enrollment = services.enrol(user=profile.user, course=factories.course())

    profile.province = Province.objects.exclude(pk=original_province.pk).first()
    profile.organisation = "Ban Tuyên giáo Tỉnh ủy"
    profile.position = "Chuyên viên"
    profile.save()

    enrollment.refresh_from_db()
    assert enrollment.province == original_province
    assert enrollment.organisation == "Sở Thông tin và Truyền thông"
    assert enrollment.position == "Phó Giám đốc"


def test_a_user_without_a_profile_enrols_with_an_empty_snapshot():
    user = factories.UserFactory()

    enrollment = services.enrol(user=user, course=factories.course())

    assert enrollment.province is None
    assert enrollment.organisation == ""


# Views


def test_enrol_view_redirects_to_the_first_module_with_a_success_message(
    delegate_client, delegate_user
):
    course = factories.course(modules=2)

    response = delegate_client.post(enrol_url(course))

    assert response.status_code == 302
    assert response["Location"] == first_module(course).url
    assert Enrollment.objects.filter(user=delegate_user, course=course).count() == 1
    [message] = sent_messages(response)
    assert message.level == messages.SUCCESS
    assert course.title in message.message


def test_enrol_view_redirects_to_the_course_when_it_has_no_modules(delegate_client):
    course = factories.course()

    response = delegate_client.post(enrol_url(course))

    assert response.status_code == 302
    assert response["Location"] == course.url


def test_enrol_view_for_an_enrolled_delegate_returns_to_the_course_with_an_error(
    delegate_client, delegate_user
):
    course = factories.course(modules=1)
    factories.EnrollmentFactory(user=delegate_user, course=course)

    response = delegate_client.post(enrol_url(course))

    assert response.status_code == 302
    assert response["Location"] == course.url
    [message] = sent_messages(response)
    assert message.level == messages.ERROR
    assert Enrollment.objects.count() == 1


def test_enrol_view_refuses_get(delegate_client):
    course = factories.course(modules=1)

    response = delegate_client.get(enrol_url(course))

    assert response.status_code == 405
    assert not Enrollment.objects.exists()


def test_enrol_view_sends_anonymous_visitors_to_sign_in(client):
    course = factories.course(modules=1)

    response = client.post(enrol_url(course))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('courses:login')}?next={enrol_url(course)}"
    assert not Enrollment.objects.exists()


def test_enrol_view_for_a_code_only_course_returns_to_the_course_with_an_error(
    delegate_client,
):
    course = factories.course(modules=1, allow_self_enrolment=False)

    response = delegate_client.post(enrol_url(course))

    assert response.status_code == 302
    assert response["Location"] == course.url
    [message] = sent_messages(response)
    assert message.level == messages.ERROR
    assert not Enrollment.objects.exists()


def test_enrol_view_for_an_unpublished_course_is_not_found(delegate_client):
    course = factories.course(modules=1)
    course.unpublish()

    assert delegate_client.post(enrol_url(course)).status_code == 404


def test_join_view_with_a_good_code_redirects_to_the_course(delegate_client, delegate_user):
    cohort = factories.CohortFactory(enrolment_code="K7M2QX9P")

    response = delegate_client.post(reverse("courses:enrol_code"), {"code": "k7m2qx9p"})

    assert response.status_code == 302
    assert response["Location"] == cohort.course.url
    assert Enrollment.objects.get(user=delegate_user).cohort == cohort
    [message] = sent_messages(response)
    assert cohort.name in message.message


def test_join_view_with_a_bad_code_shows_the_error_and_creates_nothing(delegate_client):
    factories.CohortFactory(enrolment_code="K7M2QX9P")

    response = delegate_client.post(reverse("courses:enrol_code"), {"code": "NOPE1234"})

    assert response.status_code == 400
    with override("vi"):
        expected = escape(str(exceptions.UnknownEnrolmentCode.message))
    assert expected in response.content.decode()
    assert not Enrollment.objects.exists()


def test_join_view_prefills_the_code_from_the_link(delegate_client):
    response = delegate_client.get(reverse("courses:enrol_code"), {"code": "K7M2QX9P"})

    assert response.status_code == 200
    assert 'value="K7M2QX9P"' in response.content.decode()


def test_enrol_view_enforces_csrf(delegate_user):
    course = factories.course(modules=1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(delegate_user)

    assert client.post(enrol_url(course)).status_code == 403
    assert not Enrollment.objects.exists()

    client.get(course.url)  # sets the CSRF cookie, as a browser would
    token = client.cookies["csrftoken"].value
    response = client.post(enrol_url(course), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Enrollment.objects.filter(user=delegate_user, course=course).exists()


def test_join_view_enforces_csrf(delegate_user):
    cohort = factories.CohortFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(delegate_user)

    response = client.post(reverse("courses:enrol_code"), {"code": cohort.enrolment_code})

    assert response.status_code == 403
    assert not Enrollment.objects.exists()


def test_enrolled_at_defaults_to_now(delegate_user, time_machine):
    time_machine.move_to(NOW, tick=False)

    enrollment = services.enrol(user=delegate_user, course=factories.course())

    assert enrollment.enrolled_at == timezone.now() == NOW
