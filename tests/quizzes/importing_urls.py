"""The project's URLs plus the question import and export screens under /admin/quizzes/,
wrapped the way Wagtail wraps ``register_admin_urls`` patterns, so the tests do not depend on
the hook wiring."""

from django.urls import include, path
from wagtail.admin.auth import require_admin_access
from wagtail.utils.urlpatterns import decorate_urlpatterns

from lms.urls import urlpatterns as project_urlpatterns
from quizzes.admin_urls import importing_urlpatterns

urlpatterns = [
    path(
        "admin/quizzes/",
        include(decorate_urlpatterns(importing_urlpatterns(), require_admin_access)),
    ),
    *project_urlpatterns,
]
