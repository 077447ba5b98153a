"""Thin reads the API needs beside ``courses.selectors``; no rules of their own."""

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Left, Length
from wagtail.models import Page

from courses.models import Enrollment


def enrolled_course_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Enrollment.objects.filter(user=user).values_list("course_id", flat=True))


def with_course_pk(items: QuerySet) -> QuerySet:
    """Course items annotated with ``course_pk``, the id of their course (the parent page)."""
    parent = Page.objects.filter(
        path=Left(OuterRef("path"), Length(OuterRef("path")) - Page.steplen)
    ).values("pk")[:1]
    return items.annotate(course_pk=Subquery(parent))
