"""Delegate pages run a constant number of queries however big the course or dashboard gets.

Each test measures the smaller case, then asserts the larger one runs exactly as many queries,
so a loop that queries per module or per enrolment (N+1) fails here.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site

from courses import services
from tests import factories

pytestmark = pytest.mark.django_db

# Ceilings measured on SQLite and PostgreSQL when the tests were written, with a little headroom:
# a page creeping past them has grown queries that deserve a look even if they are constant.
MODULE_PAGE_CEILING = 20
COURSE_PAGE_CEILING = 16
DASHBOARD_CEILING = 12


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

    expected = count_queries(warm, module_url(small))

    assert expected <= MODULE_PAGE_CEILING
    url = module_url(large)
    with django_assert_num_queries(expected):
        warm.get(url)


def test_a_module_page_reload_costs_the_same_queries_with_3_or_12_modules(
    warm, delegate_user, django_assert_num_queries
):
    small = enrolled_course(delegate_user, modules=3)
    large = enrolled_course(delegate_user, modules=12)
    warm.get(module_url(small))
    warm.get(module_url(large))

    expected = count_queries(warm, module_url(small))

    url = module_url(large)
    with django_assert_num_queries(expected):
        warm.get(url)


def test_an_editors_module_preview_costs_the_same_queries_with_3_or_12_modules(
    client, admin_user, django_assert_num_queries
):
    small = factories.course(modules=3)
    large = factories.course(modules=12)
    client.force_login(admin_user)
    client.get(module_url(small, 0))

    expected = count_queries(client, module_url(small))

    url = module_url(large)
    with django_assert_num_queries(expected):
        client.get(url)


def test_a_course_page_costs_the_same_queries_with_3_or_12_modules(
    warm, delegate_user, django_assert_num_queries
):
    small = enrolled_course(delegate_user, modules=3)
    large = enrolled_course(delegate_user, modules=12)

    expected = count_queries(warm, small.url)

    assert expected <= COURSE_PAGE_CEILING
    url = large.url
    with django_assert_num_queries(expected):
        warm.get(url)


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

    expected = count_queries(warm, reverse("courses:dashboard"))

    assert expected <= DASHBOARD_CEILING
    for _ in range(4):
        enrolled_course(delegate_user, modules=3)
    with django_assert_num_queries(expected):
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
