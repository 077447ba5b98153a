"""Taking a quiz through the API: the same services as the quiz page, the same JSON as its
autosave, and tampered input refused with nothing changed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Completion
from quizzes import exceptions
from quizzes.models import Attempt, Response

pytestmark = pytest.mark.django_db


def post(client, name, pk, body=None):
    return client.post(reverse(name, args=[pk]), body, content_type="application/json")


def responses_of(attempt):
    return list(
        Response.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("answer", "revision")
    )


def right_choice(world):
    return world.quiz.slots.first().question.choices.get(is_correct=True).pk


def test_a_delegate_answers_submits_and_passes(world, login):
    client = login("delegate")
    attempt = world.open_attempt

    detail = client.get(reverse("lms_api:attempt-detail", args=[attempt.pk])).json()
    questions = [q for page in detail["pages"] for q in page["questions"]]
    saved = post(
        client,
        "lms_api:attempt-save",
        attempt.pk,
        {
            "answers": {"0": right_choice(world), "1": "  hoà   BÌNH ", "2": {}},
            "revisions": {"0": 0, "1": 0},
        },
    )
    submitted = post(client, "lms_api:attempt-submit", attempt.pk)
    status = client.get(reverse("lms_api:quiz-status", args=[world.quiz.pk])).json()

    assert [q["position"] for q in questions] == [0, 1, 2]
    assert [q["revision"] for q in questions] == [0, 0, 0]
    assert saved.status_code == 200
    assert saved.json()["saved"] == [0, 1]
    assert saved.json()["stale"] == []
    assert saved.json()["revisions"] == {"0": 1, "1": 1, "2": 0}
    assert submitted.status_code == 200
    assert submitted.json()["state"] == "submitted"
    assert submitted.json()["percent"] is not None
    assert status["open_attempt"] is None
    assert [a["id"] for a in status["attempts"]] == [world.done_attempt.pk, attempt.pk]


def test_a_passed_quiz_counts_towards_the_course(world, login):
    client = login("delegate")
    world.quiz.pass_mark_percent = 30
    world.quiz.save()
    post(
        client,
        "lms_api:attempt-save",
        world.open_attempt.pk,
        {"answers": {"0": right_choice(world)}},
    )

    post(client, "lms_api:attempt-submit", world.open_attempt.pk)

    assert Completion.objects.filter(enrollment=world.enrollment, page=world.quiz).exists()


def test_an_answer_seen_at_an_older_revision_is_stale(world, login):
    client = login("delegate")
    attempt = world.open_attempt
    post(client, "lms_api:attempt-save", attempt.pk, {"answers": {"1": "Hà Nội"}})

    stale = post(
        client, "lms_api:attempt-save", attempt.pk, {"answers": {"1": "Huế"}, "revisions": {"1": 0}}
    )

    assert stale.json()["stale"] == [1]
    assert stale.json()["saved"] == []
    assert responses_of(attempt)[1] == ("Hà Nội", 1)


@pytest.mark.parametrize(
    ("body", "code", "errors"),
    [
        # a choice of another question
        ({"answers": {"0": "OTHER"}}, "invalid_answer", {"answers.0"}),
        ({"answers": {"0": True}}, "invalid_answer", {"answers.0"}),
        ({"answers": {"2": {"999999": "15/6/2023"}}}, "invalid_answer", {"answers.2"}),
        ({"answers": {"2": {"ITEM": "not an option"}}}, "invalid_answer", {"answers.2"}),
        ({"answers": {"1": "x" * 501}}, "invalid_answer", {"answers.1"}),
        ({"answers": {"7": "Hà Nội"}}, "not_in_attempt", set()),
        ({"answers": {"-1": "Hà Nội"}}, "not_in_attempt", set()),
        ({"answers": {"zero": 1}}, "invalid_input", {"answers"}),
        ({"answers": ["Hà Nội"]}, "invalid_input", {"answers"}),
        ({"answers": {"1": "Hà Nội"}, "revisions": {"1": "new"}}, "invalid_input", {"answers"}),
        ({}, "invalid_input", {"answers"}),
        ([], "invalid_input", {"answers"}),
    ],
)
def test_tampered_answers_are_refused_and_change_nothing(world, login, body, code, errors):
    attempt = world.open_attempt
    if code == "invalid_answer" and "OTHER" in str(body):
        body = {"answers": {"0": world.other_quiz.slots.first().question.choices.first().pk}}
    if "ITEM" in str(body):
        item = world.quiz.slots.last().question.choices.first().pk
        body = {"answers": {"2": {str(item): "not an option"}}}
    # One good answer alongside: nothing at all is written when one is bad.
    if isinstance(body, dict) and isinstance(body.get("answers"), dict):
        body["answers"].setdefault("1", "Hà Nội")
    before = responses_of(attempt)

    response = post(login("delegate"), "lms_api:attempt-save", attempt.pk, body)

    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert set(response.json().get("errors", {})) == errors
    assert responses_of(attempt) == before


def test_an_invalid_answer_says_which_position(world, login):
    other_choice = world.other_quiz.slots.first().question.choices.first().pk

    response = post(
        login("delegate"),
        "lms_api:attempt-save",
        world.open_attempt.pk,
        {"answers": {"0": other_choice}},
    )

    assert response.json()["position"] == 0


def test_a_body_that_is_not_json_is_refused(world, login):
    client = login("delegate")
    url = reverse("lms_api:attempt-save", args=[world.open_attempt.pk])

    broken = client.post(url, "{not json", content_type="application/json")
    form = client.post(url, {"answers": "x"})

    assert (broken.status_code, broken.json()["code"]) == (400, "parse_error")
    assert (form.status_code, form.json()["code"]) == (415, "unsupported_media_type")


def test_another_delegates_attempt_cannot_be_answered_or_submitted(world, login):
    client = login("other_delegate")
    attempt = world.open_attempt
    before = responses_of(attempt)

    saved = post(client, "lms_api:attempt-save", attempt.pk, {"answers": {"1": "Hà Nội"}})
    submitted = post(client, "lms_api:attempt-submit", attempt.pk)

    assert saved.status_code == submitted.status_code == 404
    assert responses_of(attempt) == before
    assert Attempt.objects.get(pk=attempt.pk).is_open


def test_a_submitted_attempt_refuses_answers(world, login):
    response = post(
        login("delegate"), "lms_api:attempt-save", world.done_attempt.pk, {"answers": {"1": "Huế"}}
    )

    assert response.status_code == exceptions.AttemptClosed.status  # as the domain decides
    assert response.json()["code"] == "attempt_closed"


def test_answers_after_the_deadline_close_the_attempt(world, login):
    attempt = world.open_attempt
    past = timezone.now() - datetime.timedelta(hours=1)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=past)

    response = post(
        login("delegate"), "lms_api:attempt-save", attempt.pk, {"answers": {"1": "Huế"}}
    )

    assert response.status_code == exceptions.TimeExpired.status
    assert response.json()["code"] == "time_expired"
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED
    assert attempt.closed_by == Attempt.ClosedBy.DEADLINE


def test_reading_an_overdue_attempt_submits_it_as_the_quiz_page_does(world, login):
    attempt = world.open_attempt
    past = timezone.now() - datetime.timedelta(hours=1)
    Attempt.objects.filter(pk=attempt.pk).update(deadline_at=past)

    detail = login("delegate").get(reverse("lms_api:attempt-detail", args=[attempt.pk])).json()

    assert detail["state"] == "submitted"
    assert detail["closed_by"] == "deadline"


def test_starting_again_returns_the_open_attempt(world, login):
    response = post(login("delegate"), "lms_api:quiz-start", world.quiz.pk)

    assert response.status_code == 200
    assert response.json()["id"] == world.open_attempt.pk


def test_the_attempt_limit_holds(world, login):
    world.quiz.attempts_allowed = 2
    world.quiz.save()
    client = login("delegate")
    post(client, "lms_api:attempt-submit", world.open_attempt.pk)

    response = post(client, "lms_api:quiz-start", world.quiz.pk)

    assert response.status_code == 409
    assert response.json()["code"] == "no_attempts_left"
    assert Attempt.objects.filter(quiz=world.quiz, user=world.delegate).count() == 2


def test_a_closed_quiz_cannot_be_started(world, login):
    client = login("delegate")
    post(client, "lms_api:attempt-submit", world.open_attempt.pk)
    world.quiz.closes_at = timezone.now() - datetime.timedelta(days=1)
    world.quiz.save()

    response = post(client, "lms_api:quiz-start", world.quiz.pk)

    assert (response.status_code, response.json()["code"]) == (400, "quiz_closed")


def test_my_attempts_are_filtered_by_quiz_and_state(world, login):
    client = login("delegate")

    open_only = client.get(reverse("lms_api:attempt-list"), {"state": "open"}).json()
    other_quiz = client.get(reverse("lms_api:attempt-list"), {"quiz": world.other_quiz.pk}).json()
    bad = client.get(reverse("lms_api:attempt-list"), {"state": "paused"})

    assert [a["id"] for a in open_only["results"]] == [world.open_attempt.pk]
    assert other_quiz["count"] == 0
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"state"}
