#!/usr/bin/env python
"""Quiz benchmark: starting, saving and submitting quiz attempts against a reference write view,
served on loopback by the app server (granian, as in production), then a simulated conference
of 1,000 delegates, with every answer checked in the database afterwards.

    .venv/bin/python benchmarks/run_quiz.py [--strict] [--time-scale 10] [--seconds 5] ...

See benchmarks/README.md. Writes benchmarks/results/quiz.json and quiz.md.
Exit status: 0 when the run is valid (all targets reported), 1 when a target fails and --strict
is given, 2 when the run itself is invalid (the server did not start, the run overran).
"""

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import cpu  # noqa: E402
from benchmarks.run import (  # noqa: E402
    APP_SERVERS,
    BenchmarkInvalid,
    add_cache_arguments,
    add_server_arguments,
    database_backends,
    environment,
    prepare_cache,
    prepare_database,
    setup_and_migrate,
)

RESULTS = ROOT / "benchmarks" / "results"
SETTINGS = "lms.settings.bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lms_quiz_bench"
THROUGHPUT_TARGET = 0.40  # page save and submit, each, of the reference write's throughput
START_P95_MS = 1000
SAVE_P95_MS = 200
SUBMIT_P95_MS = 500
WARM_DELEGATES = 40
QUERY_DELEGATES = 3


def say(message: str = "") -> None:
    print(message, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target fails")
    parser.add_argument(
        "--seconds", type=float, default=5, help="per endpoint and round, at most (default 5)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds over the endpoints (3)")
    parser.add_argument("--concurrency", type=int, default=8, help="connections (default 8)")
    parser.add_argument(
        "--cohort",
        type=int,
        default=800,
        help="fresh delegates per round; the start phase ends early if they run out (800)",
    )
    parser.add_argument(
        "--conference", type=int, default=1000, help="delegates at the conference (1000)"
    )
    parser.add_argument(
        "--time-scale",
        type=float,
        default=1,
        help="conference clock speed-up: 1 (default) is real time, ~3.5 min; 10 starts all "
        "within 6 s and saves every 3 s (ten times the request rate)",
    )
    parser.add_argument(
        "--no-wrk", action="store_true", help="do not cross-check the reference with wrk"
    )
    parser.add_argument("--skip-endpoints", action="store_true", help="conference only")
    parser.add_argument("--skip-conference", action="store_true", help="endpoints only")
    parser.add_argument(
        "--workers",
        type=int,
        default=2 * cores,
        help=f"worker processes (default {2 * cores})",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="threads per worker, production's model (docs/decisions/0008; default 4); with "
        "gunicorn, 1 runs sync workers",
    )
    add_server_arguments(parser)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_QUIZ_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL database to drop and recreate; its name must contain 'bench' "
        "(default $BENCH_QUIZ_DATABASE_URL or %(default)s)",
    )
    add_cache_arguments(parser)
    parser.add_argument(
        "--time-limit", type=int, default=600, help="abort the whole run after this many seconds"
    )
    return parser.parse_args(argv)


# Query counts (in-process, Django's test client)


