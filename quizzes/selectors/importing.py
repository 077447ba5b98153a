"""Reads for the question import screens: the banks and categories a user may import into."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from courses.compat import permission_policy_for
from courses.models import CoursePage
from quizzes.models import Question, QuestionCategory


def category_policy():
    return permission_policy_for(QuestionCategory)


def import_reach(user):
    """The banks ``user`` may add questions to (``quizzes.permissions``)."""
    return permission_policy_for(Question).reach(user, "add")


def banks_for(user) -> tuple[QuerySet[CoursePage], bool]:
    """The courses whose banks ``user`` may import into, and whether the shared bank too."""
    reach = import_reach(user)
    courses = CoursePage.objects.order_by("title")
    if reach.owners is not None:
        courses = courses.filter(pk__in=sorted(reach.owners))
    return courses, reach.unowned


def categories_for(user) -> QuerySet[QuestionCategory]:
    """The categories of the banks ``user`` may import into."""
    categories = QuestionCategory.objects.select_related("course")
    condition = category_policy().condition(import_reach(user))
    return categories if condition is None else categories.filter(condition)


def bank_label(course_id: int | None) -> str:
    course = CoursePage.objects.filter(pk=course_id).first() if course_id else None
    return course.title if course else _("Shared bank (every course)")
