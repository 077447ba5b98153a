"""Building a quiz fast: many questions of a filtered bank added at once, as a draft."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses import services as course_services
from courses.conf import lms_settings
from quizzes.models import QuizPage
from quizzes.services.authoring import add_questions_to_quiz
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db


def trainer_of(course):
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name=lms_settings.TRAINERS_GROUP))
    factories.CohortFactory(course=course).trainers.add(user)
    course_services.sync_course_trainers(course=course)  # page rights on the course
    return user


def add_url(quiz) -> str:
    return reverse("quizzes_add_questions", args=[quiz.pk])


@pytest.fixture
def bank(db):
    course = factories.course()
    chapter = qf.CategoryFactory(name="Chương 1", course=course)
    first = qf.question("single", category=chapter, name="Ngày ban hành")
    quiz = qf.quiz(course, questions=[first])
    essay = qf.question("essay", category=chapter, name="Nêu ý nghĩa", marks=Decimal(2))
    numerical = qf.question("numerical", category=chapter, name="Bao nhiêu tỉnh")
    numerical.tags.add("dễ")
    numerical.save()
    shared = qf.question("true_false", category=qf.CategoryFactory(name="Chung", course=None))
    foreign = qf.question(
        "single", category=qf.CategoryFactory(course=factories.course()), name="Khóa khác"
    )
    return {
        "course": course,
        "quiz": quiz,
        "first": first,
        "essay": essay,
        "numerical": numerical,
        "shared": shared,
        "foreign": foreign,
    }


def test_questions_are_appended_as_a_draft_and_the_live_quiz_is_unchanged(bank, admin_user):
    quiz = bank["quiz"]
    revision, added = add_questions_to_quiz(
        quiz=quiz, questions=[bank["essay"], bank["first"], bank["shared"]], user=admin_user
    )
    assert added == [bank["essay"], bank["shared"]]  # the first is in the quiz already
    draft = revision.as_object()
    assert [slot.question_id for slot in draft.slots.all()] == [
        bank["first"].pk,
        bank["essay"].pk,
        bank["shared"].pk,
    ]
    live = QuizPage.objects.get(pk=quiz.pk)
    assert live.slots.count() == 1
    assert live.has_unpublished_changes
    again, none = add_questions_to_quiz(quiz=quiz, questions=[bank["essay"]], user=admin_user)
    assert again is None and none == []


def test_a_trainer_filters_the_bank_and_adds_many_questions_in_one_go(client, bank):
    trainer = trainer_of(bank["course"])
    client.force_login(trainer)
    page = client.get(add_url(bank["quiz"]))
    assert page.status_code == 200
    listed = {q.pk for q in page.context["page_obj"].object_list}
    assert listed == {
        bank["first"].pk,
        bank["essay"].pk,
        bank["numerical"].pk,
        bank["shared"].pk,
    }  # never another course's question
    by_type = client.get(add_url(bank["quiz"]), {"type": "essay"}).context["page_obj"]
    assert [q.pk for q in by_type.object_list] == [bank["essay"].pk]
    tag = bank["numerical"].tags.get().slug
    by_tag = client.get(add_url(bank["quiz"]), {"tag": tag}).context["page_obj"]
    assert [q.pk for q in by_tag.object_list] == [bank["numerical"].pk]
    by_text = client.get(add_url(bank["quiz"]), {"q": "tỉnh"}).context["page_obj"]
    assert [q.pk for q in by_text.object_list] == [bank["numerical"].pk]

    response = client.post(
        add_url(bank["quiz"]),
        {"question": [bank["numerical"].pk, bank["essay"].pk, bank["foreign"].pk]},
    )
    assert response.status_code == 302
    draft = QuizPage.objects.get(pk=bank["quiz"].pk).get_latest_revision_as_object()
    assert [slot.question_id for slot in draft.slots.all()] == [
        bank["first"].pk,
        bank["numerical"].pk,
        bank["essay"].pk,
    ]
    slots = client.get(add_url(bank["quiz"])).context["slots"]
    assert [slot.listed_question.type for slot in slots] == ["single", "numerical", "essay"]


def test_another_courses_trainer_gets_a_404(client, bank):
    client.force_login(trainer_of(factories.course()))
    assert client.get(add_url(bank["quiz"])).status_code == 404
    assert client.post(add_url(bank["quiz"]), {"question": [bank["essay"].pk]}).status_code == 404


def test_nothing_ticked_changes_nothing(admin_client, bank):
    response = admin_client.post(add_url(bank["quiz"]), {"question": ["x"]})
    assert response.status_code == 302
    assert not QuizPage.objects.get(pk=bank["quiz"].pk).has_unpublished_changes


def test_the_bank_listing_reads_a_bounded_number_of_queries(
    admin_client, bank, django_assert_max_num_queries
):
    category = qf.CategoryFactory(name="Nhiều", course=bank["course"])
    for number in range(30):
        question = qf.question("single", category=category, name=f"Câu {number}")
        question.tags.add("ôn tập", f"chủ đề {number % 3}")
        question.save()
    with django_assert_max_num_queries(40):
        page = admin_client.get(add_url(bank["quiz"]))
    assert len(page.context["page_obj"].object_list) == 34


def test_the_question_chooser_shows_type_and_marks(admin_client, bank):
    url = reverse("wagtailsnippetchoosers_quizzes_question:chosen", args=[bank["essay"].pk])
    data = admin_client.get(url).json()
    assert "Nêu ý nghĩa" in data["result"]["string"]
    assert "2" in data["result"]["string"]


def test_the_bank_listing_filters_by_tag(admin_client, bank):
    tag = bank["numerical"].tags.get()
    listing = admin_client.get(
        reverse("wagtailsnippets_quizzes_question:list"), {"tags": tag.pk}
    ).content.decode()
    assert "Bao nhiêu tỉnh" in listing
    assert "Nêu ý nghĩa" not in listing


def test_the_quiz_editor_links_to_the_bank_builder(admin_client, bank):
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[bank["quiz"].pk]))
    assert add_url(bank["quiz"]) in edit.content.decode()
