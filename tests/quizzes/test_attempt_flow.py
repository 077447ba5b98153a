"""A delegate takes a quiz through the real views: start, save, summary, submit, review."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Completion
from courses.selectors import outline_items
from quizzes.models import Attempt
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    course = factories.course(modules=1)
    questions = [qf.question("single"), qf.question("multiple"), qf.question("short_answer")]
    quiz = qf.quiz(course, questions=questions, questions_per_page=2, shuffle_choices=False)
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)
    return course, quiz, user, questions


def start(client, quiz):
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 302
    return Attempt.objects.get(quiz=quiz)


def test_delegate_takes_and_passes_a_quiz(client, setup):
    course, quiz, user, questions = setup
    client.force_login(user)
    attempt = start(client, quiz)
    page1 = client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert page1.status_code == 200
    html = page1.content.decode()
    assert "Kết luận 57-KL/TW được ban hành ngày nào?" in html

    single, multiple, short = questions
    right_single = single.choices.get(is_correct=True).pk
    right_multi = [c.pk for c in multiple.choices.filter(is_correct=True)]
    response = client.post(
        reverse("quizzes:save", args=[attempt.pk]) + "?page=1",
        {"q0": right_single, "q1": right_multi, "goto": "2"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?page=2")
    response = client.post(
        reverse("quizzes:save", args=[attempt.pk]) + "?page=2",
        {"q2": "  hoà   BÌNH ", "goto": "summary"},
    )
    assert response["Location"] == reverse("quizzes:summary", args=[attempt.pk])
    summary = client.get(response["Location"]).content.decode()
    assert "3" in summary

    client.post(reverse("quizzes:submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED
    assert attempt.percent == Decimal("100.00")
    assert attempt.passed
    assert Completion.objects.filter(enrollment__user=user, page=quiz).exists()
    review = client.get(reverse("quizzes:review", args=[attempt.pk]))
    assert "100%" in review.content.decode()


def test_answer_keys_never_reach_the_page_before_review(client, setup):
    _course, quiz, user, questions = setup
    client.force_login(user)
    attempt = start(client, quiz)
    for page in (1, 2):
        html = client.get(reverse("quizzes:attempt", args=[attempt.pk]), {"page": page})
        text = html.content.decode()
        assert "is_correct" not in text
        assert "correct" not in text.lower().replace("incorrect", "")
        assert "Hòa Bình" not in text  # the accepted short answer


def test_autosave_json_round_trip_and_stale_revision(client, setup):
    _course, quiz, user, questions = setup
    client.force_login(user)
    attempt = start(client, quiz)
    url = reverse("quizzes:save", args=[attempt.pk])
    choice = questions[0].choices.first().pk
    first = client.post(
        url, json.dumps({"answers": {"0": choice}, "revisions": {"0": 0}}), "application/json"
    )
    assert first.status_code == 200
    assert first.json()["revisions"] == {"0": 1}
    other = questions[0].choices.last().pk
    stale = client.post(
        url, json.dumps({"answers": {"0": other}, "revisions": {"0": 0}}), "application/json"
    )
    assert stale.json()["stale"] == [0]
    assert attempt.responses.get(position=0).answer == choice


def test_tampered_answers_are_refused_and_change_nothing(client, setup):
    _course, quiz, user, questions = setup
    client.force_login(user)
    attempt = start(client, quiz)
    url = reverse("quizzes:save", args=[attempt.pk])
    foreign_choice = questions[1].choices.first().pk
    response = client.post(
        url,
        json.dumps(
            {"answers": {"0": questions[0].choices.first().pk, "1": [foreign_choice + 999]}}
        ),
        "application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_answer"
    assert not attempt.responses.filter(answer__isnull=False).exists()
    not_in_attempt = client.post(url, json.dumps({"answers": {"7": 1}}), "application/json")
    assert not_in_attempt.status_code == 400
    assert not_in_attempt.json()["code"] == "not_in_attempt"


def test_answers_after_submission_are_refused(client, setup):
    _course, quiz, user, questions = setup
    client.force_login(user)
    attempt = start(client, quiz)
    client.post(reverse("quizzes:submit", args=[attempt.pk]))
    response = client.post(
        reverse("quizzes:save", args=[attempt.pk]),
        json.dumps({"answers": {"0": questions[0].choices.first().pk}}),
        "application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "attempt_closed"


def test_another_delegates_attempt_is_not_found(client, setup):
    _course, quiz, user, questions = setup
    client.force_login(user)
    attempt = start(client, quiz)
    intruder = factories.delegate()
    client.force_login(intruder)
    for name in ("attempt", "summary", "review"):
        assert client.get(reverse(f"quizzes:{name}", args=[attempt.pk])).status_code == 404
    save_url = reverse("quizzes:save", args=[attempt.pk])
    choice = questions[0].choices.first().pk
    autosave = client.post(save_url, json.dumps({"answers": {"0": choice}}), "application/json")
    assert autosave.status_code == 404
    assert client.post(save_url + "?page=1", {"q0": choice}).status_code == 404
    assert client.post(reverse("quizzes:submit", args=[attempt.pk])).status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open
    assert not attempt.responses.filter(answer__isnull=False).exists()


def test_autosave_and_submit_stay_within_their_queries(client, setup, django_assert_num_queries):
    _course, quiz, user, questions = setup
    client.force_login(user)
    attempt = start(client, quiz)
    url = reverse("quizzes:save", args=[attempt.pk])
    wrong = {
        "0": questions[0].choices.filter(is_correct=False).first().pk,
        "1": [c.pk for c in questions[1].choices.filter(is_correct=False)],
        "2": "Hà Nội",
    }
    blank = {"0": None, "1": None, "2": "Huế"}
    client.post(url, json.dumps({"answers": blank}), "application/json")  # the keys now read
    # Session, user, the attempt locked, its responses, the changed answers in one statement
    # (and the test's transaction adds a savepoint and its release).
    with django_assert_num_queries(7):
        response = client.post(url, json.dumps({"answers": wrong}), "application/json")
    assert response.json()["saved"] == [0, 1, 2]
    # Session, user, the attempt locked with the quiz's scoring columns, its responses, one
    # UPDATE for the responses scored alike, the attempt (a failed attempt records nothing more).
    with django_assert_num_queries(8):
        response = client.post(reverse("quizzes:submit", args=[attempt.pk]))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.percent, attempt.passed) == (Decimal("0.00"), False)


def test_quiz_page_shows_start_button_to_enrolled_delegate(client, setup):
    _course, quiz, user, _questions = setup
    client.force_login(user)
    html = client.get(quiz.url).content.decode()
    assert reverse("quizzes:start", args=[quiz.pk]) in html


def test_a_passing_submit_records_the_completion_within_its_queries(client, setup):
    course, quiz, user, questions = setup
    client.force_login(user)
    attempt = start(client, quiz)
    single, multiple, _short = questions
    right = {
        "0": single.choices.get(is_correct=True).pk,
        "1": [c.pk for c in multiple.choices.filter(is_correct=True)],
        "2": "Hoà bình",
    }
    save_url = reverse("quizzes:save", args=[attempt.pk])
    client.post(save_url, json.dumps({"answers": right}), "application/json")
    outline_items([type(course).objects.get(pk=course.pk)])  # cached, as on a live server
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("quizzes:submit", args=[attempt.pk]))
    assert response.status_code == 302
    # Session, user, the attempt locked with the quiz's scoring columns, its responses, one
    # UPDATE for the responses scored alike, the attempt; then the completion: the enrolment
    # locked with its course, its completions, the INSERT, the enrolment's last activity (and
    # the test's transaction adds a savepoint and its release).
    assert len(queries) == 12, "\n".join(q["sql"][:120] for q in queries.captured_queries)
    completion = Completion.objects.get(enrollment__user=user, page=quiz)
    assert completion.completed_at == Attempt.objects.get(pk=attempt.pk).submitted_at


def test_json_nested_too_deeply_is_refused_like_other_unreadable_json(client, setup):
    _course, quiz, user, _questions = setup
    client.force_login(user)
    attempt = start(client, quiz)
    url = reverse("quizzes:save", args=[attempt.pk])
    malformed = client.post(url, '{"answers": ', "application/json")
    assert malformed.status_code == 400
    assert malformed.json()["message"] == "Không đọc được các câu trả lời. Vui lòng thử lại."
    for body in ("[" * 100_000 + "]" * 100_000, '{"answers": {"0": ' + "[" * 100_000 + "}}"):
        response = client.post(url, body, "application/json")
        assert (response.status_code, response.json()) == (400, malformed.json())
    assert not attempt.responses.filter(answer__isnull=False).exists()


def test_responses_scored_alike_are_written_together(client, setup):
    # One UPDATE per (marks, outcome) pair: here right, wrong and blank (tests/quizzes/test_services
    # covers the single UPDATE with a CASE that many pairs take).
    _course, quiz, user, questions = setup
    client.force_login(user)
    attempt = start(client, quiz)
    single, multiple, _short = questions
    answers = {  # right, wrong, and one left blank
        "0": single.choices.get(is_correct=True).pk,
        "1": [c.pk for c in multiple.choices.filter(is_correct=False)],
    }
    client.post(
        reverse("quizzes:save", args=[attempt.pk]),
        json.dumps({"answers": answers}),
        "application/json",
    )

    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("quizzes:submit", args=[attempt.pk]))

    updates = [
        q for q in queries.captured_queries if q["sql"].startswith('UPDATE "quizzes_response"')
    ]
    assert len(updates) == 3
    stored = list(attempt.responses.order_by("position").values_list("earned", "outcome"))
    assert [outcome for _earned, outcome in stored] == ["correct", "incorrect", "unanswered"]
    assert stored[0][0] == Decimal("1") and stored[1][0] == Decimal("0")


def test_a_submit_whose_only_scores_are_pending_essays_stores_no_marks(client):
    # No marks at all (NULL): PostgreSQL must still take the value as a number.
    course = factories.course(modules=1)
    quiz = qf.quiz(course, questions=[qf.question("essay")])
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)
    client.force_login(user)
    attempt = start(client, quiz)
    client.post(
        reverse("quizzes:save", args=[attempt.pk]),
        json.dumps({"answers": {"0": "Bảo đảm quyền con người là mục tiêu nhất quán."}}),
        "application/json",
    )

    assert client.post(reverse("quizzes:submit", args=[attempt.pk])).status_code == 302

    assert list(attempt.responses.values_list("earned", "outcome")) == [(None, "needs_grading")]
    attempt.refresh_from_db()
    assert attempt.pending_grading and attempt.state == Attempt.State.SUBMITTED
