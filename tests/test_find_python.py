"""scripts/find-python: the Makefile's choice of interpreter. Of the Pythons 3.12+ it finds, one
whose libpython is linked into the executable comes first (decision 0024); otherwise the first.
The interpreters here are stand-ins that answer the script's three questions (the version, the
build, the path) as a configured Python would, on a PATH and in a home of their own."""

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "find-python"
PYENV_313 = ".pyenv/versions/3.13.0/bin/python3.13"
PYENV_312 = ".pyenv/versions/3.12.1/bin/python3.12"


def stand_in(path: Path, *, linked_in: bool, too_old: bool = False) -> Path:
    """An interpreter at ``path`` that passes the version check unless ``too_old``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "#!/bin/bash\n"
        'case "$2" in\n'
        f'  *print\\(sys.executable\\)*) echo "{path}" ;;\n'
        f"  */proc/self/maps*) exit {0 if linked_in else 1} ;;\n"
        f"  *version_info*) exit {1 if too_old else 0} ;;\n"
        "  *) exit 2 ;;\n"
        "esac\n"
    )
    path.chmod(0o755)
    return path


def find_python(home: Path, *wanted: str) -> subprocess.CompletedProcess:
    # Only the stand-ins may answer: the script needs no command of the machine's PATH.
    environment = {
        "HOME": str(home),
        "PATH": str(home / "bin"),
        "FIND_PYTHON_SYSTEM_DIRS": str(home / "system"),
    }
    return subprocess.run(  # noqa: S603 (the project's own script)
        ["/bin/bash", str(SCRIPT), *wanted],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def home(tmp_path):
    (tmp_path / "bin").mkdir()
    return tmp_path


def test_prefers_an_interpreter_with_libpython_linked_in(home):
    stand_in(home / PYENV_313, linked_in=False)
    linked = stand_in(home / "system/bin/python3.13", linked_in=True)

    found = find_python(home)

    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == str(linked)


def test_takes_the_first_when_none_has_libpython_linked_in(home):
    first = stand_in(home / PYENV_313, linked_in=False)
    stand_in(home / PYENV_312, linked_in=False)

    assert find_python(home).stdout.strip() == str(first)


def test_an_exact_version_for_the_matrix(home):
    stand_in(home / PYENV_313, linked_in=True)
    wanted = stand_in(home / PYENV_312, linked_in=False)

    assert find_python(home, "3.12").stdout.strip() == str(wanted)


def test_explains_when_there_is_none(home):
    stand_in(home / "system/bin/python3.13", linked_in=True, too_old=True)

    found = find_python(home)

    assert found.returncode == 1
    assert found.stdout == ""
    assert "No Python 3.12 or newer was found" in found.stderr
