"""The quiz endpoints under closed-loop concurrent load, against the reference write.

Each round measures, one after the other with the same number of connections: the reference
view (``/bench/reference-write/``), then a fresh cohort of delegates starting the quiz, saving
its four pages (five answers each, JSON, as attempt.js autosaves) and submitting. Every start
and submit is a real one (a delegate without an open attempt, an open attempt), never the cheap
"already started / already submitted" path.
"""

import asyncio
import contextlib
import json
import resource
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import cpu
from benchmarks.load import check_loopback
from benchmarks.quiz_client import Client, Reply, Request, closed_loop, summarise
from benchmarks.quiz_ledger import Ledger, Taken
from benchmarks.quiz_seed import CSRF_TOKEN, Delegate, QuizSeed, planned

ENDPOINTS = ("reference", "start", "save", "submit")
REFERENCE_PATH = "/bench/reference-write/"
WRK_POST = Path(__file__).resolve().parent / "wrk_post.lua"


@dataclass
class Meter:
    """CPU used by the gunicorn workers, their database backends, this client and the rest of
    the machine while a load ran."""

    app_pids: list[int]
    db_pids: list[int]

    def begin(self) -> tuple:
        return (
            cpu.snapshot(self.app_pids, self.db_pids),
            resource.getrusage(resource.RUSAGE_SELF),
            time.monotonic(),
        )

    def end(self, begun: tuple, requests: int) -> dict:
        before, before_self, started = begun
        used = cpu.usage(before, cpu.snapshot(self.app_pids, self.db_pids))
        after_self = resource.getrusage(resource.RUSAGE_SELF)
        elapsed = max(time.monotonic() - started, 1e-9)
        client = (after_self.ru_utime - before_self.ru_utime) + (
            after_self.ru_stime - before_self.ru_stime
        )
        per_request = 1000 / requests if requests else 0.0
        figures = {
            "app_cpu_ms_per_request": round(used.app_seconds * per_request, 3),
            "db_cpu_ms_per_request": (
                None if used.db_seconds is None else round(used.db_seconds * per_request, 3)
            ),
            "server_cpu_cores": round((used.app_seconds + (used.db_seconds or 0)) / elapsed, 3),
            "client_cpu_cores": round(client / elapsed, 3),
            "client_cpu_ms_per_request": round(client * per_request, 3),
            "other_cpu_cores": None,
        }
        if used.machine_busy_seconds is not None:
            ours = used.app_seconds + (used.db_seconds or 0) + client
            figures["other_cpu_cores"] = round(
                max(0.0, used.machine_busy_seconds - ours) / elapsed, 3
            )
        return figures


