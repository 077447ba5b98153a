#!/usr/bin/env python
"""Capacity: the conference (``conference.py``) at several sizes in one run, against one app server
or, with ``--servers 2``, two behind nginx, with a ``db_worker`` issuing the certificates.

    .venv/bin/python benchmarks/capacity.py --delegates 1000,3000,6000,10000
    .venv/bin/python benchmarks/capacity.py --delegates 6000 --servers 2
    .venv/bin/python benchmarks/capacity.py --delegates 300,600 --time-scale 4   # a quick check

For each size, fresh delegates (seeded in bulk once, up front) start within 60 s, save a page
every 30 s, change an answer, and submit (``--time-scale`` divides every interval). Reported per
size: errors, client timeouts, lost answers (checked in the database afterwards), p50/p95/p99 of
start, save and submit, the server's CPU (cores used; the app's CPU ms per request for each kind,
read from each response's ``X-Bench-CPU-us``; the database backends' CPU ms per request overall)
and the load client's own CPU. Before the run, the machine's speed: the CPU a signed-in request's
floor costs in process (the same instructions on any machine; a shared machine's speed changes
from day to day). Writes ``benchmarks/results/capacity[-scaleout].{json,md}``.

The server and its worker model are production's (docs/decisions/0025 and 0008): granian's WSGI
server, ``--workers`` processes of ``--threads`` threads each, each taking only as many
connections as it has threads. To compare: ``--server gunicorn`` (gthread workers;
``--threads 1`` runs sync workers), ``--worker-connections 1000`` (gunicorn's default, which
takes every connection it can and queues it inside). Exit status: 0 valid (targets reported), 1
a target failed and ``--strict``, 2 invalid run.
"""

import argparse
import asyncio
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import cpu  # noqa: E402
from benchmarks.run import (  # noqa: E402
    APP_SERVERS,
    HOST,
    AppServer,
    BenchmarkInvalid,
    add_cache_arguments,
    add_server_arguments,
    environment,
    free_port,
    prepare_cache,
    prepare_database,
    setup_and_migrate,
)

RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lms_capacity_bench"
TARGET_DELEGATES = 6000
START_P95_MS = 1000
SAVE_P95_MS = 200
SUBMIT_P95_MS = 500
WARM_DELEGATES = 60
QUERY_DELEGATES = 3
CPU_HEADER = "x-bench-cpu-us"


def say(message: str = "") -> None:
    print(message, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--delegates",
        default="1000,3000,6000,10000",
        help="conference sizes, comma-separated, run one after the other (%(default)s)",
    )
    parser.add_argument(
        "--time-scale",
        type=float,
        default=1,
        help="conference clock speed-up; 1 (default) is real time: 60 s of starts, 3.5 min each",
    )
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        choices=(1, 2),
        help="app server instances; 2 puts nginx in front and issues certificates in a db_worker",
    )
    add_server_arguments(parser)
    parser.add_argument(
        "--workers", type=int, default=2 * cores, help=f"worker processes each ({2 * cores})"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="threads per worker (default 4); with gunicorn, 1 runs sync workers",
    )
    parser.add_argument(
        "--worker-connections",
        type=int,
        default=None,
        help="connections a worker takes at once (default: its threads, as production; "
        "gunicorn's own default, 1000, takes every connection it can and queues it inside)",
    )
    parser.add_argument(
        "--certificates",
        action="store_true",
        help="delegates have read the modules, so a pass completes the course and a db_worker "
        "issues its certificate (always on with --servers 2)",
    )
    parser.add_argument("--timeout", type=float, default=30, help="client timeout, seconds (30)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target fails")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_CAPACITY_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL database to drop and recreate; its name must contain 'bench' "
        "(default $BENCH_CAPACITY_DATABASE_URL or %(default)s)",
    )
    add_cache_arguments(parser)
    parser.add_argument(
        "--time-limit",
        type=int,
        default=0,
        help="abort after this many seconds (default: 10 min plus twice each size's schedule)",
    )
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in args.delegates.split(",") if size.strip()]
    args.certificates = args.certificates or args.servers > 1
    return args


