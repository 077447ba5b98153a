"""The one REST API router, mounted at /api/v1/ by lms/urls.py.

Each app's viewsets live in ``<app>/api/views.py``; an endpoint is one ``register`` line here (and
one row of the role matrix in tests/api/test_permissions.py, which fails until it has one).
"""

from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from certificates.api import views as certificates
from courses.api import views as courses
from courses.api.converters import IdConverter
from courses.api.errors import not_found
from quizzes.api import views as quizzes

app_name = "api"

register_converter(IdConverter, "id")

router = SimpleRouter(use_regex_path=False)
router.register("courses", courses.CourseAPIViewSet, basename="course")
router.register("enrolments", courses.EnrollmentAPIViewSet, basename="enrolment")
router.register("items", courses.ItemAPIViewSet, basename="item")
router.register("cohorts", courses.CohortAPIViewSet, basename="cohort")
router.register("quizzes", quizzes.QuizAPIViewSet, basename="quiz")
router.register("attempts", quizzes.AttemptAPIViewSet, basename="attempt")
router.register("delegate-attempts", quizzes.DelegateAttemptAPIViewSet, basename="delegate-attempt")
router.register("quiz-statistics", quizzes.QuizStatisticsAPIViewSet, basename="quiz-statistics")
router.register("my-certificates", certificates.MyCertificateAPIViewSet, basename="my-certificate")
router.register("verifications", certificates.VerificationAPIViewSet, basename="verification")
router.register("certificates", certificates.CertificateAPIViewSet, basename="certificate")
router.register("certificate-zips", certificates.BulkDownloadAPIViewSet, basename="certificate-zip")


class APIDocsView(SpectacularSwaggerSplitView):
    """Swagger UI under the site's Content-Security-Policy: its start-up script is served from
    this URL (``?script``) instead of inline, and its inline style carries the nonce."""

    template_name = "lms/swagger_ui.html"


urlpatterns = [
    *router.urls,
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "docs/",
        APIDocsView.as_view(url_name="api:schema", permission_classes=[AllowAny]),
        name="docs",
    ),
    re_path(r"", not_found),  # anything else under /api/v1/: a JSON 404, not the site's page
]
