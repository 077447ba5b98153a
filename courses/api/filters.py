"""Query filters of the courses API (django-filter). Invalid values are answered with 400."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema_field

from courses.api.converters import ID_SCHEMA, MAX_ID
from courses.models import Cohort, CoursePage, Enrollment
from courses.text import collapse_spaces, nfc


class IdField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_ID, **kwargs)


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.Filter):
    """An object's id: a whole number (``NumberFilter`` would accept ``1.5``) that fits the
    database."""

    field_class = IdField


class StrictNullBooleanField(forms.NullBooleanField):
    """``true``/``false`` (or ``1``/``0``); anything else is invalid, not silently ignored."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "True", "1"):
            return True
        if value in ("false", "False", "0"):
            return False
        raise forms.ValidationError("invalid", code="invalid")

    def validate(self, value):
        pass


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictNullBooleanField


class CourseFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(
        method="with_code", help_text=_("The course code, e.g. TTĐN; case does not matter.")
    )
    search = django_filters.CharFilter(
        method="search_title", help_text=_("Words in the course title.")
    )

    class Meta:
        model = CoursePage
        fields = ["code", "search"]

    def with_code(self, queryset, name, value):
        # Not ``iexact``: SQLite folds the case of ASCII letters only, and codes have Đ.
        code = nfc(value).strip()
        return queryset.filter(Q(code=code) | Q(code=code.upper()))

    def search_title(self, queryset, name, value):
        return queryset.filter(title__icontains=collapse_spaces(value))


class EnrollmentFilterSet(django_filters.FilterSet):
    course = IdFilter(field_name="course", help_text=_("Course id."))
    completed = BooleanFilter(
        field_name="completed_at",
        lookup_expr="isnull",
        exclude=True,
        help_text=_("True: completed courses only; false: those still in progress."),
    )

    class Meta:
        model = Enrollment
        fields = ["course", "completed"]


class CohortFilterSet(django_filters.FilterSet):
    course = IdFilter(field_name="course", help_text=_("Course id."))

    class Meta:
        model = Cohort
        fields = ["course"]


def filtered(filterset_class, data, queryset, **kwargs):
    """Apply a filter set outside a list view (in an action), with the same 400 on invalid
    values as ``DjangoFilterBackend``."""
    filterset = filterset_class(data, queryset=queryset, **kwargs)
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset
