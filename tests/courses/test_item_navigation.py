"""Every course item page (a module, a quiz) ends with the same pager and the same panel of
progress and outline (courses/includes/pager.html and item_aside.html)."""

import re

import pytest

from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db


def links(html: str, rel: str) -> list[str]:
    return re.findall(rf'<a class="button button--secondary" href="([^"]+)" rel="{rel}">', html)


@pytest.fixture
def course_items(client):
    course = factories.course(modules=1)
    first = course.get_children().specific().get()
    quiz = qf.quiz(course, questions=[qf.question()])
    last = factories.module(course)
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return course, first, quiz, last


def test_a_quiz_page_and_the_module_pages_around_it_lead_to_each_other(client, course_items):
    course, first, quiz, last = course_items
    pages = {page: client.get(page.url).content.decode() for page in (first, quiz, last)}

    assert (links(pages[first], "prev"), links(pages[first], "next")) == ([], [quiz.url])
    assert (links(pages[quiz], "prev"), links(pages[quiz], "next")) == ([first.url], [last.url])
    assert (links(pages[last], "prev"), links(pages[last], "next")) == ([quiz.url], [])
    assert f'href="{course.url}">Back to the course</a>' in pages[last]


def test_every_item_page_shows_the_delegates_progress_and_the_outline(client, course_items):
    _course, first, quiz, _last = course_items
    for page in (first, quiz):
        html = client.get(page.url).content.decode()
        aside = html[html.index('<aside class="layout__aside">') :]
        assert "Your progress" in aside and '<ol class="outline">' in aside
        assert "Preview: you are not enrolled" not in aside
