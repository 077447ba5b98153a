#!/usr/bin/env python
"""Instructions a quiz request costs in the app, counted by valgrind's callgrind: on an idle
machine the same count within about 1 % run after run, where CPU time on this shared 2-core
machine moves by a third. Waiting for PostgreSQL and Redis spins a little, so a busy machine
adds a few percent: compare two versions of the code back to back, on the same database, with
nothing else running. Not a measure of capacity.

    .venv/bin/python benchmarks/run_quiz.py --skip-endpoints --skip-conference  # once: the database
    .venv/bin/python benchmarks/instructions.py [--requests 30] [--kinds ping,start,save,submit]

Each kind is sent ``--requests`` times through Django's test client (one handler, as in a
gunicorn worker: middleware, session and user from Redis, the view, the queries), each time for
a fresh delegate, with the same answers every run. Only those requests are counted: the process
runs under callgrind with instrumentation off, switched on around them (``callgrind_control``).
The database server's work is not counted, nor the kernel's (a round trip's system calls):
fewer instructions from more statements overstate the gain, so time such a change too. Needs
valgrind (``apt-get install valgrind``); about a minute for the default kinds.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import quiz_inprocess  # noqa: E402

KINDS = ("ping", "start", "save", "autosave", "submit")
UNDER_CALLGRIND = "LMS_BENCH_UNDER_CALLGRIND"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="requests of each kind (30)")
    parser.add_argument(
        "--kinds",
        default="ping,start,save,autosave,submit",
        help="comma-separated, of: " + ", ".join(KINDS),
    )
    quiz_inprocess.add_arguments(parser)
    args = parser.parse_args(argv)
    args.kinds = [kind for kind in args.kinds.split(",") if kind]
    unknown = set(args.kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")
    return args


def under_callgrind(argv: list[str]) -> int:
    """Run this script again under callgrind, instrumentation off until switched on."""
    valgrind = shutil.which("valgrind")
    if not valgrind or not shutil.which("callgrind_control"):
        print("valgrind is not installed: apt-get install valgrind", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="lms-callgrind-") as directory:
        command = [
            valgrind,
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={directory}/callgrind.%p",
            sys.executable,
            __file__,
            *argv,
        ]
        environment = {**os.environ, UNDER_CALLGRIND: directory}
        completed = subprocess.run(command, env=environment, stderr=subprocess.DEVNULL)
        return completed.returncode


class Counter:
    """callgrind_control around a block: zero, switch on, dump, switch off, read the total."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)
        self.pid = str(os.getpid())

    def _control(self, *options: str) -> None:
        subprocess.run(["callgrind_control", *options, self.pid], check=True, capture_output=True)

    def count(self, label: str, block) -> int:
        self._control("--zero")
        self._control("--instr=on")
        block()
        self._control(f"--dump={label}")
        self._control("--instr=off")
        dumps = sorted(self.directory.glob(f"callgrind.{self.pid}*"), key=os.path.getmtime)
        for line in dumps[-1].read_text().splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
        raise RuntimeError(f"no totals in {dumps[-1]}")


def measure(args: argparse.Namespace, counter: Counter) -> dict[str, float]:
    from benchmarks.quiz_inprocess import QuizRequests, setup_django

    setup_django(args)
    n = args.requests
    quiz = QuizRequests(n + 1)
    # One delegate through everything first: imports, caches, connections.
    for kind in KINDS:
        quiz.run(kind, [n])
    results = {}
    for kind in args.kinds:
        # What each kind needs done before it, uncounted: an attempt to save into; a whole
        # attempt answered to submit.
        if kind in ("save", "autosave", "submit") and "start" not in results:
            quiz.run("start", range(n))
            results["start"] = None
        if kind in ("autosave", "submit") and "save" not in results:
            quiz.run("save", range(n))
            results["save"] = None
        if kind == "submit":
            quiz.answer_the_other_pages(range(n))
        total = counter.count(kind, lambda kind=kind: quiz.run(kind, range(n)))
        results[kind] = total / n
        print(f"{kind:<9} {total / n / 1e6:7.2f} million instructions a request", flush=True)
    return {kind: value for kind, value in results.items() if value is not None}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    directory = os.environ.get(UNDER_CALLGRIND)
    if directory is None:
        return under_callgrind(argv)
    measure(args, Counter(directory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
