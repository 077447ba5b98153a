"""SQLite configured for several writers at once (the demo and ``make test`` run on it)."""

import threading

import pytest
from django.db import connection, connections, transaction

from courses.models import Province

ON_SQLITE = connection.vendor == "sqlite"

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.skipif(not ON_SQLITE, reason="SQLite's own locking"),
    pytest.mark.django_db(transaction=True),
]


def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_two_writers_reading_then_writing_at_once_both_commit():
    """Each transaction reads, then writes: under SQLite's default deferred transactions the
    second writer cannot upgrade its read lock and fails at once with "database is locked"."""
    rounds, errors = 40, []
    barrier = threading.Barrier(2, timeout=30)

    def writer(name: str) -> None:
        try:
            barrier.wait()
            for i in range(rounds):
                with transaction.atomic():
                    count = Province.objects.filter(name__startswith=name).count()
                    Province.objects.create(
                        name=f"{name} {i}", kind=Province.Kind.values[0], sort_order=count
                    )
        except Exception as error:  # noqa: BLE001 (reported to the test's thread)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("Bắc", "Nam")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Province.objects.filter(name__startswith="Bắc ").count() == rounds
    assert Province.objects.filter(name__startswith="Nam ").count() == rounds
