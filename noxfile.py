"""The supported Django/Wagtail combinations, each pinned by its own lock file.

    .venv/bin/nox                               # the whole matrix (SQLite unless DATABASE_URL)
    .venv/bin/nox -s "tests(lts)"               # one combination
    .venv/bin/nox -s "tests(lts)" -- -k verify  # pytest arguments after --
    .venv/bin/nox -s "tests(lts)" -r            # reuse the session's virtualenv

``latest`` is the default combination (``requirements.lock``, what ``make test`` runs); ``lts``
pins Django 5.2 LTS and Wagtail 7.4 LTS (``requirements-lts.lock``) on the oldest Python we
support. Each session runs the suite as ``make test`` does: the fast tests in parallel, then the
browser and concurrency tests on their own (they flush the database). The packaging journey
(tests/packaging) builds its own virtualenvs and runs outside the matrix.
"""

import os
import subprocess
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.download_python = "never"  # CI cannot fetch interpreters; use the machine's
nox.options.error_on_missing_interpreters = True


def interpreter(version: str) -> str:
    """The machine's Python ``version`` (pyenv's shims hide versions that are not selected)."""
    found = subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [Path(__file__).parent / "scripts" / "find-python", version],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() or version  # nox then says which version is missing


# combination: (Python, lock file)
COMBINATIONS = {
    "lts": (interpreter("3.12"), "requirements-lts.lock"),  # Django 5.2 LTS + Wagtail 7.4 LTS
    "latest": (interpreter("3.13"), "requirements.lock"),  # Django 6.1 + Wagtail 8.0
}


@nox.session
@nox.parametrize(
    ("python", "lock"),
    list(COMBINATIONS.values()),
    ids=list(COMBINATIONS),
)
def tests(session: nox.Session, lock: str) -> None:
    session.install("--quiet", "-r", lock)
    session.install("--quiet", "--no-deps", "--no-build-isolation", "-e", ".")
    if session.posargs:
        session.run("pytest", *session.posargs)
        return
    workers = os.environ.get("PYTEST_WORKERS", "2")
    session.run(
        "pytest", "-n", workers, "--dist", "loadfile", "-m", "not concurrency and not browser"
    )
    # Without PostgreSQL the concurrency tests skip; exit code 5 would mean nothing ran at all.
    # BROWSER_TESTS=0 leaves the browser tests out (CI: the packaging journey drives a browser
    # through an LTS site, and the browser suite runs on the default combination).
    with_browser = os.environ.get("BROWSER_TESTS", "1") != "0"
    session.run("pytest", "-m", "concurrency or browser" if with_browser else "concurrency")
