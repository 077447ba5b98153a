"""Pages are in Vietnamese unless the visitor picks English; the API negotiates."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation

from lms.middleware import VietnameseFirstLocaleMiddleware


def language_for(request) -> str:
    middleware = VietnameseFirstLocaleMiddleware(lambda r: None)
    middleware.process_request(request)
    language = request.LANGUAGE_CODE
    translation.deactivate()
    return language


def test_pages_default_to_vietnamese_even_for_english_browsers():
    request = RequestFactory().get("/learn/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert language_for(request) == "vi"


def test_the_language_switcher_cookie_wins():
    request = RequestFactory().get("/learn/", HTTP_ACCEPT_LANGUAGE="vi")
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert language_for(request) == "en"


def test_an_unknown_cookie_value_falls_back_to_vietnamese():
    request = RequestFactory().get("/")
    request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert language_for(request) == "vi"


def test_api_requests_negotiate_with_accept_language():
    request = RequestFactory().get("/api/v1/courses/", HTTP_ACCEPT_LANGUAGE="en")
    assert language_for(request) == "en"


@pytest.mark.django_db
def test_switching_language_through_the_form(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/learn/login/"})
    html = client.get("/learn/login/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en">' in html
