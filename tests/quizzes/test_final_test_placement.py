"""A lesson or quiz added to a course lands before its final test, which stays last."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import ModulePage
from quizzes.services.authoring import place_before_final_test
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db


def titles(course) -> list[str]:
    return [page.title for page in course.get_children().order_by("path")]


def test_a_lesson_added_in_the_editor_lands_before_the_final_test(admin_client):
    course = factories.course(modules=1)
    qf.quiz(course, title="Bài kiểm tra cuối khóa", is_final_test=True)
    url = reverse("wagtailadmin_pages:add", args=["courses", "modulepage", course.pk])
    form = admin_client.get(url).context["form"]
    data = nested_form_data(
        {
            **{name: field.initial for name, field in form.fields.items() if field.initial},
            "title": "Bài 2: Chuyển đổi số",
            "slug": "bai-2",
            "summary": "",
            "body": streamfield([("paragraph", rich_text("<p>Nội dung</p>"))]),
            "is_required": "on",
        }
    )
    data.pop("comment_notifications", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert titles(course)[-2:] == ["Bài 2: Chuyển đổi số", "Bài kiểm tra cuối khóa"]


def test_a_quiz_added_after_the_final_test_moves_before_it_and_a_second_final_stays(admin_user):
    course = factories.course(modules=1)
    qf.quiz(course, title="Cuối khóa", is_final_test=True)
    late = qf.quiz(course, title="Kiểm tra bài 1", slug="late")
    assert place_before_final_test(page=late, user=admin_user)
    assert titles(course)[-2:] == ["Kiểm tra bài 1", "Cuối khóa"]
    assert not place_before_final_test(page=late, user=admin_user)  # already before it


def test_without_a_final_test_new_items_go_last_as_wagtail_puts_them(admin_user):
    course = factories.course(modules=1)
    qf.quiz(course, title="Kiểm tra bài 1")
    module = factories.module(course, title="Bài 2")
    assert not place_before_final_test(page=module, user=admin_user)
    assert titles(course)[-1] == "Bài 2"
    assert isinstance(course.get_children().last().specific, ModulePage)
