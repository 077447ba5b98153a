"""The Content-Security-Policy toolkit (courses/csp.py), the nonce tag our templates use, the
admin's policy and the private-cache middleware, and a check of every template of ours for
inline code that a nonce-based policy would block."""

import re
from pathlib import Path

import pytest

# Django 6's own CSP; under Django 5.2 the demo runs django-csp, which
# tests/test_security_headers.py checks on every URL.
pytest.importorskip("django.middleware.csp", reason="Django 5.2 has no CSP middleware of its own")

from django.conf import settings  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.middleware.csp import ContentSecurityPolicyMiddleware  # noqa: E402
from django.template import Context, RequestContext, Template  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils.csp import CSP  # noqa: E402
from wagtail.embeds.finders.base import EmbedFinder  # noqa: E402

from courses import services as course_services  # noqa: E402
from courses.csp import admin_policy, render_policy, request_nonce  # noqa: E402
from courses.middleware import (  # noqa: E402
    AdminContentSecurityPolicyMiddleware,
    PrivateCacheControlMiddleware,
)
from tests import factories  # noqa: E402

BASE_DIR = Path(settings.BASE_DIR)

# Pure: the policies


def test_render_policy_writes_each_directive_with_its_sources_in_order():
    policy = {
        "default-src": [CSP.SELF],
        "img-src": [CSP.SELF, "data:"],
        "object-src": CSP.NONE,
        "upgrade-insecure-requests": True,
        "report-uri": None,
        "media-src": [],
    }

    assert render_policy(policy) == (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; upgrade-insecure-requests"
    )


def test_render_policy_leaves_the_nonce_placeholder_out():
    assert render_policy({"script-src": [CSP.SELF, CSP.NONCE]}) == "script-src 'self'"
    assert render_policy({"script-src": [CSP.NONCE]}) == ""


def test_render_policy_sorts_a_set_as_django_does():
    assert render_policy({"img-src": {"data:", CSP.SELF}}) == "img-src 'self' data:"


def test_the_admin_policy_swaps_the_nonce_for_unsafe_inline_and_keeps_everything_else():
    site = {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        "style-src": [CSP.SELF, CSP.NONCE],
        "img-src": [CSP.SELF, "https://media.example.vn"],
        "frame-src": [CSP.SELF, "https://www.youtube.com"],
        "object-src": [CSP.NONE],
        "frame-ancestors": [CSP.SELF],
    }

    policy = admin_policy(site)

    assert policy["script-src"] == [CSP.SELF, CSP.UNSAFE_INLINE]
    assert policy["style-src"] == [CSP.SELF, CSP.UNSAFE_INLINE]
    assert policy["img-src"] == [CSP.SELF, "https://media.example.vn", "data:", "blob:"]
    for directive in ("default-src", "frame-src", "object-src", "frame-ancestors"):
        assert policy[directive] == site[directive]
    assert site["script-src"] == [CSP.SELF, CSP.NONCE], "the site's policy is left as it was"


def test_the_admin_policy_falls_back_on_default_src_for_scripts_styles_and_images():
    policy = admin_policy({"default-src": ["'self'", "https://cdn.example.vn"]})

    assert policy["script-src"] == ["'self'", "https://cdn.example.vn", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "https://cdn.example.vn", "'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "https://cdn.example.vn", "data:", "blob:"]


def test_no_site_policy_means_no_admin_policy():
    assert admin_policy({}) == {}


# The nonce in templates

NONCE_ATTR = Template("{% load lms_tags %}<script {% nonce_attr %}>go()</script>")


def page(request) -> HttpResponse:
    return HttpResponse(NONCE_ATTR.render(RequestContext(request)))


def nonce_in(html: str) -> str:
    return re.fullmatch(r'<script nonce="([^"]+)">go\(\)</script>', html)[1]


@pytest.fixture
def rf_request():
    return RequestFactory().get("/learn/")


def test_the_nonce_tag_gives_the_nonce_that_djangos_middleware_puts_in_the_header(
    rf_request, settings
):
    settings.SECURE_CSP = {"script-src": [CSP.SELF, CSP.NONCE]}
    middleware = ContentSecurityPolicyMiddleware(page)

    first = middleware(rf_request)
    second = middleware(RequestFactory().get("/learn/"))

    nonce = nonce_in(first.content.decode())
    assert first["Content-Security-Policy"] == f"script-src 'self' 'nonce-{nonce}'"
    assert nonce != nonce_in(second.content.decode()), "a fresh nonce for every response"


def test_a_page_without_inline_code_keeps_the_nonce_out_of_its_policy(rf_request, settings):
    settings.SECURE_CSP = {"script-src": [CSP.SELF, CSP.NONCE]}
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("<p>Xin chào</p>"))

    assert middleware(rf_request)["Content-Security-Policy"] == "script-src 'self'"


def test_the_nonce_tag_reads_django_csps_request_nonce_where_django_gives_none(rf_request):
    # django-csp (the library for Django 5.2 LTS) offers the nonce as request.csp_nonce.
    rf_request.csp_nonce = "bGlicmFyeS1ub25jZQ"

    assert request_nonce(rf_request) == "bGlicmFyeS1ub25jZQ"
    assert nonce_in(NONCE_ATTR.render(RequestContext(rf_request))) == "bGlicmFyeS1ub25jZQ"


