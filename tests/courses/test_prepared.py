"""``courses.prepared``: queries built once per connection give what the ORM gives, on SQLite and
PostgreSQL, and refuse what they cannot run faithfully."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.auth import EmailOrUsernameBackend
from courses.models import Completion, CoursePage, Enrollment
from courses.prepared import Columns, Prepared
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 9, 2, 8, 30, 15, 123456, tzinfo=datetime.UTC)

COMPLETIONS = Prepared(
    lambda enrollment_id: (
        Completion.objects.filter(enrollment_id=enrollment_id)
        .order_by("page__path")
        .values_list("pk", "page_id", "completed_at", "page__title", named=True)
    ),
    enrollment_id=int,
)

ENROLMENT_BY_COURSE_PATH = Prepared(
    lambda user_id, path: Enrollment.objects.filter(user_id=user_id, course__path=path).values_list(
        "pk", "course__outline_version"
    ),
    user_id=int,
    path=str,
)


@pytest.fixture
def enrollment():
    course = factories.course(modules=3)
    enrollment = factories.EnrollmentFactory(course=course)
    for page in course.get_children().order_by("-path")[:2]:
        services.complete_item(user=enrollment.user, page=page, now=NOW)
    return enrollment


def test_rows_are_what_values_list_gives_with_conversions_and_names(enrollment):
    orm = list(
        Completion.objects.filter(enrollment=enrollment)
        .order_by("page__path")
        .values_list("pk", "page_id", "completed_at", "page__title", named=True)
    )

    rows = COMPLETIONS.rows(enrollment_id=enrollment.pk)

    assert rows == orm
    assert len(rows) == 2
    assert rows[0].completed_at == NOW  # an aware datetime on SQLite too (a converter)
    assert rows[0].page__title == "Bài 2"
    assert COMPLETIONS.rows(enrollment_id=enrollment.pk + 1000) == []


def test_string_values_and_uuid_conversion(enrollment):
    course = CoursePage.objects.get(pk=enrollment.course_id)

    row = ENROLMENT_BY_COURSE_PATH.first(user_id=enrollment.user_id, path=course.path)

    assert row == (enrollment.pk, course.outline_version)
    assert (
        ENROLMENT_BY_COURSE_PATH.first(user_id=enrollment.user_id, path=course.path + "0001")
        is None
    )


def test_a_constant_equal_to_a_stand_in_value_stays_a_constant(enrollment):
    # The stand-ins are small numbers: a query comparing with one of them as a constant must
    # keep it, and bind the value only where the value goes.
    query = Prepared(
        lambda pk: (
            Enrollment.objects.filter(pk=pk)
            .exclude(user_id=30001)
            .exclude(user_id=30002)
            .values_list("pk")
        ),
        pk=int,
    )
    assert query.rows(pk=enrollment.pk) == [(enrollment.pk,)]


def test_the_sql_is_built_once_per_connection(enrollment, django_assert_num_queries):
    query = Prepared(lambda pk: Enrollment.objects.filter(pk=pk).values_list("pk"), pk=int)
    built = []
    original = query._sql
    query._sql = lambda *args: built.append(1) or original(*args)

    for _ in range(3):
        with django_assert_num_queries(1):  # each run is one statement, and is logged
            assert query.rows(pk=enrollment.pk) == [(enrollment.pk,)]

    assert len(built) == 2  # two builds with different stand-ins, at the first run only


def test_wrong_values_are_refused_before_any_sql(enrollment):
    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(TypeError):
            COMPLETIONS.rows(enrollment_id=str(enrollment.pk))
        with pytest.raises(TypeError):
            COMPLETIONS.rows(enrollment_id=True)  # would be 1 in SQL
        with pytest.raises(TypeError):
            COMPLETIONS.rows(enrollment_id=None)  # would need IS NULL
        with pytest.raises(TypeError):
            COMPLETIONS.rows()
        with pytest.raises(TypeError):
            COMPLETIONS.rows(enrollment_id=1, other=2)
    assert captured.captured_queries == []


def test_a_lookup_that_rewrites_its_value_cannot_be_prepared(enrollment):
    query = Prepared(
        lambda title: CoursePage.objects.filter(title__icontains=title).values_list("pk"),
        title=str,
    )
    with pytest.raises(ValueError, match="title"):
        query.rows(title="Thông tin")


def test_only_values_list_querysets(enrollment):
    query = Prepared(lambda pk: Enrollment.objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError, match="values_list"):
        query.rows(pk=enrollment.pk)


def test_columns_make_an_instance_with_the_others_deferred(enrollment):
    columns = Columns.of(CoursePage, ("id", "page_ptr", "path", "outline_version"))
    course = CoursePage.objects.get(pk=enrollment.course_id)
    row = CoursePage.objects.filter(pk=course.pk).values_list(*columns.lookups()).get()

    instance = columns.instance(row)

    assert instance.pk == course.pk and instance.path == course.path
    assert instance.outline_version == course.outline_version
    assert {"title", "code"} <= instance.get_deferred_fields()
    assert instance.title == course.title  # read on demand
    assert columns.attnames == ("id", "path", "page_ptr_id", "outline_version")  # field order


def test_columns_refuse_unknown_names():
    with pytest.raises(ValueError, match="nope"):
        Columns.of(CoursePage, ("id", "nope"))


def test_the_auth_backend_gives_the_user_as_the_orm_does(enrollment):
    user_model = get_user_model()
    backend = EmailOrUsernameBackend()
    user = backend.get_user(enrollment.user_id)

    expected = user_model.objects.get(pk=enrollment.user_id)
    assert user == expected
    assert {f.attname: getattr(user, f.attname) for f in user_model._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in user_model._meta.concrete_fields
    }
    assert user.get_deferred_fields() == set()
    assert backend.get_user(enrollment.user_id + 1000) is None

    user_model.objects.filter(pk=enrollment.user_id).update(is_active=False)
    assert backend.get_user(enrollment.user_id) is None  # as ModelBackend: inactive users are out


def test_enrollment_for_gives_the_enrolment_with_its_cohort_or_none(enrollment):
    from courses import selectors

    course = CoursePage.objects.get(pk=enrollment.course_id)
    found = selectors.enrollment_for(user=enrollment.user, course=course)
    assert found.pk == enrollment.pk
    assert found.get_deferred_fields() == set()
    assert found.cohort is None  # the LEFT JOIN found no cohort

    cohort = factories.CohortFactory(course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(cohort=cohort)
    with CaptureQueriesContext(connection) as captured:
        found = selectors.enrollment_for(user=enrollment.user, course=course)
        assert (found.cohort.pk, found.cohort.name, found.cohort.venue) == (
            cohort.pk,
            cohort.name,
            cohort.venue,
        )
    assert len(captured.captured_queries) == 1  # the cohort came with the enrolment

    assert selectors.enrollment_for(user=factories.delegate(), course=course) is None
