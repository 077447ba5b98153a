"""Where the server's time goes while a load runs: how long the gunicorn workers were on a CPU,
and runnable but waiting for one (``/proc/<pid>/schedstat``); sampled a few times a second, their
states and whether their PostgreSQL backends were waiting for a row lock held by another request
(``pg_stat_activity``, on a connection of its own, autocommit, in a thread: Django refuses
queries inside the event loop).
"""

import asyncio
import contextlib
from collections import Counter
from pathlib import Path

PROC = Path("/proc")


def _schedstat(pids: list[int]) -> tuple[float, float]:
    """Seconds on a CPU and seconds runnable but waiting for one, summed over ``pids``."""
    on_cpu = waiting = 0.0
    for pid in pids:
        try:
            fields = (PROC / str(pid) / "schedstat").read_text().split()
        except OSError:
            continue
        on_cpu += int(fields[0]) / 1e9
        waiting += int(fields[1]) / 1e9
    return on_cpu, waiting


def _state(pid: int) -> str | None:
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


class Sampler:
    def __init__(self, *, app_pids: list[int], database_url: str, interval: float = 0.25) -> None:
        self.app_pids = app_pids
        self.database_url = database_url
        self.interval = interval
        self.samples = 0
        self.workers: Counter = Counter()  # R (running or runnable), S (sleeping), ...
        self.waits: Counter = Counter()  # backends' wait events (Lock:transactionid, ...)
        self.lock_waiters: list[int] = []
        self._task: asyncio.Task | None = None
        self._conn = None
        self._sched: tuple[float, float, float] | None = None  # on CPU, waiting, clock
        self.on_cpu = self.runqueue_wait = self.elapsed = 0.0

    def _connect(self):
        import dj_database_url
        import psycopg

        config = dj_database_url.parse(self.database_url)
        return psycopg.connect(
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            dbname=config["NAME"],
            autocommit=True,
            connect_timeout=5,
        )

    def _activity(self) -> list[tuple[str | None, str | None]]:
        if self._conn is None:
            self._conn = self._connect()
        return self._conn.execute(
            "SELECT wait_event_type, wait_event FROM pg_stat_activity "
            "WHERE datname = current_database() AND backend_type = 'client backend' "
            "AND state = 'active' AND pid <> pg_backend_pid()"
        ).fetchall()

    async def _loop(self) -> None:
        while True:
            for pid in self.app_pids:
                self.workers[_state(pid) or "gone"] += 1
            activity = await asyncio.to_thread(self._activity)
            locked = 0
            for kind, event in activity:
                self.waits[f"{kind}:{event}" if kind else "on CPU"] += 1
                locked += kind == "Lock"
            self.lock_waiters.append(locked)
            self.samples += 1
            await asyncio.sleep(self.interval)

    async def __aenter__(self) -> "Sampler":
        self._sched = (*_schedstat(self.app_pids), asyncio.get_running_loop().time())
        self._task = asyncio.create_task(self._loop())
        return self

    async def __aexit__(self, *exc) -> None:
        if self._sched is not None:
            on_cpu, waiting = _schedstat(self.app_pids)
            self.on_cpu = on_cpu - self._sched[0]
            self.runqueue_wait = waiting - self._sched[1]
            self.elapsed = asyncio.get_running_loop().time() - self._sched[2]
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._conn is not None:
            await asyncio.to_thread(self._conn.close)

    def summary(self) -> dict:
        """Shares of the samples: worker states; per sample, how many active backends waited
        for a lock, on average and at most; the commonest wait events."""
        worker_samples = sum(self.workers.values()) or 1
        elapsed = self.elapsed or 1e-9
        return {
            "samples": self.samples,
            # Cores' worth of worker time spent on a CPU, and runnable but waiting for one
            # (a CPU taken by PostgreSQL, the load client or other processes).
            "workers_on_cpu_cores": round(self.on_cpu / elapsed, 3),
            "workers_waiting_for_cpu_cores": round(self.runqueue_wait / elapsed, 3),
            "worker_states": {
                state: round(n / worker_samples, 3) for state, n in self.workers.most_common()
            },
            "backends_waiting_for_a_lock_mean": round(
                sum(self.lock_waiters) / len(self.lock_waiters), 2
            )
            if self.lock_waiters
            else None,
            "backends_waiting_for_a_lock_max": max(self.lock_waiters, default=None),
            "active_backend_waits": dict(self.waits.most_common(6)),
        }
