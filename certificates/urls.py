"""Certificate pages, mounted by ``courses.urls`` (the ``register_lms_urls`` hook)."""

from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("certificates/", views.mine, name="mine"),
    path("certificates/<int:certificate_id>/pdf/", views.download, name="download"),
    path("verify/", views.verify, name="verify"),
    path("verify/file/", views.verify_file, name="verify_file"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
]
