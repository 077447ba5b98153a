"""No answer key, correctness or feedback reaches a delegate before the review options allow."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes.models import Attempt
from tests import factories
from tests.api.conftest import client_for
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db

SECRET_FEEDBACK = "PHẢN-HỒI-BÍ-MẬT"
GENERAL_FEEDBACK = "GHI-CHÚ-CHUNG-BÍ-MẬT"
ACCEPTED_TEXT = "Hòa Bình Xuân"
ACCEPTED_NUMBER = "314159"
MATCHES = [("57-KL/TW", "15/6/2023"), ("16-KL/TW", "14/2/2012"), ("71-KL/TW", "16/2/2024")]
FORBIDDEN_KEYS = {
    "is_correct",
    "correct",
    "feedback",
    "general_feedback",
    "match",
    "credit_percent",
    "tolerance",
    "right_answers",
    "right_choice_ids",
    "outcome",
    "earned",
}


def every_kind_of_question():
    feedback = {"feedback": SECRET_FEEDBACK, "general_feedback": GENERAL_FEEDBACK}
    return [
        qf.question(
            "single",
            choices=[
                {"text": "15/6/2023", "is_correct": True, "feedback": SECRET_FEEDBACK},
                {"text": "14/2/2012", "is_correct": False},
            ],
            general_feedback=GENERAL_FEEDBACK,
        ),
        qf.question("multiple", general_feedback=GENERAL_FEEDBACK),
        qf.question("true_false"),
        qf.question(
            "short_answer",
            choices=[{"text": ACCEPTED_TEXT, "is_correct": True, "feedback": SECRET_FEEDBACK}],
        ),
        qf.question(
            "numerical",
            choices=[{"text": ACCEPTED_NUMBER, "is_correct": True, "tolerance": Decimal(0)}],
            **{k: v for k, v in feedback.items() if k == "general_feedback"},
        ),
        qf.question("matching", choices=[{"text": t, "match": m} for t, m in MATCHES]),
        qf.question("ordering"),
        qf.question("essay"),
    ]


@pytest.fixture
def taking():
    course = factories.course()
    questions = every_kind_of_question()
    quiz = qf.quiz(course, questions=questions, questions_per_page=3)
    delegate = factories.delegate()
    factories.EnrollmentFactory(user=delegate, course=course)
    return quiz, questions, client_for(delegate)


def keys_in(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*(keys_in(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(set(), *(keys_in(v) for v in value))
    return set()


def assert_no_keys(payload, questions) -> None:
    text = json.dumps(payload, ensure_ascii=False)
    assert not keys_in(payload) & FORBIDDEN_KEYS
    assert SECRET_FEEDBACK not in text
    assert GENERAL_FEEDBACK not in text
    assert ACCEPTED_TEXT not in text
    assert ACCEPTED_NUMBER not in text
    for item in _dicts(payload):
        values = set(map(str, item.values()))
        for left, right in MATCHES:
            assert not {left, right} <= values, f"matching pair shown together: {item}"


def _dicts(value):
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from _dicts(child)
    elif isinstance(value, list):
        for child in value:
            yield from _dicts(child)


def everything_a_delegate_can_read(client, quiz, attempt_id) -> list:
    urls = [
        reverse("lms_api:quiz-list"),
        reverse("lms_api:quiz-detail", args=[quiz.pk]),
        reverse("lms_api:quiz-status", args=[quiz.pk]),
        reverse("lms_api:attempt-list"),
        reverse("lms_api:attempt-detail", args=[attempt_id]),
        reverse("lms_api:enrolment-list"),
    ]
    payloads = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        payloads.append(response.json())
    return payloads


def test_no_answer_key_reaches_a_delegate_while_the_attempt_is_open(taking):
    quiz, questions, client = taking

    started = client.post(reverse("lms_api:quiz-start", args=[quiz.pk]))
    assert started.status_code == 201
    attempt_id = started.json()["id"]
    single = questions[0]
    saved = client.post(
        reverse("lms_api:attempt-save", args=[attempt_id]),
        {"answers": {"0": single.choices.get(is_correct=False).pk}},
        content_type="application/json",
    )
    assert saved.status_code == 200
    review = client.get(reverse("lms_api:attempt-review", args=[attempt_id]))

    assert review.status_code == 409
    assert review.json()["code"] == "attempt_open"
    for payload in [
        started.json(),
        saved.json(),
        *everything_a_delegate_can_read(client, quiz, attempt_id),
    ]:
        assert_no_keys(payload, questions)


def test_every_question_type_is_shown_without_its_key(taking):
    quiz, questions, client = taking
    attempt_id = client.post(reverse("lms_api:quiz-start", args=[quiz.pk])).json()["id"]

    detail = client.get(reverse("lms_api:attempt-detail", args=[attempt_id])).json()

    shown = [q["question"] for page in detail["pages"] for q in page["questions"]]
    assert sorted(q["type"] for q in shown) == sorted(q.type for q in questions)
    ordering = next(q for q in shown if q["type"] == "ordering")
    in_key_order = [c.pk for c in questions[6].choices.all()]
    assert [c["id"] for c in ordering["choices"]] != in_key_order
    matching = next(q for q in shown if q["type"] == "matching")
    assert sorted(matching["options"]) == sorted(m for _t, m in MATCHES)
    assert all(set(item) == {"id", "text"} for item in matching["items"])


def test_a_submitted_attempt_shows_nothing_the_review_options_hide(taking):
    quiz, questions, client = taking
    quiz.review_score_after_submit = False
    quiz.review_correctness_after_submit = False
    quiz.review_answers_after_submit = False
    quiz.review_feedback_after_submit = False
    quiz.save()
    attempt_id = client.post(reverse("lms_api:quiz-start", args=[quiz.pk])).json()["id"]

    submitted = client.post(reverse("lms_api:attempt-submit", args=[attempt_id]))
    review = client.get(reverse("lms_api:attempt-review", args=[attempt_id]))

    assert submitted.status_code == 200
    assert review.status_code == 200
    assert review.json()["options"] == {
        "score": False,
        "correctness": False,
        "right_answers": False,
        "feedback": False,
    }
    for payload in [
        submitted.json(),
        review.json(),
        *everything_a_delegate_can_read(client, quiz, attempt_id),
    ]:
        assert_no_keys({k: v for k, v in payload.items() if k != "options"}, questions)
    assert submitted.json()["percent"] is None
    assert Attempt.objects.get(pk=attempt_id).percent is not None


def test_the_review_shows_keys_and_feedback_when_the_options_allow(taking):
    quiz, questions, client = taking  # defaults: everything but right answers after submit
    quiz.review_answers_after_submit = True
    quiz.save()
    attempt_id = client.post(reverse("lms_api:quiz-start", args=[quiz.pk])).json()["id"]
    right = questions[0].choices.get(is_correct=True).pk
    client.post(
        reverse("lms_api:attempt-save", args=[attempt_id]),
        {"answers": {"0": right}},
        content_type="application/json",
    )
    client.post(reverse("lms_api:attempt-submit", args=[attempt_id]))

    review = client.get(reverse("lms_api:attempt-review", args=[attempt_id])).json()

    first = next(q for q in review["questions"] if q["number"] == 1)
    assert first["outcome"]
    assert first["right_choice_ids"] == [right]
    assert SECRET_FEEDBACK in first["feedback"]
    assert GENERAL_FEEDBACK in first["feedback"]
    assert review["attempt"]["percent"] is not None
    assert "overall_feedback" in review
