"""Question banks belong to courses, as in Moodle: a category (with its questions) is in one
course's bank, or shared. A trainer reads and uses their courses' questions and the shared ones,
and changes only their courses'; shared questions are changed by administrators. Another course's
bank does not exist for them (404) on any screen: listing, edit, delete, history, usage, chooser,
import, export and quiz slots."""

import pytest
from django.urls import reverse

from quizzes.models import Question, QuestionCategory
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db

QUESTIONS = "wagtailsnippets_quizzes_question"
CATEGORIES = "wagtailsnippets_quizzes_questioncategory"
QUESTION_CHOOSER = "wagtailsnippetchoosers_quizzes_question"
CATEGORY_CHOOSER = "wagtailsnippetchoosers_quizzes_questioncategory"


def html(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage", "inspect"])
def test_another_courses_question_is_a_404_on_every_view(admin_world, client_as, view):
    url = reverse(f"{QUESTIONS}:{view}", args=[admin_world.theirs.question.pk])

    assert client_as("trainer").get(url).status_code == 404


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_another_courses_category_is_a_404_on_every_view(admin_world, client_as, view):
    url = reverse(f"{CATEGORIES}:{view}", args=[admin_world.theirs.category.pk])

    assert client_as("trainer").get(url).status_code == 404


def test_a_trainer_edits_their_courses_question(admin_world, client_as):
    url = reverse(f"{QUESTIONS}:edit", args=[admin_world.mine.question.pk])

    assert client_as("trainer").get(url).status_code == 200


def test_a_trainer_reads_a_shared_question_but_only_administrators_change_it(
    admin_world, client_as
):
    shared = admin_world.shared_question
    trainer = client_as("trainer")

    assert trainer.get(reverse(f"{QUESTIONS}:inspect", args=[shared.pk])).status_code == 200
    assert trainer.get(reverse(f"{QUESTIONS}:edit", args=[shared.pk])).status_code == 404
    assert trainer.get(reverse(f"{QUESTIONS}:delete", args=[shared.pk])).status_code == 404
    edit = reverse(f"{QUESTIONS}:edit", args=[shared.pk])
    assert client_as("admin").get(edit).status_code == 200


def test_the_bank_listing_shows_own_and_shared_questions_only(admin_world, client_as):
    response = client_as("trainer").get(reverse(f"{QUESTIONS}:list"))

    page = html(response)
    assert admin_world.mine.question.name in page
    assert admin_world.shared_question.name in page
    assert admin_world.theirs.question.name not in page
    assert admin_world.theirs.category.name not in page  # not even in the category filter


def test_the_category_listing_shows_own_and_shared_categories_only(admin_world, client_as):
    page = html(client_as("trainer").get(reverse(f"{CATEGORIES}:list")))

    assert admin_world.mine.category.name in page
    assert admin_world.shared_category.name in page
    assert admin_world.theirs.category.name not in page


@pytest.mark.parametrize(
    ("chooser", "attribute"),
    [(QUESTION_CHOOSER, "question"), (CATEGORY_CHOOSER, "category")],
)
def test_the_choosers_offer_own_and_shared_only(admin_world, client_as, chooser, attribute):
    client = client_as("trainer")
    mine = getattr(admin_world.mine, attribute)
    theirs = getattr(admin_world.theirs, attribute)

    page = client.get(reverse(f"{chooser}:choose")).json()["html"]

    assert mine.name in page
    assert theirs.name not in page
    assert client.get(reverse(f"{chooser}:chosen", args=[theirs.pk])).status_code == 404
    assert client.get(reverse(f"{chooser}:chosen", args=[mine.pk])).status_code == 200


def test_the_export_screen_offers_and_exports_own_and_shared_only(admin_world, client_as):
    client = client_as("trainer")
    theirs = admin_world.theirs

    form = html(client.get(reverse("quizzes_export")))
    by_category = client.get(
        reverse("quizzes_export_download", args=["gift"]), {"category": theirs.category.pk}
    )
    by_id = client.get(
        reverse("quizzes_export_download", args=["gift"]),
        {"id": [theirs.question.pk, admin_world.mine.question.pk]},
    )

    assert theirs.category.name not in form
    assert by_category.status_code == 404
    assert by_id.status_code == 200
    assert theirs.question.name not in by_id.content.decode()
    assert admin_world.mine.question.name in by_id.content.decode()


GIFT = b"$CATEGORY: Chuong 1\n\n::Thu do:: Thu do cua Viet Nam? {=Ha Noi ~Hue}\n"


def test_an_import_goes_into_the_chosen_courses_bank(admin_world, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as("trainer")
    form = html(client.get(reverse("quizzes_import")))
    assert admin_world.theirs.category.name not in form
    assert admin_world.theirs.course.title not in form

    upload = client.post(
        reverse("quizzes_import"),
        {
            "file": SimpleUploadedFile("q.gift", GIFT),
            "format": "gift",
            "course": admin_world.mine.course.pk,
            "new_category": "Ôn tập",
            "use_file_categories": "on",
        },
    )
    assert upload.status_code == 302, upload.context["form"].errors
    confirm = client.post(upload["Location"].replace("/import/", "/import/", 1) + "confirm/")

    assert confirm.status_code == 302
    category = QuestionCategory.objects.get(name="Chuong 1")
    assert category.course_id == admin_world.mine.course.pk
    assert Question.objects.filter(category=category, name="Thu do").exists()


def test_an_import_cannot_target_another_courses_bank_or_category(admin_world, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_as("trainer").post(
        reverse("quizzes_import"),
        {
            "file": SimpleUploadedFile("q.gift", GIFT),
            "format": "gift",
            "course": admin_world.theirs.course.pk,
            "category": admin_world.theirs.category.pk,
            "use_file_categories": "on",
        },
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"course", "category"}


def test_a_trainer_cannot_put_a_question_into_another_courses_category(admin_world, client_as):
    from tests.quizzes.test_admin import question_form

    data = question_form(
        admin_world.theirs.category,
        choices=[
            {"text": "Có", "is_correct": "on", "match": "", "feedback": ""},
            {"text": "Không", "match": "", "feedback": ""},
        ],
    )

    response = client_as("trainer").post(reverse(f"{QUESTIONS}:add"), data)

    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert not Question.objects.filter(name=data["name"]).exists()


def test_a_trainer_cannot_make_a_shared_category(admin_world, client_as):
    response = client_as("trainer").post(
        reverse(f"{CATEGORIES}:add"), {"name": "Chung", "description": "", "course": ""}
    )

    assert response.status_code == 200
    assert "course" in response.context["form"].errors


def test_categories_are_named_once_per_bank(admin_world):
    """Two courses may each have a "Chương 1"; one bank may not have two."""
    from django.core.exceptions import ValidationError

    name = admin_world.theirs.category.name
    twin = QuestionCategory(name=name, course=admin_world.mine.course)
    twin.full_clean()
    twin.save()
    with pytest.raises(ValidationError):
        QuestionCategory(name=name, course=admin_world.mine.course).full_clean()
    qf.CategoryFactory(name="Dùng chung 2", course=None)
    with pytest.raises(ValidationError):
        QuestionCategory(name="Dùng chung 2", course=None).full_clean()


# Quiz slots


def edit_form_data(form) -> dict:
    """What the admin's edit form would post for ``form`` unchanged (its formsets too)."""
    from django.forms import CheckboxInput

    data = {}
    for field in form:
        value = field.value()
        if isinstance(field.field.widget, CheckboxInput):
            if value:
                data[field.html_name] = "on"
            continue
        if value is None:
            continue
        if not isinstance(value, list):
            formatted = field.field.widget.format_value(value)  # e.g. rich text as the editor's
            value = value if isinstance(formatted, list) else formatted  # choices: the value
        data[field.html_name] = value if value is not None else ""
    for formset in getattr(form, "formsets", {}).values():
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for child in formset.forms:
            data.update(edit_form_data(child))
    return data


def quiz_form(world, user, **slot):
    from quizzes.models import QuizPage

    quiz = world.mine.quiz
    form_class = QuizPage.get_edit_handler().get_form_class()
    unbound = form_class(instance=quiz, parent_page=world.mine.course, for_user=user)
    data = edit_form_data(unbound)
    for name, value in slot.items():
        data[f"slots-0-{name}"] = value
    return form_class(data, instance=quiz, parent_page=world.mine.course, for_user=user)


def test_a_quiz_uses_its_courses_questions_and_shared_ones(admin_world):
    assert quiz_form(admin_world, admin_world.admin).is_valid()
    shared = quiz_form(admin_world, admin_world.admin, question=admin_world.shared_question.pk)
    assert shared.is_valid(), shared.errors


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_a_quiz_never_draws_on_another_courses_bank(admin_world, role):
    user = admin_world.user(role)
    theirs = admin_world.theirs

    by_question = quiz_form(admin_world, user, question=theirs.question.pk)
    by_category = quiz_form(admin_world, user, question="", category=theirs.category.pk)

    assert not by_question.is_valid()
    assert "question" in by_question.formsets["slots"].forms[0].errors
    assert not by_category.is_valid()
    assert "category" in by_category.formsets["slots"].forms[0].errors
