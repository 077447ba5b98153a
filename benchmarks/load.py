"""Load generators: wrk when it is there (light on a 2-core box), else a small Python client.

Both only ever talk to a loopback address, for a bounded time.
"""

import http.client
import ipaddress
import json
import math
import multiprocessing
import os
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    rps: float
    mean_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    bytes_per_response: float
    non200: int
    bad_status: int  # the last status that was not 200, 0 if none
    missing_marker: int
    errors: int  # connect, read, write errors and timeouts

    @property
    def ok(self) -> bool:
        return self.requests > 0 and not (self.non200 or self.missing_marker or self.errors)

    def as_dict(self) -> dict:
        return asdict(self)


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"Refusing to load a non-loopback address: {url}")


# wrk


def find_wrk(*, install: bool, say) -> str | None:
    """The path of wrk; installs Debian's package when missing and allowed (root, apt-get)."""
    path = shutil.which("wrk")
    if path or not install:
        return path
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        say("wrk is not installed and apt-get is not usable here: using the Python client.")
        return None
    say("wrk is not installed: installing it with `apt-get install -y wrk` ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install_wrk = ["apt-get", "install", "-y", "wrk"]
    # Install; if the package lists are stale or missing, update them and try once more.
    for command in (install_wrk, ["apt-get", "update"], install_wrk):
        if shutil.which("wrk"):
            break
        try:
            subprocess.run(command, env=env, capture_output=True, timeout=300, check=False)
        except subprocess.TimeoutExpired:
            break
    path = shutil.which("wrk")
    if path is None:
        say("Could not install wrk: using the Python client.")
    return path


def run_wrk(
    wrk: str, url: str, *, cookie: str, seconds: float, concurrency: int, marker: str = ""
) -> LoadResult:
    check_loopback(url)
    command = [
        wrk,
        "--threads",
        "1",
        "--connections",
        str(concurrency),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--header",
        f"Cookie: {cookie}",
        "--script",
        str(WRK_SCRIPT),
        url,
        "--",
        marker,
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    requests = raw["requests"]
    duration = raw["duration_us"] / 1e6
    return LoadResult(
        requests=requests,
        seconds=round(duration, 3),
        rps=requests / duration if duration else 0.0,
        mean_ms=raw["mean_us"] / 1000,
        p50_ms=raw["p50_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        bytes_per_response=raw["bytes"] / requests if requests else 0.0,
        non200=raw["non200"],
        bad_status=raw["bad_status"],
        missing_marker=raw["missing_marker"],
        errors=raw["connect_errors"] + raw["read_errors"] + raw["write_errors"] + raw["timeouts"],
    )


# Python fallback: a few processes of keep-alive http.client connections.


def _client_process(
    host: str, port: int, path: str, cookie: str, marker: str, end: float, connections: int
) -> dict:
    latencies: list[float] = []
    tally = {"non200": 0, "bad_status": 0, "missing": 0, "errors": 0, "bytes": 0}
    lock = threading.Lock()
    needle = marker.encode()

    def loop() -> None:
        conn = None
        local: list[float] = []
        while time.time() < end:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=10)
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    tally["errors"] += 1
                conn.close()
                conn = None
                continue
            local.append(time.perf_counter() - started)
            with lock:
                tally["bytes"] += len(body)
                if response.status != 200:
                    tally["non200"] += 1
                    tally["bad_status"] = response.status
                elif needle and needle not in body:
                    tally["missing"] += 1
            if response.will_close:
                conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, end - time.time()) + 15)
    return {"latencies": latencies, **tally}


def _percentile(sorted_values: list[float], percent: float) -> float:
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def run_python(
    url: str, *, cookie: str, seconds: float, concurrency: int, marker: str = ""
) -> LoadResult:
    check_loopback(url)
    parts = urlsplit(url)
    processes = min(2, concurrency)
    shares = [concurrency // processes + (i < concurrency % processes) for i in range(processes)]
    started = time.time()
    end = started + seconds
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        pending = [
            pool.apply_async(
                _client_process,
                (parts.hostname, parts.port, parts.path or "/", cookie, marker, end, share),
            )
            for share in shares
        ]
        outputs = [job.get(timeout=seconds + 60) for job in pending]
    elapsed = time.time() - started
    latencies = sorted(x for out in outputs for x in out["latencies"])
    requests = len(latencies)
    total_bytes = sum(out["bytes"] for out in outputs)
    return LoadResult(
        requests=requests,
        seconds=round(elapsed, 3),
        rps=requests / elapsed if elapsed else 0.0,
        mean_ms=statistics.fmean(latencies) * 1000 if latencies else 0.0,
        p50_ms=_percentile(latencies, 50) * 1000,
        p95_ms=_percentile(latencies, 95) * 1000,
        p99_ms=_percentile(latencies, 99) * 1000,
        max_ms=(latencies[-1] * 1000) if latencies else 0.0,
        bytes_per_response=total_bytes / requests if requests else 0.0,
        non200=sum(out["non200"] for out in outputs),
        bad_status=next((out["bad_status"] for out in outputs if out["bad_status"]), 0),
        missing_marker=sum(out["missing"] for out in outputs),
        errors=sum(out["errors"] for out in outputs),
    )


def fetch(url: str, *, cookie: str, timeout: float = 10) -> tuple[int, dict[str, str], str]:
    """One GET, for checks: status, headers and the decoded body."""
    check_loopback(url)
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("GET", parts.path or "/", headers={"Cookie": cookie})
        response = conn.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        return response.status, dict(response.getheaders()), body
    finally:
        conn.close()
