"""A conference taking the quiz: every delegate starts within a minute, saves a page every 30 s
through the four pages, changes an answer on the last page (an extra autosave) and submits.

Open loop: each delegate follows its own clock, whatever the server's latency (a slow answer
delays only that delegate's next step), as a room of browsers would. Real time is about 3.5
minutes (60 s of starts, then 150 s each); ``scale`` divides every interval, so 10 means starts
within 6 s and a save every 3 s: ten times the request rate, harsher on the server.
"""

import asyncio
import contextlib
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from benchmarks.quiz_bench import Meter, server_ms
from benchmarks.quiz_client import Client, Reply, Request, summarise
from benchmarks.quiz_ledger import Ledger, Taken
from benchmarks.quiz_seed import Delegate, QuizSeed, planned

START_WINDOW = 60.0  # seconds, real time: all delegates start within it
SAVE_EVERY = 30.0  # seconds, real time: one page saved each
AUTOSAVE_AFTER = 15.0  # seconds after the last page's save: one answer changed again
SUBMIT_AFTER = 15.0  # seconds after that autosave


@dataclass
class Timeline:
    scale: float

    @property
    def start_window(self) -> float:
        return START_WINDOW / self.scale

    @property
    def save_every(self) -> float:
        return SAVE_EVERY / self.scale

    def steps(self, pages: int) -> list[float]:
        """Seconds after the start: each page's save, the autosave, the submit."""
        saves = [(k + 1) * SAVE_EVERY for k in range(pages)]
        autosave = saves[-1] + AUTOSAVE_AFTER
        return [t / self.scale for t in [*saves, autosave, autosave + SUBMIT_AFTER]]

    def duration(self, pages: int) -> float:
        return self.start_window + self.steps(pages)[-1]

    def peak_cores(self, delegates: int, pages: int, cpu_ms: Mapping[str, float]) -> float:
        """The CPU cores the schedule asks for at its busiest moment when a request of each kind
        costs ``cpu_ms[kind]`` (start, save, autosave, submit). Starts are spread evenly over
        the start window, so each step of the schedule arrives at delegates / window a second
        for one window's length: the demand is a sum of such windows, highest where most of
        them overlap (from some window's beginning on). Above the machine's cores, a queue
        grows whatever the worker model."""
        kinds = ["start", *["save"] * pages, "autosave", "submit"]
        rate = delegates / self.start_window
        windows = [
            (begin, begin + self.start_window, rate * cpu_ms[kind] / 1000)
            for kind, begin in zip(kinds, [0.0, *self.steps(pages)], strict=True)
        ]
        return max(
            sum(cores for begin, end, cores in windows if begin <= moment < end)
            for moment, _end, _cores in windows
        )


@dataclass
class ConferenceResult:
    replies: list[Reply] = field(default_factory=list)
    elapsed: float = 0.0
    late: int = 0  # steps sent late because the previous one had not come back


class Conference:
    def __init__(
        self,
        client: Client,
        seeded: QuizSeed,
        ledger: Ledger,
        meter: Meter,
        *,
        delegates: list[Delegate],
        scale: float,
        say,
        sampler=None,
    ) -> None:
        self.sampler = sampler
        self.client = client
        self.seeded = seeded
        self.ledger = ledger
        self.meter = meter
        self.delegates = delegates
        self.timeline = Timeline(scale)
        self.say = say
        self.result = ConferenceResult()

    async def _send(self, request: Request) -> Reply:
        reply = await self.client.send(request)
        self.result.replies.append(reply)
        return reply

    async def _wait_until(self, moment: float) -> None:
        delay = moment - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            self.result.late += delay < -0.001

    async def _delegate(self, delegate: Delegate, begin: float) -> None:
        await self._wait_until(begin)
        reply = await self._send(
            Request("start", self.ledger.start_path(), delegate.cookie, tag=delegate)
        )
        taken = self.ledger.started(reply)
        if taken is None:
            return
        keys, pages = self.seeded.keys, self.seeded.pages
        *saves, autosave, submit = self.timeline.steps(len(pages))
        for positions, at in zip(pages, saves, strict=True):
            await self._wait_until(begin + at)
            answers = {p: planned(keys, delegate.index, p) for p in positions}
            await self._save(taken, answers)
        # Second thoughts on the last page: the first answer there flipped, right <-> wrong.
        await self._wait_until(begin + autosave)
        position = pages[-1][0]
        key = keys[position]
        changed = key.wrong if taken.answers.get(position) == key.right else key.right
        await self._save(taken, {position: changed})
        await self._wait_until(begin + submit)
        path = f"/learn/attempts/{taken.attempt_id}/submit/"
        self.ledger.submitted(await self._send(Request("submit", path, delegate.cookie, tag=taken)))

    async def _save(self, taken: Taken, answers: dict) -> None:
        request = Request(
            "save",
            f"/learn/attempts/{taken.attempt_id}/save/",
            taken.delegate.cookie,
            self.ledger.save_body(taken, answers),
            tag=(taken, answers),
        )
        self.ledger.saved(await self._send(request))

    async def run(self) -> dict:
        window = self.timeline.start_window
        offsets = [window * i / len(self.delegates) for i in range(len(self.delegates))]
        random.Random(57).shuffle(offsets)  # noqa: S311 (a spread of start times)
        self.say(
            f"  {len(self.delegates)} delegates starting within {window:g} s, a save every "
            f"{self.timeline.save_every:g} s (time x{self.timeline.scale:g}); "
            f"about {self.timeline.duration(len(self.seeded.pages)):.0f} s"
        )
        sampler = self.sampler() if self.sampler else contextlib.nullcontext()
        begun = self.meter.begin()
        zero = time.monotonic() + 0.5
        progress = asyncio.create_task(self._progress(zero))
        try:
            async with sampler:
                await asyncio.gather(
                    *(
                        self._delegate(delegate, zero + offset)
                        for delegate, offset in zip(self.delegates, offsets, strict=True)
                    )
                )
        finally:
            progress.cancel()
        self.result.elapsed = time.monotonic() - zero
        report = self.report(self.meter.end(begun, len(self.result.replies)))
        if self.sampler:
            report["sampled"] = sampler.summary()
        return report

    async def _progress(self, zero: float) -> None:
        while True:
            await asyncio.sleep(15)
            replies = self.result.replies
            recent = [r for r in replies[-400:] if r.request.kind == "save"]
            slow = max((r.seconds for r in recent), default=0) * 1000
            self.say(
                f"    t={time.monotonic() - zero:5.0f} s  {len(replies)} requests done, "
                f"{self.ledger.error_count} errors, slowest recent save {slow:.0f} ms"
            )

    def report(self, cpu_figures: dict) -> dict:
        replies, elapsed = self.result.replies, self.result.elapsed
        by_kind = {
            kind: summarise([r for r in replies if r.request.kind == kind], elapsed).as_dict()
            for kind in ("start", "save", "submit")
        }
        overall = summarise(replies, elapsed).as_dict()
        overall.update(cpu_figures)
        overall["server_cpu_ms_per_request"] = round(server_ms(overall), 3)
        pages = len(self.seeded.pages)
        return {
            "delegates": len(self.delegates),
            "planned_requests": len(self.delegates) * (pages + 3),  # start, saves, autosave, submit
            "schedule_s": round(self.timeline.duration(pages), 1),
            "time_scale": self.timeline.scale,
            "start_window_s": round(self.timeline.start_window, 2),
            "save_every_s": round(self.timeline.save_every, 2),
            "elapsed_s": round(elapsed, 1),
            "late_steps": self.result.late,
            "by_kind": by_kind,
            "overall": overall,
        }
