"""Building the distribution from a clean clone of the repository (what is committed, nothing
the working tree has made since), with the project's own setuptools: no download."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run(args: list, *, cwd: Path | None = None, env: dict | None = None, timeout: int = 900):
    result = subprocess.run(  # noqa: S603 (our own commands, fixed arguments)
        [str(arg) for arg in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise AssertionError(
            f"{' '.join(map(str, args))} failed ({result.returncode}):\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result


def clean_clone(target: Path) -> Path:
    run(["git", "clone", "--quiet", "--no-hardlinks", REPO, target])
    return target


def build(source: Path, out: Path) -> tuple[Path, Path]:
    """(wheel, sdist) of ``source``, built without isolation by this interpreter's setuptools."""
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, source])
    return next(out.glob("*.whl")), next(out.glob("*.tar.gz"))
