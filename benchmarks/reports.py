#!/usr/bin/env python
"""Staff reports at national scale: the quiz statistics page, the responses export, the
certificate register exports, the cohort progress page, the completion report, a roster import,
a bulk ZIP of certificates and a regrade of the quiz, against 10,000 delegates seeded in bulk on
PostgreSQL.

    .venv/bin/python benchmarks/reports.py [--strict] [--reuse] [--repeats 3] ...

See benchmarks/README.md ("Staff reports"). Writes benchmarks/results/reports.json and
reports.md. Exit status: 0 when the run is valid, 1 when a target fails and --strict is given,
2 when the run itself is invalid (a page did not answer 200, an export is incomplete).
"""

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path and would hide the apps' modules.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"
MEDIA = RESULTS / "reports-media"
SETTINGS = "lms.settings.bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lms_bench_reports"
HOST = "127.0.0.1"
COHORT_SIZES = "5000,2500,1500,1000"

TARGET_ROSTER_S = 10.0
TARGET_ZIP_S = 30.0
TARGET_REGRADE_S = 30.0  # in a worker, as the ZIP: a trainer watches its progress bar
# "Memory that does not grow with rows": peak RSS at 10x the rows within this many MiB.
TARGET_RSS_GROWTH_MIB = 16.0


class BenchmarkInvalid(Exception):
    """A page or export did not answer as it must: the run cannot be trusted."""


def say(message: str = "") -> None:
    print(message, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target fails")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_REPORTS_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL database to drop and recreate; its name must contain 'bench' "
        "(default $BENCH_REPORTS_DATABASE_URL or %(default)s)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database the last run seeded (no drop, migrate or seed)",
    )
    parser.add_argument(
        "--cohorts",
        default=COHORT_SIZES,
        help=f"delegates per cohort, the largest first (default {COHORT_SIZES}: 10,000)",
    )
    parser.add_argument("--small", type=int, default=1000, help="rows of the small exports")
    parser.add_argument("--roster", type=int, default=5000, help="rows of the roster import")
    parser.add_argument("--repeats", type=int, default=3, help="timed requests per page")
    parser.add_argument(
        "--only",
        default="pages,exports,zip,regrade,roster",
        help="what to measure, comma-separated (default: pages,exports,zip,regrade,roster)",
    )
    parser.add_argument(
        "--time-limit", type=int, default=1800, help="abort the whole run after this many seconds"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)  # one export in a fresh process
    return parser.parse_args(argv)


# Set-up


def setup_django(url: str) -> None:
    os.environ.update({"DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": url})
    os.environ.pop("REDIS_URL", None)  # a cache per process, sessions in the database
    import django
    from django.conf import settings

    settings.MEDIA_ROOT = str(MEDIA)
    django.setup()


def environment(database: str) -> dict:
    import platform

    import django
    import wagtail

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "database": database,
        "load_average_before": [round(v, 2) for v in os.getloadavg()],
    }


def seed_database(args) -> dict:
    from django.core.management import call_command

    from benchmarks.reports_seed import seed

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    say(f"  migrated in {time.monotonic() - started:.1f} s")
    shutil.rmtree(MEDIA, ignore_errors=True)
    MEDIA.mkdir(parents=True)
    sizes = [int(size) for size in args.cohorts.split(",")]
    started = time.monotonic()
    seeded = seed(
        cohort_sizes=sizes,
        small_quiz_attempts=args.small,
        pdf_files=sizes[0],
        media_root=MEDIA,
        say=say,
    )
    state = {**seeded.__dict__, "seed_seconds": round(time.monotonic() - started, 1)}
    # A live database has its planner statistics (autovacuum): give the bulk-loaded one its own,
    # or PostgreSQL plans every join for a handful of rows.
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    say(f"  VACUUM ANALYZE in {time.monotonic() - started:.1f} s")
    (RESULTS / "reports-seed.json").write_text(json.dumps(state, indent=2))
    return state


# Measuring


def admin_client(state: dict):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    client.force_login(get_user_model().objects.get(pk=state["admin_id"]))
    return client


