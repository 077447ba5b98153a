"""The admin's policy under django-csp, what a Django 5.2 LTS site runs for its CSP: django-csp
marks the nonce in a policy with an object of its own, not Django 6's string (runs where
django-csp is installed: the LTS combination of the matrix)."""

import pytest

csp_constants = pytest.importorskip("csp.constants", reason="django-csp is not installed")

from courses.csp import admin_policy, render_policy  # noqa: E402

SITE_POLICY = {
    "default-src": [csp_constants.SELF],
    "script-src": [csp_constants.SELF, csp_constants.NONCE],
    "style-src": {csp_constants.SELF, csp_constants.NONCE},  # a set, as some sites write it
    "img-src": [csp_constants.SELF, "data:"],
    "object-src": [csp_constants.NONE],
}


def test_the_admin_policy_swaps_django_csps_nonce_for_unsafe_inline():
    policy = admin_policy(SITE_POLICY)

    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]


def test_rendering_a_policy_with_django_csps_nonce_leaves_the_nonce_out():
    header = render_policy(SITE_POLICY)

    assert header == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'"
    )
