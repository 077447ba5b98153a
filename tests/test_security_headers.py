"""Every URL the site serves, for an anonymous visitor, a delegate and an administrator: the
Content-Security-Policy each response carries, no inline code without the nonce in any page of
ours, and ``Cache-Control: private, no-store`` on everything personal.

The URLs come from the URLconf itself (``every_route``), not from a hand list: a new pattern is
visited as soon as it exists, and a new regular-expression pattern fails
``test_every_pattern_has_a_sample_url`` until ``REGEX_SAMPLES`` has a sample path for it.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.api.conftest import World, build_world, client_for, finished_zip, issue_certificate
from tests.api.test_permissions import MATRIX

pytestmark = pytest.mark.django_db

ADMIN_PREFIX = "/admin/"
ROLES = ("anonymous", "delegate", "superuser")

# Sample paths for the URLconf's regular-expression patterns (Wagtail's and Django's own), keyed
# by the pattern's regex. ``{document}`` is replaced by a real document's id.
REGEX_SAMPLES: dict[str, str] = {
    "": "",
    "^pages/": "pages/",
    "^documents/": "documents/",
    "^images/": "images/",
    r"^(?P<pk>\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)\.\.\."
    r"(?P<revision_id_b>live|latest|\d+)/$": "{page}/revisions/compare/earliest...latest/",
    # the same in Wagtail 7.4, with unnamed groups
    r"^(\d+)/revisions/compare/(live|earliest|\d+)\.\.\.(live|latest|\d+)/$": (
        "{page}/revisions/compare/earliest...latest/"
    ),
    r"^(?P<app_label>wagtaildocs|wagtailimages|taggit|django_tasks_database|auth)/$": "auth/",
    "^.*/$": "anything/",
    r"^(\d+)/(.*)$": "{document}/handout.pdf",
    r"^((?:[\w\-]+/)*)$": "",
    "(?P<url>.*)$": "anything",
    # The demo's redirect for certificates printed before verification moved under /learn/.
    "^verify/(?P<rest>.*)$": "verify/{code}/",
}


@dataclass(frozen=True)
class Route:
    """One leaf of the URLconf: its name (with namespaces), the pieces of its pattern from the
    root down, and its view."""

    name: str
    pieces: tuple[RoutePattern | RegexPattern, ...]
    callback: Callable
    app_names: tuple[str, ...]

    @property
    def display(self) -> str:
        return "".join(str(piece) for piece in self.pieces)


def every_route() -> list[Route]:
    def walk(patterns, pieces=(), names=(), apps=()) -> Iterator[Route]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(
                    entry.url_patterns,
                    (*pieces, entry.pattern),
                    (*names, entry.namespace) if entry.namespace else names,
                    (*apps, entry.app_name) if entry.app_name else apps,
                )
            else:
                assert isinstance(entry, URLPattern)
                yield Route(
                    name=":".join((*names, entry.name or "")),
                    pieces=(*pieces, entry.pattern),
                    callback=entry.callback,
                    app_names=apps,
                )

    return list(walk(get_resolver().url_patterns))


CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def path_for(route: Route, values: dict[str, str]) -> str:
    """A path that ``route`` serves, with ``values`` for its named parts (a default otherwise)."""
    path = "/"
    for piece in route.pieces:
        if isinstance(piece, RegexPattern):
            path += REGEX_SAMPLES[str(piece)].format(**values)
        else:
            path += CONVERTER.sub(
                lambda match: values.get(
                    match["name"], "1" if match["converter"] in {"int", "id"} else "x"
                ),
                str(piece),
            )
    return path


def world_values(world: World) -> dict[str, str]:
    """Real objects of the world for the routes' named parts, so that pages answer 200."""
    certificate = issue_certificate(world, world.enrollment)
    response = world.done_attempt.responses.first()
    values = {
        "course_id": world.course.pk,
        "quiz_id": world.quiz.pk,
        "attempt_id": world.open_attempt.pk,
        "response_id": response.pk,
        "page_id": world.module.pk,
        "parent_page_id": world.course.pk,
        "page": world.module.pk,
        "cohort_id": world.cohort.pk,
        "certificate_id": certificate.pk,
        "job_id": finished_zip(world).pk,
        "code": certificate.verification_code,
        "uidb64": urlsafe_base64_encode(force_bytes(world.delegate.pk)),
        "token": default_token_generator.make_token(world.delegate),
        "document": 1,
    }
    return {name: str(value) for name, value in values.items()}


