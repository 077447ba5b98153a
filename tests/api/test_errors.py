"""Errors: one JSON shape, stable codes, our own messages in the request's language."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from courses.api import errors
from courses.api.throttling import ScopedRateThrottle
from courses.models import Enrollment
from quizzes.models import Response

pytestmark = pytest.mark.django_db

NOT_AUTHENTICATED = "Sign in or send an API token to use this endpoint."
REQUIRED = "This value is required."


def in_vietnamese(msgid: str) -> str:
    """What the Vietnamese catalogue says (the msgid itself until a translator fills it in)."""
    with translation.override("vi"):
        return gettext(msgid)


def test_errors_are_in_vietnamese_by_default(client):
    response = client.get(reverse("lms_api:enrolment-list"))

    assert response.json() == {
        "code": "not_authenticated",
        "message": in_vietnamese(NOT_AUTHENTICATED),
    }


def test_errors_are_in_english_when_asked(client):
    response = client.get(reverse("lms_api:enrolment-list"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["message"] == NOT_AUTHENTICATED


def test_field_and_domain_errors_follow_the_language(world, login):
    client = login("delegate")
    url = reverse("lms_api:enrolment-join")

    missing_vi = client.post(url, {}, content_type="application/json").json()
    missing_en = client.post(
        url, {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    again_vi = client.post(
        url, {"code": world.cohort.enrolment_code}, content_type="application/json"
    ).json()
    again_en = client.post(
        url,
        {"code": world.cohort.enrolment_code},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()

    assert missing_vi["errors"] == {"code": [in_vietnamese(REQUIRED)]}
    assert missing_en["errors"] == {"code": [REQUIRED]}
    assert again_vi["message"] == in_vietnamese("You are already enrolled in this course.")
    assert again_en == {
        "code": "already_enrolled",
        "message": "You are already enrolled in this course.",
    }


def test_drf_never_speaks_to_clients(world, login):
    """Every field error message comes from our table, whatever DRF would have said."""
    response = login("delegate").post(
        reverse("lms_api:enrolment-join"),
        {"code": "X" * 65},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.json()["errors"] == {"code": ["This value is too long."]}
    ours = {str(message) for message in errors.FIELD_ERRORS.values()}
    assert set(response.json()["errors"]["code"]) <= ours


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/v1/courses/abc/", "/api/v1/courses/-1/", "/api/v1/"]
)
def test_unknown_addresses_under_the_api_are_json_404s(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Nothing was found at this address."}


def test_a_missing_object_is_a_json_404(world, login):
    response = login("delegate").get(reverse("lms_api:attempt-detail", args=[999_999_999]))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_wrong_method_is_a_json_405(world, login):
    response = login("delegate").put(
        reverse("lms_api:course-list"), {}, content_type="application/json"
    )

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_only_json_is_served(world, login):
    response = login("delegate").get(reverse("lms_api:course-list"), HTTP_ACCEPT="text/html")

    assert response.status_code == 406
    assert response.json()["code"] == "not_acceptable"


def test_an_invalid_page_is_a_json_404(world, login):
    response = login("delegate").get(reverse("lms_api:course-list"), {"page": 99})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_session_needs_the_csrf_token_to_write(world, login):
    client = login("delegate", enforce_csrf_checks=True)

    response = client.post(
        reverse("lms_api:attempt-save", args=[world.open_attempt.pk]),
        {"answers": {"1": "Huế"}},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not Response.objects.filter(attempt=world.open_attempt, answer="Huế").exists()


# Throttling

SLOW = {"API_THROTTLE_RATES": {"attempt_write": "3/minute", "enrolment_code": "2/hour"}}


@override_settings(LMS=SLOW)
def test_guessing_enrolment_codes_is_throttled(world, login):
    client = login("other_delegate")
    url = reverse("lms_api:enrolment-join")

    tries = [
        client.post(url, {"code": f"DOAN{n}"}, content_type="application/json") for n in range(3)
    ]
    real = client.post(url, {"code": world.cohort.enrolment_code}, content_type="application/json")

    assert [t.status_code for t in tries] == [400, 400, 429]
    assert tries[2].json()["code"] == "throttled"
    assert int(tries[2]["Retry-After"]) > 0
    assert real.status_code == 429
    assert not Enrollment.objects.filter(user=world.other_delegate, course=world.course).exists()


@override_settings(LMS=SLOW)
def test_attempt_writes_are_throttled_per_user(world, login):
    client = login("delegate")
    save = reverse("lms_api:attempt-save", args=[world.open_attempt.pk])
    body = {"answers": {"1": "Huế"}}

    statuses = [
        client.post(save, body, content_type="application/json").status_code for _ in range(3)
    ]
    submit = client.post(reverse("lms_api:attempt-submit", args=[world.open_attempt.pk]))
    someone_else = login("other_delegate").post(
        reverse("lms_api:quiz-start", args=[world.other_quiz.pk])
    )
    reads = client.get(reverse("lms_api:attempt-detail", args=[world.open_attempt.pk]))

    assert statuses == [200, 200, 200]
    assert submit.status_code == 429
    assert someone_else.status_code == 201
    assert reads.status_code == 200


def test_every_scope_has_a_default_rate():
    rates = ScopedRateThrottle().THROTTLE_RATES

    assert set(rates) == {
        "attempt_write",
        "enrolment_code",
        "signup",
        "certificate_verify",
        "password_reset",
    }
    assert all(rates.values())


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"page_size": "many"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"completed": "perhaps"}, "completed"),
        ({"course": "1.5"}, "course"),
        ({"course": str(10**19)}, "course"),
    ],
)
def test_query_values_that_make_no_sense_are_refused_not_ignored(world, login, query, field):
    response = login("delegate").get(reverse("lms_api:enrolment-list"), query)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert set(response.json()["errors"]) == {field}


def test_an_id_too_long_for_the_database_is_simply_not_found(world, login):
    response = login("hr").get(f"/api/v1/cohorts/{10**30}/progress/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
