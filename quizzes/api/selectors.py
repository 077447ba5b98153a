"""Thin reads the quizzes API needs beside ``quizzes.selectors``."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from courses.api.toolkit import with_course_pk
from courses.models import Enrollment
from quizzes.models import QuizPage
from quizzes.selectors import quizzes_visible_to


def quizzes_open_to(user: AbstractBaseUser) -> QuerySet[QuizPage]:
    """Live, public quizzes of the courses the user is enrolled in, and of those they follow as a
    trainer or HR (``quizzes_visible_to``), annotated with ``course_pk``."""
    condition = Q(pk__in=quizzes_visible_to(user).values("pk"))
    for path in Enrollment.objects.filter(user=user).values_list("course__path", flat=True):
        condition |= Q(path__startswith=path)
    return with_course_pk(QuizPage.objects.live().public().filter(condition))
