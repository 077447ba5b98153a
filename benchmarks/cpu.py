"""CPU accounting from Linux's /proc: the server's own CPU per request, and how much CPU other
processes took during a measurement (on a shared 2-core box, the main source of noise).

Everything degrades to "unknown" (None) where /proc is not there or not readable.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_seconds(pid: int) -> float | None:
    """User + system CPU seconds of one process, or None if it is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def children(ppid: int) -> list[int]:
    pids = []
    for entry in PROC.glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == ppid:
            pids.append(int(entry.name))
    return pids


def machine_seconds() -> tuple[float, float] | None:
    """(busy, total) CPU seconds of the whole machine since boot, all cores together."""
    try:
        first = (PROC / "stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    values = [int(v) for v in first[1:9]]  # user nice system idle iowait irq softirq steal
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


@dataclass
class Snapshot:
    app: dict[int, float] = field(default_factory=dict)
    db: dict[int, float] = field(default_factory=dict)
    machine: tuple[float, float] | None = None


def snapshot(app_pids: list[int], db_pids: list[int]) -> Snapshot:
    def read(pids: list[int]) -> dict[int, float]:
        return {pid: s for pid in pids if (s := process_seconds(pid)) is not None}

    return Snapshot(app=read(app_pids), db=read(db_pids), machine=machine_seconds())


def _delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(after[pid] - before[pid] for pid in after.keys() & before.keys())


@dataclass(frozen=True)
class Usage:
    app_seconds: float
    db_seconds: float | None  # None when the database's processes are not visible
    machine_busy_seconds: float | None


def usage(before: Snapshot, after: Snapshot) -> Usage:
    machine = None
    if before.machine and after.machine:
        machine = after.machine[0] - before.machine[0]
    db = _delta(before.db, after.db) if before.db else None
    return Usage(
        app_seconds=_delta(before.app, after.app), db_seconds=db, machine_busy_seconds=machine
    )


def busy_fraction(seconds: float = 1.0) -> float | None:
    """How busy the machine is right now (0..1 of all cores), sampled over ``seconds``."""
    import time

    first = machine_seconds()
    time.sleep(seconds)
    second = machine_seconds()
    if not first or not second or second[1] == first[1]:
        return None
    return (second[0] - first[0]) / (second[1] - first[1])
