"""Flags for review and the navigation panel: kept on the server through the plain form and the
autosave, shown on the attempt page and the summary; results that read right."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes import exceptions, selectors, services
from quizzes.models import Attempt, Response
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    course = factories.course()
    questions = [qf.question("single"), qf.question("multiple"), qf.question("short_answer")]
    quiz = qf.quiz(course, questions=questions, questions_per_page=2, shuffle_choices=False)
    next_module = factories.module(course, title="Bài sau bài kiểm tra")
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)
    return quiz, user, questions, next_module


def start(client, quiz) -> Attempt:
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    return Attempt.objects.get(quiz=quiz, state=Attempt.State.OPEN)


def flags_of(attempt) -> list[bool]:
    return list(attempt.responses.order_by("position").values_list("flagged", flat=True))


def save_json(client, attempt, body):
    return client.post(
        reverse("quizzes:save", args=[attempt.pk]), json.dumps(body), "application/json"
    )


def test_the_plain_form_sets_and_clears_the_flags_of_its_page_only(client, setup):
    quiz, user, _questions, _ = setup
    client.force_login(user)
    attempt = start(client, quiz)
    save = reverse("quizzes:save", args=[attempt.pk])
    client.post(f"{save}?page=2", {"flag2": "1", "goto": "2"})
    client.post(f"{save}?page=1", {"flag1": "1", "goto": "1"})
    assert flags_of(attempt) == [False, True, True]  # page 2's flag untouched by page 1's post
    client.post(f"{save}?page=1", {"goto": "1"})
    assert flags_of(attempt) == [False, False, True]


def test_the_autosave_flags_without_answers_and_says_what_it_set(client, setup):
    quiz, user, _questions, _ = setup
    client.force_login(user)
    attempt = start(client, quiz)
    response = save_json(client, attempt, {"flags": {"2": True}})
    assert response.status_code == 200
    assert response.json()["flags"] == {"2": True}
    assert flags_of(attempt) == [False, False, True]


@pytest.mark.parametrize(
    "flags", [{"0": "yes"}, {"0": 1}, ["0"], {"x": True}], ids=["text", "number", "list", "key"]
)
def test_unreadable_flags_are_refused_and_change_nothing(client, setup, flags):
    quiz, user, questions, _ = setup
    client.force_login(user)
    attempt = start(client, quiz)
    right = questions[0].choices.get(is_correct=True).pk
    response = save_json(client, attempt, {"answers": {"0": right}, "flags": flags})
    assert response.status_code == 400
    assert response.json()["message"] == "Không đọc được các câu trả lời. Vui lòng thử lại."
    assert flags_of(attempt) == [False, False, False]
    assert attempt.responses.get(position=0).answer is None


def test_a_flag_for_a_question_not_in_the_attempt_changes_nothing(setup):
    quiz, user, _questions, _ = setup
    attempt = services.start_attempt(quiz=quiz, user=user)
    with pytest.raises(exceptions.NotInAttempt):
        services.flag_questions(attempt_id=attempt.pk, user=user, flags={0: True, 7: True})
    assert flags_of(attempt) == [False, False, False]


def test_flags_are_refused_once_submitted_and_for_someone_else(setup):
    quiz, user, _questions, _ = setup
    attempt = services.start_attempt(quiz=quiz, user=user)
    with pytest.raises(Attempt.DoesNotExist):
        services.flag_questions(attempt_id=attempt.pk, user=factories.delegate(), flags={0: True})
    services.submit_attempt(attempt_id=attempt.pk, user=user)
    with pytest.raises(exceptions.AttemptClosed):
        services.flag_questions(attempt_id=attempt.pk, user=user, flags={0: True})


def test_question_states_by_page_in_one_query(setup, django_assert_num_queries):
    quiz, user, questions, _ = setup
    attempt = services.start_attempt(quiz=quiz, user=user)
    right = questions[0].choices.get(is_correct=True).pk
    services.save_answers(attempt_id=attempt.pk, user=user, answers={0: right, 2: "  "})
    services.flag_questions(attempt_id=attempt.pk, user=user, flags={2: True})
    with django_assert_num_queries(1):
        pages = selectors.question_states(attempt)
    assert [[(s.number, s.page, s.answered, s.flagged) for s in page] for page in pages] == [
        [(1, 1, True, False), (2, 1, False, False)],
        [(3, 2, False, True)],
    ]


def test_the_panel_shows_every_question_and_jumps_to_one(client, setup):
    quiz, user, _questions, _ = setup
    client.force_login(user)
    attempt = start(client, quiz)
    services.flag_questions(attempt_id=attempt.pk, user=user, flags={2: True})
    html = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()
    assert html.count('name="goto" value="q') == 3
    assert "Câu 3<span data-qnav-state>, chưa trả lời, đã đánh dấu</span>" in html
    response = client.post(reverse("quizzes:save", args=[attempt.pk]) + "?page=1", {"goto": "q3"})
    assert response["Location"].endswith("?page=2#question-3")
    response = client.post(reverse("quizzes:save", args=[attempt.pk]) + "?page=1", {"goto": "q9"})
    assert response["Location"].endswith("?page=1")


def test_the_summary_counts_and_names_flagged_questions(client, setup):
    quiz, user, _questions, _ = setup
    client.force_login(user)
    attempt = start(client, quiz)
    services.flag_questions(attempt_id=attempt.pk, user=user, flags={0: True, 2: True})
    html = client.get(reverse("quizzes:summary", args=[attempt.pk])).content.decode()
    assert "2 câu hỏi được đánh dấu để xem lại." in html
    assert html.count("summary-grid__item--flagged") == 2


def test_the_api_shows_flags_and_sets_them_with_the_answers(client, setup):
    quiz, user, questions, _ = setup
    client.force_login(user)
    attempt = start(client, quiz)
    right = questions[0].choices.get(is_correct=True).pk
    saved = client.post(
        reverse("lms_api:attempt-save", args=[attempt.pk]),
        {"answers": {"0": right}, "flags": {"0": True}},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["flags"] == {"0": True}
    detail = client.get(reverse("lms_api:attempt-detail", args=[attempt.pk])).json()
    flagged = [q["flagged"] for page in detail["pages"] for q in page["questions"]]
    assert flagged == [True, False, False]


def submit_with(client, quiz, answer) -> Attempt:
    attempt = start(client, quiz)
    save_json(client, attempt, {"answers": {"0": answer}})
    client.post(reverse("quizzes:submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    return attempt


@pytest.fixture
def one_question_quiz(setup):
    _quiz, user, questions, next_module = setup
    quiz = qf.quiz(
        next_module.get_parent().specific,
        questions=[questions[0]],
        pass_mark_percent=Decimal(50),
        shuffle_choices=False,
        review_answers_after_submit=True,
    )
    return quiz, user, questions[0]


def test_a_pass_reads_as_a_pass_with_the_next_item(client, one_question_quiz):
    quiz, user, question = one_question_quiz
    client.force_login(user)
    attempt = submit_with(client, quiz, question.choices.get(is_correct=True).pk)
    html = client.get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    assert "result--passed" in html
    assert "Lần đạt trước đây" not in html
    assert "Quay lại khóa học" in html  # the quiz is the course's last item


def test_a_failed_retry_after_a_pass_says_the_pass_still_counts(client, one_question_quiz):
    quiz, user, question = one_question_quiz
    client.force_login(user)
    submit_with(client, quiz, question.choices.get(is_correct=True).pk)
    failed = submit_with(client, quiz, question.choices.filter(is_correct=False).first().pk)
    html = client.get(reverse("quizzes:review", args=[failed.pk])).content.decode()
    assert "result--failed" in html
    assert "Lần đạt trước đây của bạn vẫn được tính." in html
    assert "Lựa chọn của bạn" in html and "chưa đúng" in html


def test_graded_by_the_last_attempt_a_failed_retry_says_the_grade_fell(client, one_question_quiz):
    quiz, user, question = one_question_quiz
    quiz.grading_method = "last"
    quiz.save()
    client.force_login(user)
    submit_with(client, quiz, question.choices.get(is_correct=True).pk)
    failed = submit_with(client, quiz, question.choices.filter(is_correct=False).first().pk)
    html = client.get(reverse("quizzes:review", args=[failed.pk])).content.decode()
    assert "Điểm của bạn hiện là 0%, dưới điểm đạt." in html
    assert "vẫn được tính" not in html


def test_response_flags_default_to_unflagged(setup):
    quiz, user, _questions, _ = setup
    attempt = services.start_attempt(quiz=quiz, user=user)
    assert not Response.objects.filter(attempt=attempt, flagged=True).exists()
