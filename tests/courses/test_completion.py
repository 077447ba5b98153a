"""Completing course items, finishing a course, and the ``course_completed`` signal."""

import datetime

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.urls import reverse

from courses import exceptions, selectors, services
from courses.models import Completion, Enrollment
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 9, 2, 8, 30, tzinfo=datetime.UTC)


def modules_of(course):
    return [page.specific for page in course.get_children().order_by("path")]


def complete_url(page) -> str:
    return reverse("courses:complete", args=[page.pk])


def progress_of(enrollment):
    return selectors.course_outline(course=enrollment.course, enrollment=enrollment).progress


@pytest.fixture
def course():
    return factories.course(modules=3)


@pytest.fixture
def enrollment(course, delegate_user):
    return factories.EnrollmentFactory(user=delegate_user, course=course)


def test_completing_a_module_records_it_and_updates_progress(course, enrollment, delegate_user):
    first = modules_of(course)[0]

    completion = services.complete_item(user=delegate_user, page=first, now=NOW)

    assert completion.enrollment == enrollment
    assert completion.page_id == first.pk
    assert completion.completed_at == NOW
    progress = progress_of(enrollment)
    assert (progress.completed, progress.total, progress.percent_int) == (1, 3, 33)
    assert progress.next_item_id == modules_of(course)[1].pk
    enrollment.refresh_from_db()
    assert enrollment.last_page_id == first.pk
    assert enrollment.last_activity_at == NOW
    assert enrollment.completed_at is None


def test_completing_a_module_twice_keeps_one_completion(course, enrollment, delegate_user):
    first = modules_of(course)[0]
    earlier = services.complete_item(user=delegate_user, page=first, now=NOW)

    again = services.complete_item(
        user=delegate_user, page=first, now=NOW + datetime.timedelta(hours=1)
    )

    assert again.pk == earlier.pk
    assert Completion.objects.count() == 1
    assert Completion.objects.get().completed_at == NOW


def test_completing_a_module_of_a_course_one_is_not_enrolled_in_raises(course, delegate_user):
    with pytest.raises(exceptions.NotEnrolled):
        services.complete_item(user=delegate_user, page=modules_of(course)[0])

    assert not Completion.objects.exists()
    assert not Enrollment.objects.exists()


def test_enrolment_in_another_course_does_not_allow_completion(course, delegate_user):
    factories.EnrollmentFactory(user=delegate_user, course=factories.course(modules=1))

    with pytest.raises(exceptions.NotEnrolled):
        services.complete_item(user=delegate_user, page=modules_of(course)[0])

    assert not Completion.objects.exists()


def test_a_page_outside_a_course_is_not_a_course_item(course, enrollment, delegate_user):
    for page in (course, course.get_parent(), factories.site_root()):
        with pytest.raises(exceptions.NotACourseItem):
            services.complete_item(user=delegate_user, page=page)

    assert not Completion.objects.exists()


def test_an_unpublished_module_cannot_be_completed(course, enrollment, delegate_user):
    draft = factories.module(course, live=False)

    with pytest.raises(exceptions.NotACourseItem):
        services.complete_item(user=delegate_user, page=draft)

    assert not Completion.objects.exists()


def test_completing_the_last_required_module_completes_the_enrolment_once_after_commit(
    course, enrollment, delegate_user, course_completed_calls, django_capture_on_commit_callbacks
):
    *earlier, last = modules_of(course)
    with django_capture_on_commit_callbacks(execute=True):
        for page in earlier:
            services.complete_item(user=delegate_user, page=page, now=NOW)
    assert course_completed_calls == []

    with django_capture_on_commit_callbacks() as callbacks:
        services.complete_item(user=delegate_user, page=last, now=NOW)
        assert course_completed_calls == []  # not before commit

    assert len(callbacks) == 1
    callbacks[0]()
    assert [e.pk for e in course_completed_calls] == [enrollment.pk]
    assert course_completed_calls[0].completed_at == NOW
    enrollment.refresh_from_db()
    assert enrollment.completed_at == NOW


