"""Certificate pages, mounted by ``courses.urls`` (the ``register_lms_urls`` hook)."""

from django.urls import path

from certificates.badges import views as badge_views
from certificates.views import site

app_name = "certificates"

urlpatterns = [
    path("certificates/", site.mine, name="mine"),
    path("certificates/<int:certificate_id>/pdf/", site.download, name="download"),
    path("verify/", site.verify, name="verify"),
    path("verify/file/", site.verify_file, name="verify_file"),
    path("verify/<str:code>/", site.verify_code, name="verify_code"),
    # Open Badges 3.0 (certificates.badges)
    path(
        "certificates/<int:certificate_id>/badge.<str:badge_format>",
        badge_views.download,
        name="badge_download",
    ),
    path("certificates/<int:certificate_id>/renew/", badge_views.renew, name="renew"),
    path("badges/issuer/did.json", badge_views.issuer, name="badge_issuer"),
    path("badges/status/<int:list_number>/", badge_views.status_list, name="badge_status_list"),
    path("badges/<str:code>/", badge_views.public, name="badge_public"),
]
