"""Essays to grade in the admin's look: filters by quiz and cohort, pages, marks typed with a
Vietnamese decimal comma or a point."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from courses.conf import lms_settings
from quizzes import services
from quizzes.admin_forms import GradeForm
from quizzes.views.grading import PER_PAGE
from tests import factories
from tests.quizzes import factories as qf


def trainer_of(*cohorts):
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name=lms_settings.TRAINERS_GROUP))
    for cohort in cohorts:
        cohort.trainers.add(user)
    return user


def submitted_essay(cohort, quiz, *, name="Nguyễn Văn An"):
    user = factories.delegate(full_name=name)
    factories.EnrollmentFactory(user=user, course=cohort.course, cohort=cohort)
    attempt = services.start_attempt(quiz=quiz, user=user)
    services.save_answers(attempt_id=attempt.pk, user=user, answers={0: f"Bài làm của {name}"})
    return services.submit_attempt(attempt_id=attempt.pk, user=user)


@pytest.mark.parametrize(
    ("typed", "grade"),
    [
        ("1,5", Decimal("1.5")),
        ("1.5", Decimal("1.5")),
        (" 2 ", Decimal(2)),
        ("0,25", Decimal("0.25")),
    ],
)
def test_marks_are_read_with_a_decimal_comma_or_a_point(typed, grade):
    form = GradeForm({"grade": typed}, marks=Decimal(2))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["grade"] == grade


@pytest.mark.parametrize("typed", ["abc", "2,5", "-1", "0,125"])
def test_impossible_marks_are_refused_with_a_message(typed):
    form = GradeForm({"grade": typed}, marks=Decimal(2))
    assert not form.is_valid()
    assert form.errors["grade"]


@given(st.decimals(min_value=0, max_value=10, places=2))
def test_a_grade_shown_back_reads_as_the_same_grade(value):
    form = GradeForm(marks=Decimal(10), initial={"grade": value})
    shown = form["grade"].value()
    shown = form.fields["grade"].prepare_value(shown)
    again = GradeForm({"grade": shown}, marks=Decimal(10))
    assert again.is_valid(), (shown, again.errors)
    assert again.cleaned_data["grade"] == value


@pytest.mark.django_db
def test_the_queue_has_the_admin_header_and_filters_by_quiz_and_cohort(client):
    course = factories.course()
    first, second = factories.CohortFactory(course=course), factories.CohortFactory(course=course)
    quiz = qf.quiz(course, questions=[qf.question("essay", marks=Decimal(2))])
    other_quiz = qf.quiz(course, questions=[qf.question("essay")], slug="quiz-2")
    submitted_essay(first, quiz, name="Trần Thị Bình")
    submitted_essay(second, quiz, name="Lê Văn Cường")
    submitted_essay(first, other_quiz, name="Phạm Minh Dũng")
    client.force_login(trainer_of(first, second))
    url = reverse("quizzes_grading_queue")

    page = client.get(url)
    html = page.content.decode()
    assert page.context["total"] == 3
    assert 'class="w-breadcrumbs' in html or "data-w-breadcrumbs" in html
    by_quiz = client.get(url, {"quiz": quiz.pk})
    assert by_quiz.context["total"] == 2
    by_cohort = client.get(url, {"quiz": quiz.pk, "cohort": second.pk})
    assert [
        row["response"].attempt.user.delegate_profile.full_name for row in by_cohort.context["rows"]
    ] == ["Lê Văn Cường"]


@pytest.mark.django_db
def test_the_queue_comes_a_page_at_a_time_in_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    cohort = factories.CohortFactory()
    quiz = qf.quiz(cohort.course, questions=[qf.question("essay", marks=Decimal(2))])
    for number in range(PER_PAGE + 3):
        submitted_essay(cohort, quiz, name=f"Học viên {number}")
    client.force_login(trainer_of(cohort))
    with django_assert_max_num_queries(25):
        first = client.get(reverse("quizzes_grading_queue"))
    assert len(first.context["rows"]) == PER_PAGE
    second = client.get(reverse("quizzes_grading_queue"), {"p": 2})
    assert len(second.context["rows"]) == 3


@pytest.mark.django_db
def test_a_grade_typed_with_a_comma_is_saved(client):
    cohort = factories.CohortFactory()
    quiz = qf.quiz(cohort.course, questions=[qf.question("essay", marks=Decimal(2))])
    attempt = submitted_essay(cohort, quiz)
    client.force_login(trainer_of(cohort))
    essay = attempt.responses.get()
    client.post(reverse("quizzes_grade", args=[essay.pk]), {f"r{essay.pk}-grade": "1,5"})
    essay.refresh_from_db()
    assert essay.manual_grade == Decimal("1.5")
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("75.00")


@pytest.mark.django_db
def test_the_responses_sheet_is_named_in_vietnamese(client):
    import io

    import openpyxl
    from django.utils import translation

    cohort = factories.CohortFactory()
    quiz = qf.quiz(cohort.course, questions=[qf.question("essay", marks=Decimal(2))])
    submitted_essay(cohort, quiz)
    client.force_login(trainer_of(cohort))
    xlsx = client.get(reverse("quizzes_responses_export", args=[quiz.pk, "xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.getvalue()))
    with translation.override("vi"):
        assert workbook.sheetnames == [translation.gettext("Responses")]
    assert workbook.sheetnames != ["Responses"]
