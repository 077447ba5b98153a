"""The LMS API in a host's site: whatever the host's ``REST_FRAMEWORK`` says (authentication,
permissions, throttles, pagination, renderers, parsers, errors, schema class), the API answers as
it documents. Its views declare all of it themselves."""

import pytest
from django.test import override_settings
from django.urls import URLPattern, reverse
from rest_framework.renderers import BrowsableAPIRenderer

from courses.api import urls as api_urls
from courses.api.base import APIViewSetMixin
from courses.api.schema import AutoSchema

pytestmark = pytest.mark.django_db

# A host whose own API is locked down, browsable, paginated by 1, and otherwise DRF's defaults.
HOST_REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.BasicAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.FormParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 1,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "1/day"},
    "DEFAULT_SCHEMA_CLASS": "rest_framework.schemas.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [],
}


@override_settings(REST_FRAMEWORK=HOST_REST_FRAMEWORK)
def test_anonymous_calls_get_the_documented_answers(world, login):
    client = login("anonymous")

    courses = client.get(reverse("lms_api:course-list"))
    again = client.get(reverse("lms_api:course-list"))
    mine = client.get(reverse("lms_api:enrolment-list"))
    schema = client.get(reverse("lms_api:schema"), {"format": "json"})

    assert courses.status_code == again.status_code == 200
    assert courses["Content-Type"] == "application/json"
    assert courses.json()["count"] == 2 and len(courses.json()["results"]) == 2
    assert mine.status_code == 401
    assert mine.json()["code"] == "not_authenticated"
    assert mine["WWW-Authenticate"]
    assert schema.status_code == 200
    assert "/api/v1/courses/" in schema.json()["paths"]


@override_settings(REST_FRAMEWORK=HOST_REST_FRAMEWORK)
def test_a_delegate_uses_the_api_with_a_session_and_json(world, login):
    client = login("delegate", enforce_csrf_checks=False)

    listed = client.get(reverse("lms_api:enrolment-list"), {"course": "not a number"})
    save = client.post(
        reverse("lms_api:attempt-save", args=[world.open_attempt.pk]),
        {"answers": {"1": "Huế"}},
        content_type="application/json",
    )

    assert listed.status_code == 400
    assert listed.json()["code"] == "invalid_input"
    assert save.status_code == 200, save.content


def test_every_endpoint_declares_its_own_policies():
    for pattern in api_urls.urlpatterns:
        if not isinstance(pattern, URLPattern) or pattern.name in {None, "schema"}:
            continue
        view = pattern.callback.cls
        assert issubclass(view, APIViewSetMixin), pattern.name
        initkwargs = pattern.callback.initkwargs
        schema = initkwargs.get("schema", view.schema)
        schema_class = schema if isinstance(schema, type) else type(schema)
        assert issubclass(schema_class, AutoSchema), pattern.name
        renderers = initkwargs.get("renderer_classes", view.renderer_classes)
        assert BrowsableAPIRenderer not in renderers, pattern.name
