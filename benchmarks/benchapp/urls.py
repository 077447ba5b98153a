from django.urls import include, path

from benchmarks.benchapp import views

urlpatterns = [
    path("bench/ping/", views.ping, name="bench_ping"),
    path("bench/reference-write/", views.reference_write, name="bench_reference_write"),
    path("", include("lms.urls")),
]
