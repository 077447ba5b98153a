"""Quiz admin: question editor validation and versions, attempts register, grading, regrade."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from courses.conf import lms_settings
from quizzes import services
from quizzes.models import Question, QuestionVersion
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db


def trainer_of(cohort):
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name=lms_settings.TRAINERS_GROUP))
    cohort.trainers.add(user)
    return user


def question_form(category, *, kind="single", choices):
    return nested_form_data(
        {
            "category": category.pk,
            "type": kind,
            "name": "Ngày ban hành 57-KL/TW",
            "text": rich_text("<p>Kết luận 57-KL/TW ban hành ngày nào?</p>"),
            "marks": "1",
            "shuffle_choices": "on",
            "general_feedback": "",
            "choices": inline_formset(choices),
        }
    )


def test_trainer_adds_a_question_and_a_version_is_recorded(client):
    cohort = factories.CohortFactory()
    trainer = trainer_of(cohort)
    category = qf.CategoryFactory(course=cohort.course)  # the bank of the course they train
    client.force_login(trainer)
    data = question_form(
        category,
        choices=[
            {"text": "15/6/2023", "is_correct": "on", "match": "", "feedback": "Chính xác"},
            {"text": "14/2/2012", "match": "", "feedback": ""},
        ],
    )
    response = client.post(reverse("wagtailsnippets_quizzes_question:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    question = Question.objects.get()
    assert question.choices.count() == 2
    version = QuestionVersion.objects.get(question=question)
    assert version.created_by == trainer
    assert version.data["choices"][0]["is_correct"] is True


def test_a_question_without_a_right_choice_is_refused_with_a_clear_message(client, admin_user):
    client.force_login(admin_user)
    data = question_form(
        qf.CategoryFactory(),
        choices=[
            {"text": "A", "match": "", "feedback": ""},
            {"text": "B", "match": "", "feedback": ""},
        ],
    )
    response = client.post(reverse("wagtailsnippets_quizzes_question:add"), data)
    assert response.status_code == 200
    with translation.override("vi"):
        expected = gettext("Mark at least one choice as correct.")
    assert expected in str(response.context["form"].non_field_errors())
    assert not Question.objects.exists()


@pytest.fixture
def submitted(db):
    cohort = factories.CohortFactory()
    essay = qf.question("essay", marks=Decimal(2))
    single = qf.question("single")
    quiz = qf.quiz(cohort.course, questions=[single, essay])
    user = factories.delegate(full_name="Phạm Thị Thu Hương")
    factories.EnrollmentFactory(user=user, course=cohort.course, cohort=cohort)
    attempt = services.start_attempt(quiz=quiz, user=user)
    services.save_answers(
        attempt_id=attempt.pk,
        user=user,
        answers={0: single.choices.get(is_correct=True).pk, 1: "=Quyền con người là thiêng liêng"},
    )
    attempt = services.submit_attempt(attempt_id=attempt.pk, user=user)
    return cohort, quiz, attempt


def test_trainer_grades_an_essay_from_the_queue(client, submitted):
    cohort, _quiz, attempt = submitted
    trainer = trainer_of(cohort)
    client.force_login(trainer)
    queue = client.get(reverse("quizzes_grading_queue"))
    assert queue.status_code == 200
    assert "Quyền con người là thiêng liêng" in queue.content.decode()
    essay = attempt.responses.get(position=1)
    response = client.post(
        reverse("quizzes_grade", args=[essay.pk]),
        {f"r{essay.pk}-grade": "1.5", f"r{essay.pk}-comment": "Tốt"},
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.pending_grading == 0
    assert attempt.percent == Decimal("83.33")


def test_a_grade_above_the_marks_is_refused(client, submitted):
    cohort, _quiz, attempt = submitted
    client.force_login(trainer_of(cohort))
    essay = attempt.responses.get(position=1)
    client.post(reverse("quizzes_grade", args=[essay.pk]), {f"r{essay.pk}-grade": "3"})
    essay.refresh_from_db()
    assert essay.manual_grade is None


def test_another_trainer_cannot_see_or_grade_the_attempt(client, submitted):
    _cohort, _quiz, attempt = submitted
    outsider = trainer_of(factories.CohortFactory())
    client.force_login(outsider)
    assert client.get(reverse("quizzes_attempt_detail", args=[attempt.pk])).status_code == 404
    essay = attempt.responses.get(position=1)
    response = client.post(reverse("quizzes_grade", args=[essay.pk]), {f"r{essay.pk}-grade": "2"})
    assert response.status_code == 404
    assert attempt not in client.get(reverse("attempts:index")).context["object_list"]


def test_hr_reads_attempts_but_cannot_grade(client, submitted):
    _cohort, _quiz, attempt = submitted
    hr = factories.UserFactory()
    hr.groups.add(Group.objects.get(name=lms_settings.HR_GROUP))
    client.force_login(hr)
    assert client.get(reverse("quizzes_attempt_detail", args=[attempt.pk])).status_code == 200
    denied = client.get(reverse("quizzes_grading_queue"))
    assert denied.status_code == 302  # Wagtail turns PermissionDenied into a redirect home
    assert denied["Location"] == reverse("wagtailadmin_home")


def test_responses_export_has_one_row_per_attempt_with_answers(client, submitted):
    cohort, quiz, _attempt = submitted
    client.force_login(trainer_of(cohort))
    xlsx = client.get(reverse("quizzes_responses_export", args=[quiz.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Phạm Thị Thu Hương"
    assert "15/6/2023" in rows[1]
    csv_response = client.get(reverse("quizzes_responses_export", args=[quiz.pk, "csv"]))
    text = csv_response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'=Quyền con người là thiêng liêng" in text


def test_regrade_page_is_a_dry_run_until_confirmed(client, submitted):
    cohort, quiz, attempt = submitted
    client.force_login(trainer_of(cohort))
    page = client.get(reverse("quizzes_regrade", args=[quiz.pk]))
    assert page.status_code == 200
    response = client.post(reverse("quizzes_regrade", args=[quiz.pk]))
    assert response.status_code == 302


def test_the_regrade_dry_run_names_each_delegate_in_a_constant_number_of_queries(client, submitted):
    cohort, quiz, _attempt = submitted
    single = quiz.slots.get(question__type="single").question
    right = single.choices.get(is_correct=True)
    client.force_login(trainer_of(cohort))
    url = reverse("quizzes_regrade", args=[quiz.pk])

    def dry_run(delegates: list[str]):
        for name in delegates:
            user = factories.delegate(full_name=name)
            factories.EnrollmentFactory(user=user, course=cohort.course, cohort=cohort)
            attempt = services.start_attempt(quiz=quiz, user=user)
            services.save_answers(attempt_id=attempt.pk, user=user, answers={0: right.pk})
            services.submit_attempt(attempt_id=attempt.pk, user=user)
        # The key was wrong: every attempt so far loses the question's mark.
        single.choices.update(is_correct=False)
        single.choices.exclude(pk=right.pk).filter(text="14/2/2012").update(is_correct=True)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        single.choices.update(is_correct=False)
        single.choices.filter(pk=right.pk).update(is_correct=True)
        return page, len(captured.captured_queries)

    few, few_queries = dry_run([])
    many, many_queries = dry_run(["Nguyễn Văn An", "Trần Thị Bình"])

    assert len(few.context["changes"]) == 1 and len(many.context["changes"]) == 3
    for name in ("Phạm Thị Thu Hương", "Nguyễn Văn An", "Trần Thị Bình"):
        assert name in many.content.decode()
    assert many_queries == few_queries


def test_quiz_pages_offer_attempts_and_regrade_in_the_page_explorer(client, submitted, admin_user):
    _cohort, quiz, _attempt = submitted
    client.force_login(admin_user)
    html = client.get(reverse("wagtailadmin_explore", args=[quiz.get_parent().pk])).content.decode()
    assert reverse("quizzes_regrade", args=[quiz.pk]) in html


@pytest.mark.parametrize(
    "next_url",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        " //evil.example/",
    ],
)
def test_grading_never_returns_to_another_host(client, submitted, next_url):
    cohort, _quiz, attempt = submitted
    client.force_login(trainer_of(cohort))
    essay = attempt.responses.get(position=1)

    response = client.post(
        reverse("quizzes_grade", args=[essay.pk]),
        {f"r{essay.pk}-grade": "1", "next": next_url},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes_attempt_detail", args=[attempt.pk])


def test_grading_returns_to_the_page_it_came_from(client, submitted):
    cohort, _quiz, attempt = submitted
    client.force_login(trainer_of(cohort))
    essay = attempt.responses.get(position=1)
    queue = reverse("quizzes_grading_queue")

    response = client.post(
        reverse("quizzes_grade", args=[essay.pk]), {f"r{essay.pk}-grade": "1", "next": queue}
    )

    assert response["Location"] == queue


def test_a_matching_question_takes_extra_wrong_options_and_a_short_answer_wildcards(
    client, admin_user
):
    client.force_login(admin_user)
    category = qf.CategoryFactory()
    matching = question_form(
        category,
        kind="matching",
        choices=[
            {"text": "57-KL/TW", "match": "15/6/2023", "feedback": ""},
            {"text": "16-KL/TW", "match": "14/2/2012", "feedback": ""},
            {"text": "", "match": "1/1/2000", "feedback": ""},  # an extra wrong option
        ],
    )
    short = question_form(
        category,
        kind="short_answer",
        choices=[{"text": "Hà*Nội", "is_correct": "on", "match": "", "feedback": ""}],
    )
    short["wildcards"] = "on"

    for data in (matching, short):
        response = client.post(reverse("wagtailsnippets_quizzes_question:add"), data)
        assert response.status_code == 302, response.context["form"].non_field_errors()

    distractor = Question.objects.get(type="matching").choices.get(match="1/1/2000")
    assert distractor.text == ""
    version = QuestionVersion.objects.get(question__type="short_answer")
    assert version.data["wildcards"] is True
