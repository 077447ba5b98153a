#!/usr/bin/env python
"""Where the quiz endpoints' time goes: in-process timings, SQL (count and time) and cProfile of
start, page save and submit through Django's test client, on the database ``run_quiz.py``
seeded, against the reference write.

    .venv/bin/python benchmarks/run_quiz.py            # once: creates and seeds lms_quiz_bench
    .venv/bin/python benchmarks/profile_quiz.py [--requests 150] [--top 25]

No server and no load generator: one process, one request at a time. Adds fresh delegates to
the database each run. Writes ``benchmarks/results/profile_quiz_{kind}.prof`` (open with
``python -m pstats``).
"""

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import quiz_inprocess  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
KINDS = ("reference", "start", "save", "autosave", "submit")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=150, help="delegates (and requests)")
    parser.add_argument("--top", type=int, default=25, help="functions to list per profile")
    quiz_inprocess.add_arguments(parser)
    args = parser.parse_args(argv)
    from benchmarks import cpu
    from benchmarks.quiz_inprocess import QuizRequests, setup_django

    setup_django(args)  # as run_quiz.py: production's cache and sessions, in Redis by default
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    n = args.requests
    # n timed without the profiler, n profiled, one to warm up.
    quiz = QuizRequests(2 * n + 1)
    # One untimed delegate through everything: imports, caches, connections.
    for kind in KINDS:
        quiz.run(kind, [2 * n])

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    lines = []
    for kind in KINDS:
        if kind == "submit":  # real attempts: every page answered, about half of them pass
            quiz.answer_the_other_pages(range(2 * n))
        # CPU time, not wall time: on a shared machine waiting is noise. Timed without the
        # profiler, whose overhead grows with the number of calls.
        started, db_started = time.process_time(), cpu.process_seconds(backend)
        wall = time.perf_counter()
        quiz.run(kind, range(n))
        wall = time.perf_counter() - wall
        elapsed = time.process_time() - started
        db = (cpu.process_seconds(backend) or 0) - (db_started or 0)
        profiler = cProfile.Profile(time.process_time)
        with CaptureQueriesContext(connection) as captured:
            profiler.enable()
            quiz.run(kind, range(n, 2 * n))
            profiler.disable()
        profiler.dump_stats(RESULTS / f"profile_quiz_{kind}.prof")
        queries = captured.captured_queries
        sql_ms = sum(float(q["time"]) for q in queries) * 1000 / n
        lines.append(
            f"{kind:<9} app CPU {elapsed * 1000 / n:6.2f} ms + database backend CPU "
            f"{db * 1000 / n:5.2f} ms a request; {len(queries) / n:4.1f} queries, "
            f"{sql_ms:6.2f} ms on SQL (profiled pass); wall {wall * 1000 / n:6.1f} ms"
        )
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
        stats.print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
        print(f"\n===== {kind}: CPU, by cumulative then own time, top {args.top}\n{out.getvalue()}")
        if kind != "reference":
            per_request: dict[str, int] = {}
            for query in queries[-(len(queries) // n) :]:
                per_request[query["sql"][:110]] = per_request.get(query["sql"][:110], 0) + 1
            print(f"----- {kind}: the queries of one request")
            for sql, count in per_request.items():
                print(f"  {count} x {sql}")
    print("\n" + "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