def consume(response) -> int:
    """Read the whole body as a browser would; returns its size in bytes."""
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    response.close()
    return size


def timed_get(client, url: str, *, repeats: int, marker: str = "") -> dict:
    """GET ``url`` once untimed (warm caches), then ``repeats`` times: median seconds, queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def one():
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
            size = consume(response)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise BenchmarkInvalid(f"{url} answered {response.status_code}")
        if marker and marker.encode() not in (b"" if response.streaming else response.content):
            raise BenchmarkInvalid(f"{url} does not show {marker!r}")
        return elapsed, len(captured.captured_queries), size

    one()
    runs = [one() for _ in range(repeats)]
    return {
        "url": url,
        "seconds_median": round(statistics.median(r[0] for r in runs), 3),
        "seconds_all": [round(r[0], 3) for r in runs],
        "queries": runs[-1][1],
        "bytes": runs[-1][2],
    }


def measure_pages(state: dict, repeats: int) -> dict:
    from django.urls import reverse

    client = admin_client(state)
    largest = state["cohort_ids"][0]
    pages = {
        "statistics": (reverse("quizzes_statistics", args=[state["quiz_id"]]), "<table"),
        "cohort_progress": (reverse("courses_cohort_progress", args=[largest]), "<table"),
        "completion_report": (
            reverse("certificate_completion:index") + f"?cohort={largest}",
            "<table",
        ),
    }
    results = {}
    for key, (url, marker) in pages.items():
        results[key] = timed_get(client, url, repeats=repeats, marker=marker)
        say(
            f"  {key:<18} {results[key]['seconds_median']:7.3f} s (median of {repeats})  "
            f"{results[key]['queries']} queries"
        )
    return results


EXPORTS = ("responses_xlsx", "responses_csv", "register_csv", "register_xlsx")


def export_url(state: dict, kind: str, *, small: bool) -> str:
    from django.urls import reverse

    if kind.startswith("responses"):
        quiz = state["small_quiz_id"] if small else state["quiz_id"]
        return reverse("quizzes_responses_export", args=[quiz, kind.rsplit("_", 1)[1]])
    fmt = kind.rsplit("_", 1)[1]
    since = state["issued_from"]["small" if small else "large"]
    return reverse("certificate_register:index") + f"?export={fmt}&issued_from={since}"


def child_export(args) -> int:
    """In a fresh process: one export, fully read; print time, queries, rows and peak RSS."""
    kind, size = args.child.split(":")
    setup_django(args.database_url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    state = json.loads((RESULTS / "reports-seed.json").read_text())
    client = admin_client(state)
    url = export_url(state, kind, small=size == "small")

    def fetch() -> tuple:
        response = client.get(url)
        if response.streaming:
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
        response.close()
        return response, size

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response, size = fetch()
    elapsed = time.perf_counter() - started
    queries = len(captured.captured_queries)  # now: later requests may reset the log
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Peak RSS is a high-water mark that start-up may already have set: also trace the
    # request's own Python allocations (a second request, slower under tracing, not timed).
    tracemalloc.start()
    fetch()
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    response = client.get(url)
    streaming = response.streaming
    body = b"".join(response.streaming_content) if streaming else response.content
    response.close()
    rows = count_rows(body, kind)
    print(
        json.dumps(
            {
                "url": url,
                "status": response.status_code,
                "streaming": streaming,
                "response_class": type(response).__name__,
                "seconds": round(elapsed, 3),
                "queries": queries,
                "rows": rows,
                "bytes": size,
                "rss_before_mib": round(before / 1024, 1),
                "rss_peak_mib": round(peak / 1024, 1),
                "traced_peak_mib": round(traced_peak / 2**20, 1),
            }
        )
    )
    return 0


def count_rows(body: bytes, kind: str) -> int:
    """Data rows (the header excluded) of a CSV or XLSX body."""
    if kind.endswith("csv"):
        import csv
        import io

        return sum(1 for _row in csv.reader(io.StringIO(body.decode("utf-8-sig")))) - 1
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body), read_only=True)
    return sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True)) - 1


def measure_exports(args, state: dict) -> dict:
    results = {}
    for kind in EXPORTS:
        results[kind] = {}
        for size in ("small", "large"):
            completed = subprocess.run(
                [sys.executable, __file__, "--database-url", args.database_url,
                 "--child", f"{kind}:{size}"],
                capture_output=True, text=True, cwd=ROOT, check=False,
            )  # fmt: skip
            if completed.returncode != 0:
                raise BenchmarkInvalid(
                    f"export {kind} ({size}) failed:\n{completed.stderr[-3000:]}"
                )
            result = json.loads(completed.stdout.strip().splitlines()[-1])
            if result["status"] != 200:
                raise BenchmarkInvalid(f"{result['url']} answered {result['status']}")
            results[kind][size] = result
            say(
                f"  {kind:<14} {size:<5} {result['rows']:6d} rows  {result['seconds']:6.2f} s  "
                f"{result['queries']:3d} queries  peak RSS {result['rss_peak_mib']:6.1f} MiB  "
                f"traced {result['traced_peak_mib']:6.1f} MiB  "
                f"{result['response_class']}"
            )
        small, large = results[kind]["small"], results[kind]["large"]
        results[kind]["rss_growth_mib"] = round(large["rss_peak_mib"] - small["rss_peak_mib"], 1)
        results[kind]["traced_growth_mib"] = round(
            large["traced_peak_mib"] - small["traced_peak_mib"], 1
        )
    return results


def roster_file(rows: int, *, run: str) -> bytes:
    from benchmarks.reports_seed import ORGANISATIONS, POSITIONS, full_name
    from courses import roster
    from courses.models import Province
    from courses.spreadsheets import csv_text

    provinces = list(Province.objects.order_by("sort_order").values_list("name", flat=True))
    lines = [roster.template_headings()]
    for n in range(rows):
        values = {
            roster.Column.FULL_NAME: full_name(100_000 + n),
            roster.Column.ORGANISATION: ORGANISATIONS[n % len(ORGANISATIONS)],
            roster.Column.POSITION: POSITIONS[n % len(POSITIONS)],
            roster.Column.PROVINCE: provinces[n % len(provinces)],
            roster.Column.EMAIL: f"bench.roster.{run}.{n}@example.vn",
        }
        lines.append([values[column] for column in roster.Column])
    return csv_text(lines).encode("utf-8")


def measure_roster(state: dict, rows: int) -> dict:
    """Upload, preview and confirm a roster of ``rows`` new delegates into an empty cohort."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils.crypto import get_random_string

    from courses.models import Cohort, Enrollment

    client = admin_client(state)
    # A new empty cohort and new addresses each run, so --reuse can import again.
    run = get_random_string(6, "abcdefghijklmnopqrstuvwxyz")
    template = Cohort.objects.get(pk=state["roster_cohort_id"])
    cohort = Cohort.objects.create(
        name=f"{template.name} {run}",
        course_id=template.course_id,
        starts_on=template.starts_on,
        ends_on=template.ends_on,
        enrolment_code=f"ROSTER{run.upper()}",
    ).pk
    data = roster_file(rows, run=run)
    steps = {}

    def step(name, call):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = call()
        steps[name] = {
            "seconds": round(time.perf_counter() - started, 3),
            "queries": len(captured.captured_queries),
            "status": response.status_code,
        }
        say(f"  roster {name:<8} {steps[name]['seconds']:7.3f} s  {steps[name]['queries']} queries")
        return response

    upload = step(
        "upload",
        lambda: client.post(
            reverse("courses_roster_upload", args=[cohort]),
            {"file": SimpleUploadedFile("danh-sach.csv", data, content_type="text/csv")},
        ),
    )
    if upload.status_code != 302:
        raise BenchmarkInvalid(f"roster upload answered {upload.status_code}")
    preview_url = upload["Location"]
    preview = step("preview", lambda: client.get(preview_url))
    if preview.status_code != 200:
        raise BenchmarkInvalid(f"roster preview answered {preview.status_code}")
    # As production: the invitations are queued for db_worker (TASKS), not sent in the request.
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        confirm = step("confirm", lambda: client.post(preview_url + "confirm/"))
    if confirm.status_code != 302:
        raise BenchmarkInvalid(f"roster confirm answered {confirm.status_code}")
    imported = Enrollment.objects.filter(cohort_id=cohort).count()
    if imported != rows:
        raise BenchmarkInvalid(f"roster import enrolled {imported} of {rows}")
    return {
        "rows": rows,
        "steps": steps,
        "preview_and_commit_seconds": round(
            steps["preview"]["seconds"] + steps["confirm"]["seconds"], 3
        ),
        "total_seconds": round(sum(s["seconds"] for s in steps.values()), 3),
    }


