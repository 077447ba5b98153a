"""A host's URLconf that forgot the LMS's include (tests/courses/test_checks.py)."""

from django.urls import include, path
from wagtail import urls as wagtail_urls

urlpatterns = [path("", include(wagtail_urls))]
