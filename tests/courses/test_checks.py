"""System checks for the proxy and lockout settings."""

from datetime import timedelta

import pytest
from django.core import checks
from django.test import override_settings

pytestmark = pytest.mark.django_db(databases=[])


def problems() -> set[str]:
    return {message.id for message in checks.run_checks(tags=[checks.Tags.security])}


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("10.0.0.1", "courses.E001"),
        (["10.0.0.1", "proxy.example.vn"], "courses.E002"),
        (["10.0.0.300"], "courses.E002"),
        ([None], "courses.E002"),
        (["0.0.0.0/0"], "courses.W001"),
        (["::/0"], "courses.W001"),
    ],
)
def test_invalid_trusted_proxies_are_reported(value, problem):
    with override_settings(LMS={"TRUSTED_PROXIES": value}):
        assert problem in problems()


@pytest.mark.parametrize("value", [[], ["127.0.0.1", "10.0.0.0/8", "2001:db8::/32", "unix"]])
def test_valid_trusted_proxies_pass(value):
    with override_settings(LMS={"TRUSTED_PROXIES": value}):
        assert not {p for p in problems() if p.startswith("courses.")}


@pytest.mark.parametrize(
    ("setting", "value", "problem"),
    [
        ("AXES_FAILURE_LIMIT", 0, "courses.E003"),
        ("AXES_FAILURE_LIMIT", "5", "courses.E003"),
        ("AXES_COOLOFF_TIME", None, "courses.E004"),
        ("AXES_COOLOFF_TIME", timedelta(0), "courses.E004"),
        ("AXES_LOCKOUT_PARAMETERS", [["username", "ip"]], "courses.E005"),
        ("AXES_LOCKOUT_PARAMETERS", "ip_address", "courses.E005"),
    ],
)
def test_lockout_settings_the_lms_cannot_read_are_reported(setting, value, problem):
    with override_settings(**{setting: value}):
        assert problem in problems()


def test_the_shipped_settings_pass():
    assert not {p for p in problems() if p.startswith(("courses.", "axes."))}
