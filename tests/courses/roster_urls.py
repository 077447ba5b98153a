"""The project's URLs plus the roster screens under /admin/, wrapped the way Wagtail wraps
``register_admin_urls`` patterns, so the roster tests do not depend on the hook wiring."""

from django.urls import include, path
from wagtail.admin.auth import require_admin_access
from wagtail.utils.urlpatterns import decorate_urlpatterns

from courses.views.roster import roster_urlpatterns
from lms.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("admin/", include(decorate_urlpatterns(roster_urlpatterns(), require_admin_access))),
    *project_urlpatterns,
]