# The admin's record screens, by the start of their path: the object their ``pk`` names.
ADMIN_RECORDS: dict[str, Callable[[World], object]] = {
    "admin/cohorts/": lambda world: world.cohort,
    "admin/enrollments/": lambda world: world.enrollment,
    "admin/attempts/": lambda world: world.done_attempt,
    "admin/certificates/register/": lambda world: issue_certificate(world, world.enrollment),
}


def values_for(route: Route, world: World, base: dict[str, str]) -> dict[str, str]:
    values = dict(base)
    if route.name == "quizzes:review":
        values["attempt_id"] = str(world.done_attempt.pk)
    for prefix, record in ADMIN_RECORDS.items():
        if route.display.startswith(prefix):
            values["pk"] = str(record(world).pk)
    if route.name.startswith("lms_api:"):
        name = route.name.removeprefix("lms_api:")
        case = MATRIX.get((name, "get")) or MATRIX.get((name, "post"))
        if case is not None:
            values.update({key: str(value) for key, value in case.kwargs(world).items()})
    return values


def is_admin(path: str) -> bool:
    return path.startswith(ADMIN_PREFIX)


# The policy


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        if part.strip():
            name, *values = part.split()
            parsed[name] = values
    return parsed


NONCE_SOURCE = re.compile(r"^'nonce-([A-Za-z0-9_\-+/=]+)'$")


