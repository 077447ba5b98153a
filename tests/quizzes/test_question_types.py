"""The question editor per type: only the fields the chosen type uses are shown, the others are
ignored by the server (with or without the script that hides them)."""

import re

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from quizzes.models import Question
from quizzes.question_types import CHOICE_FIELD_TYPES, QUESTION_FIELD_TYPES, without_unused_fields
from quizzes.scoring import QuestionType
from tests.quizzes import factories as qf


def posted(kind: str, choices: list[dict], **fields) -> dict:
    return nested_form_data(
        {
            "category": fields.pop("category", 1),
            "type": kind,
            "name": "Câu hỏi",
            "text": rich_text("<p>Nội dung?</p>"),
            "marks": "1",
            "general_feedback": "",
            **fields,
            "choices": inline_formset(choices),
        }
    )


# Pure: which posted fields count


def test_a_numerical_question_ignores_shuffle_and_every_choice_field_but_its_own():
    data = posted(
        "numerical",
        [{"text": "3,5", "is_correct": "on", "tolerance": "0.1", "match": "x", "feedback": "F"}],
        shuffle_choices="on",
        case_sensitive="on",
    )
    cleaned = without_unused_fields(data)
    assert "shuffle_choices" not in cleaned
    assert "case_sensitive" not in cleaned
    assert cleaned["choices-0-tolerance"] == "0.1"
    assert cleaned["choices-0-is_correct"] == "on"
    assert cleaned["choices-0-feedback"] == "F"
    assert cleaned["choices-0-match"] == ""


def test_an_essay_drops_every_choice():
    data = posted("essay", [{"text": "A", "is_correct": "on"}, {"text": "B"}])
    cleaned = without_unused_fields(data)
    assert cleaned["choices-0-DELETE"] == "on"
    assert cleaned["choices-1-DELETE"] == "on"


def test_matching_pairs_are_all_part_of_the_key_but_a_blank_new_row_stays_blank():
    data = posted("matching", [{"text": "Hà Nội", "match": "Thủ đô"}, {"text": "", "match": ""}])
    cleaned = without_unused_fields(data)
    assert cleaned["choices-0-is_correct"] == "on"
    assert "choices-1-is_correct" not in cleaned


def test_data_without_a_known_type_is_left_to_fail_as_it_is():
    data = {"type": "poetry", "shuffle_choices": "on"}
    assert without_unused_fields(data) == data


@given(st.sampled_from(list(QuestionType)))
def test_every_type_uses_the_text_of_its_choices_or_has_none(kind):
    has_choices = kind in QUESTION_FIELD_TYPES["choices"]
    assert (kind in CHOICE_FIELD_TYPES["text"]) == has_choices
    assert kind != QuestionType.ESSAY or not has_choices


# The editor


@pytest.mark.django_db
def test_the_editor_names_the_types_of_each_panel_and_loads_its_script(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("wagtailsnippets_quizzes_question:add")).content.decode()
    assert "quizzes/question_form.js" in page
    assert "data-question-type-select" in page
    assert 'data-question-types="numerical"' in page  # the tolerance
    assert 'data-question-types="matching"' in page  # the match
    # Without a type chosen yet, a new question starts as single choice.
    assert re.search(r'<option value="single" selected>', page)


@pytest.mark.django_db
def test_an_essay_posted_with_leftover_choices_is_saved_without_them(client, admin_user):
    client.force_login(admin_user)
    category = qf.CategoryFactory()
    data = posted(
        "essay",
        [{"text": "Còn sót", "is_correct": "on"}, {"text": "", "tolerance": "x"}],
        category=category.pk,
        shuffle_choices="on",
        all_or_nothing="on",
    )
    response = client.post(reverse("wagtailsnippets_quizzes_question:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    question = Question.objects.get()
    assert question.type == "essay"
    assert not question.choices.exists()
    assert not question.shuffle_choices
    assert not question.all_or_nothing


@pytest.mark.django_db
def test_a_numerical_question_saves_without_shuffle_and_ignores_a_bad_hidden_credit(
    client, admin_user
):
    client.force_login(admin_user)
    category = qf.CategoryFactory()
    data = posted(
        "numerical",
        [{"text": "1,5", "is_correct": "on", "tolerance": "0.05", "match": "không dùng"}],
        category=category.pk,
        shuffle_choices="on",
    )
    response = client.post(reverse("wagtailsnippets_quizzes_question:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    question = Question.objects.get()
    assert not question.shuffle_choices
    choice = question.choices.get()
    assert choice.match == ""
    assert str(choice.tolerance) == "0.0500"


@pytest.mark.django_db
def test_a_matching_question_needs_no_ticks(client, admin_user):
    client.force_login(admin_user)
    category = qf.CategoryFactory()
    data = posted(
        "matching",
        [
            {"text": "Hà Nội", "match": "Thủ đô", "credit_percent": "abc"},
            {"text": "Huế", "match": "Cố đô"},
        ],
        category=category.pk,
    )
    response = client.post(reverse("wagtailsnippets_quizzes_question:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert set(Question.objects.get().choices.values_list("is_correct", flat=True)) == {True}
