"""Query filters of the quizzes API (django-filter). Invalid values are answered with 400."""

import django_filters
from django.utils.translation import gettext_lazy as _

from courses.api.toolkit import BooleanFilter, IdFilter
from quizzes.models import Attempt, QuizPage


class QuizFilterSet(django_filters.FilterSet):
    course = IdFilter(method="in_course", help_text=_("Course id."))

    class Meta:
        model = QuizPage
        fields = ["course"]

    def in_course(self, queryset, name, value):
        return queryset.filter(course_pk=value)


class AttemptFilterSet(django_filters.FilterSet):
    quiz = IdFilter(field_name="quiz", help_text=_("Quiz id."))
    state = django_filters.ChoiceFilter(choices=Attempt.State.choices)

    class Meta:
        model = Attempt
        fields = ["quiz", "state"]


class DelegateAttemptFilterSet(AttemptFilterSet):
    cohort = IdFilter(field_name="enrollment__cohort", help_text=_("Cohort id."))
    province = IdFilter(
        field_name="enrollment__province", help_text=_("Province id (at enrolment).")
    )
    user = IdFilter(field_name="user", help_text=_("The delegate's user id."))
    passed = BooleanFilter()

    class Meta:
        model = Attempt
        fields = ["quiz", "cohort", "province", "state", "passed", "user"]
