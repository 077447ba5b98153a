"""The README's command that serves the app (granian, docs/decisions/0025) keeps the worker model
of docs/decisions/0008, and the benchmarks run exactly that server: what capacity.py measures is
what the README tells an agency to run. tests/browser/test_app_server.py starts it for real."""

import os
import re
import shlex
from pathlib import Path

from benchmarks.run import Granian

README = Path(__file__).resolve().parent.parent / "README.md"
SERVING_SECTION = "#### Serving:"
# What a deployment or a benchmark sets for itself: where it listens and how many processes.
PER_MACHINE = {"--host", "--port", "--workers"}


def readme_command() -> list[str]:
    """The README's command that serves the app (the first ``sh`` block of "Serving"), as argv:
    its environment assignments dropped (a caller sets its own), shell arithmetic evaluated."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(SERVING_SECTION) :]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    block = block.replace("$((2 * $(nproc)))", str(2 * (os.cpu_count() or 1)))
    words = shlex.split(block.replace("\\\n", " "))
    return [word for word in words if not re.fullmatch(r"[A-Z_]+=\S*", word)]


def options(command: list[str]) -> dict[str, str | None]:
    """``--name value`` and bare ``--flag`` (None) pairs, after the program and its app."""
    parsed: dict[str, str | None] = {}
    for at, word in enumerate(command):
        if word.startswith("--"):
            following = command[at + 1] if at + 1 < len(command) else ""
            parsed[word] = None if following.startswith("--") or not following else following
    return parsed


def test_the_readme_serves_with_granian_one_connection_a_thread():
    command = readme_command()
    assert command[:2] == ["granian", "lms.wsgi:application"]
    readme = options(command)
    assert readme["--interface"] == "wsgi"
    assert readme["--backpressure"] == readme["--blocking-threads"] == "4"
    assert "--no-http1-keep-alive" in readme  # a kept connection would hold a thread's slot
    assert readme["--workers"] == str(2 * (os.cpu_count() or 1))


def test_the_benchmarks_run_the_readme_server(tmp_path):
    server = Granian(workers=3, threads=4, env={}, log=tmp_path / "log")
    benchmark = options(server.command())
    readme = options(readme_command())
    shared = {name: value for name, value in readme.items() if name not in PER_MACHINE}
    assert {name: benchmark.get(name, "missing") for name in shared} == shared
    assert Path(server.command()[0]).name == "granian"
    assert (benchmark["--workers"], benchmark["--host"]) == ("3", "127.0.0.1")
