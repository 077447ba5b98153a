"""Real-browser tests: Playwright driving Debian's Chromium against a live server.

Every test under ``tests/browser`` is marked ``browser``. ``make test`` runs them in its second
pytest invocation (with the ``concurrency`` tests), because a live server needs committed data:
pytest-django flushes the database after each such test, which would wipe what the migrations
seeded for the tests that follow.

Fixtures (the contract other browser tests rely on):

``browser``
    Session-scoped headless Chromium from ``/usr/bin/chromium`` (Playwright never downloads one).
    Missing Chromium skips the browser tests locally and fails them in CI (``CI=true``); so does
    a missing ``node_modules/axe-core`` (``make install`` runs ``npm ci``).
``browser_site``
    The live server (pytest-django's ``live_server``, transactional) with what the migrations
    would have seeded: Wagtail's locale, root page and root collection, the provinces, the role
    groups; and a course catalogue (``CourseIndexPage``) as root of the default ``Site``, which
    points at the live server's host and port. Caches are emptied, as the database was.
    ``browser_site.url`` is the server's address; build courses under ``browser_site.index``
    (``factories.course(browser_site.index, ...)``).
``desktop_page`` / ``phone_page``
    A fresh page in its own browser context (1280×800, or a 390×844 touch phone), Vietnamese
    locale and Hanoi time zone, ``base_url`` set to the live server (so ``page.goto("/learn/")``
    works) and downloads accepted. Both request ``browser_site``. A failing test leaves a
    ``failure.png`` in its screenshots folder. The site's Content-Security-Policy is enforced
    (never bypassed), and every violation the browser reports, in any page or frame, fails the
    test at teardown (see ``csp_violations``).
``csp_violations``
    The violations seen so far in the test's pages, as text: each ``securitypolicyviolation``
    event and each "Content Security Policy" console error. A test that provokes one on purpose
    clears the list.
``screenshots``
    ``shot(page, "name")`` saves a full-page PNG as ``artifacts/screenshots/<test>/NN-name.png``
    (numbered in order; the folder is emptied when the test starts) and returns its path.
``axe``
    ``check_accessibility(page)`` injects axe-core into the page, runs it, and fails listing every
    serious or critical violation with the nodes it found. It is evaluated through the DevTools
    protocol, which the page's policy does not govern (a ``<script>`` tag would be refused).
``login`` / ``admin_login``
    ``login(page, user_or_email, password=PASSWORD)`` signs in through the site's form (or the
    Wagtail admin's) and waits until the browser has left the sign-in page.
``download_to``
    ``download_to(page, action)`` runs ``action()`` (e.g. a click), waits for the download it
    starts, saves it in the test's ``tmp_path`` under its suggested name and returns the path.

Tests must not sleep: wait on conditions with Playwright's auto-waiting ``expect``. A test that
pauses ``page.clock`` resumes it before a screenshot, which waits for an animation frame.
"""

import contextlib
import importlib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Browser, ConsoleMessage, Download, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.factories import PASSWORD

BROWSER_TESTS = Path(__file__).resolve().parent
REPO_ROOT = BROWSER_TESTS.parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous on a loaded two-core machine; expect() still returns as soon as the condition holds.
ACTION_TIMEOUT_MS = 20_000
EXPECT_TIMEOUT_MS = 15_000
BLOCKING_IMPACTS = {"serious", "critical"}
# Reports every Content-Security-Policy violation of a document (and so of every frame: init
# scripts run in each) to the test, through a function Playwright exposes to the page.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.lmsReportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"} at ` +
    `${event.sourceFile || document.location.href}:${event.lineNumber} on ${document.location.href}`
  );
}, true);
"""

expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the marker must be on the items before ``-m`` selects among them.
    browser_items = [item for item in items if BROWSER_TESTS in Path(item.path).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    # Browser tests last: their flushes end with Django's post-migrate content (content types,
    # permissions, role groups), which the concurrency tests' serialized rollback cannot reload
    # over; the concurrency tests' flushes leave an empty database, which browser_site refills.
    in_browser = set(browser_items)
    items[:] = [item for item in items if item not in in_browser] + browser_items


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _missing(what: str) -> None:
    """Skip locally, fail in CI: CI must never pass by skipping the browser tests."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} (CI installs it: see .ci/run and make install)")
    pytest.skip(what)


# Browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing: apt-get install chromium")
    if not AXE_JS.exists():
        _missing(f"{AXE_JS.relative_to(REPO_ROOT)} is missing: run npm ci")
    # Playwright's sync API keeps its event loop running on this thread between calls, which
    # Django would take for async code calling the ORM. The tests' ORM calls are synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Site


@dataclass(frozen=True)
class BrowserSite:
    url: str
    index: object  # courses.models.CourseIndexPage, the catalogue at "/"


