"""Races during a quiz: a whole conference submitting at once, double clicks, two tabs, and
answers saved while the attempt is being submitted.

PostgreSQL only: SQLite serialises every writer, so it cannot show a race. Each test runs real
threads, each with its own database connection (closed when the thread ends), released together
by a barrier.

PostgreSQL allows 100 connections by default, and other test runs may share the server, so no
test opens more than ``POOL`` (40) at once: the 280 delegates of a conference submit in waves of
40 threads, all 40 released together by one barrier per wave (7 waves). Every wave is a full
40-way race on the same quiz, course and question versions, which is where contention lives;
raising ``POOL`` towards ``max_connections`` only makes the waves fewer.
"""

import json
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from courses.models import Completion, Enrollment
from quizzes import exceptions, services
from quizzes.models import Attempt, Question, QuestionVersion, Response
from quizzes.services import attempts as attempt_services
from quizzes.services import versions
from quizzes.signals import attempt_passed
from tests import factories
from tests.quizzes import factories as qf

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.usefixtures("_postgresql_only"),
    # Committed data is flushed after each test; serialized_rollback restores the migrated
    # content (root page, default site, provinces, role groups) for the next one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

POOL = 40  # threads (and so database connections) racing at once, at most
KINDS = ("single", "true_false", "short_answer", "numerical")  # one mark each, all or nothing
WRONG_TEXT = {"short_answer": "Hà Nội", "numerical": "281"}