def measure_zip(state: dict) -> dict:
    """The bulk ZIP of the largest cohort's certificates, built by the task's body as a
    database worker runs it (leases, checkpoints, progress, the stored file handed over)."""
    import zipfile

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from certificates import tasks
    from certificates.models import BulkDownload

    user = get_user_model().objects.get(pk=state["admin_id"])
    started = time.perf_counter()
    cpu_started = time.process_time()
    # Queued on commit; lms.settings.bench keeps Django's ImmediateBackend, which runs it right
    # then, in this process: no queue in between, only the worker's own work is timed.
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        job = tasks.start_bulk_download(
            user=user, params={"cohort": [str(state["cohort_ids"][0])]}, language="vi"
        )
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    job.refresh_from_db()
    if job.state != BulkDownload.State.DONE:
        raise BenchmarkInvalid(f"bulk ZIP ended {job.state}: {job.error}")
    with job.zip_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
        size = sum(info.file_size for info in archive.infolist())
    expected = state["cohort_sizes"][0]
    if len(names) != expected + 1:
        raise BenchmarkInvalid(f"bulk ZIP holds {len(names) - 1} of {expected} certificates")
    say(
        f"  bulk ZIP of {expected} certificates: {elapsed:.2f} s ({cpu:.2f} s CPU), "
        f"{size / 2**20:.0f} MiB"
    )
    return {
        "certificates": expected,
        "seconds": round(elapsed, 3),
        "process_cpu_seconds": round(cpu, 3),
        "queries": len(captured.captured_queries),
        "zip_mib": round(size / 2**20, 1),
    }


