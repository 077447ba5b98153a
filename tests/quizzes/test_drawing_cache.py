"""Starting an attempt reads what it draws from (slots, pools, choices, versions) from the shared
cache, once per quiz and question bank state (``quizzes.services.drawing``), and an edit of the
bank or of the quiz's slots is seen by the next start."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from quizzes.models import Attempt, Choice, QuestionVersion
from quizzes.services import drawing
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_cache(monkeypatch):
    """The test settings' LocMem cache is one per process, as Redis is one per site."""
    monkeypatch.setattr(drawing, "cache_is_shared", lambda: True)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def quiz_and_course():
    course = factories.course(modules=1)
    questions = [qf.question("single"), qf.question("multiple"), qf.question("short_answer")]
    quiz = qf.quiz(course, questions=questions, questions_per_page=2, shuffle_choices=False)
    return quiz, course, questions


def start(client, course, quiz) -> Attempt:
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)
    client.force_login(user)
    assert client.post(reverse("quizzes:start", args=[quiz.pk])).status_code == 302
    return Attempt.objects.get(quiz=quiz, user=user)


def versions_of(attempt: Attempt) -> list[int]:
    return list(
        attempt.responses.order_by("position").values_list("question_version_id", flat=True)
    )


def test_a_warm_start_reads_neither_slots_nor_questions_nor_versions(
    client, quiz_and_course, django_assert_num_queries, django_capture_on_commit_callbacks
):
    quiz, course, _questions = quiz_and_course
    with django_capture_on_commit_callbacks(execute=True):
        start(client, course, quiz)  # versions the questions (which replaces the bank's token)
    with django_capture_on_commit_callbacks(execute=True):
        start(client, course, quiz)  # builds the material
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)
    client.force_login(user)
    # Session, user (read once, then kept in the shared cache); the quiz page (unless a view
    # restriction covers it); the delegate's attempts; the enrolment; the attempt and its
    # responses inserted (in a savepoint of the test's transaction).
    with django_assert_num_queries(9):
        response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 302


def test_an_edited_question_is_drawn_in_its_new_version(
    client, quiz_and_course, django_capture_on_commit_callbacks
):
    quiz, course, questions = quiz_and_course
    with django_capture_on_commit_callbacks(execute=True):
        first = versions_of(start(client, course, quiz))
    with django_capture_on_commit_callbacks(execute=True):
        choice = questions[0].choices.get(is_correct=False, text="14/2/2012")
        choice.text = "14/2/2013"
        choice.save()
    second = start(client, course, quiz)
    after = versions_of(second)
    assert after[0] != first[0] and after[1:] == first[1:]
    snapshot = QuestionVersion.objects.get(pk=after[0]).data
    assert "14/2/2013" in [c["text"] for c in snapshot["choices"]]


def test_a_new_choice_is_laid_out_at_the_next_start(
    client, quiz_and_course, django_capture_on_commit_callbacks
):
    quiz, course, questions = quiz_and_course
    with django_capture_on_commit_callbacks(execute=True):
        start(client, course, quiz)
    with django_capture_on_commit_callbacks(execute=True):
        added = Choice.objects.create(question=questions[0], text="1/1/2020", is_correct=False)
    attempt = start(client, course, quiz)
    assert added.pk in attempt.responses.get(position=0).choice_order


def test_a_slot_added_to_the_quiz_is_drawn_at_the_next_start(
    client, quiz_and_course, django_capture_on_commit_callbacks
):
    quiz, course, _questions = quiz_and_course
    with django_capture_on_commit_callbacks(execute=True):
        assert len(versions_of(start(client, course, quiz))) == 3
    category = qf.CategoryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            qf.question("true_false", category=category)
        qf.random_slot(quiz, category, 2)
    assert len(versions_of(start(client, course, quiz))) == 5


def test_a_per_process_cache_is_not_used(client, quiz_and_course, monkeypatch):
    """Another process could not replace the token it holds: every start reads the database."""
    monkeypatch.setattr(drawing, "cache_is_shared", lambda: False)
    built = []
    build = drawing.build
    monkeypatch.setattr(drawing, "build", lambda quiz: built.append(quiz.pk) or build(quiz))
    quiz, course, _questions = quiz_and_course
    start(client, course, quiz)
    start(client, course, quiz)
    assert built == [quiz.pk, quiz.pk]
