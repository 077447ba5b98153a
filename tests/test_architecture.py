"""The architecture's contracts (.importlinter), kept by import-linter in every test run as in
``make lint``: the apps build on each other in one direction (lms > certificates > quizzes >
courses), never import the demo site, its content or the benchmarks, and use ``courses`` only
through the public modules its package docstring declares."""

import configparser
import re
import subprocess
import sys
from pathlib import Path

import courses

ROOT = Path(__file__).resolve().parent.parent


def lint_imports(*arguments: str) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(  # noqa: S603 (our own command)
        [str(command), "--no-cache", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_import_contract_is_kept():
    result = lint_imports()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_contract_that_does_not_hold_fails(tmp_path):
    """The check can fail: a contract today's code breaks (courses above quizzes) is reported."""
    config = tmp_path / "upside-down.ini"
    config.write_text(
        "[importlinter]\nroot_packages =\n    courses\n    quizzes\n"
        "[importlinter:contract:upside-down]\nname = upside down\ntype = layers\n"
        "layers =\n    courses\n    quizzes\n"
    )

    result = lint_imports("--config", str(config))

    assert result.returncode != 0
    assert "upside down BROKEN" in result.stdout


def test_the_declared_surface_of_courses_is_the_one_the_contract_enforces():
    """courses/__init__.py says what other apps may import; .importlinter enforces the same list."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    contract = config["importlinter:contract:courses-public-surface"]
    enforced = {
        line.removeprefix("** -> ").strip()
        for line in contract["ignore_imports"].splitlines()
        if line.strip()
    }

    declared = set(re.findall(r"^    - ``(courses[.\w]*)``", courses.__doc__, re.MULTILINE))

    assert declared == enforced
    assert {"courses.models", "courses.admin_toolkit", "courses.api.toolkit"} <= declared


def test_an_app_importing_an_internal_module_of_courses_breaks_the_contract(tmp_path):
    """The surface contract can fail: without its declared modules, today's imports break it."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    surface = "importlinter:contract:courses-public-surface"
    for section in config.sections():
        if section.startswith("importlinter:contract:") and section != surface:
            config.remove_section(section)
    config[surface]["ignore_imports"] = "\n** -> courses.models"
    path = tmp_path / "surface.ini"
    with path.open("w") as file:
        config.write(file)

    result = lint_imports("--config", str(path))

    assert result.returncode != 0
    assert "courses.admin_toolkit" in result.stdout
