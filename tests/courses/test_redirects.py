"""Every ``next`` parameter (sign-up, completing an item, grading, signing in) stays on this
site, whatever spelling of another host it carries."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from courses.redirects import safe_next_url
from tests import factories
from tests.courses.test_accounts import confirm, link_in, signup_data

OFFSITE = [
    "https://evil.example/",
    "//evil.example/",
    " //evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "https://testserver@evil.example/",
]
FALLBACK = "/learn/"


@pytest.mark.parametrize("target", OFFSITE)
def test_an_offsite_next_falls_back(target):
    request = RequestFactory().post("/", {"next": target})

    assert safe_next_url(request, FALLBACK) == FALLBACK


@pytest.mark.parametrize("target", ["/learn/courses/", "/learn/?page=2", "http://testserver/x/"])
def test_a_next_on_this_site_is_followed(target):
    request = RequestFactory().get("/", {"next": target})

    assert safe_next_url(request, FALLBACK) == target


def test_plain_http_is_refused_from_an_https_page():
    request = RequestFactory().post("/", {"next": "http://testserver/x/"}, secure=True)

    assert safe_next_url(request, FALLBACK) == FALLBACK


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    def post(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("courses:signup"), signup_data(**overrides))

    return post


@pytest.mark.django_db
@pytest.mark.parametrize("target", OFFSITE)
def test_signup_never_leaves_the_site(sign_up, client, mailoutbox, target):
    """The next page is kept with the sign-up and followed once its emailed link is confirmed."""
    sign_up(next=target)

    response = confirm(client, link_in(mailoutbox[0]))

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:dashboard")


@pytest.mark.django_db
@pytest.mark.parametrize("target", OFFSITE)
def test_signing_in_never_leaves_the_site(client, target):
    user = factories.delegate()

    response = client.post(
        reverse("courses:login"),
        {"username": user.email, "password": factories.PASSWORD, "next": target},
    )

    assert response.status_code == 302
    assert not response["Location"].lstrip().startswith(("//", "http", "\\", "/\\"))
