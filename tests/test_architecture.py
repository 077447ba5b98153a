"""The architecture's contracts (.importlinter), kept by import-linter in every test run as in
``make lint``: the apps build on each other in one direction (lms > certificates > quizzes >
courses) and never import the demo site, its content or the benchmarks."""

import subprocess
import sys
from pathlib import Path

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
