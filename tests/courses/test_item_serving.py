"""Course items are served through one path (``CourseItem.serve`` → ``get_context`` →
``get_item_context``), as Wagtail's form pages are, with nothing passed on the request."""

import pytest
from django.test import RequestFactory

from courses.models import CourseItem, ModulePage
from quizzes.models import QuizPage
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return factories.course(modules=2)


@pytest.fixture
def quiz(course):
    return qf.quiz(course, questions=[qf.question("single")])


@pytest.fixture
def enrolled_client(client, course):
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)
    client.force_login(user)
    return client


def lms_attributes(request) -> set[str]:
    return {name for name in vars(request) if name.startswith("lms_")}


def test_every_course_item_type_is_served_by_the_one_serve_path():
    for model in (ModulePage, QuizPage):
        assert model.serve is CourseItem.serve
        assert model.get_context is CourseItem.get_context


def test_a_module_page_is_served_with_its_outline_and_leaves_nothing_on_the_request(
    enrolled_client, course
):
    module = course.get_children().order_by("path").first().specific
    response = enrolled_client.get(module.url)

    assert response.status_code == 200
    assert response.context["outline"].course.pk == course.pk
    assert response.context["outline"].enrollment is not None
    assert lms_attributes(response.wsgi_request) == set()


def test_a_quiz_page_adds_its_status_through_the_item_hook(enrolled_client, quiz):
    response = enrolled_client.get(quiz.url)

    assert response.status_code == 200
    assert response.context["question_count"] == 1
    assert response.context["status"] is not None
    assert response.context["outline"].enrollment is not None
    assert lms_attributes(response.wsgi_request) == set()


def test_a_preview_builds_the_same_context_without_serve(admin_user, quiz):
    request = RequestFactory().get("/")
    request.user = admin_user
    context = quiz.get_preview_context(request, "")

    assert context["outline"].enrollment is None
    assert [entry.is_current for entry in context["outline"].entries].count(True) == 1
    assert context["question_count"] == 1
