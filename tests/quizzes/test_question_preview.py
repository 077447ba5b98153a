"""Trying a question from the bank as a delegate would, without an attempt."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.conf import lms_settings
from quizzes.models import Attempt, Choice, QuestionVersion, Response
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db


def preview_url(question) -> str:
    return reverse("wagtailsnippets_quizzes_question:preview_question", args=[question.pk])


def trainer_of(course):
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name=lms_settings.TRAINERS_GROUP))
    factories.CohortFactory(course=course).trainers.add(user)
    return user


@pytest.fixture
def single(db):
    question = qf.question(
        "single",
        choices=[
            {"text": "15/6/2023", "is_correct": True, "feedback": "Chính xác: ngày ký."},
            {"text": "14/2/2012", "feedback": "Đây là Kết luận 16-KL/TW."},
        ],
        general_feedback="Xem lại phần 1 của bài học.",
    )
    return question


def test_the_delegate_view_shows_the_choices_without_giving_the_key_away(admin_client, single):
    page = admin_client.get(preview_url(single)).content.decode()
    assert 'class="lms lms-page question-preview"' in page
    assert "15/6/2023" in page and "14/2/2012" in page
    assert "Chính xác: ngày ký." not in page  # no feedback before answering
    assert "data-preview-result" not in page


def test_a_right_answer_scores_full_marks_and_shows_its_feedback_without_an_attempt(
    admin_client, single
):
    right = single.choices.get(is_correct=True)
    versions_before = QuestionVersion.objects.count()
    response = admin_client.post(preview_url(single), {"q0": str(right.pk)})
    assert response.status_code == 200
    result = response.context["result"]
    assert result.outcome == "correct"
    assert result.earned == Decimal("1.00")
    assert result.feedback == ["Chính xác: ngày ký.", "Xem lại phần 1 của bài học."]
    page = response.content.decode()
    assert "data-preview-result" in page and "Chính xác: ngày ký." in page
    assert f'value="{right.pk}" checked' in page  # the answer stays on the page
    assert not Attempt.objects.exists() and not Response.objects.exists()
    assert QuestionVersion.objects.count() == versions_before


def test_a_wrong_choice_shows_that_choices_feedback(admin_client, single):
    wrong = single.choices.get(is_correct=False)
    result = admin_client.post(preview_url(single), {"q0": str(wrong.pk)}).context["result"]
    assert result.outcome == "incorrect"
    assert result.earned == Decimal("0.00")
    assert result.feedback[0] == "Đây là Kết luận 16-KL/TW."


def test_an_answer_no_form_could_send_is_refused_with_a_message(admin_client, single):
    response = admin_client.post(preview_url(single), {"q0": "999999"})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert response.context["error"]


def test_a_numerical_answer_with_a_vietnamese_decimal_comma_is_read_as_in_an_attempt(
    admin_client,
):
    question = qf.question(
        "numerical", choices=[{"text": "3.5", "is_correct": True, "tolerance": Decimal(0)}]
    )
    result = admin_client.post(preview_url(question), {"q0": "3,5"}).context["result"]
    assert result.outcome == "correct"


def test_matching_is_scored_pair_by_pair(admin_client):
    question = qf.question("matching")
    pairs = list(question.choices.order_by("sort_order"))
    post = {f"q0-{pairs[0].pk}": pairs[0].match, f"q0-{pairs[1].pk}": pairs[2].match}
    result = admin_client.post(preview_url(question), post).context["result"]
    assert result.outcome == "partial"
    assert result.earned == Decimal("0.33")


def test_an_essay_waits_for_a_trainer(admin_client):
    question = qf.question("essay", marks=Decimal(2))
    response = admin_client.post(preview_url(question), {"q0": "Quyền con người"})
    assert response.context["result"].outcome == "needs_grading"
    assert response.context["result"].earned is None


def test_a_trainer_previews_their_courses_and_shared_questions_but_not_another_courses(client):
    course, other = factories.course(), factories.course()
    trainer = trainer_of(course)
    own = qf.question("single", category=qf.CategoryFactory(course=course))
    shared = qf.question("single", category=qf.CategoryFactory(course=None))
    foreign = qf.question("single", category=qf.CategoryFactory(course=other))
    client.force_login(trainer)
    assert client.get(preview_url(own)).status_code == 200
    assert client.get(preview_url(shared)).status_code == 200
    assert client.get(preview_url(foreign)).status_code == 404
    assert client.post(preview_url(foreign), {"q0": "1"}).status_code == 404


def test_the_bank_and_the_editor_link_to_the_preview(admin_client, single):
    listing = admin_client.get(reverse("wagtailsnippets_quizzes_question:list")).content.decode()
    assert preview_url(single) in listing
    edit = admin_client.get(reverse("wagtailsnippets_quizzes_question:edit", args=[single.pk]))
    assert preview_url(single) in edit.content.decode()


def test_choices_keep_their_order_between_showing_and_answering(admin_client):
    question = qf.question("ordering")
    first = admin_client.get(preview_url(question)).context["question"].view["choices"]
    again = admin_client.post(preview_url(question), {}).context["question"].view["choices"]
    assert first == again
    assert [c["id"] for c in first] != list(
        Choice.objects.filter(question=question).order_by("sort_order").values_list("pk", flat=True)
    )