def measure_regrade(state: dict) -> dict:
    """The national quiz regraded after a key is fixed (its first single-choice question's right
    answer becomes one of its wrong ones): the dry run page a trainer opens (as an
    administrator, through the test client), then the job's task body as a database worker runs
    it (chunks of delegates, leases, checkpoints). All in one transaction rolled back at the
    end, so that the database stays as seeded."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from quizzes import tasks
    from quizzes.models import Choice, QuizPage
    from quizzes.services.regrading import submitted_attempts

    class RolledBack(Exception):
        pass

    quiz = QuizPage.objects.get(pk=state["quiz_id"])
    user = get_user_model().objects.get(pk=state["admin_id"])
    result = {}
    try:
        with transaction.atomic():
            question = quiz.slots.filter(question__type="single").first().question
            right = question.choices.get(is_correct=True)
            wrong = question.choices.exclude(pk=right.pk).first()
            Choice.objects.filter(pk=right.pk).update(is_correct=False)
            Choice.objects.filter(pk=wrong.pk).update(is_correct=True)
            client = admin_client(state)
            started = time.perf_counter()
            # The test client has closed the response (a second close() would end the request
            # again and close the connection, which is in this transaction).
            page = client.get(reverse("quizzes_regrade", args=[quiz.pk]))
            page_size = len(page.content)
            dry_run = time.perf_counter() - started
            if page.status_code != 200:
                raise BenchmarkInvalid(f"the regrade page answered {page.status_code}")
            # How many attempts and delegates the job must take, counted rather than computed
            # again (the page's dry run has just scored them all).
            submitted = submitted_attempts(quiz)
            attempts = submitted.count()
            delegates = submitted.values("user_id").distinct().count()
            job = tasks.start_regrade(quiz=quiz, user=user)
            started, cpu_started = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as captured:
                tasks.run_regrade(job_id=job.pk)
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            job.refresh_from_db()
            if job.state != job.State.DONE or job.done != attempts:
                raise BenchmarkInvalid(f"regrade ended {job.state}, {job.done}/{attempts}")
            result = {
                "attempts": job.done,
                "changed": job.changed,
                "dry_run_seconds": round(dry_run, 3),
                "dry_run_page_kib": round(page_size / 1024),
                "seconds": round(elapsed, 3),
                "process_cpu_seconds": round(cpu, 3),
                "queries": len(captured.captured_queries),
                "chunks": -(-delegates // tasks.CHUNK_SIZE),
            }
            raise RolledBack
    except RolledBack:
        pass
    say(
        f"  regrade of {result['attempts']} attempts ({result['changed']} changed): the dry run "
        f"page {result['dry_run_seconds']:.2f} s, the job {result['seconds']:.2f} s "
        f"({result['process_cpu_seconds']:.2f} s CPU, {result['queries']} queries, "
        f"{result['chunks']} chunks)"
    )
    return result


# Report


def targets(report: dict) -> list[dict]:
    """PASS/FAIL for what this run measured (``--only`` may leave some out)."""
    pages, exports = report.get("pages"), report.get("exports", {})
    rows = []
    if pages:
        rows += [
            ("quiz statistics page <= 2 s", pages["statistics"]["seconds_median"], 2.0),
            ("cohort progress page <= 1 s", pages["cohort_progress"]["seconds_median"], 1.0),
            ("completion report <= 1 s", pages["completion_report"]["seconds_median"], 1.0),
        ]
    if "roster" in report:
        rows.append(
            (
                f"roster of {report['roster']['rows']} previewed and committed <= 10 s",
                report["roster"]["preview_and_commit_seconds"],
                TARGET_ROSTER_S,
            )
        )
    if "regrade" in report:
        rows.append(
            (
                f"regrade of {report['regrade']['attempts']} attempts in a worker <= 30 s",
                report["regrade"]["seconds"],
                TARGET_REGRADE_S,
            )
        )
    if "zip" in report:
        rows.append(
            (
                f"bulk ZIP of {report['zip']['certificates']} certificates <= 30 s",
                report["zip"]["seconds"],
                TARGET_ZIP_S,
            )
        )
    checks = [
        {"name": name, "value": f"{value:.3f} s", "passed": value <= limit}
        for name, value, limit in rows
    ]
    for kind, result in exports.items():
        small, large = result["small"], result["large"]
        constant = small["queries"] == large["queries"]
        flat = max(result["rss_growth_mib"], result["traced_growth_mib"]) <= TARGET_RSS_GROWTH_MIB
        checks.append(
            {
                "name": f"{kind}: streamed, queries constant, memory flat "
                f"({small['rows']} vs {large['rows']} rows)",
                "value": f"{large['response_class']}, {small['queries']} vs {large['queries']} "
                f"queries, peak RSS {small['rss_peak_mib']} vs {large['rss_peak_mib']} MiB "
                f"(+{result['rss_growth_mib']} MiB), request's traced peak "
                f"{small['traced_peak_mib']} vs {large['traced_peak_mib']} MiB, "
                f"{large['seconds']} s",
                "passed": bool(large["streaming"] and constant and flat),
            }
        )
    return checks


def markdown(report: dict) -> str:
    env = report["environment"]
    pages = "\n".join(
        f"| {key} | {value['seconds_median']:.3f} s | {value['queries']} |"
        for key, value in report["pages"].items()
    )
    exports = "\n".join(
        f"| {kind} | {r['small']['rows']} / {r['large']['rows']} | "
        f"{r['small']['seconds']:.2f} / {r['large']['seconds']:.2f} s | "
        f"{r['small']['queries']} / {r['large']['queries']} | "
        f"{r['small']['rss_peak_mib']} / {r['large']['rss_peak_mib']} MiB | "
        f"{r['small']['traced_peak_mib']} / {r['large']['traced_peak_mib']} MiB | "
        f"{r['large']['response_class']} |"
        for kind, r in report["exports"].items()
    )
    checks = "\n".join(
        f"- **{'PASS' if t['passed'] else 'FAIL'}** {t['name']}: {t['value']}"
        for t in report["targets"]
    )
    roster = report["roster"]
    return f"""# Staff reports benchmark, {report["generated_at"]}