# Processes: app servers, nginx, the task worker


class Nginx:
    """Debian's nginx as a round-robin load balancer in front of the instances, with its own
    configuration, pid file and logs in a temporary directory; always stopped by stop()."""

    def __init__(self, upstreams: list[str], directory: Path) -> None:
        self.binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.port = free_port()
        self.directory = directory
        self.upstreams = upstreams
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def config(self) -> str:
        servers = "\n".join(f"        server {upstream};" for upstream in self.upstreams)
        d = self.directory
        return f"""daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile 20000;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 16000; }}
http {{
    access_log off;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    upstream lms {{
{servers}
    }}
    server {{
        listen {HOST}:{self.port} backlog=4096;
        location / {{
            proxy_pass http://lms;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""

    def start(self, *, timeout: float = 15) -> None:
        if not Path(self.binary).exists():
            if os.geteuid() == 0 and shutil.which("apt-get"):
                say("  installing nginx (apt-get install -y nginx)")
                subprocess.run(
                    ["apt-get", "install", "-y", "nginx"], check=True, capture_output=True
                )
            else:
                raise BenchmarkInvalid("nginx is not installed: apt-get install -y nginx")
        conf = self.directory / "nginx.conf"
        conf.write_text(self.config())
        self.process = subprocess.Popen(
            [self.binary, "-c", str(conf), "-p", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=(self.directory / "stderr.log").open("wb"),
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        from benchmarks import load

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchmarkInvalid(
                    "nginx exited: " + (self.directory / "stderr.log").read_text()[-2000:]
                )
            try:
                status, _headers, _body = load.fetch(f"{self.base_url}/bench/ping/", cookie="")
            except OSError:
                status = 0
            if status == 200:
                return
            time.sleep(0.2)
        raise BenchmarkInvalid("nginx did not answer")

    def stop(self) -> None:
        stop_process(self.process, signal.SIGQUIT)


class TaskWorker:
    """``manage.py db_worker`` (django-tasks' database backend), as production runs it."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--interval",
                    "0.5",
                    "--no-reload",
                    "--no-startup-delay",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def stop(self) -> None:
        stop_process(self.process, signal.SIGTERM)


def stop_process(process: subprocess.Popen | None, sig: int) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # our own session only
        process.wait(timeout=10)


# CPU accounting across instances and threads


def backends_of(database: str) -> list[int]:
    """The PostgreSQL backends connected to ``database`` on this machine, found in /proc (their
    command line names the database), so that connections threads open later are found too."""
    pids = []
    for entry in cpu.PROC.glob("[0-9]*"):
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            pids.append(int(entry.name))
    return pids


def make_meter(servers: list[AppServer], database: str, exclude: list[int]):
    from benchmarks.quiz_bench import Meter

    class ScanningMeter(Meter):
        """The quiz benchmark's meter, its processes found again when each size begins."""

        def begin(self) -> tuple:
            self.app_pids[:] = [p for s in servers for p in cpu.children(s.process.pid)]
            self.db_pids[:] = [p for p in backends_of(database) if p not in exclude]
            return super().begin()

    return ScanningMeter(app_pids=[], db_pids=[])


# Seeding


def complete_modules(course) -> None:
    """Every delegate has read both modules (in bulk): passing the final test completes the
    course, which enqueues the certificate."""
    from django.utils import timezone

    from courses.models import Completion, Enrollment, ModulePage

    now = timezone.now()
    modules = list(ModulePage.objects.child_of(course).values_list("pk", flat=True))
    enrolments = Enrollment.objects.filter(course=course).values_list("pk", flat=True)
    Completion.objects.bulk_create(
        (
            Completion(enrollment_id=e, page_id=m, completed_at=now)
            for e in enrolments
            for m in modules
        ),
        batch_size=5000,
    )


def machine_speed(delegate, rounds: int = 3, requests: int = 200) -> float:
    """CPU ms of one signed-in request through the whole middleware stack, session and user
    (``/bench/ping/``), in this process: best of ``rounds`` of ``requests``. The same code costs
    the same instructions on every machine, so this says how fast the machine of the day runs
    it: compare the app CPU of two runs only when their speeds agree."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(pk=delegate.user_id))
    for _ in range(20):  # imports, connections, the cached user
        client.get("/bench/ping/")
    best = math.inf
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(requests):
            if client.get("/bench/ping/").status_code != 200:
                raise BenchmarkInvalid("Test client: /bench/ping/ did not answer 200")
        best = min(best, (time.process_time() - started) / requests * 1000)
    return round(best, 3)


# One size


def cpu_by_kind(replies) -> dict:
    """The app's CPU ms a request by kind, from each response's header (autosave apart)."""
    found: dict[str, list[float]] = {}
    for reply in replies:
        value = reply.headers.get(CPU_HEADER)
        if value is None:
            continue
        kind = reply.request.kind
        if kind == "save" and len(reply.request.tag[1]) == 1:
            kind = "autosave"
        found.setdefault(kind, []).append(int(value) / 1000)
    return {kind: round(statistics.fmean(values), 2) for kind, values in found.items()}


async def conference(client, seeded, meter, delegates, scale) -> dict:
    from benchmarks.conference import Conference
    from benchmarks.quiz_ledger import Ledger

    ledger = Ledger(seeded.keys, seeded.quiz_id)
    run = Conference(client, seeded, ledger, meter, delegates=delegates, scale=scale, say=say)
    result = await run.run()
    result["app_cpu_ms_by_kind"] = cpu_by_kind(run.result.replies)
    result["peak_cores_asked"] = peak_cores_asked(run, result)
    result["errors"] = ledger.errors[:30]
    result["error_count"] = ledger.error_count
    result["error_kinds"] = dict(ledger.error_kinds)
    result["timeouts"] = ledger.timeouts
    result["ledger"] = ledger
    return result


def peak_cores_asked(run, result) -> float | None:
    """The cores the conference asked for at its busiest moment, at the CPU its requests cost
    here (the app's by kind and the database's mean; the server's own work apart): above the
    machine's cores no worker model keeps up. None when a kind never answered."""
    db_ms = result["overall"]["db_cpu_ms_per_request"] or 0
    asked = {kind: ms + db_ms for kind, ms in result["app_cpu_ms_by_kind"].items()}
    if not {"start", "save", "autosave", "submit"} <= asked.keys():
        return None
    pages = len(run.seeded.pages)
    return round(run.timeline.peak_cores(len(run.delegates), pages, asked), 2)


async def wait_for_tasks(seconds: float) -> dict:
    """Until the task queue is empty (or ``seconds`` pass): how many tasks and how long."""

    def counts() -> dict:
        from django.db import connection
        from django_tasks_db.models import DBTaskResult

        by_status = {}
        for status in DBTaskResult.objects.values_list("status", flat=True):
            by_status[status] = by_status.get(status, 0) + 1
        connection.close()
        return by_status

    started = time.monotonic()
    while True:
        by_status = await asyncio.to_thread(counts)
        waiting = by_status.get("READY", 0) + by_status.get("RUNNING", 0)
        if not waiting or time.monotonic() - started > seconds:
            return {"tasks": by_status, "drained_in_s": round(time.monotonic() - started, 1)}
        await asyncio.sleep(1)


async def run_sizes(args, base_url, seeded, meter, report) -> None:
    from benchmarks.quiz_client import Client

    client = Client(base_url, timeout=args.timeout)
    spare = seeded.delegates[QUERY_DELEGATES:]
    warm, spare = spare[:WARM_DELEGATES], spare[WARM_DELEGATES:]
    say(f"== Warming up: {len(warm)} delegates at time x30")
    await conference(client, seeded, meter, warm, 30)
    for size in args.sizes:
        cohort, spare = spare[:size], spare[size:]
        say(f"== {size} delegates")
        result = await conference(client, seeded, meter, cohort, args.time_scale)
        if args.certificates:
            result["certificate_tasks"] = await wait_for_tasks(120)
        report["sizes"].append(result)
        by = result["by_kind"]
        say(
            f"  {result['error_count']} errors ({result['timeouts']} timeouts); p95 start "
            f"{by['start']['p95_ms']:.0f} ms, save {by['save']['p95_ms']:.0f} ms, submit "
            f"{by['submit']['p95_ms']:.0f} ms; server {result['overall']['server_cpu_cores']:.2f}"
            f" cores, client {result['overall']['client_cpu_cores']:.2f}; the peak asked"
            f" {_cores(result['peak_cores_asked'])} cores"
        )


# Checks and report


def verify_certificates(user_ids: list[int]) -> dict:
    from django.db.models import Count

    from certificates.models import Certificate
    from courses.models import Enrollment

    completed = Enrollment.objects.filter(user_id__in=user_ids, completed_at__isnull=False)
    certificates = Certificate.objects.filter(enrollment__user_id__in=user_ids)
    per_enrolment = certificates.values("enrollment_id").annotate(n=Count("pk"))
    counted = {row["enrollment_id"]: row["n"] for row in per_enrolment}
    completed_ids = set(completed.values_list("pk", flat=True))
    return {
        "completed": len(completed_ids),
        "certificates": certificates.count(),
        "missing": len(completed_ids - counted.keys()),
        "more_than_one": sum(1 for n in counted.values() if n > 1),
        "without_completion": len(counted.keys() - completed_ids),
    }


def checks(args, report) -> list[dict]:
    found = []
    for result in report["sizes"]:
        n, v, by = result["delegates"], result["verified"], result["by_kind"]
        ok = (
            not result["error_count"]
            and not v["lost_answers"]
            and not v["wrong_scores"]
            and v["graded"] == n
            and by["start"]["p95_ms"] < START_P95_MS
            and by["save"]["p95_ms"] < SAVE_P95_MS
            and by["submit"]["p95_ms"] < SUBMIT_P95_MS
        )
        cert = result.get("certificates")
        if cert:
            ok = ok and not (cert["missing"] or cert["more_than_one"] or cert["without_completion"])
        found.append(
            {
                "delegates": n,
                "target": n == TARGET_DELEGATES or args.time_scale != 1,
                "passed": ok,
            }
        )
    return found


COLUMNS = [
    "delegates", "requests", "errors", "timeouts", "lost answers", "graded right",
    "start p50/p95/p99 ms", "save p50/p95/p99 ms", "submit p50/p95/p99 ms",
    "server cores", "app CPU ms start/save/autosave/submit", "db CPU ms/req",
    "server CPU ms/req", "cores asked at the peak", "client cores", "other cores",
    "certificates", "targets",
]  # fmt: skip


def _cores(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f}"


def _ppp(summary: dict) -> str:
    return f"{summary['p50_ms']:.0f} / {summary['p95_ms']:.0f} / {summary['p99_ms']:.0f}"


def rows(report) -> list[list[str]]:
    out = []
    for result, check in zip(report["sizes"], report["checks"], strict=True):
        v, by, overall = result["verified"], result["by_kind"], result["overall"]
        kinds = result["app_cpu_ms_by_kind"]
        cert = result.get("certificates")
        other = overall.get("other_cpu_cores")
        out.append(
            [
                f"{result['delegates']:,}",
                f"{overall['requests']:,}",
                str(result["error_count"]),
                str(result["timeouts"]),
                f"{v['lost_answers']} of {v['answers_acknowledged']:,}",
                f"{v['graded'] - v['wrong_scores']:,}/{result['delegates']:,}"
                f" ({v['wrong_scores']} wrong)",
                _ppp(by["start"]),
                _ppp(by["save"]),
                _ppp(by["submit"]),
                f"{overall['server_cpu_cores']:.2f}",
                " / ".join(
                    f"{kinds.get(k, 0):.1f}" for k in ("start", "save", "autosave", "submit")
                ),
                "?" if overall["db_cpu_ms_per_request"] is None
                else f"{overall['db_cpu_ms_per_request']:.1f}",
                f"{overall['server_cpu_ms_per_request']:.1f}",
                _cores(result["peak_cores_asked"]),
                f"{overall['client_cpu_cores']:.2f}",
                _cores(other),
                "-" if not cert else f"{cert['certificates']:,} for {cert['completed']:,} "
                f"completions ({cert['more_than_one']} twice, {cert['missing']} missing)",
                "PASS" if check["passed"] else "FAIL",
            ]
        )  # fmt: skip
    return out


def markdown(args, report) -> str:
    env = report["environment"]
    layout = (
        f"{args.servers} {args.server} instances behind nginx (round robin), one PostgreSQL, "
        "one Redis, a db_worker issuing certificates"
        if args.servers > 1
        else f"one {args.server} instance, PostgreSQL, Redis"
        + (", a db_worker issuing certificates" if args.certificates else "")
    )
    notes = "".join(f"\n> {note}\n" for note in report["notes"])
    table = "\n".join("| " + " | ".join(row) + " |" for row in rows(report))
    return f"""# Capacity, {report["generated_at"]}
{notes}
{env["cpus"]} cores, Python {env["python"]}, Django {env["django"]}, Wagtail {env["wagtail"]},
{env["database"]}; cache: {env["cache"]}. Machine speed: a signed-in request's floor (the
middleware, session and user of `/bench/ping/`) costs {report["ping_cpu_ms"]:.2f} ms of CPU in
process. {layout}; each instance
{report["settings"]["worker_model"]}. Conference at time x{args.time_scale:g} (starts within
{60 / args.time_scale:g} s, a save every {30 / args.time_scale:g} s); client timeout
{args.timeout:g} s. SQL queries a request: start {report["queries"]["start"]}, save
{report["queries"]["save"]}, submit {report["queries"]["submit"]} (a pass that completes the
course: more).

Targets at {TARGET_DELEGATES:,} delegates (real time): 0 errors, 0 lost answers, p95 start
< {START_P95_MS} ms, save < {SAVE_P95_MS} ms, submit < {SUBMIT_P95_MS} ms. "targets" says
whether a size meets them all.

| {" | ".join(COLUMNS)} |
| {" | ".join("---:" for _ in COLUMNS)} |
{table}

App CPU: the worker thread's own CPU per request (`X-Bench-CPU-us`), means by kind; db CPU:
the PostgreSQL backends' CPU over all requests; server = app (whole worker processes) + db;
cores asked at the peak: what the schedule's busiest moment asks at those app + db costs
(each step of the schedule arrives at delegates / start window a second, for one start window;
the last page's save, the autosave and the submit overlap), against the machine's
{env["cpus"]}; client: the load generator (this process); other: the rest of the machine.
"""


def _on_alarm(signum, frame):
    raise TimeoutError("The capacity benchmark ran past --time-limit.")


def _on_term(signum, frame):
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:  # noqa: C901 (one run, start to stop)
    args = parse_args(argv)
    schedule = (60 + 4 * 30 + 15 + 15) / args.time_scale  # conference.Timeline's, 4 pages
    limit = args.time_limit or int(600 + sum(2 * schedule + 60 for _ in args.sizes))
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGTERM, _on_term)
    signal.alarm(limit)
    RESULTS.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    wall = time.monotonic()

    say("== Database")
    url, database, note = prepare_database(args.database_url, force_sqlite=False)
    if note:
        say(f"INVALID: {note}")
        return 2
    say(f"  {database}")
    redis_url, cache = prepare_cache(args, notes)
    temp = Path(tempfile.mkdtemp(prefix="lms-capacity-"))
    os.environ["BENCH_MEDIA_ROOT"] = str(temp / "media")
    if args.certificates:
        os.environ["BENCH_TASKS"] = "db"
    env = setup_and_migrate(url, redis_url)
    from django.db import connection, connections

    from benchmarks.quiz_seed import seed
    from benchmarks.run_quiz import count_queries
    from quizzes.models import QuizPage

    needed = QUERY_DELEGATES + WARM_DELEGATES + sum(args.sizes)
    say(f"== Seeding: a 20-question quiz, {needed:,} delegates with sessions (bulk)")
    started = time.monotonic()
    seeded = seed(delegates=needed)
    seed_seconds = time.monotonic() - started
    say(f"  seeded in {seed_seconds:.1f} s")
    if args.certificates:
        complete_modules(QuizPage.objects.get(pk=seeded.quiz_id).get_parent())
        say("  every delegate has read the modules: a pass completes the course")
    queries = count_queries(seeded, seeded.delegates[:QUERY_DELEGATES])
    q = queries
    say(f"  SQL queries: start {q['start']}, save {q['save']}, submit {q['submit']}")
    speed = machine_speed(seeded.delegates[0])
    say(f"  machine speed: a signed-in request's floor (/bench/ping/) {speed:.2f} ms of CPU")
    db_name = connection.settings_dict["NAME"]
    connections.close_all()

    busy = cpu.busy_fraction()
    if busy is not None and busy > 0.25:
        notes.append(
            f"The machine was {busy:.0%} busy before the run (other processes): latencies are "
            "pessimistic; CPU per request is the steadier figure."
        )
        say(f"NOTE: {notes[-1]}")
    servers = [
        APP_SERVERS[args.server](
            workers=args.workers,
            threads=args.threads,
            worker_connections=args.worker_connections,
            env=env,
            log=RESULTS / f"capacity_{args.server}{n}.log",
        )
        for n in range(args.servers)
    ]
    model = servers[0].model()
    balancer = Nginx([f"{HOST}:{s.port}" for s in servers], temp) if args.servers > 1 else None
    worker = TaskWorker(env, RESULTS / "capacity_db_worker.log") if args.certificates else None
    report: dict = {"sizes": []}
    try:
        for server in servers:
            say(f"== {model} on {server.base_url}")
            server.start()
        base_url = servers[0].base_url
        if balancer:
            balancer.start()
            base_url = balancer.base_url
            say(f"== nginx on {base_url} in front of {len(servers)} instances")
        if worker:
            worker.start()
            say("== db_worker started (certificates)")
        meter = make_meter(servers, db_name, exclude=[])
        asyncio.run(run_sizes(args, base_url, seeded, meter, report))
    except (BenchmarkInvalid, TimeoutError) as error:
        say(f"INVALID: {error}")
        return 2
    finally:
        if worker:
            worker.stop()
        if balancer:
            balancer.stop()
        for server in servers:
            server.stop()
        signal.alarm(0)

    say("== Checking the database against what the server acknowledged")
    for result in report["sizes"]:
        ledger = result.pop("ledger")
        result["verified"] = ledger.verify()
        if args.certificates:
            result["certificates"] = verify_certificates(
                [t.delegate.user_id for t in ledger.taken.values()]
            )
    connections.close_all()
    shutil.rmtree(temp, ignore_errors=True)
    report.update(
        {
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "environment": environment(database, cache),
            "notes": notes,
            "settings": {
                "servers": args.servers,
                "server": args.server,
                "worker_model": model,
                "time_scale": args.time_scale,
                "certificates": args.certificates,
                "client_timeout_s": args.timeout,
            },
            "queries": {k: v for k, v in queries.items() if k != "sql"},
            "ping_cpu_ms": speed,
            "seed_seconds": round(seed_seconds, 1),
            "wall_seconds": round(time.monotonic() - wall, 1),
        }
    )
    report["checks"] = checks(args, report)
    name = "capacity-scaleout" if args.servers > 1 else "capacity"
    (RESULTS / f"{name}.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False, default=str)
    )
    text = markdown(args, report)
    (RESULTS / f"{name}.md").write_text(text)
    say("")
    say(text)
    say(f"Written: {RESULTS / name}.json and {name}.md ({report['wall_seconds']:.0f} s)")
    failed = [c for c in report["checks"] if c["target"] and not c["passed"]]
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
