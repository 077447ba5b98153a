from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("learn/certificates/", views.mine, name="mine"),
    path("learn/certificates/<int:certificate_id>/pdf/", views.download, name="download"),
    path("verify/", views.verify, name="verify"),
    path("verify/file/", views.verify_file, name="verify_file"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
]