def test_the_nonce_tag_writes_nothing_without_a_csp_middleware(rf_request):
    assert request_nonce(rf_request) is None
    assert NONCE_ATTR.render(RequestContext(rf_request)) == "<script >go()</script>"
    assert NONCE_ATTR.render(Context({})) == "<script >go()</script>"  # no request: an email


# The admin's policy and private responses (every URL: tests/test_security_headers.py)


def test_the_admin_middleware_leaves_a_policy_set_by_the_view_alone(settings):
    settings.SECURE_CSP = {"default-src": [CSP.SELF]}
    response = HttpResponse()
    response["Content-Security-Policy"] = "default-src 'none'"
    middleware = AdminContentSecurityPolicyMiddleware(lambda request: response)

    assert (
        middleware(RequestFactory().get("/admin/pages/"))["Content-Security-Policy"]
        == "default-src 'none'"
    )


def test_a_host_can_give_the_admin_a_policy_of_its_own(settings):
    settings.LMS = {"ADMIN_CSP": {"default-src": [CSP.SELF], "img-src": ["*"]}}
    middleware = AdminContentSecurityPolicyMiddleware(lambda request: HttpResponse())

    admin = middleware(RequestFactory().get("/admin/"))
    site = middleware(RequestFactory().get("/learn/"))

    assert admin["Content-Security-Policy"] == "default-src 'self'; img-src *"
    assert "Content-Security-Policy" not in site, "the site's policy is the CSP middleware's"


def test_a_request_with_credentials_is_answered_privately(rf_request):
    rf_request.META["HTTP_AUTHORIZATION"] = "Bearer abc"
    rf_request.resolver_match = None
    response = HttpResponse()
    response["Cache-Control"] = "public, max-age=600"

    response = PrivateCacheControlMiddleware(lambda request: response)(rf_request)

    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store", "max-age=600"}


def test_the_project_enforces_its_policy_with_djangos_middleware():
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE
    assert (
        "django.template.context_processors.csp"
        in (settings.TEMPLATES[0]["OPTIONS"]["context_processors"])
    )
    assert settings.SECURE_CSP["script-src"] == [CSP.SELF, CSP.NONCE]
    assert settings.SECURE_CSP["style-src"] == [CSP.SELF, CSP.NONCE]
    assert not settings.SECURE_CSP_REPORT_ONLY, "enforced, not merely reported"
    # Both of ours see the response before Django's CSP middleware does.
    position = settings.MIDDLEWARE.index
    csp = position("django.middleware.csp.ContentSecurityPolicyMiddleware")
    assert position("courses.middleware.AdminContentSecurityPolicyMiddleware") > csp
    assert position("courses.middleware.PrivateCacheControlMiddleware") > position(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


# Every template of ours


def our_templates() -> list[Path]:
    apps = ("lms", "courses", "quizzes", "certificates", "fixtures")
    return sorted(path for app in apps for path in (BASE_DIR / app).rglob("templates/**/*.html"))


INLINE_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
BLOCKED_ATTRIBUTE = re.compile(r"""\s(style|on[a-z]+)\s*=\s*["'{]""", re.IGNORECASE)


def test_no_template_of_ours_has_inline_code_a_nonce_based_policy_would_block():
    templates = our_templates()
    assert len(templates) > 50
    problems = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(BASE_DIR)
        problems += [
            f"{name}: {tag[0]}"
            for tag in INLINE_SCRIPT_OR_STYLE.finditer(text)
            if "{% nonce_attr %}" not in tag[0]
        ]
        problems += [
            f"{name}: {attribute[0].strip()}" for attribute in BLOCKED_ATTRIBUTE.finditer(text)
        ]
        if "javascript:" in text.lower():
            problems.append(f"{name}: a javascript: URL")
    assert not problems, "\n".join(problems)


# A course video under the policy


class YouTubeFinder(EmbedFinder):
    """What YouTube's oEmbed endpoint answers, without the network."""

    def accept(self, url):
        return url.startswith("https://www.youtube.com/")

    def find_embed(self, url, max_width=None):
        return {
            "title": "Hội nghị tập huấn",
            "type": "video",
            "provider_name": "YouTube",
            "width": 200,
            "height": 113,
            "html": '<iframe width="200" height="113" src="https://www.youtube.com/embed/aqz-KE-bpKQ'
            '?feature=oembed" frameborder="0" allow="encrypted-media; picture-in-picture" '
            'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen '
            'title="Hội nghị tập huấn"></iframe>',
        }


@pytest.mark.django_db
def test_a_course_video_plays_under_the_site_policy(client, settings):
    settings.WAGTAILEMBEDS_FINDERS = [{"class": "tests.test_csp.YouTubeFinder"}]
    course = factories.course()
    module = factories.module(
        course,
        body=[
            {"type": "video", "value": {"video": "https://www.youtube.com/watch?v=aqz-KE-bpKQ"}},
        ],
    )
    delegate = factories.delegate()
    course_services.enrol(user=delegate, course=course)
    client.force_login(delegate)

    response = client.get(module.url)

    html = response.content.decode()
    frame = re.search(r'<iframe[^>]* src="(https://[^/"]+)/', html)
    assert frame, html
    policy = {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split("; ")
    }
    assert frame[1] in policy["frame-src"]
    assert " style=" not in html  # Wagtail's responsive wrapper would need one: it stays off
