"""A small asyncio HTTP/1.1 client for the quiz benchmark: POSTs with per-delegate cookies and
bodies, which wrk cannot pair with their responses, at a cost of a few hundred microseconds of
CPU a request (measured and reported by the runner).

gunicorn's sync workers close every connection after one response, so each request is one
connection: connect, write, read to EOF. Latency is that whole exchange, as a browser without
keep-alive sees it. Loopback addresses only.
"""

import asyncio
import json
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from benchmarks.load import check_loopback
from benchmarks.quiz_seed import CSRF_TOKEN


@dataclass
class Request:
    kind: str  # "reference", "start", "save", "submit"
    path: str
    cookie: str
    body: Any = None  # JSON-encoded when not None
    tag: Any = None  # the caller's bookkeeping (delegate, page, answers sent)


@dataclass
class Reply:
    request: Request
    status: int  # 0: no answer (connection error or timeout)
    headers: dict[str, str]
    body: bytes
    started: float  # time.monotonic() at send
    seconds: float
    error: str = ""

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    def __init__(self, base_url: str, *, timeout: float = 30) -> None:
        check_loopback(base_url)
        parts = urlsplit(base_url)
        self.base_url = base_url
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self._host_header = f"{self.host}:{self.port}"

    def _raw(self, request: Request) -> bytes:
        body = b"" if request.body is None else json.dumps(request.body).encode()
        head = (
            f"POST {request.path} HTTP/1.1\r\n"
            f"Host: {self._host_header}\r\n"
            f"Cookie: {request.cookie}\r\n"
            f"X-CSRFToken: {CSRF_TOKEN}\r\n"
            "Accept: application/json\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        )
        return head.encode("latin-1") + body

    async def send(self, request: Request) -> Reply:
        raw = self._raw(request)
        started = time.monotonic()
        try:
            data = await asyncio.wait_for(self._exchange(raw), self.timeout)
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as error:
            return Reply(request, 0, {}, b"", started, time.monotonic() - started, repr(error))
        seconds = time.monotonic() - started
        head, _sep, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        try:
            status = int(lines[0].split(" ", 2)[1])
        except (IndexError, ValueError):
            return Reply(request, 0, {}, data, started, seconds, "malformed response")
        headers = {}
        for line in lines[1:]:
            name, _colon, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return Reply(request, status, headers, body, started, seconds)

    async def _exchange(self, raw: bytes) -> bytes:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(raw)
            return await reader.read(-1)  # the server closes after the response
        finally:
            writer.close()


async def closed_loop(
    client: Client,
    requests: Iterable[Request],
    *,
    concurrency: int,
    seconds: float,
    on_reply: Callable[[Reply], None] | None = None,
) -> tuple[list[Reply], float]:
    """Keep ``concurrency`` requests in flight until the requests run out or ``seconds`` pass.
    Returns the replies and the elapsed time."""
    iterator = iter(requests)
    replies: list[Reply] = []
    deadline = time.monotonic() + seconds
    started = time.monotonic()

    async def worker() -> None:
        while time.monotonic() < deadline:
            request = next(iterator, None)
            if request is None:
                return
            reply = await client.send(request)
            replies.append(reply)
            if on_reply is not None:
                on_reply(reply)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return replies, time.monotonic() - started


# Statistics


def percentile(sorted_values: list[float], percent: float) -> float:
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class Summary:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    statuses: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.p50_ms, 1),
            "p95_ms": round(self.p95_ms, 1),
            "p99_ms": round(self.p99_ms, 1),
            "max_ms": round(self.max_ms, 1),
            "statuses": self.statuses,
        }


def summarise(replies: list[Reply], seconds: float) -> Summary:
    latencies = sorted(r.seconds * 1000 for r in replies)
    statuses: dict[str, int] = {}
    for reply in replies:
        statuses[str(reply.status)] = statuses.get(str(reply.status), 0) + 1
    return Summary(
        requests=len(replies),
        seconds=seconds,
        rps=len(replies) / seconds if seconds else 0.0,
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        p99_ms=percentile(latencies, 99),
        max_ms=latencies[-1] if latencies else 0.0,
        statuses=dict(sorted(statuses.items())),
    )
