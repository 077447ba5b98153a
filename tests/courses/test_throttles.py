"""The HTML twins of throttled API endpoints count against the same budget: the enrolment-code
form, the quiz's autosave (and start and submit), and sign-up. Never a way round the API.
Asking for a password link, which sends mail, is bounded per address too."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from courses.models import Enrollment, Province, SignupRequest
from courses.throttling import ScopedRateThrottle
from quizzes import services as quiz_services
from quizzes.models import Response
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db

HALL = "203.0.113.10"


def rates(**scopes) -> dict:
    """The LMS settings with these throttle rates (the other scopes keep their defaults)."""
    return {**settings.LMS, "API_THROTTLE_RATES": scopes}


@pytest.fixture(autouse=True)
def _empty_throttle_cache():
    cache.clear()
    yield
    cache.clear()


def assert_throttled_page(response) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Có quá nhiều yêu cầu. Hãy thử lại sau" in response.content.decode()


# Joining a cohort by code


@override_settings(LMS=rates(enrolment_code="3/hour"))
def test_the_code_form_and_the_api_share_one_budget(delegate_client, delegate_user):
    """Found: the form took 60 guesses in 0.3 s while the API allowed 10 an hour."""
    cohort = factories.CohortFactory()
    join = reverse("courses:enrol_code")
    api_join = reverse("lms_api:enrolment-join")

    guesses = [delegate_client.post(join, {"code": f"DOAN{n}"}) for n in range(2)]
    api_guess = delegate_client.post(api_join, {"code": "DOAN9"}, content_type="application/json")
    form_again = delegate_client.post(join, {"code": cohort.enrolment_code})
    api_again = delegate_client.post(
        api_join, {"code": cohort.enrolment_code}, content_type="application/json"
    )

    assert [g.status_code for g in guesses] == [400, 400]
    assert api_guess.status_code == 400
    assert_throttled_page(form_again)
    assert api_again.status_code == 429
    assert not Enrollment.objects.filter(user=delegate_user).exists()
    assert delegate_client.get(join).status_code == 200  # reading the form is not counted


@override_settings(LMS=rates(enrolment_code="2/hour"))
def test_the_code_form_is_counted_per_delegate(delegate_client):
    cohort = factories.CohortFactory()
    for n in range(2):
        delegate_client.post(reverse("courses:enrol_code"), {"code": f"DOAN{n}"})
    someone_else = Client()
    someone_else.force_login(factories.delegate())

    response = someone_else.post(reverse("courses:enrol_code"), {"code": cohort.enrolment_code})

    assert response.status_code == 302


def test_the_default_rates_name_every_html_scope():
    assert set(ScopedRateThrottle().THROTTLE_RATES) >= {
        "attempt_write",
        "enrolment_code",
        "signup",
        "certificate_verify",
    }


# Taking a quiz


@pytest.fixture
def attempt(delegate_user):
    course = factories.course(modules=1)
    factories.EnrollmentFactory(user=delegate_user, course=course)
    quiz = qf.quiz(course, questions=[qf.question("short_answer")])
    return quiz_services.start_attempt(quiz=quiz, user=delegate_user)


def autosave(client, attempt, answer: str):
    """What attempt.js sends: answers by position."""
    return client.post(
        reverse("quizzes:save", args=[attempt.pk]),
        {"answers": {"0": answer}},
        content_type="application/json",
    )


@override_settings(LMS=rates(attempt_write="3/minute"))
def test_autosave_and_the_api_share_one_budget(delegate_client, attempt):
    """Found: the HTML autosave had no limit at all."""
    saves = [autosave(delegate_client, attempt, f"Huế {n}") for n in range(2)]
    api_save = delegate_client.post(
        reverse("lms_api:attempt-save", args=[attempt.pk]),
        {"answers": {}},
        content_type="application/json",
    )
    refused = autosave(delegate_client, attempt, "Hà Nội")
    form_submit = delegate_client.post(reverse("quizzes:submit", args=[attempt.pk]))

    assert [s.status_code for s in saves] == [200, 200]
    assert api_save.status_code == 200
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert refused.json()["message"].startswith("Có quá nhiều yêu cầu. Hãy thử lại sau")
    assert int(refused["Retry-After"]) > 0
    assert not Response.objects.filter(attempt=attempt, answer="Hà Nội").exists()
    assert_throttled_page(form_submit)
    attempt.refresh_from_db()
    assert attempt.is_open


# Signing up


def signup_data(email: str) -> dict:
    return {
        "full_name": "Nguyễn Thị Hòa",
        "email": email,
        "organisation": "Sở Ngoại vụ",
        "position": "",
        "province": Province.objects.get(name="Phú Thọ").pk,
        "password1": "Tập huấn đối ngoại 2025!",
        "password2": "Tập huấn đối ngoại 2025!",
    }


def sign_up(n: int, **extra):
    return Client().post(reverse("courses:signup"), signup_data(f"hoa{n}@example.vn"), **extra)


@override_settings(LMS=rates(signup="3/hour"))
def test_signup_is_throttled_per_address():
    """Found: 25 accounts in 12 seconds."""
    answers = [sign_up(n, REMOTE_ADDR=HALL) for n in range(4)]
    elsewhere = sign_up(9, REMOTE_ADDR="198.51.100.20")

    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert_throttled_page(answers[-1])
    assert elsewhere.status_code == 302
    assert SignupRequest.objects.count() == 4


@override_settings(LMS=rates(signup="3/hour"))
def test_a_forged_forwarded_for_does_not_escape_the_signup_throttle():
    answers = [sign_up(n, REMOTE_ADDR=HALL, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}") for n in range(4)]

    assert answers[-1].status_code == 429


@override_settings(LMS={**rates(signup="3/hour"), "TRUSTED_PROXIES": ["10.0.0.2"]})
def test_behind_a_trusted_proxy_signups_are_counted_per_client():
    via_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    answers = [sign_up(n, HTTP_X_FORWARDED_FOR=HALL, **via_proxy) for n in range(4)]
    elsewhere = sign_up(9, HTTP_X_FORWARDED_FOR="198.51.100.20", **via_proxy)

    assert answers[-1].status_code == 429
    assert elsewhere.status_code == 302


@override_settings(LMS=rates(signup="2/hour"))
def test_the_throttled_page_follows_the_language():
    english = Client()
    english.cookies["django_language"] = "en"
    for n in range(2):
        english.post(reverse("courses:signup"), signup_data(f"a{n}@example.vn"))

    response = english.post(reverse("courses:signup"), signup_data("b@example.vn"))

    assert response.status_code == 429
    assert "Too many requests. Try again in" in response.content.decode()


@override_settings(LMS=rates(password_reset="3/hour"))
def test_password_links_are_throttled_per_address(mailoutbox):
    """Each request may send an email: a script may not make the LMS mail a delegate endlessly."""
    factories.UserFactory(email="hoa@example.vn")

    def ask(address):
        return Client().post(
            reverse("courses:password_reset"), {"email": "hoa@example.vn"}, REMOTE_ADDR=address
        )

    answers = [ask(HALL) for _ in range(4)]
    elsewhere = ask("198.51.100.20")

    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert_throttled_page(answers[-1])
    assert elsewhere.status_code == 302
    assert len(mailoutbox) == 4


@override_settings(LMS=rates(signup="3/hour"))
def test_rotating_ipv6_addresses_within_a_64_does_not_escape_the_signup_throttle():
    answers = [sign_up(n, REMOTE_ADDR=f"2001:db8:7:9::{n + 1:x}") for n in range(4)]
    next_network = sign_up(9, REMOTE_ADDR="2001:db8:7:a::1")

    assert answers[-1].status_code == 429
    assert next_network.status_code == 302
