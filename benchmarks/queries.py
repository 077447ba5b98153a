"""SQL queries per request, counted with Django's test client against the benchmark database."""

from dataclasses import dataclass

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class Counted:
    status: int
    queries: int
    sql: list[str]


def count(client: Client, url: str, *, warm: bool = True) -> Counted:
    """Queries for one GET of ``url``; ``warm`` first requests it once, untimed, so per-process
    caches are filled and a repeat visit (what the load test measures) is counted."""
    if warm:
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return Counted(
        status=response.status_code,
        queries=len(captured.captured_queries),
        sql=[query["sql"] for query in captured.captured_queries],
    )


def count_navigation(client: Client, from_url: str, to_url: str) -> Counted:
    """Queries for arriving at ``to_url`` from ``from_url``: a new page visit, so it is
    recorded (one more write than a reload)."""
    client.get(to_url)
    client.get(from_url)
    return count(client, to_url, warm=False)
