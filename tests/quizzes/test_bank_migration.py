"""The migration that puts existing categories into banks: a category used by the quizzes of one
course goes into that course's bank; one used by several courses, or by none, stays shared."""

import importlib

import pytest
from django.apps import apps

from quizzes.models import QuizSlot
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db

migration = importlib.import_module("quizzes.migrations.0003_assign_question_categories_to_courses")


def test_categories_follow_the_one_course_that_uses_them():
    first, second = factories.course(), factories.course()
    only_first = qf.CategoryFactory(name="Chỉ khóa 1", course=None)
    drawn_by_first = qf.CategoryFactory(name="Rút ngẫu nhiên", course=None)
    both = qf.CategoryFactory(name="Cả hai khóa", course=None)
    unused = qf.CategoryFactory(name="Chưa dùng", course=None)
    quiz = qf.quiz(first, questions=[qf.question(category=only_first), qf.question(category=both)])
    qf.random_slot(quiz, drawn_by_first, 1)
    qf.quiz(second, questions=[qf.question(category=both)])

    migration.assign(apps, None)

    for category in (only_first, drawn_by_first, both, unused):
        category.refresh_from_db()
    assert only_first.course_id == first.pk
    assert drawn_by_first.course_id == first.pk
    assert both.course_id is None
    assert unused.course_id is None
    assert QuizSlot.objects.filter(quiz=quiz).count() == 3


def test_going_back_shares_every_category_again():
    category = qf.CategoryFactory(name="Của khóa", course=factories.course())

    migration.share_again(apps, None)

    category.refresh_from_db()
    assert category.course_id is None