def count_queries(seeded, delegates) -> dict:
    """SQL queries for one start, one page save (5 answers) and one submit."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.quiz_seed import planned

    counts: dict[str, list[int]] = {"start": [], "save": [], "submit": []}
    sql: dict[str, list[str]] = {}
    user_model = get_user_model()
    for delegate in delegates:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user_model.objects.get(pk=delegate.user_id))

        def post(kind, path, body=None, client=client):
            with CaptureQueriesContext(connection) as captured:
                if body is None:
                    response = client.post(path)
                else:
                    response = client.post(path, json.dumps(body), content_type="application/json")
            counts[kind].append(len(captured.captured_queries))
            sql[kind] = [q["sql"] for q in captured.captured_queries]
            return response

        response = post("start", f"/learn/quizzes/{seeded.quiz_id}/start/")
        if response.status_code != 302:
            raise BenchmarkInvalid(f"Test client: start answered {response.status_code}")
        attempt_id = int(response["Location"].split("/")[3])
        for positions in seeded.pages:
            answers = {str(p): planned(seeded.keys, delegate.index, p) for p in positions}
            response = post("save", f"/learn/attempts/{attempt_id}/save/", {"answers": answers})
            if response.status_code != 200:
                raise BenchmarkInvalid(f"Test client: save answered {response.status_code}")
        response = post("submit", f"/learn/attempts/{attempt_id}/submit/")
        if response.status_code != 302:
            raise BenchmarkInvalid(f"Test client: submit answered {response.status_code}")
    return {
        "start": max(counts["start"][1:] or counts["start"]),  # the first start warms caches
        "save": max(counts["save"][1:]),
        "submit": max(counts["submit"][1:] or counts["submit"]),
        "sql": sql,
    }


# Report


def targets(report: dict) -> list[dict]:
    checks = []
    load = report.get("endpoints")
    if load:
        for kind, label in (("save", "page save"), ("submit", "submit")):
            ratio = load["results"][kind]["rps_of_reference"]
            checks.append(
                {
                    "name": f"{label} throughput >= {THROUGHPUT_TARGET:.0%} of the reference "
                    "write's",
                    "value": f"{ratio:.1%} (by server CPU per request "
                    f"{load['results'][kind]['cpu_of_reference']:.1%})",
                    "passed": ratio >= THROUGHPUT_TARGET,
                }
            )
        verified = load["verified"]
        bad = verified["lost_answers"] + verified["wrong_scores"] + verified["not_graded"]
        checks.append(
            {
                "name": "endpoint rounds: no errors, no lost answers, right scores",
                "value": f"{load['error_count']} errors, {verified['lost_answers']} lost, "
                f"{verified['wrong_scores'] + verified['not_graded']} wrongly graded, "
                f"{verified['duplicate_attempts']} duplicated",
                "passed": not load["error_count"]
                and not bad
                and not verified["duplicate_attempts"],
            }
        )
    conf = report.get("conference")
    if conf:
        verified = conf["verified"]
        checks += [
            {
                "name": "conference: 0 errors",
                "value": f"{conf['error_count']} {conf['error_kinds'] or ''}".strip(),
                "passed": not conf["error_count"],
            },
            {
                "name": "conference: 0 lost answers, every attempt graded with the right score",
                "value": f"{verified['lost_answers']} lost of {verified['answers_acknowledged']} "
                f"acknowledged, {verified['wrong_scores']} wrong scores, {verified['graded']}/"
                f"{conf['delegates']} graded, {verified['duplicate_attempts']} duplicated",
                "passed": not (
                    verified["lost_answers"]
                    or verified["wrong_scores"]
                    or verified["not_graded"]
                    or verified["duplicate_attempts"]
                )
                and verified["graded"] == conf["delegates"],
            },
            {
                "name": f"conference: p95 start < {START_P95_MS} ms",
                "value": f"{conf['by_kind']['start']['p95_ms']:.0f} ms",
                "passed": conf["by_kind"]["start"]["p95_ms"] < START_P95_MS,
            },
            {
                "name": f"conference: p95 save < {SAVE_P95_MS} ms",
                "value": f"{conf['by_kind']['save']['p95_ms']:.0f} ms",
                "passed": conf["by_kind"]["save"]["p95_ms"] < SAVE_P95_MS,
            },
            {
                "name": f"conference: p95 submit < {SUBMIT_P95_MS} ms",
                "value": f"{conf['by_kind']['submit']['p95_ms']:.0f} ms",
                "passed": conf["by_kind"]["submit"]["p95_ms"] < SUBMIT_P95_MS,
            },
        ]
    return checks


HEADERS = [
    "endpoint",
    "req/s",
    "% of ref",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "requests",
    "app CPU ms/req",
    "db CPU ms/req",
    "% of ref by CPU",
    "row-lock waiters",
    "CPU-wait cores",
]
LABELS = {
    "reference": "reference write (1 + 20 rows)",
    "start": "POST start",
    "save": "POST save (5 answers, JSON)",
    "submit": "POST submit",
}


def _fmt(value, spec: str) -> str:
    return "?" if value is None else format(value, spec)


def _rows(report: dict) -> list[list[str]]:
    results = report["endpoints"]["results"]
    return [
        [
            LABELS[kind],
            f"{r['rps']:.1f}",
            f"{r['rps_of_reference']:.1%}",
            f"{r['p50_ms']:.1f}",
            f"{r['p95_ms']:.1f}",
            f"{r['p99_ms']:.1f}",
            str(r["requests"]),
            f"{r['app_cpu_ms_per_request']:.2f}",
            _fmt(r["db_cpu_ms_per_request"], ".2f"),
            f"{r['cpu_of_reference']:.1%}",
            _fmt(r.get("sampled", {}).get("backends_waiting_for_a_lock_mean"), ".2f"),
            _fmt(r.get("sampled", {}).get("workers_waiting_for_cpu_cores"), ".2f"),
        ]
        for kind, r in results.items()
    ]


def _wrk_line(reference: dict) -> str:
    if "wrk_rps" not in reference:
        return "(wrk not installed: no cross-check of the load client's own cost)"
    return (
        f"Reference write loaded by wrk instead: {reference['wrk_rps']:.1f} req/s (the Python "
        f"client, {reference['client_cpu_ms_per_request']:.2f} ms of its own CPU a request: "
        f"{reference['rps']:.1f} req/s)"
    )


def _conference_lines(conf: dict) -> list[str]:
    overall = conf["overall"]
    lines = [
        f"{conf['delegates']} delegates, time x{conf['time_scale']:g} (starts within "
        f"{conf['start_window_s']:g} s, a save every {conf['save_every_s']:g} s), "
        f"{conf['elapsed_s']:g} s, {overall['requests']} requests, {overall['rps']:.1f} req/s "
        f"overall, {conf['late_steps']} steps sent late",
    ]
    for kind in ("start", "save", "submit"):
        r = conf["by_kind"][kind]
        lines.append(
            f"{kind}: {r['requests']} requests, p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} "
            f"ms, p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.0f} ms; statuses {r['statuses']}"
        )
    lines.append(
        f"server CPU {overall['server_cpu_cores']:.2f} cores on average (app "
        f"{overall['app_cpu_ms_per_request']:.2f} + db "
        f"{_fmt(overall['db_cpu_ms_per_request'], '.2f')} ms a request); load client "
        f"{overall['client_cpu_cores']:.2f} cores; other processes "
        f"{_fmt(overall['other_cpu_cores'], '.2f')} cores"
    )
    if conf.get("sampled"):
        sampled = conf["sampled"]
        lines.append(
            f"app server workers on a CPU {sampled['workers_on_cpu_cores']:.2f} cores, runnable "
            f"but waiting for a CPU {sampled['workers_waiting_for_cpu_cores']:.2f} cores; active "
            "database backends waiting for a row lock: "
            f"{sampled['backends_waiting_for_a_lock_mean']} on average, "
            f"{sampled['backends_waiting_for_a_lock_max']} at most; commonest waits "
            f"{sampled['active_backend_waits']}"
        )
    if conf.get("demand_cores") is not None:
        lines.append(
            f"offered load: {conf['planned_requests']} requests over {conf['schedule_s']:g} s, "
            f"needing about {conf['demand_cores']:.2f} cores of server CPU on average at the "
            "endpoint rounds' cost per request"
        )
    verified = conf["verified"]
    lines.append(
        f"checked in the database: {verified['attempts']} attempts, {verified['graded']} graded, "
        f"{verified['answers_acknowledged']} answers acknowledged, "
        f"{verified['lost_answers']} lost, {verified['applied_late']} applied after the client "
        f"gave up, {verified['wrong_scores']} wrong scores, {verified['not_graded']} not graded "
        f"though acknowledged, {verified['duplicate_attempts']} duplicated"
    )
    return lines


def table(report: dict) -> str:
    lines = []
    if report.get("endpoints"):
        rows = [HEADERS, *_rows(report)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
        lines += [
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in rows
        ]
        q = report["queries"]
        lines += ["", _wrk_line(report["endpoints"]["results"]["reference"])]
        lines += [
            f"SQL queries a request: start {q['start']}, save {q['save']}, submit {q['submit']}",
            "",
        ]
    if report.get("conference"):
        lines += ["Conference:", *(f"  {line}" for line in _conference_lines(report["conference"]))]
        lines.append("")
    for target in report["targets"]:
        lines.append(
            f"{'PASS' if target['passed'] else 'FAIL'}  {target['name']}: {target['value']}"
        )
    return "\n".join(lines)


def markdown(report: dict) -> str:
    env, settings = report["environment"], report["settings"]
    notes = "".join(f"\n> {note}\n" for note in report["notes"])
    parts = [
        f"# Quiz benchmark, {report['generated_at']}\n{notes}",
        f"{env['cpus']} cores, Python {env['python']}, Django {env['django']}, Wagtail "
        f"{env['wagtail']}, {env['database']}; cache: {env['cache']}; "
        f"{settings.get('server', 'gunicorn')} {settings['workers']} workers x "
        f"{settings.get('threads', 1)} threads "
        f"(persistent database connections); load client: {settings['client']}.",
    ]
    if report.get("endpoints"):
        rows = "\n".join("| " + " | ".join(row) + " |" for row in _rows(report))
        q = report["queries"]
        parts.append(
            f"## Endpoints\n\n{settings['concurrency']} connections, {settings['rounds']} rounds "
            f"of at most {settings['seconds']:g} s per endpoint (medians of the rounds); each "
            "round a fresh cohort starts, saves its four pages and submits.\n\n"
            f"| {' | '.join(HEADERS)} |\n| --- | {' | '.join('---:' for _ in HEADERS[1:])} |\n"
            f"{rows}\n\n{_wrk_line(report['endpoints']['results']['reference'])}.\n\n"
            f"SQL queries a request (Django test client): start {q['start']}, "
            f"save {q['save']}, submit {q['submit']}."
        )
    if report.get("conference"):
        lines = "\n".join(f"- {line}" for line in _conference_lines(report["conference"]))
        parts.append(f"## Conference\n\n{lines}")
    checks = "\n".join(
        f"- **{'PASS' if t['passed'] else 'FAIL'}** {t['name']}: {t['value']}"
        for t in report["targets"]
    )
    parts.append(f"## Targets\n\n{checks}")
    return "\n\n".join(parts) + "\n"


# Main


def _on_alarm(signum, frame):
    raise TimeoutError("The quiz benchmark ran past --time-limit.")


def _on_term(signum, frame):
    raise SystemExit(128 + signum)


async def _load(args, server, seeded, meter, report, say) -> None:
    from benchmarks.conference import Conference
    from benchmarks.quiz_bench import EndpointBench, aggregate
    from benchmarks.quiz_client import Client
    from benchmarks.quiz_ledger import Ledger
    from benchmarks.quiz_sampler import Sampler

    client = Client(server.base_url)

    def sampler() -> Sampler:
        return Sampler(app_pids=meter.app_pids, database_url=os.environ["DATABASE_URL"])

    spare = seeded.delegates[QUERY_DELEGATES:]
    warm, spare = spare[:WARM_DELEGATES], spare[WARM_DELEGATES:]
    conference, spare = spare[: args.conference], spare[args.conference :]
    endpoint_ledger = Ledger(seeded.keys, seeded.quiz_id)
    bench = EndpointBench(
        client,
        seeded,
        endpoint_ledger,
        meter,
        concurrency=args.concurrency,
        seconds=args.seconds,
        say=say,
    )
    say("== Warming up (every worker imports, connects and fills its caches)")
    await bench.round(warm)
    endpoint_ledger.reset_errors()  # only measured rounds count
    bench.with_wrk = not args.no_wrk
    bench.sampler = sampler
    # Now every worker has its persistent connection (Django refuses queries in the loop).
    meter.db_pids[:] = await asyncio.to_thread(database_backends)
    say(f"  {len(meter.db_pids)} database backends watched")

    if not args.skip_endpoints:
        say(f"== Endpoints: {args.rounds} rounds, {args.concurrency} connections")
        rounds = []
        for n in range(args.rounds):
            cohort, spare = spare[: args.cohort], spare[args.cohort :]
            rounds.append(await bench.round(cohort, label=f"round {n + 1}/{args.rounds}"))
        report["endpoints"] = {
            "results": aggregate(rounds),
            "errors": endpoint_ledger.errors[:50],
            "error_count": endpoint_ledger.error_count,
            "error_kinds": dict(endpoint_ledger.error_kinds),
            "ledger": endpoint_ledger,
        }
    if not args.skip_conference:
        say("== Conference")
        ledger = Ledger(seeded.keys, seeded.quiz_id)
        run = Conference(
            client,
            seeded,
            ledger,
            meter,
            delegates=conference,
            scale=args.time_scale,
            say=say,
            sampler=sampler,
        )
        result = await run.run()
        result["errors"] = ledger.errors[:50]
        result["error_count"] = ledger.error_count
        result["error_kinds"] = dict(ledger.error_kinds)
        result["timeouts"] = ledger.timeouts
        result["ledger"] = ledger
        report["conference"] = result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGTERM, _on_term)
    signal.alarm(args.time_limit)
    RESULTS.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    wall = time.monotonic()

    say("== Database")
    url, database, note = prepare_database(args.database_url, force_sqlite=False)
    if note:  # prepare_database fell back to SQLite: no row locks, no meaningful numbers
        say(f"INVALID: {note}")
        return 2
    say(f"  {database}")
    redis_url, cache = prepare_cache(args, notes)
    env = setup_and_migrate(url, redis_url)
    from django.db import connections

    from benchmarks.quiz_bench import Meter
    from benchmarks.quiz_seed import seed

    needed = QUERY_DELEGATES + WARM_DELEGATES + args.conference
    if not args.skip_endpoints:
        needed += args.rounds * args.cohort
    say(f"== Seeding: a 20-question quiz, {needed} delegates with sessions")
    started = time.monotonic()
    seeded = seed(delegates=needed)
    say(f"  seeded in {time.monotonic() - started:.1f} s")

    say("== Counting queries (Django test client)")
    try:
        queries = count_queries(seeded, seeded.delegates[:QUERY_DELEGATES])
    except BenchmarkInvalid as error:
        say(f"INVALID: {error}")
        return 2
    say(f"  start {queries['start']}, save {queries['save']}, submit {queries['submit']}")
    connections.close_all()

    busy = cpu.busy_fraction()
    if busy is not None and busy > 0.25:
        notes.append(
            f"The machine was {busy:.0%} busy before the run (other processes): throughput and "
            "latency are noisy; the server CPU per request, and the ratios by it, are steadier."
        )
        say(f"NOTE: {notes[-1]}")
    report: dict = {}
    server = APP_SERVERS[args.server](
        workers=args.workers, threads=args.threads, env=env, log=RESULTS / f"quiz_{args.server}.log"
    )
    try:
        say(f"== {server.model()} on {server.base_url}")
        server.start()
        meter = Meter(app_pids=cpu.children(server.process.pid), db_pids=[])
        asyncio.run(_load(args, server, seeded, meter, report, say))
    except (BenchmarkInvalid, TimeoutError) as error:
        say(f"INVALID: {error}")
        return 2
    finally:
        server.stop()
        signal.alarm(0)

    say("== Checking the database against what the server acknowledged")
    for part in ("endpoints", "conference"):
        if part in report:
            report[part]["verified"] = report[part].pop("ledger").verify()
    if "endpoints" in report and "conference" in report:
        conf, cost = report["conference"], report["endpoints"]["results"]
        per_delegate = (
            cost["start"]["server_cpu_ms_per_request"]
            + (len(seeded.pages) + 1) * cost["save"]["server_cpu_ms_per_request"]
            + cost["submit"]["server_cpu_ms_per_request"]
        )
        conf["demand_cores"] = round(
            conf["delegates"] * per_delegate / 1000 / conf["schedule_s"], 2
        )
    connections.close_all()

    report.update(
        {
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "environment": environment(database, cache),
            "notes": notes,
            "settings": {
                "client": "asyncio raw HTTP/1.1, one connection a request (benchmarks/"
                "quiz_client.py), in the runner process",
                "server": args.server,
                "workers": args.workers,
                "threads": args.threads,
                "concurrency": args.concurrency,
                "seconds": args.seconds,
                "rounds": args.rounds,
                "cohort": args.cohort,
                "django_settings": SETTINGS,
                "time_scale": args.time_scale,
                "questions": len(seeded.keys),
                "questions_per_page": len(seeded.pages[0]),
            },
            "queries": queries,
            "wall_seconds": round(time.monotonic() - wall, 1),
        }
    )
    report["targets"] = targets(report)
    name = "quiz"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (RESULTS / f"{name}.md").write_text(markdown(report))
    say("")
    say(table(report))
    say("")
    say(f"Written: {RESULTS / name}.json and {name}.md ({report['wall_seconds']:.0f} s)")
    failed = [t for t in report["targets"] if not t["passed"]]
    if failed and args.strict:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