{env["cpus"]} cores, Python {env["python"]}, Django {env["django"]}, Wagtail {env["wagtail"]},
{env["database"]}. Load average before: {env["load_average_before"]}, after:
{report["load_average_after"]}. Seed: {report["seed"]}.

| page | median | queries |
| --- | ---: | ---: |
{pages}

| export | rows (small / large) | seconds | queries | peak RSS | traced peak | response |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
{exports}

Roster of {roster["rows"]}: {json.dumps(roster["steps"])}.
Bulk ZIP: {json.dumps(report["zip"])}.
Regrade: {json.dumps(report["regrade"])}.

{checks}
"""


def _on_alarm(signum, frame):
    raise TimeoutError("The benchmark ran past --time-limit.")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child_export(args)
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(args.time_limit)
    RESULTS.mkdir(parents=True, exist_ok=True)
    run_started = time.monotonic()
    from benchmarks.run import prepare_database

    say("== Database")
    if args.reuse:
        url, database = args.database_url, f"PostgreSQL ({args.database_url}, reused)"
    else:
        url, database, note = prepare_database(args.database_url, force_sqlite=False)
        if note:
            say(f"INVALID: {note}")
            return 2
    say(f"  {database}")
    setup_django(url)
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "environment": environment(database),
    }
    try:
        if args.reuse:
            state = json.loads((RESULTS / "reports-seed.json").read_text())
            from benchmarks.reports_seed import restore_pdfs

            restored = restore_pdfs(MEDIA, state["pdf_files"])
            if restored:
                say(f"  {restored} seeded PDF files were missing from {MEDIA}: written again")
        else:
            say("== Seeding (bulk)")
            state = seed_database(args)
        report["seed"] = {
            key: state[key]
            for key in ("delegates", "attempts", "responses", "certificates", "pdf_files",
                        "cohort_sizes", "seed_seconds")
            if key in state
        }  # fmt: skip
        only = set(args.only.split(","))
        if "pages" in only:
            say("== Pages (Django test client, in process, as an administrator)")
            report["pages"] = measure_pages(state, args.repeats)
        if "exports" in only:
            say("== Exports (each in a fresh process: time, queries, peak RSS)")
            report["exports"] = measure_exports(args, state)
        if "zip" in only:
            say("== Bulk ZIP (the worker's task body)")
            report["zip"] = measure_zip(state)
        if "regrade" in only:
            say("== Regrade after a key is fixed (the dry run, then the worker's task body)")
            report["regrade"] = measure_regrade(state)
        if "roster" in only:
            say("== Roster import")
            report["roster"] = measure_roster(state, args.roster)
    except BenchmarkInvalid as error:
        say(f"INVALID: {error}")
        return 2
    finally:
        signal.alarm(0)
    report["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    report["runtime_seconds"] = round(time.monotonic() - run_started, 1)
    report["targets"] = targets(report)
    complete = all(key in report for key in ("pages", "exports", "zip", "regrade", "roster"))
    name = "reports" if complete else "reports-partial"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if complete:
        (RESULTS / "reports.md").write_text(markdown(report))
    say("")
    for target in report["targets"]:
        say(f"{'PASS' if target['passed'] else 'FAIL'}  {target['name']}: {target['value']}")
    say(f"\nRun took {report['runtime_seconds']} s. Written: {RESULTS / name}.json")
    failed = [t for t in report["targets"] if not t["passed"]]
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
