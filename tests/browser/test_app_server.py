"""The production app server serves the LMS: granian's WSGI server (docs/decisions/0025), started
with the README's own command line (its settings and port swapped for the test's), against the
test database. No browser: plain HTTP, as the reverse proxy in front of it speaks. It checks what
a server, not the app, can get wrong: a form post with its CSRF cookie and the sign-in lockout's
client address, a session kept across requests, an export streamed in pieces, a static file,
Vietnamese text in the pages and the export, a 404."""

import http.cookiejar
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group

from certificates import services
from courses.conf import lms_settings
from tests import factories
from tests.browser.conftest import BrowserSite
from tests.subprocesses import HOST, database_url, free_port
from tests.test_serving_command import readme_command


def with_option(command: list[str], name: str, value: str) -> list[str]:
    at = command.index(name)
    return [*command[: at + 1], value, *command[at + 2 :]]


@pytest.fixture
def app_server(browser_site: BrowserSite, tmp_path):
    """granian, as the README starts it, on a free port; stopped after the test."""
    port = free_port()
    command = with_option(with_option(readme_command(), "--port", str(port)), "--host", HOST)
    command = with_option(command, "--workers", "2")  # a test, not a conference
    command[0] = str(Path(sys.executable).with_name("granian"))  # this virtualenv's
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": database_url(),
    }
    log = tmp_path / "granian.log"
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603 (the README's command, fixed)
            command,
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, log.read_text(errors="replace")
            try:
                urllib.request.urlopen(f"{base}/learn/login/", timeout=5).close()  # noqa: S310
                break
            except urllib.error.HTTPError as error:  # it answers, wrongly: no point waiting
                pytest.fail(f"granian answered {error.code}:\n{log.read_text(errors='replace')}")
            except OSError:
                assert time.monotonic() < deadline, "granian did not answer within 60 s"
                time.sleep(0.1)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


class Browser:
    """Cookies kept across requests, redirects not followed (a test reads them)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect
        )

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.cookies if c.name == name)

    def request(self, path: str, data: dict | None = None, **headers):
        body = None if data is None else urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(  # noqa: S310 (the test's own server, over http)
            self.base + path, data=body, headers=headers
        )
        try:
            return self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as response:  # a redirect or an error: read it all the same
            return response


def hr_with_a_certificate() -> tuple[str, str]:
    """An HR officer, and a delegate with a certificate: their username and the delegate's name."""
    hr = factories.UserFactory(username="hr@example.vn", email="hr@example.vn")
    hr.groups.add(Group.objects.get(name=lms_settings.HR_GROUP))
    full_name = "Nguyễn Thị Ánh"
    profile = factories.DelegateProfileFactory(full_name=full_name)
    enrollment = factories.EnrollmentFactory(user=profile.user)
    enrollment.completed_at = enrollment.enrolled_at
    enrollment.save(update_fields=["completed_at"])
    services.issue_certificate(enrollment_id=enrollment.pk)
    return hr.username, full_name


def test_granian_serves_sign_in_an_export_and_static_files(app_server):
    username, full_name = hr_with_a_certificate()
    browser = Browser(app_server)

    catalogue = browser.request("/")
    assert catalogue.status == 200
    assert "Khóa học" in catalogue.read().decode()

    login = browser.request("/admin/login/")
    assert login.status == 200
    signed_in = browser.request(
        "/admin/login/",
        {
            "csrfmiddlewaretoken": browser.cookie("csrftoken"),
            "username": username,
            "password": factories.PASSWORD,
        },
        Referer=f"{app_server}/admin/login/",
    )
    assert signed_in.status == 302, signed_in.read().decode()[:2000]
    assert browser.request("/admin/").status == 200

    export = browser.request("/admin/certificates/register/?export=csv")
    assert export.status == 200
    assert export.headers["Content-Type"].startswith("text/csv")
    assert "Content-Length" not in export.headers  # streamed, not buffered
    content = export.read().decode("utf-8")
    assert content.startswith("\ufeff") and full_name in content

    script = browser.request("/static/quizzes/attempt.js")
    assert script.status == 200
    assert b"localStorage" in script.read()

    missing = browser.request("/khong-co-trang-nay/")
    assert missing.status == 404
