from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls


class APIDocsView(SpectacularSwaggerSplitView):
    """Swagger UI under the site's Content-Security-Policy: its start-up script is served from
    this URL (``?script``) instead of inline, and its inline style carries the nonce."""

    template_name = "lms/swagger_ui.html"


urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    # The LMS, as the README tells a host to add it: its pages and its API.
    path("learn/", include("courses.urls")),
    path(
        "api/v1/docs/",
        APIDocsView.as_view(url_name="lms_api:schema", permission_classes=[AllowAny]),
        name="api_docs",
    ),
    path("api/v1/", include("courses.api.urls")),
    # Certificates printed before verification moved under /learn/ carry /verify/<code>/.
    re_path(r"^verify/(?P<rest>.*)$", RedirectView.as_view(url="/learn/verify/%(rest)s")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
