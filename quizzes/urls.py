"""Quiz attempt pages, mounted by ``courses.urls`` (the ``register_lms_urls`` hook)."""

from django.urls import path

from quizzes.views import attempts

app_name = "quizzes"

urlpatterns = [
    path("quizzes/<int:quiz_id>/start/", attempts.start, name="start"),
    path("attempts/<int:attempt_id>/", attempts.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/save/", attempts.save, name="save"),
    path("attempts/<int:attempt_id>/summary/", attempts.summary, name="summary"),
    path("attempts/<int:attempt_id>/submit/", attempts.submit, name="submit"),
    path("attempts/<int:attempt_id>/review/", attempts.review, name="review"),
]
