"""A small LMS for the API tests: two courses, each with a cohort, a trainer and a delegate who
has attempts at its quiz; plus HR and a superuser.

The world is built once per test module inside a transaction that is rolled back at the end; each
test runs in a savepoint inside it (pytest-django's ``db``), so what a test writes is undone
before the next, as with Django's ``TestCase.setUpTestData``.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from courses import services as course_services
from courses.models import Cohort, CoursePage, Enrollment, ModulePage
from quizzes import services as quiz_services
from quizzes.models import Attempt, QuizPage
from tests import factories
from tests.quizzes import factories as qf


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "schemathesis: property-based tests of the API against its OpenAPI schema"
    )


ROLES = ["anonymous", "delegate", "other_delegate", "trainer", "other_trainer", "hr", "superuser"]


@dataclass
class World:
    course: CoursePage
    module: ModulePage
    quiz: QuizPage
    cohort: Cohort
    delegate: object
    enrollment: Enrollment
    done_attempt: Attempt
    open_attempt: Attempt
    other_course: CoursePage
    other_quiz: QuizPage
    other_cohort: Cohort
    other_delegate: object
    other_enrollment: Enrollment
    other_attempt: Attempt
    trainer: object
    other_trainer: object
    hr: object
    superuser: object

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)


def take_quiz(quiz, user, *, submit: bool) -> Attempt:
    attempt = quiz_services.start_attempt(quiz=quiz, user=user)
    if submit:
        attempt = quiz_services.submit_attempt(attempt_id=attempt.pk, user=user)
    return attempt


def quiz_with_questions(course, **kwargs) -> QuizPage:
    questions = [qf.question("single"), qf.question("short_answer"), qf.question("matching")]
    kwargs.setdefault("shuffle_choices", False)
    return qf.quiz(course, questions=questions, **kwargs)


def build_world() -> World:
    groups = course_services.ensure_role_groups()
    course = factories.course(title="Khóa học của tôi")
    module = factories.module(course, title="Bài 1")
    factories.module(course, title="Bài 2")
    quiz = quiz_with_questions(course)
    cohort = factories.CohortFactory(course=course, name="Hội nghị Hà Nội")
    delegate = factories.delegate(full_name="Nguyễn Văn An", user__email="an@example.vn")
    enrollment = course_services.enrol_with_code(user=delegate, code=cohort.enrolment_code)

    other_course = factories.course(title="Khóa học khác")
    factories.module(other_course)
    other_quiz = quiz_with_questions(other_course)
    other_cohort = factories.CohortFactory(course=other_course, name="Hội nghị Huế")
    other_delegate = factories.delegate(full_name="Trần Thị Bình", user__email="binh@example.vn")
    other_enrollment = course_services.enrol_with_code(
        user=other_delegate, code=other_cohort.enrolment_code
    )

    trainer = factories.UserFactory(email="trainer@example.vn")
    cohort.trainers.add(trainer)
    other_trainer = factories.UserFactory(email="other.trainer@example.vn")
    other_cohort.trainers.add(other_trainer)
    hr = factories.UserFactory(email="hr@example.vn")
    hr.groups.add(groups["hr"])
    superuser = factories.UserFactory(email="admin@example.vn", is_superuser=True, is_staff=True)
    return World(
        course=course,
        module=module,
        quiz=quiz,
        cohort=cohort,
        delegate=delegate,
        enrollment=enrollment,
        done_attempt=take_quiz(quiz, delegate, submit=True),
        open_attempt=take_quiz(quiz, delegate, submit=False),
        other_course=other_course,
        other_quiz=other_quiz,
        other_cohort=other_cohort,
        other_delegate=other_delegate,
        other_enrollment=other_enrollment,
        other_attempt=take_quiz(other_quiz, other_delegate, submit=True),
        trainer=trainer,
        other_trainer=other_trainer,
        hr=hr,
        superuser=superuser,
    )


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(shared_world, db) -> World:
    """The shared world; whatever the test changes is rolled back after it."""
    return shared_world


@pytest.fixture
def login(world) -> Callable[[str], Client]:
    """A client signed in as the role's user (none for ``anonymous``)."""
    return lambda role, **kwargs: client_for(world.user(role), **kwargs)


@pytest.fixture(autouse=True)
def _empty_throttle_cache():
    """Throttling counts requests in the cache; a test must not inherit another's."""
    cache.clear()
    yield
    cache.clear()


# Certificates: issued per test (inside its savepoint), since most tests need none.


def issue_certificate(world: World, enrollment: Enrollment):
    """The enrolment's valid certificate, issued by hand by HR if it has none yet."""
    from certificates import services as certificate_services

    certificate, _created = certificate_services.issue_certificate(
        enrollment_id=enrollment.pk, issued_by=world.hr, notify=False
    )
    return certificate


def finished_zip(world: World, *, user=None):
    """A built ZIP of every certificate, started by HR (or ``user``)."""
    from certificates import tasks

    issue_certificate(world, world.enrollment)
    job = tasks.start_bulk_download(user=user or world.hr, params={}, language="vi")
    tasks.run_bulk_download(job_id=job.pk)  # the build the commit would queue
    job.refresh_from_db()
    return job


@pytest.fixture
def certificate(world):
    """The delegate's certificate."""
    return issue_certificate(world, world.enrollment)


@pytest.fixture
def other_certificate(world):
    """The other delegate's certificate."""
    return issue_certificate(world, world.other_enrollment)
