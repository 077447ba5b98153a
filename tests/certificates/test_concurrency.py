"""Certificates issued at the same moment: one per enrolment, serials without gaps (PostgreSQL)."""

import datetime
import threading

import pytest
from django.db import close_old_connections, connection

from certificates import services
from certificates.models import Certificate
from tests import factories
from tests.certificates import factories as cf

NOW = datetime.datetime(2024, 7, 11, 9, 0, tzinfo=datetime.UTC)

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_concurrent_issue_makes_one_certificate_and_serials_have_no_gaps():
    course = factories.course()
    enrollments = [cf.completed_enrollment(course=course) for _ in range(6)]
    barrier = threading.Barrier(12)
    errors = []

    def issue(enrollment_id):
        try:
            barrier.wait()
            services.issue_certificate(enrollment_id=enrollment_id, now=NOW)
        except Exception as error:  # noqa: BLE001 (collected and asserted below)
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=issue, args=(e.pk,)) for e in enrollments * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert serials == [f"{course.code}-2024-{n:06d}" for n in range(1, 7)]