def test_re_completing_items_of_a_completed_course_does_not_announce_it_again(
    course, enrollment, delegate_user, course_completed_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for page in modules_of(course):
            services.complete_item(user=delegate_user, page=page, now=NOW)
    assert len(course_completed_calls) == 1

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for page in modules_of(course):
            services.complete_item(
                user=delegate_user, page=page, now=NOW + datetime.timedelta(days=1)
            )

    assert callbacks == []
    assert len(course_completed_calls) == 1
    enrollment.refresh_from_db()
    assert enrollment.completed_at == NOW


def test_an_optional_module_is_not_needed_to_complete_the_course(
    delegate_user, course_completed_calls, django_capture_on_commit_callbacks
):
    course = factories.course()
    required = [factories.module(course), factories.module(course)]
    optional = factories.module(course, is_required=False)
    enrollment = factories.EnrollmentFactory(user=delegate_user, course=course)

    with django_capture_on_commit_callbacks(execute=True):
        for page in required:
            services.complete_item(user=delegate_user, page=page, now=NOW)

    enrollment.refresh_from_db()
    assert enrollment.completed_at == NOW
    assert len(course_completed_calls) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.complete_item(user=delegate_user, page=optional)
    assert len(course_completed_calls) == 1


def test_an_unpublished_module_is_not_needed_to_complete_the_course(
    delegate_user, course_completed_calls, django_capture_on_commit_callbacks
):
    course = factories.course(modules=2)
    factories.module(course, live=False)
    enrollment = factories.EnrollmentFactory(user=delegate_user, course=course)

    with django_capture_on_commit_callbacks(execute=True):
        for page in modules_of(course)[:2]:
            services.complete_item(user=delegate_user, page=page, now=NOW)

    enrollment.refresh_from_db()
    assert enrollment.completed_at == NOW
    assert len(course_completed_calls) == 1


# Views


def test_complete_view_records_completion_and_moves_to_the_next_module(
    course, enrollment, delegate_client
):
    first, second, _third = modules_of(course)

    response = delegate_client.post(complete_url(first))

    assert response.status_code == 302
    assert response["Location"] == second.url
    assert Completion.objects.filter(enrollment=enrollment, page=first).exists()
    [message] = get_messages(response.wsgi_request)
    assert message.level == messages.SUCCESS


def test_complete_view_on_the_last_module_congratulates_and_returns_to_the_course(
    course, enrollment, delegate_client, course_completed_calls, django_capture_on_commit_callbacks
):
    *earlier, last = modules_of(course)
    for page in earlier:
        delegate_client.post(complete_url(page))

    with django_capture_on_commit_callbacks(execute=True):
        response = delegate_client.post(complete_url(last))

    assert response.status_code == 302
    assert response["Location"] == course.url
    assert [e.pk for e in course_completed_calls] == [enrollment.pk]
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert course.title in [m.message for m in get_messages(response.wsgi_request)][-1]


def test_complete_view_follows_a_safe_next_but_not_an_offsite_one(
    course, enrollment, delegate_client
):
    first, second, third = modules_of(course)

    response = delegate_client.post(complete_url(first), {"next": third.url})
    assert response["Location"] == third.url

    response = delegate_client.post(complete_url(second), {"next": "https://evil.example/"})
    assert response["Location"] == third.url


def test_complete_view_for_a_course_one_is_not_enrolled_in_shows_an_error(course, delegate_client):
    first = modules_of(course)[0]

    response = delegate_client.post(complete_url(first))

    assert response.status_code == 302
    assert response["Location"] == first.url
    [message] = get_messages(response.wsgi_request)
    assert message.level == messages.ERROR
    assert not Completion.objects.exists()


def test_complete_view_for_a_page_outside_a_course_shows_an_error(
    course, enrollment, delegate_client
):
    response = delegate_client.post(complete_url(course))

    assert response.status_code == 302
    assert response["Location"] == course.url
    [message] = get_messages(response.wsgi_request)
    assert message.level == messages.ERROR
    assert not Completion.objects.exists()


def test_complete_view_for_an_unpublished_module_is_not_found(course, enrollment, delegate_client):
    draft = factories.module(course, live=False)

    assert delegate_client.post(complete_url(draft)).status_code == 404
    assert not Completion.objects.exists()


def test_complete_view_refuses_get(course, enrollment, delegate_client):
    assert delegate_client.get(complete_url(modules_of(course)[0])).status_code == 405
    assert not Completion.objects.exists()


def test_complete_view_sends_anonymous_visitors_to_sign_in(course, client):
    response = client.post(complete_url(modules_of(course)[0]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("courses:login"))
    assert not Completion.objects.exists()


# A course that changes after a delegate completed it


def test_a_completed_delegate_keeps_completed_when_required_items_are_added(
    course, enrollment, delegate_user, client
):
    for page in modules_of(course):
        services.complete_item(user=delegate_user, page=page, now=NOW)
    enrollment.refresh_from_db()
    completed_at = enrollment.completed_at
    assert completed_at is not None
    added = factories.module(course, title="Bài bổ sung: Nghị quyết mới")

    client.force_login(delegate_user)
    course_page = client.get(course.url).content.decode()
    dashboard = client.get(reverse("courses:dashboard")).content.decode()

    enrollment.refresh_from_db()
    assert enrollment.completed_at == completed_at  # the completion and certificate stand
    assert progress_of(enrollment).completed == 3
    assert "Đã hoàn thành 3/4" in course_page
    assert "Khóa học đã có thêm nội dung bắt buộc sau khi bạn hoàn thành" in course_page
    assert f'href="{added.url}"' in course_page  # "See what is new" leads to the new item
    assert "Khóa học có thêm nội dung mới sau khi bạn hoàn thành." in dashboard


def test_a_completed_course_that_did_not_change_has_no_note(
    course, enrollment, delegate_user, client
):
    for page in modules_of(course):
        services.complete_item(user=delegate_user, page=page, now=NOW)

    client.force_login(delegate_user)
    course_page = client.get(course.url).content.decode()

    assert "data-course-changed" not in course_page
    assert "Đã hoàn thành 3/3" in course_page


def test_the_progress_says_optional_items_are_not_counted(
    course, enrollment, delegate_user, client
):
    factories.module(course, title="Đọc thêm", is_required=False)

    client.force_login(delegate_user)
    course_page = client.get(course.url).content.decode()

    assert "Đã hoàn thành 0/3 nội dung bắt buộc" in course_page
    assert "1 nội dung tự chọn không được tính vào tiến độ." in course_page