@pytest.fixture
def _postgresql_only():
    """Skip at run time, once the test database settings are final."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL row locks (SQLite serialises writers)")


# Running threads together


def _in_thread(task: Callable[[], object], results: list[object], i: int) -> None:
    try:
        results[i] = task()
    except Exception as error:  # noqa: BLE001 (the outcome under test)
        results[i] = error


def run_at_once(count: int, task: Callable[[int], object]) -> list[object]:
    """Run ``task(i)`` in ``count`` threads released together; return results or exceptions."""
    return run_in_waves(list(range(count)), task, pool=count)


def run_in_waves(
    items: Sequence, task: Callable[[object], object], *, pool: int = POOL
) -> list[object]:
    """``task(item)`` for every item, ``pool`` threads at a time: thread ``t`` takes items
    ``t``, ``t + pool``, ... and every wave starts from one barrier, so each wave is a
    ``pool``-way race. Returns the results (or exceptions) in the order of ``items``."""
    pool = min(pool, len(items))
    waves = -(-len(items) // pool)
    barrier = threading.Barrier(pool, timeout=60)
    results: list[object] = [None] * len(items)

    def worker(t: int) -> None:
        try:
            for wave in range(waves):
                barrier.wait()
                i = wave * pool + t
                if i < len(items):
                    _in_thread(lambda i=i: task(items[i]), results, i)
        except threading.BrokenBarrierError as error:
            results[t] = error
        finally:
            connections.close_all()  # this thread's connections only

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(pool)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results


def outcomes(results: list[object]) -> Counter:
    return Counter(type(result).__name__ for result in results)


@pytest.fixture
def gradings(monkeypatch):
    """Attempt ids in the order they were scored (``rescore`` runs once per grading)."""
    calls: list[int] = []
    lock = threading.Lock()
    original = attempt_services.rescore

    def counting(attempt):
        with lock:
            calls.append(attempt.pk)
        return original(attempt)

    monkeypatch.setattr(attempt_services, "rescore", counting)
    return calls


@pytest.fixture
def passes():
    """Attempt ids announced by ``attempt_passed``."""
    calls: list[int] = []
    lock = threading.Lock()

    def receiver(sender, attempt, **kwargs):
        with lock:
            calls.append(attempt.pk)

    attempt_passed.connect(receiver, weak=False, dispatch_uid="tests.quizzes.passes")
    yield calls
    attempt_passed.disconnect(dispatch_uid="tests.quizzes.passes")


# A quiz whose right and wrong answers the tests know


class Quiz:
    """A course with one quiz of four one-mark questions, answered right or wrong at will."""

    def __init__(self, *, versioned: bool = True, **quiz_options) -> None:
        self.course = factories.course()
        self.questions = [qf.question(kind) for kind in KINDS]
        if versioned:  # as saving them in the admin does
            services.current_versions(Question.objects.prefetch_related("choices"))
        quiz_options.setdefault("pass_mark_percent", Decimal(70))
        self.page = qf.quiz(self.course, questions=self.questions, **quiz_options)

    def delegate(self):
        user = factories.delegate()
        factories.EnrollmentFactory(user=user, course=self.course)
        return user

    def answer(self, position: int, *, right: bool):
        question = self.questions[position]
        if question.type in WRONG_TEXT:
            return (
                question.choices.get(is_correct=True).text if right else WRONG_TEXT[question.type]
            )
        return question.choices.filter(is_correct=right).first().pk

    def answers(self, pattern: int) -> dict[int, object]:
        """Bit ``p`` of ``pattern`` set: position ``p`` answered right, else wrong."""
        return {p: self.answer(p, right=bool(pattern >> p & 1)) for p in range(len(KINDS))}


def right_count(pattern: int) -> int:
    return bin(pattern % 2 ** len(KINDS)).count("1")


def percent(right: int) -> Decimal:
    return (Decimal(100) * right / len(KINDS)).quantize(Decimal("0.01"))


def stored_answers(attempt_id: int) -> dict[int, object]:
    return dict(Response.objects.filter(attempt_id=attempt_id).values_list("position", "answer"))


# A conference submitting at once


def test_280_delegates_submitting_at_once_are_each_graded_once_with_their_answers(gradings, passes):
    quiz = Quiz()
    patterns = {pattern: quiz.answers(pattern) for pattern in range(16)}
    users = [quiz.delegate() for _ in range(280)]

    def begin(i: int) -> tuple:
        attempt = services.start_attempt(quiz=quiz.page, user=users[i])
        services.save_answers(attempt_id=attempt.pk, user=users[i], answers=patterns[i % 16])
        return users[i], attempt.pk, i % 16

    taken = run_in_waves(range(280), begin)  # they start together too
    assert outcomes(taken) == {"tuple": 280}

    results = run_in_waves(
        taken, lambda t: services.submit_attempt(attempt_id=t[1], user=t[0]), pool=POOL
    )

    assert outcomes(results) == {"Attempt": 280}
    assert sorted(gradings) == sorted(pk for _user, pk, _pattern in taken)  # once each
    assert Attempt.objects.count() == 280
    assert Attempt.objects.filter(state=Attempt.State.OPEN).count() == 0
    assert {row["user"] for row in Attempt.objects.values("user")} == {
        user.pk for user, _pk, _pattern in taken
    }
    attempts = Attempt.objects.in_bulk([pk for _user, pk, _pattern in taken])
    for (user, pk, pattern), result in zip(taken, results, strict=True):
        attempt = attempts[pk]
        assert result.pk == pk
        assert attempt.closed_by == Attempt.ClosedBy.DELEGATE
        assert result.submitted_at == attempt.submitted_at is not None
        assert attempt.score == right_count(pattern), (user, pattern)
        assert attempt.percent == percent(right_count(pattern))
        assert attempt.passed == (right_count(pattern) >= 3)
        assert stored_answers(pk) == patterns[pattern]
    passed = [pk for _user, pk, pattern in taken if right_count(pattern) >= 3]
    assert sorted(passes) == sorted(passed)
    assert Completion.objects.filter(page=quiz.page).count() == len(passed)
    assert Enrollment.objects.filter(completed_at__isnull=False).count() == len(passed)


# Double clicks and two tabs


def test_ten_simultaneous_submits_of_one_attempt_grade_it_once(gradings, passes):
    quiz = Quiz()
    user = quiz.delegate()
    attempt = services.start_attempt(quiz=quiz.page, user=user)
    services.save_answers(attempt_id=attempt.pk, user=user, answers=quiz.answers(0b1111))

    results = run_at_once(10, lambda _i: services.submit_attempt(attempt_id=attempt.pk, user=user))

    assert outcomes(results) == {"Attempt": 10}
    assert gradings == [attempt.pk]
    assert passes == [attempt.pk]
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED
    assert {r.pk for r in results} == {attempt.pk}
    assert {r.submitted_at for r in results} == {attempt.submitted_at}
    assert {r.percent for r in results} == {Decimal("100.00")} == {attempt.percent}
    assert Completion.objects.filter(page=quiz.page).count() == 1


def test_ten_simultaneous_starts_by_one_delegate_make_one_attempt():
    quiz = Quiz()
    user = quiz.delegate()

    results = run_at_once(10, lambda _i: services.start_attempt(quiz=quiz.page, user=user))

    assert outcomes(results) == {"Attempt": 10}
    attempt = Attempt.objects.get()  # exactly one row
    assert {r.pk for r in results} == {attempt.pk}
    assert attempt.number == 1
    assert attempt.is_open
    assert Response.objects.filter(attempt=attempt).count() == len(KINDS)


def test_a_start_that_read_no_version_reuses_the_one_a_simultaneous_start_made(monkeypatch):
    """The first starts of a quiz also version its questions. When one start has read the
    versions (none yet) and another commits new ones before it writes, it must reuse them.

    Ten starts released by a barrier hit this most runs (each question got 2 to 4 identical
    versions); here the interleaving is forced so the test is deterministic."""
    quiz = Quiz(versioned=False)
    early, late = quiz.delegate(), quiz.delegate()
    held, released = threading.Event(), threading.Event()
    hold = threading.local()
    create_version = versions._create_version

    def create_after_the_other_start(*args, **kwargs):
        if getattr(hold, "on", False):
            held.set()  # read "no version yet"; now let the other start finish first
            released.wait(timeout=30)
        return create_version(*args, **kwargs)

    monkeypatch.setattr(versions, "_create_version", create_after_the_other_start)
    results: list[object] = [None, None]

    def slow_start() -> None:
        hold.on = True
        try:
            _in_thread(lambda: services.start_attempt(quiz=quiz.page, user=late), results, 1)
        finally:
            connections.close_all()

    def quick_start() -> None:
        try:
            held.wait(timeout=30)
            _in_thread(lambda: services.start_attempt(quiz=quiz.page, user=early), results, 0)
        finally:
            released.set()
            connections.close_all()

    threads = [threading.Thread(target=slow_start), threading.Thread(target=quick_start)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes(results) == {"Attempt": 2}
    assert QuestionVersion.objects.count() == len(KINDS)  # one version of each question
    used = defaultdict(set)
    for position, version in Response.objects.values_list("position", "question_version"):
        used[position].add(version)
    assert all(len(seen) == 1 for seen in used.values()), used


def test_two_tabs_saving_from_the_same_revision_one_wins_the_other_is_stale():
    quiz = Quiz()
    user = quiz.delegate()
    attempt = services.start_attempt(quiz=quiz.page, user=user)
    choices = list(quiz.questions[0].choices.values_list("pk", flat=True))

    for _round in range(5):
        response = Response.objects.get(attempt=attempt, position=0)
        revision = response.revision
        tabs = [{0: choice} for choice in choices if choice != response.answer][:2]

        results = run_at_once(
            2,
            lambda i, tabs=tabs, revision=revision: services.save_answers(
                attempt_id=attempt.pk, user=user, answers=tabs[i], seen_revisions={0: revision}
            ),
        )

        assert outcomes(results) == {"SaveResult": 2}
        saved = [i for i, r in enumerate(results) if r.saved == [0]]
        stale = [i for i, r in enumerate(results) if r.stale == [0]]
        assert len(saved) == 1 and len(stale) == 1, results
        winner = saved[0]
        response = Response.objects.get(attempt=attempt, position=0)
        assert response.answer == tabs[winner][0]
        assert response.revision == revision + 1
        assert results[winner].revisions == {0: revision + 1}
        assert results[stale[0]].revisions == {0: revision + 1}  # tells the tab what is stored


def test_one_delegates_submit_does_not_hold_up_another_delegates_save(monkeypatch):
    """Delegates' attempts are locked one by one: while one delegate's submit is grading, in
    its transaction, another delegate of the same quiz can still save."""
    quiz = Quiz()
    grading, graded, saved = threading.Event(), threading.Event(), threading.Event()
    first, second = quiz.delegate(), quiz.delegate()
    slow = services.start_attempt(quiz=quiz.page, user=first)
    other = services.start_attempt(quiz=quiz.page, user=second)
    rescore = attempt_services.rescore

    def held_open(attempt):
        if attempt.pk == slow.pk:
            grading.set()  # inside submit_attempt's transaction, holding its locks
            graded.wait(timeout=30)
        return rescore(attempt)

    monkeypatch.setattr(attempt_services, "rescore", held_open)
    results: list[object] = [None, None]

    def submit() -> None:
        try:
            _in_thread(lambda: services.submit_attempt(attempt_id=slow.pk, user=first), results, 0)
        finally:
            connections.close_all()

    def save() -> None:
        try:
            grading.wait(timeout=30)
            _in_thread(
                lambda: services.save_answers(
                    attempt_id=other.pk, user=second, answers=quiz.answers(0b1111)
                ),
                results,
                1,
            )
            saved.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit), threading.Thread(target=save)]
    for thread in threads:
        thread.start()
    try:
        saved_while_grading = saved.wait(timeout=10)
    finally:
        graded.set()
        for thread in threads:
            thread.join(timeout=60)

    assert outcomes(results) == {"Attempt": 1, "SaveResult": 1}
    assert saved_while_grading, "the save waited for another delegate's submit to commit"


def test_answers_saved_while_submitting_are_scored_or_refused_never_lost():
    """Each position is saved by its own thread while another submits: a save that got in
    before the submit is scored; one after it is refused; nothing is stored unscored."""
    quiz = Quiz()
    rights = quiz.answers(0b1111)
    for _round in range(8):
        user = quiz.delegate()
        attempt = services.start_attempt(quiz=quiz.page, user=user)

        def task(i: int, attempt=attempt, user=user):
            if i == len(KINDS):
                return services.submit_attempt(attempt_id=attempt.pk, user=user)
            return services.save_answers(attempt_id=attempt.pk, user=user, answers={i: rights[i]})

        *saves, submitted = run_at_once(len(KINDS) + 1, task)

        assert isinstance(submitted, Attempt), submitted
        assert all(isinstance(r, services.SaveResult | exceptions.AttemptClosed) for r in saves)
        in_time = {p for p, r in enumerate(saves) if isinstance(r, services.SaveResult)}
        assert stored_answers(attempt.pk) == {
            p: rights[p] if p in in_time else None for p in range(len(KINDS))
        }
        attempt.refresh_from_db()
        assert attempt.state == Attempt.State.SUBMITTED
        assert attempt.score == len(in_time)
        assert submitted.score == attempt.score
        # Scoring again from what is stored changes nothing: what is stored is what was scored.
        earned = dict(Response.objects.filter(attempt=attempt).values_list("position", "earned"))
        services.rescore(attempt)
        again = Attempt.objects.get(pk=attempt.pk)
        assert (again.score, again.percent, again.passed) == (
            attempt.score,
            attempt.percent,
            attempt.passed,
        )
        assert (
            dict(Response.objects.filter(attempt=attempt).values_list("position", "earned"))
            == earned
        )


# Through the views


def test_many_delegates_autosaving_and_submitting_through_the_views_get_no_server_errors():
    """Thirty delegates, each with two tabs: one autosaves every page (JSON), the other submits
    midway. Every answer is 200 (saved or stale), 400 (closed) or the submit's redirect."""
    quiz = Quiz(questions_per_page=1)
    rights = quiz.answers(0b1111)
    delegates = []
    for _ in range(30):
        user = quiz.delegate()
        attempt = services.start_attempt(quiz=quiz.page, user=user)
        saving, submitting = Client(), Client()
        saving.force_login(user)
        submitting.force_login(user)
        delegates.append((attempt.pk, saving, submitting))

    def autosave(attempt_id: int, client: Client) -> list[int]:
        url = reverse("quizzes:save", args=[attempt_id])
        statuses = []
        for position, value in rights.items():
            response = client.post(
                url,
                json.dumps({"answers": {str(position): value}, "revisions": {str(position): 0}}),
                content_type="application/json",
            )
            statuses.append(response.status_code)
            if response.status_code == 200:  # saved, or stale: the other tab saved it first
                body = response.json()
                assert body["saved"] + body["stale"] == [position], body
        return statuses

    def tab(i: int):
        attempt_id, saving, submitting = delegates[i // 2]
        if i % 2 == 0:
            return autosave(attempt_id, saving)
        autosave(attempt_id, submitting)  # the second tab saves too, then submits
        return submitting.post(reverse("quizzes:submit", args=[attempt_id])).status_code

    results = run_at_once(2 * len(delegates), tab)

    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = Counter(status for r in results for status in (r if isinstance(r, list) else [r]))
    assert set(statuses) <= {200, 302, 400}, statuses
    assert statuses[302] == len(delegates)
    for attempt_id, _saving, _submitting in delegates:
        attempt = Attempt.objects.get(pk=attempt_id)
        assert attempt.state == Attempt.State.SUBMITTED
        assert attempt.score == sum(1 for a in stored_answers(attempt_id).values() if a)
