#!/usr/bin/env python
"""Where the module page's time goes: in-process timings and cProfile of the module page and the
bare page, through Django's test client, on the database that ``run.py`` seeded.

    .venv/bin/python benchmarks/run.py            # once: creates and seeds lms_bench
    .venv/bin/python benchmarks/profile_pages.py [--requests 300] [--top 35]

No server and no load generator: one process, one request at a time, so it is quick and quiet
enough to compare a change to ``courses/`` against the bare page. Writes
``benchmarks/results/profile_{module,bare}.prof`` (open with ``python -m pstats`` or snakeviz).
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"

from benchmarks import cpu  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page")
    parser.add_argument("--top", type=int, default=35, help="functions to list per profile")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench"
        ),
    )
    parser.add_argument("--sqlite", action="store_true", help="use run.py's SQLite fallback")
    args = parser.parse_args(argv)

    url = f"sqlite:///{RESULTS / 'lms_bench.sqlite3'}" if args.sqlite else args.database_url
    os.environ.update({"DJANGO_SETTINGS_MODULE": "lms.settings.bench", "DATABASE_URL": url})
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.benchapp.models import BarePage
    from benchmarks.seed import BARE_SLUG, DELEGATE_EMAIL
    from courses.models import ModulePage

    bare = BarePage.objects.filter(slug=BARE_SLUG).first()
    if bare is None:
        print("No bench data: run benchmarks/run.py first.")
        return 2
    module = ModulePage.objects.filter(title=bare.title).order_by("pk").first()
    user = get_user_model().objects.get(username=DELEGATE_EMAIL.format(n=1))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    settings.DEBUG = False

    pages = {"module": module.url, "bare": bare.url}
    for path in pages.values():  # warm every cache, record the visit
        for _ in range(5):
            assert client.get(path).status_code == 200

    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        if cpu.process_seconds(backend) is None:  # not on this machine
            backend = None

    # Alternate the pages in batches so that a change in the machine's load hits both alike.
    batches = 10
    per_batch = max(1, args.requests // batches)
    wall: dict[str, list[float]] = {name: [] for name in pages}
    app = dict.fromkeys(pages, 0.0)
    db = dict.fromkeys(pages, 0.0)
    for _batch in range(batches):
        for name, path in pages.items():
            app_started = time.process_time()
            db_started = cpu.process_seconds(backend) if backend else 0.0
            for _ in range(per_batch):
                started = time.perf_counter()
                client.get(path)
                wall[name].append((time.perf_counter() - started) * 1000)
            app[name] += time.process_time() - app_started
            if backend:
                db[name] += cpu.process_seconds(backend) - db_started

    total = batches * per_batch
    print(f"In-process, one request at a time, {total} requests per page (ms per request):")
    print(f"  {'page':<7} {'wall p50':>9} {'app CPU':>8} {'db CPU':>7} {'queries':>8}")
    cost = {}
    for name, path in pages.items():
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        app_ms, db_ms = app[name] * 1000 / total, db[name] * 1000 / total
        cost[name] = app_ms + db_ms
        print(
            f"  {name:<7} {statistics.median(wall[name]):9.2f} {app_ms:8.2f} "
            f"{db_ms if backend else float('nan'):7.2f} {len(captured.captured_queries):8d}"
        )
    print(
        f"  module/bare CPU: {cost['module'] / cost['bare']:.2f}x, so the module page would "
        f"serve about {cost['bare'] / cost['module']:.0%} of the bare page's requests/s"
    )

    RESULTS.mkdir(parents=True, exist_ok=True)
    for name, path in pages.items():
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client.get(path)
        profiler.disable()
        profiler.dump_stats(RESULTS / f"profile_{name}.prof")
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(args.top)
        print(f"\n==== {name} page: cumulative, {args.requests} requests")
        print(out.getvalue().split("\n", 6)[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
