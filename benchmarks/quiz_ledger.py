"""What the load client sent and the server acknowledged, per delegate, and the check of the
database against it afterwards: no answer lost, every submitted attempt scored right, one
attempt per delegate.

An answer is *lost* when the server acknowledged it (a 200 save) and the database holds something
the client never sent. An answer the client sent but never saw acknowledged (it gave up waiting)
may still have been written when a worker got to the queued request: that is counted apart, as
*applied late*, and the request itself is already counted as an error. (A late request cannot
overwrite a newer acknowledged answer: its revision is stale by then, and the server refuses it.)"""

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from benchmarks.quiz_client import Reply
from benchmarks.quiz_seed import PASS_MARK, Delegate, Key, expected_percent

ATTEMPT_URL = re.compile(r"/learn/attempts/(\d+)/")


@dataclass
class Taken:
    """One delegate's attempt as the client knows it."""

    delegate: Delegate
    attempt_id: int | None = None
    answers: dict[int, Any] = field(default_factory=dict)  # acknowledged by a 200 save
    sent: dict[int, list] = field(default_factory=dict)  # every value sent, acknowledged or not
    revisions: dict[int, int] = field(default_factory=dict)
    submitted: bool = False


class Ledger:
    def __init__(self, keys: list[Key], quiz_id: int) -> None:
        self.keys = keys
        self.quiz_id = quiz_id
        self.taken: dict[int, Taken] = {}  # by user id
        self.errors: list[str] = []  # the first 1,000
        self.error_count = 0
        self.timeouts = 0  # no answer within the client's timeout
        self.error_kinds: Counter = Counter()

    def reset_errors(self) -> None:
        self.errors, self.error_count, self.timeouts = [], 0, 0
        self.error_kinds = Counter()

    def error(self, reply: Reply, why: str) -> None:
        self.error_count += 1
        self.timeouts += reply.status == 0
        reason = "no answer within the client's timeout" if reply.status == 0 else why
        self.error_kinds[f"{reply.request.kind}: {reason}"] += 1
        if len(self.errors) < 1000:
            request = reply.request
            self.errors.append(
                f"{request.kind} {request.path}: {why} (status {reply.status}"
                f"{', ' + reply.error if reply.error else ''}; "
                f"{reply.body[:200].decode(errors='replace')!r})"
            )

    # Requests and what their replies mean

    def start_path(self) -> str:
        return f"/learn/quizzes/{self.quiz_id}/start/"

    def started(self, reply: Reply) -> Taken | None:
        delegate: Delegate = reply.request.tag
        match = ATTEMPT_URL.search(reply.headers.get("location", ""))
        if reply.status != 302 or match is None:
            self.error(reply, "start did not redirect to an attempt")
            return None
        taken = self.taken.setdefault(delegate.user_id, Taken(delegate))
        attempt_id = int(match.group(1))
        if taken.attempt_id not in (None, attempt_id):
            self.error(reply, f"a second attempt {attempt_id} after {taken.attempt_id}")
        taken.attempt_id = attempt_id
        return taken

    @staticmethod
    def save_body(taken: Taken, answers: dict[int, Any]) -> dict:
        """The JSON of a save, built just before it is sent, with the revisions last seen."""
        for position, value in answers.items():
            taken.sent.setdefault(position, []).append(value)
        return {
            "answers": {str(p): value for p, value in answers.items()},
            "revisions": {str(p): taken.revisions.get(p, 0) for p in answers},
        }

    def saved(self, reply: Reply) -> bool:
        taken, answers = reply.request.tag
        if reply.status != 200:
            self.error(reply, "save not 200")
            return False
        body = reply.json()
        if body.get("stale"):  # e.g. its earlier save, given up on, was written late
            self.error(reply, "stale revision")
            return False
        for position, value in answers.items():
            taken.answers[position] = value
            taken.revisions[position] = body["revisions"][str(position)]
        return True

    def submitted(self, reply: Reply) -> bool:
        taken: Taken = reply.request.tag
        if reply.status != 302 or "/review/" not in reply.headers.get("location", ""):
            self.error(reply, "submit did not redirect to the review")
            return False
        taken.submitted = True
        return True

    # The database afterwards

    def verify(self, user_ids: list[int] | None = None) -> dict:
        """Compare the database with what the server acknowledged. Returns counts."""
        from django.db.models import Count

        from quizzes.models import Attempt, Response

        wanted = [
            t for t in self.taken.values() if user_ids is None or t.delegate.user_id in user_ids
        ]
        ids = [t.attempt_id for t in wanted if t.attempt_id]
        attempts = Attempt.objects.in_bulk(ids)
        stored: dict[int, dict[int, Any]] = {pk: {} for pk in ids}
        for attempt_id, position, answer in Response.objects.filter(attempt_id__in=ids).values_list(
            "attempt_id", "position", "answer"
        ):
            stored[attempt_id][position] = answer
        users = [t.delegate.user_id for t in wanted]
        duplicates = (
            Attempt.objects.filter(user_id__in=users, quiz_id=self.quiz_id)
            .values("user_id")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count()
        )
        lost = late = wrong_score = not_graded = 0
        problems: list[str] = []
        for taken in wanted:
            attempt = attempts.get(taken.attempt_id)
            if attempt is None:
                problems.append(
                    f"user {taken.delegate.user_id}: attempt {taken.attempt_id} missing"
                )
                lost += len(taken.answers)
                continue
            answers = stored[attempt.pk]
            for position in range(len(self.keys)):
                here, acknowledged = answers.get(position), taken.answers.get(position)
                if here == acknowledged:
                    continue
                if here in taken.sent.get(position, ()):
                    late += 1
                    continue
                lost += 1
                if len(problems) < 20:
                    problems.append(
                        f"attempt {attempt.pk} position {position}: stored {here!r}, "
                        f"acknowledged {acknowledged!r}"
                    )
            if attempt.state == Attempt.State.SUBMITTED:
                # Scored from exactly what is stored (checked above against what was sent).
                percent = expected_percent(self.keys, answers)
                if attempt.percent != percent or attempt.passed != (percent >= PASS_MARK):
                    wrong_score += 1
                    if len(problems) < 20:
                        problems.append(
                            f"attempt {attempt.pk}: {attempt.percent} %, expected {percent} %"
                        )
            elif taken.submitted:
                not_graded += 1
        return {
            "delegates": len(wanted),
            "attempts": len(attempts),
            "submitted": sum(1 for t in wanted if t.submitted),
            "graded": sum(1 for a in attempts.values() if a.state == Attempt.State.SUBMITTED),
            "answers_acknowledged": sum(len(t.answers) for t in wanted),
            "lost_answers": lost,
            "applied_late": late,
            "wrong_scores": wrong_score,
            "not_graded": not_graded,
            "duplicate_attempts": duplicates,
            "problems": problems,
        }
