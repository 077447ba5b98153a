"""Delegate pages run a constant number of queries however big the course or dashboard gets.

The larger case must run exactly as many queries as the smaller one, so a loop that queries per
module or per enrolment (N+1) fails here; the counts themselves are pinned too, so that a page
growing a query, constant or not, gets a look.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site

from courses import services
from courses.selectors import course_item_models
from tests import factories

pytestmark = pytest.mark.django_db

# The same on SQLite and PostgreSQL. A delegate's module page: session, user, Wagtail's routing
# through the test tree (site root, catalogue, course, module) and its alias and restriction
# checks (12, as a plain Wagtail page there), the enrolment and the completions. The course
# outline comes from the cache (courses.outline_cache).
MODULE_PAGE_QUERIES = 14
# The first request after a course's outline changed also reads the view restrictions and the
# course items, one query per item type (modules, quizzes).
OUTLINE_QUERIES = 1 + len(course_item_models())
# A course page: its routing and checks, session, user, the enrolment and the completions.
COURSE_PAGE_QUERIES = 11
DASHBOARD_QUERIES = 6


def count_queries(client, url: str, *, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status
    return len(queries)


def enrolled_course(user, *, modules: int, completed: int = 1):
    course = factories.course(modules=modules)
    factories.EnrollmentFactory(user=user, course=course)
    for page in course.get_children().order_by("path")[:completed]:
        services.complete_item(user=user, page=page)
    return course


def module_url(course, position: int = 1) -> str:
    return course.get_children().order_by("path")[position].url


@pytest.fixture
def warm(delegate_client):
    """Fill the caches a live server fills once (site root paths, sessions, content types)."""
    Site.get_site_root_paths()
    delegate_client.get(reverse("courses:dashboard"))
    return delegate_client


def test_a_module_page_costs_the_same_queries_with_3_or_12_modules(
    warm, delegate_user, django_assert_num_queries
):
    small = enrolled_course(delegate_user, modules=3)
    large = enrolled_course(delegate_user, modules=12)
    warm.get(module_url(small))
    warm.get(module_url(large))

    for course in (small, large):
        with django_assert_num_queries(MODULE_PAGE_QUERIES):
            warm.get(module_url(course))


def test_arriving_at_a_module_also_records_the_visit(
    warm, delegate_user, django_assert_num_queries
):
    small = enrolled_course(delegate_user, modules=3)
    large = enrolled_course(delegate_user, modules=12)
    warm.get(module_url(small))
    warm.get(module_url(large))

    for course in (small, large):
        warm.get(module_url(course, 0))
        with django_assert_num_queries(MODULE_PAGE_QUERIES + 1):
            warm.get(module_url(course))


def test_the_first_module_page_after_a_change_reads_the_outline_once(
    warm, delegate_user, django_assert_num_queries
):
    small = enrolled_course(delegate_user, modules=3)
    large = enrolled_course(delegate_user, modules=12)

    for course in (small, large):
        warm.get(module_url(course))
        factories.module(course, title="Bài mới")
        with django_assert_num_queries(MODULE_PAGE_QUERIES + OUTLINE_QUERIES):
            warm.get(module_url(course))


def test_an_editors_module_preview_costs_the_same_queries_with_3_or_12_modules(
    client, admin_user, django_assert_num_queries
):
    small = factories.course(modules=3)
    large = factories.course(modules=12)
    client.force_login(admin_user)
    client.get(module_url(small, 0))
    client.get(module_url(large, 0))

    expected = count_queries(client, module_url(small))

    url = module_url(large)
    with django_assert_num_queries(expected):
        client.get(url)


def test_a_course_page_costs_the_same_queries_with_3_or_12_modules(
    warm, delegate_user, django_assert_num_queries
):
    small = enrolled_course(delegate_user, modules=3)
    large = enrolled_course(delegate_user, modules=12)
    warm.get(small.url)
    warm.get(large.url)

    for course in (small, large):
        with django_assert_num_queries(COURSE_PAGE_QUERIES):
            warm.get(course.url)


def test_an_anonymous_course_page_costs_the_same_queries_with_3_or_12_modules(
    client, django_assert_num_queries
):
    small = factories.course(modules=3)
    large = factories.course(modules=12)
    client.get(small.get_parent().url)

    expected = count_queries(client, small.url)

    url = large.url
    with django_assert_num_queries(expected):
        client.get(url)


def test_the_dashboard_costs_the_same_queries_with_1_or_5_enrolments(
    warm, delegate_user, django_assert_num_queries
):
    enrolled_course(delegate_user, modules=2)
    warm.get(reverse("courses:dashboard"))

    with django_assert_num_queries(DASHBOARD_QUERIES):
        warm.get(reverse("courses:dashboard"))

    for _ in range(4):
        enrolled_course(delegate_user, modules=3)
    with django_assert_num_queries(DASHBOARD_QUERIES + OUTLINE_QUERIES):
        warm.get(reverse("courses:dashboard"))  # four outlines not cached yet: read together
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = warm.get(reverse("courses:dashboard"))
    assert len(response.context["entries"]) == 5


def test_the_dashboard_costs_the_same_queries_with_completed_courses(
    warm, delegate_user, django_assert_num_queries
):
    enrolled_course(delegate_user, modules=2)
    expected = count_queries(warm, reverse("courses:dashboard"))

    for _ in range(2):
        enrolled_course(delegate_user, modules=2, completed=2)
    with django_assert_num_queries(expected):
        response = warm.get(reverse("courses:dashboard"))
    assert len(response.context["completed"]) == 2


def test_the_catalogue_costs_the_same_queries_with_1_or_5_courses(
    warm, delegate_user, django_assert_num_queries
):
    index = factories.course_index()
    factories.EnrollmentFactory(user=delegate_user, course=factories.course(index))
    warm.get(index.url)

    expected = count_queries(warm, index.url)

    for _ in range(4):
        factories.EnrollmentFactory(user=delegate_user, course=factories.course(index))
    url = index.url
    with django_assert_num_queries(expected):
        warm.get(url)


# Marking a module complete: session, user, the page and its specific row, the view restrictions,
# the enrolment locked with the course's completion columns, its completions, the INSERT and the
# enrolment's UPDATE, the site and the completed items for the next item's link. The course's
# title and URL come with the enrolment: the last module's "course completed" reads them from it,
# and needs no next item.
COMPLETE_MODULE_QUERIES = 11


def test_marking_modules_complete_costs_the_same_queries_up_to_the_last(
    warm, delegate_user, django_assert_num_queries
):
    course = enrolled_course(delegate_user, modules=3)  # the first is complete
    modules = list(course.get_children().order_by("path"))
    warm.get(module_url(course))

    for module, queries in zip(
        modules[1:], [COMPLETE_MODULE_QUERIES, COMPLETE_MODULE_QUERIES - 1], strict=True
    ):
        with django_assert_num_queries(queries):
            response = warm.post(reverse("courses:complete", args=[module.pk]))
        assert response.status_code == 302

    assert response["Location"] == course.url  # the last one completed the course


def test_the_api_marks_a_module_complete_in_a_constant_number_of_queries(
    warm, delegate_user, django_assert_num_queries
):
    small = enrolled_course(delegate_user, modules=3)
    large = enrolled_course(delegate_user, modules=12)
    counts = []
    for course in (small, large):
        url = reverse("lms_api:item-complete", args=[module_url_pk(course)])
        with CaptureQueriesContext(connection) as queries:
            response = warm.post(url)
        assert response.status_code == 200, response.content
        assert response.json()["enrolment"]["course"]["title"] == course.title
        assert response.json()["enrolment"]["course"]["code"] == course.code
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert not any(
        q["sql"].startswith('SELECT "courses_coursepage"."code"') for q in queries.captured_queries
    )  # the brief course came with the enrolment, not a column at a time


def module_url_pk(course) -> int:
    return course.get_children().order_by("path")[1].pk
