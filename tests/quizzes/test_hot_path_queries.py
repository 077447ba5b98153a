"""The quiz hot path in a fixed number of queries: the quiz page, starting (and coming back to
an open attempt), the attempt page. Saving and submitting are counted in test_attempt_flow.py,
the module page in tests/courses/test_queries.py.

These are the requests a conference sends thousands of a minute; each count is what the
request needs today, so a change that adds a statement (an N+1, a lazy load) fails here.
"""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from quizzes.models import Attempt
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_and_delegate(client):
    course = factories.course(modules=1)
    questions = [qf.question("single"), qf.question("multiple"), qf.question("short_answer")]
    quiz = qf.quiz(course, questions=questions, questions_per_page=2, shuffle_choices=False)
    # Another delegate started first: the questions' versions exist, as during a conference.
    first = factories.delegate()
    factories.EnrollmentFactory(user=first, course=course)
    client.force_login(first)
    assert client.post(reverse("quizzes:start", args=[quiz.pk])).status_code == 302
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)
    client.force_login(user)
    return quiz, user


def test_starting_a_quiz_stays_within_its_queries(
    client, quiz_and_delegate, django_assert_num_queries
):
    quiz, user = quiz_and_delegate
    # Session, user; the quiz page (unless a view restriction covers it: one query); the
    # delegate's attempts; the enrolment (by the course's path); slots, questions, choices,
    # versions (the tests' cache is per process: quizzes.services.drawing reads them from a
    # shared one, test_drawing_cache.py); the attempt and its responses inserted (in a
    # savepoint of the test's transaction).
    with django_assert_num_queries(13):
        response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 302
    assert Attempt.objects.filter(quiz=quiz, user=user).count() == 1


def test_starting_again_returns_the_open_attempt_within_its_queries(
    client, quiz_and_delegate, django_assert_num_queries
):
    quiz, user = quiz_and_delegate
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    with django_assert_num_queries(4):
        response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 302
    assert Attempt.objects.filter(quiz=quiz, user=user).count() == 1


def test_the_attempt_page_stays_within_its_queries(
    client, quiz_and_delegate, django_assert_num_queries
):
    quiz, user = quiz_and_delegate
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(quiz=quiz, user=user)
    # Session, user, attempt, the page's responses, and every question's state for the
    # navigation panel (answered, flagged) in one query.
    with django_assert_num_queries(5):
        response = client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert response.status_code == 200


def test_the_quiz_page_stays_within_its_queries(
    client, quiz_and_delegate, django_assert_num_queries
):
    quiz, _user = quiz_and_delegate
    client.get(quiz.url)  # the course outline cached, as on a live server
    with django_assert_num_queries(15):
        response = client.get(quiz.url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("restricted", "started"),
    [("course", False), ("quiz", False), ("other course", True), ("nothing", True)],
)
def test_a_quiz_under_a_view_restriction_cannot_be_started(
    client, quiz_and_delegate, restricted, started
):
    """As Wagtail's ``public()``: a restriction on the quiz or an ancestor hides it; one on
    another course does not (whose path may even share a prefix of characters)."""
    quiz, user = quiz_and_delegate
    pages = {
        "course": quiz.get_parent(),
        "quiz": quiz,
        "other course": factories.course(modules=1),
        "nothing": None,
    }
    if pages[restricted] is not None:
        PageViewRestriction.objects.create(
            page=pages[restricted], restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == (302 if started else 404)
    assert Attempt.objects.filter(quiz=quiz, user=user).exists() is started