def _seed_like_migrations() -> None:
    """Recreate what migrations seed and a flush of the previous live-server test removed."""
    from django.contrib.auth.models import Permission
    from django.core.cache import caches
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import DEFAULT_DB_ALIAS
    from wagtail.models import Collection, Locale, Page

    from courses.services import ensure_role_groups

    if not Permission.objects.exists():  # flushed without post_migrate (serialized rollback)
        emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
    Locale.objects.get_or_create(language_code="vi")
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    if not Page.get_first_root_node():
        Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
    importlib.import_module("courses.migrations.0002_seed_provinces").seed(django_apps, None)
    ensure_role_groups()
    # Cached entries (rate-limit counters, outlines) belonged to the flushed data.
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def browser_site(live_server, transactional_db) -> BrowserSite:
    from wagtail.models import Page, Site

    from courses.models import CourseIndexPage

    _seed_like_migrations()
    index = CourseIndexPage(title="Khóa học", slug="khoa-hoc")
    Page.get_first_root_node().add_child(instance=index)
    address = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(is_default_site=False)
    Site.objects.create(
        hostname=address.hostname, port=address.port, root_page=index, is_default_site=True
    )
    Site.clear_site_root_paths_cache()
    return BrowserSite(url=live_server.url, index=index)


# Pages


@pytest.fixture
def csp_violations() -> list[str]:
    return []


def _is_csp_error(message: ConsoleMessage) -> bool:
    return message.type == "error" and "content security policy" in message.text.lower()


def _new_page(
    request, browser: Browser, site: BrowserSite, violations: list[str], **context_options
) -> Iterator[Page]:
    context = browser.new_context(
        base_url=site.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        accept_downloads=True,
        bypass_csp=False,
        **context_options,
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.expose_function("lmsReportCspViolation", lambda report: violations.append(report))
    context.add_init_script(script=CSP_LISTENER)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            violations.append(f"console: {message.text}") if _is_csp_error(message) else None
        ),
    )
    yield page
    with contextlib.suppress(PlaywrightError):
        page.evaluate("1")  # deliver reports still on their way
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = _journey_folder(request.node.name)
        folder.mkdir(parents=True, exist_ok=True)
        # Best effort: a paused page clock, for one, holds the frame a screenshot waits for.
        with contextlib.suppress(PlaywrightError):
            page.screenshot(path=folder / "failure.png", full_page=True, timeout=5_000)
    # Requests a closing page still sends (Wagtail's editor releases its lock on unload) must
    # not reach the live server while the database is being flushed after the test.
    with contextlib.suppress(PlaywrightError):
        context.route("**/*", lambda route: route.abort())
    context.close()
    if violations:
        pytest.fail(
            "The browser reported Content-Security-Policy violations:\n"
            + "\n".join(f"  {violation}" for violation in violations)
        )


@pytest.fixture
def desktop_page(request, browser, browser_site, csp_violations) -> Iterator[Page]:
    yield from _new_page(
        request, browser, browser_site, csp_violations, viewport={"width": 1280, "height": 800}
    )


@pytest.fixture
def phone_page(request, browser, browser_site, csp_violations) -> Iterator[Page]:
    yield from _new_page(
        request,
        browser,
        browser_site,
        csp_violations,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


# Helpers


def _journey_folder(test_name: str) -> Path:
    return SCREENSHOTS / re.sub(r"[^\w.-]+", "-", test_name).strip("-")


@pytest.fixture
def screenshots(request) -> Callable[[Page, str], Path]:
    folder = _journey_folder(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    taken = 0

    def shot(page: Page, name: str) -> Path:
        nonlocal taken
        taken += 1
        path = folder / f"{taken:02d}-{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return shot


def _describe(violation: dict) -> str:
    nodes = "\n".join(
        f"      {' '.join(node['target'])}: {node['failureSummary'].replace(chr(10), ' ')}"
        for node in violation["nodes"]
    )
    return (
        f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
        f"({violation['helpUrl']})\n{nodes}"
    )


@pytest.fixture
def axe() -> Callable[[Page], None]:
    def check_accessibility(page: Page) -> None:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe found serious or critical violations on {page.url}:\n" + (
            "\n".join(_describe(violation) for violation in blocking)
        )

    return check_accessibility


def _sign_in(page: Page, path: str, user, password: str) -> None:
    username = user if isinstance(user, str) else user.get_username()
    page.goto(path)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    expect(page).not_to_have_url(re.compile(re.escape(path)))


@pytest.fixture
def login() -> Callable[..., None]:
    def sign_in(page: Page, user, password: str = PASSWORD) -> None:
        _sign_in(page, "/learn/login/", user, password)

    return sign_in


@pytest.fixture
def admin_login() -> Callable[..., None]:
    def sign_in(page: Page, user, password: str = PASSWORD) -> None:
        _sign_in(page, "/admin/login/", user, password)

    return sign_in


@pytest.fixture
def download_to(tmp_path) -> Callable[[Page, Callable[[], object]], Path]:
    def download(page: Page, action: Callable[[], object]) -> Path:
        with page.expect_download() as info:
            action()
        file: Download = info.value
        path = tmp_path / file.suggested_filename
        file.save_as(path)
        return path

    return download