def wrk_reference(base_url: str, *, seconds: float, concurrency: int) -> dict | None:
    """The reference write loaded by wrk (C, one thread), when it is installed: how much the
    Python client's own CPU holds the reference back. Not used for the ratios."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    url = base_url + REFERENCE_PATH
    check_loopback(url)
    command = [
        wrk, "--threads", "1", "--connections", str(concurrency),
        "--duration", f"{max(1, round(seconds))}s", "--timeout", "10s",
        "--header", f"Cookie: csrftoken={CSRF_TOKEN}", "--header", f"X-CSRFToken: {CSRF_TOKEN}",
        "--script", str(WRK_POST), url, "--", "",
    ]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        return None
    raw = json.loads(line.removeprefix("WRK_JSON "))
    duration = raw["duration_us"] / 1e6
    client = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    errors = raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"]
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / duration, 1) if duration else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "non200": raw["non200"],
        "errors": errors,
        "client_cpu_cores": round(client / duration, 3) if duration else None,
    }


def sampled_text(sampled: dict | None) -> str:
    if not sampled:
        return ""
    return (
        f"  workers on CPU {sampled['workers_on_cpu_cores']:.2f}, waiting for one "
        f"{sampled['workers_waiting_for_cpu_cores']:.2f} cores; backends waiting for a row lock "
        f"{sampled['backends_waiting_for_a_lock_mean']}"
    )


def server_ms(result: dict) -> float:
    return result["app_cpu_ms_per_request"] + (result["db_cpu_ms_per_request"] or 0)


class EndpointBench:
    def __init__(
        self,
        client: Client,
        seeded: QuizSeed,
        ledger: Ledger,
        meter: Meter,
        *,
        concurrency: int,
        seconds: float,
        say,
        with_wrk: bool = False,
        sampler=None,
    ) -> None:
        self.with_wrk = with_wrk
        self.sampler = sampler  # a callable making a benchmarks.quiz_sampler.Sampler
        self.client = client
        self.seeded = seeded
        self.ledger = ledger
        self.meter = meter
        self.concurrency = concurrency
        self.seconds = seconds
        self.say = say

    async def _phase(self, kind: str, requests, *, seconds: float | None = None) -> tuple:
        sampler = self.sampler() if self.sampler else contextlib.nullcontext()
        begun = self.meter.begin()
        async with sampler:
            replies, elapsed = await closed_loop(
                self.client,
                requests,
                concurrency=self.concurrency,
                seconds=self.seconds if seconds is None else seconds,
            )
        result = {**summarise(replies, elapsed).as_dict(), **self.meter.end(begun, len(replies))}
        if self.sampler:
            result["sampled"] = sampler.summary()
        result["server_cpu_ms_per_request"] = round(server_ms(result), 3)
        return replies, result

    def _references(self):
        cookie = f"csrftoken={CSRF_TOKEN}"
        while True:
            yield Request("reference", REFERENCE_PATH, cookie)

    def _starts(self, cohort: list[Delegate]):
        path = self.ledger.start_path()
        for delegate in cohort:
            yield Request("start", path, delegate.cookie, tag=delegate)

    def _saves(self, started: list[Taken]):
        keys = self.seeded.keys
        for positions in self.seeded.pages:  # page by page: each attempt's pages far apart
            for taken in started:
                answers = {p: planned(keys, taken.delegate.index, p) for p in positions}
                yield Request(
                    "save",
                    f"/learn/attempts/{taken.attempt_id}/save/",
                    taken.delegate.cookie,
                    self.ledger.save_body(taken, answers),
                    tag=(taken, answers),
                )

    def _submits(self, started: list[Taken]):
        for taken in started:
            path = f"/learn/attempts/{taken.attempt_id}/submit/"
            yield Request("submit", path, taken.delegate.cookie, tag=taken)

    def _check_reference(self, replies: list[Reply]) -> None:
        for reply in replies:
            if reply.status != 200:
                self.ledger.error(reply, "reference write not 200")

    async def round(self, cohort: list[Delegate], *, label: str = "") -> dict[str, dict]:
        """One round over the four endpoints; ``cohort`` must not have started the quiz."""
        results = {}
        replies, results["reference"] = await self._phase("reference", self._references())
        self._check_reference(replies)
        if self.with_wrk:
            results["reference"]["wrk"] = await asyncio.to_thread(
                wrk_reference,
                self.client.base_url,
                seconds=self.seconds,
                concurrency=self.concurrency,
            )

        replies, results["start"] = await self._phase("start", self._starts(cohort))
        started = [t for t in map(self.ledger.started, replies) if t is not None]

        replies, results["save"] = await self._phase("save", self._saves(started))
        for reply in replies:
            self.ledger.saved(reply)

        replies, results["submit"] = await self._phase("submit", self._submits(started))
        for reply in replies:
            self.ledger.submitted(reply)
        if label:
            wrk = results["reference"].get("wrk")
            if wrk:
                self.say(
                    f"  {label} reference by wrk: {wrk['rps']:.1f} req/s, p95 {wrk['p95_ms']:.1f} "
                    f"ms, wrk itself {wrk['client_cpu_cores']} cores"
                )
            for kind in ENDPOINTS:
                r = results[kind]
                self.say(
                    f"  {label} {kind:<9} {r['rps']:7.1f} req/s  p50 {r['p50_ms']:6.1f}  "
                    f"p95 {r['p95_ms']:6.1f}  p99 {r['p99_ms']:6.1f} ms  n={r['requests']:<5} "
                    f"server CPU {r['server_cpu_ms_per_request']:5.2f} ms/req  "
                    f"client {r['client_cpu_cores']:.2f}  other {r['other_cpu_cores']} cores"
                    + sampled_text(r.get("sampled"))
                )
        return results


NAMES = (
    "rps",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "max_ms",
    "app_cpu_ms_per_request",
    "db_cpu_ms_per_request",
    "server_cpu_ms_per_request",
    "server_cpu_cores",
    "client_cpu_cores",
    "client_cpu_ms_per_request",
    "other_cpu_cores",
)


SAMPLED = (
    "workers_on_cpu_cores",
    "workers_waiting_for_cpu_cores",
    "backends_waiting_for_a_lock_mean",
)


def aggregate(rounds: list[dict[str, dict]]) -> dict[str, dict]:
    """Medians over the rounds (robust to one noisy round), plus every round."""
    out = {}
    for kind in ENDPOINTS:
        samples = [r[kind] for r in rounds]

        def median(name: str, samples=samples) -> float | None:
            values = [s[name] for s in samples if s[name] is not None]
            return round(statistics.median(values), 3) if values else None

        statuses: dict[str, int] = {}
        for sample in samples:
            for status, n in sample["statuses"].items():
                statuses[status] = statuses.get(status, 0) + n
        wrk = [s["wrk"] for s in samples if s.get("wrk")]
        sampled = [s["sampled"] for s in samples if s.get("sampled")]
        out[kind] = {
            **{name: median(name) for name in NAMES},
            **({"wrk_rps": round(statistics.median(w["rps"] for w in wrk), 1)} if wrk else {}),
            "requests": sum(s["requests"] for s in samples),
            "statuses": statuses,
            "sampled": {
                name: round(statistics.median(x[name] for x in sampled if x[name] is not None), 3)
                for name in SAMPLED
                if any(x[name] is not None for x in sampled)
            },
            "rounds": samples,
        }
    reference = out["reference"]
    for kind in ENDPOINTS:
        result = out[kind]
        result["rps_of_reference"] = round(result["rps"] / reference["rps"], 4)
        # What an idle machine would show: both are CPU-bound on the same two cores.
        result["cpu_of_reference"] = round(
            reference["server_cpu_ms_per_request"] / result["server_cpu_ms_per_request"], 4
        )
    return out