def site_policy_problems(header: str) -> list[str]:
    """What is missing from, or looser than, the strict policy of the delegate and public pages."""
    policy = directives(header)
    expected = {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
    problems = [
        f"{name} is {policy.get(name)}, not {values}"
        for name, values in expected.items()
        if policy.get(name) != values
    ]
    for name in ("script-src", "style-src"):
        sources = [value for value in policy.get(name, []) if not NONCE_SOURCE.match(value)]
        if sources != ["'self'"]:
            problems.append(f"{name} allows {sources}, not only 'self' and the nonce")
    for name in ("img-src", "frame-src"):
        if "'self'" not in policy.get(name, []):
            problems.append(f"{name} does not allow the site itself")
    loose = [value for values in policy.values() for value in values if value.startswith("'unsafe")]
    if loose:
        problems.append(f"the policy allows {loose}")
    return problems


def header_nonce(header: str) -> str | None:
    nonces = {
        match[1]
        for values in directives(header).values()
        for value in values
        if (match := NONCE_SOURCE.match(value))
    }
    assert len(nonces) <= 1, header
    return nonces.pop() if nonces else None


# Inline code in a page


class InlineCodeFinder(HTMLParser):
    """Collects what a nonce-based policy blocks, or allows only with the page's nonce."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nonces: list[str | None] = []  # of inline <script> and <style> elements
        self.blocked: list[str] = []  # style and event-handler attributes, javascript: URLs

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if (tag == "script" and "src" not in attributes) or tag == "style":
            self.nonces.append(attributes.get("nonce"))
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.blocked.append(f'<{tag} {name}="{value}">')
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.blocked.append(f'<{tag} {name}="{value}">')

    handle_startendtag = handle_starttag


def inline_code_problems(html: str, nonce: str | None) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    problems = list(finder.blocked)
    problems += [
        f"an inline <script> or <style> with nonce {found!r}, not the header's {nonce!r}"
        for found in finder.nonces
        if found is None or found != nonce
    ]
    return problems


# The walk


@dataclass(frozen=True)
class Visit:
    role: str
    route: Route
    path: str
    status: int
    content_type: str
    csp: str | None
    cache_control: str
    html: str


def visit_everything(world: World) -> list[Visit]:
    extra_pages = [world.course.url, world.module.url, world.quiz.url]
    base = world_values(world)
    visits = []
    for role in ROLES:
        user = world.user(role)
        client = client_for(user, raise_request_exception=False)
        for route in every_route():
            if user is not None and "_auth_user_id" not in client.session:
                client.force_login(user)  # Wagtail's admin signs out on a GET of its logout URL
            paths = [path_for(route, values_for(route, world, base))]
            if route.name == "wagtail_serve":
                paths += extra_pages
            for path in paths:
                response = client.get(path)
                content_type = response.get("Content-Type", "")
                streaming = getattr(response, "streaming", False)
                visits.append(
                    Visit(
                        role=role,
                        route=route,
                        path=path,
                        status=response.status_code,
                        content_type=content_type,
                        csp=response.get("Content-Security-Policy"),
                        cache_control=response.get("Cache-Control", ""),
                        html=""
                        if streaming or not content_type.startswith("text/html")
                        else response.content.decode(),
                    )
                )
    return visits


@pytest.fixture(scope="module")
def site_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The API tests' world (two courses, their trainers and delegates, HR, an administrator),
    built once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def visits(site_world, django_db_blocker) -> list[Visit]:
    with django_db_blocker.unblock():
        cache.clear()  # no rate limit left over from another test
        return visit_everything(site_world)


def cache_directives(value: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in value.split(",") if part.strip()}


def test_every_pattern_has_a_sample_url(site_world):
    base = world_values(site_world)
    for route in every_route():
        for piece in route.pieces:
            if isinstance(piece, RegexPattern):
                assert str(piece) in REGEX_SAMPLES, f"no sample path for {route.display!r}"
        path = path_for(route, values_for(route, site_world, base))
        assert resolve(path).func == route.callback, f"{path} does not reach {route.display}"


def test_every_response_carries_a_content_security_policy(visits):
    missing = [f"{v.role} {v.path} ({v.status})" for v in visits if not v.csp]
    assert not missing, "\n".join(missing)


def test_delegate_and_public_pages_carry_the_strict_policy(visits):
    problems = [
        f"{v.role} {v.path}: {problem}"
        for v in visits
        if v.csp and not is_admin(v.path)
        for problem in site_policy_problems(v.csp)
    ]
    assert not problems, "\n".join(problems)


def test_the_wagtail_admin_keeps_a_policy_of_its_own_that_still_fences_it_in(visits):
    admin = [v for v in visits if is_admin(v.path) and v.csp]
    assert admin
    for visit in admin:
        policy = directives(visit.csp)
        assert policy["default-src"] == ["'self'"], visit.path
        assert policy["object-src"] == ["'none'"], visit.path
        assert policy["base-uri"] == ["'self'"], visit.path
        assert policy["form-action"] == ["'self'"], visit.path
        assert policy["frame-ancestors"] == ["'self'"], visit.path
        assert "'unsafe-eval'" not in policy.get("script-src", []), visit.path
        assert header_nonce(visit.csp) is None, "a nonce would switch 'unsafe-inline' off"


def test_no_page_of_ours_has_inline_code_without_the_nonce(visits):
    pages = [v for v in visits if v.html and not is_admin(v.path)]
    # Real pages, not only redirects: the delegate's dashboard, attempt, review, certificates.
    assert {"courses:dashboard", "quizzes:attempt", "quizzes:review", "certificates:mine"} <= {
        v.route.name for v in pages if v.status == 200
    }
    problems = [
        f"{v.role} {v.path}: {problem}"
        for v in pages
        for problem in inline_code_problems(v.html, header_nonce(v.csp or ""))
    ]
    assert not problems, "\n".join(problems)


def test_every_response_to_a_signed_in_user_is_private_and_never_stored(visits):
    signed_in = [v for v in visits if v.role != "anonymous"]
    stored = [
        f"{v.role} {v.path} ({v.status}): {v.cache_control!r}"
        for v in signed_in
        if not {"private", "no-store"} <= cache_directives(v.cache_control)
        or "public" in cache_directives(v.cache_control)
    ]
    assert not stored, "\n".join(stored)


PERSONAL_APPS = {"courses", "quizzes", "certificates", "lms_api"}


def test_the_lms_own_urls_are_private_even_for_anonymous_visitors(visits):
    # Certificate checks show a holder's name; sign-up and password forms carry tokens.
    anonymous = [
        v for v in visits if v.role == "anonymous" and PERSONAL_APPS & set(v.route.app_names)
    ]
    assert {"certificates:verify_code", "lms_api:verification-detail"} <= {
        v.route.name for v in anonymous if v.status == 200
    }
    stored = [
        f"{v.path} ({v.status}): {v.cache_control!r}"
        for v in anonymous
        if not {"private", "no-store"} <= cache_directives(v.cache_control)
    ]
    assert not stored, "\n".join(stored)


def test_public_pages_stay_cacheable_for_anonymous_visitors(visits, site_world):
    public = {
        v.path: v
        for v in visits
        if v.role == "anonymous" and v.route.name == "wagtail_serve" and v.status == 200
    }
    assert {"/", site_world.course.url} <= public.keys()
    for visit in public.values():
        assert not {"private", "no-store"} & cache_directives(visit.cache_control), visit.path
