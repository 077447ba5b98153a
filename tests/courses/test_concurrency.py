"""Races at a conference: many delegates enrolling or completing at the same instant.

PostgreSQL only: SQLite serialises every writer, so it cannot show a race. Each test runs real
threads, each with its own database connection, released together by a barrier.
"""

import gc
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection, connections

from courses import exceptions, selectors, services
from courses.models import Completion, Enrollment
from tests import factories

ON_POSTGRESQL = connection.vendor == "postgresql"

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.skipif(not ON_POSTGRESQL, reason="concurrency needs PostgreSQL row locks"),
    # Committed data is flushed after each test; serialized_rollback restores the migrated
    # content (root page, default site, provinces, role groups) for the next one. Only on
    # PostgreSQL: elsewhere these tests are skipped, and serializing the database costs seconds.
    pytest.mark.django_db(transaction=True, serialized_rollback=ON_POSTGRESQL),
]


def run_at_once(count: int, task: Callable[[int], object]) -> list[object]:
    """Run ``task(i)`` in ``count`` threads released together; return results or exceptions."""
    barrier = threading.Barrier(count, timeout=30)
    results: list[object] = [None] * count

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results[i] = task(i)
        except Exception as error:  # noqa: BLE001 (the outcome under test)
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results


def outcomes(results: list[object]) -> Counter:
    return Counter(type(result).__name__ for result in results)


def test_ten_simultaneous_joins_by_one_delegate_with_one_code_enrol_once():
    user = factories.delegate()
    cohort = factories.CohortFactory()

    results = run_at_once(
        10, lambda _i: services.enrol_with_code(user=user, code=cohort.enrolment_code)
    )

    assert outcomes(results) == {"Enrollment": 1, "AlreadyEnrolled": 9}
    enrollment = Enrollment.objects.get(user=user)
    assert enrollment.cohort == cohort


def test_ten_simultaneous_self_enrolments_by_one_delegate_enrol_once():
    user = factories.delegate()
    course = factories.course()

    results = run_at_once(10, lambda _i: services.enrol(user=user, course=course))

    assert outcomes(results) == {"Enrollment": 1, "AlreadyEnrolled": 9}
    assert Enrollment.objects.filter(user=user, course=course).count() == 1


def test_a_cohort_of_five_admits_exactly_five_of_ten_simultaneous_delegates():
    cohort = factories.CohortFactory(capacity=5)
    users = [factories.delegate() for _ in range(10)]

    results = run_at_once(
        10, lambda i: services.enrol_with_code(user=users[i], code=cohort.enrolment_code)
    )

    assert outcomes(results) == {"Enrollment": 5, "CohortFull": 5}
    assert cohort.enrollments.count() == 5
    assert all(isinstance(r, Enrollment | exceptions.CohortFull) for r in results)


def test_eight_simultaneous_completions_of_the_last_module_complete_the_course_once(
    course_completed_calls,
):
    user = factories.delegate()
    course = factories.course(modules=3)
    enrollment = factories.EnrollmentFactory(user=user, course=course)
    *earlier, last = course.get_children().order_by("path")
    for page in earlier:
        services.complete_item(user=user, page=page)

    results = run_at_once(8, lambda _i: services.complete_item(user=user, page=last))

    assert outcomes(results) == {"Completion": 8}
    assert len({completion.pk for completion in results}) == 1
    assert Completion.objects.filter(enrollment=enrollment, page=last).count() == 1
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert [e.pk for e in course_completed_calls] == [enrollment.pk]


# The hot path's reads keep nothing per connection (the removed prepared-query cache kept every
# thread's connection alive)


def test_short_lived_threads_leave_no_connection_behind():
    enrollment = factories.EnrollmentFactory()
    found = []

    def in_thread():
        try:
            found.append(selectors.enrollment_for(user=enrollment.user, course=enrollment.course))
            found.append(selectors.completed_ids(enrollment))
        finally:
            connections.close_all()

    def wrappers() -> int:
        gc.collect()
        return sum(isinstance(o, type(connections["default"])) for o in gc.get_objects())

    before = wrappers()
    for _ in range(20):
        thread = threading.Thread(target=in_thread)
        thread.start()
        thread.join()

    assert [f.pk for f in found[::2]] == [enrollment.pk] * 20
    assert wrappers() <= before + 1
