"""The LMS's REST API, in one include in the host's URLconf:

    path("api/lms/", include("courses.api.urls")),

One router and one namespace, ``lms_api:``. Courses' endpoints are registered here; quizzes and
certificates register theirs through the ``register_lms_api`` hook (a function given the router,
in their ``wagtail_hooks.py``; courses never imports them). Every endpoint also needs a row in the
role matrix of tests/api/test_permissions.py, which fails until it has one.
"""

from django.urls import path, re_path, register_converter
from rest_framework.routers import SimpleRouter
from wagtail import hooks

from courses.api import views
from courses.api.converters import IdConverter
from courses.api.errors import not_found
from courses.api.schema import SchemaView

app_name = "lms_api"

register_converter(IdConverter, "lms_id")

router = SimpleRouter(use_regex_path=False)
router.register("courses", views.CourseAPIViewSet, basename="course")
router.register("enrolments", views.EnrollmentAPIViewSet, basename="enrolment")
router.register("items", views.ItemAPIViewSet, basename="item")
router.register("cohorts", views.CohortAPIViewSet, basename="cohort")
for register in hooks.get_hooks("register_lms_api"):
    register(router)

urlpatterns = [
    *router.urls,
    path("schema/", SchemaView.as_view(), name="schema"),
    re_path(r"", not_found),  # anything else here: a JSON 404, not the host's page
]
