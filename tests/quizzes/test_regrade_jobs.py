"""A quiz's regrade as a background job: chunks of delegates, a checkpoint, take-over, the
trainer's progress page. The scoring rules themselves: tests/quizzes/test_services.py."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from courses import leases
from courses.models import Completion
from quizzes import admin_views, services, tasks
from quizzes.models import Attempt, Choice, RegradeJob, Response
from tests import factories
from tests.quizzes import factories as qf
from tests.quizzes.test_admin import trainer_of
from tests.worker_support import run_db_worker_batch

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """A worker killed between two chunks (not an error the task could catch)."""


@pytest.fixture
def course():
    return factories.course()


def right_choice(question) -> int:
    return question.choices.get(is_correct=True).pk


def wrong_choice(question) -> int:
    return question.choices.exclude(is_correct=True).first().pk


def take(quiz, user, answers: dict) -> Attempt:
    """Start, answer ``{question: choice id}`` (the others left blank) and submit."""
    attempt = services.start_attempt(quiz=quiz, user=user)
    positions = dict(attempt.responses.values_list("question_version__question_id", "position"))
    services.save_answers(
        attempt_id=attempt.pk,
        user=user,
        answers={positions[q.pk]: value for q, value in answers.items()},
    )
    return services.submit_attempt(attempt_id=attempt.pk, user=user)


def fix_key(question, *, right: int) -> None:
    """The trainer finds the key was wrong: ``right`` is the right choice."""
    Choice.objects.filter(question=question).update(is_correct=False)
    Choice.objects.filter(pk=right).update(is_correct=True)


@pytest.fixture
def wrongly_keyed(course):
    """Five delegates answered the first question with the choice a fixed key makes right:
    50 % each (the pass mark is 70), 100 % once regraded."""
    first, second = qf.question(), qf.question()
    quiz = qf.quiz(course, questions=[first, second])
    answer = wrong_choice(first)
    delegates = []
    for _ in range(5):
        user = factories.delegate()
        factories.EnrollmentFactory(user=user, course=course)
        take(quiz, user, {first: answer, second: right_choice(second)})
        delegates.append(user)
    fix_key(first, right=answer)
    return quiz, delegates


def percents(quiz) -> list[Decimal]:
    return list(
        Attempt.objects.filter(quiz=quiz).order_by("user_id").values_list("percent", flat=True)
    )


def queue(quiz, user, capture, *, execute: bool) -> RegradeJob:
    with capture(execute=execute):
        job = tasks.start_regrade(quiz=quiz, user=user)
    job.refresh_from_db()
    return job


def test_a_regrade_runs_in_chunks_of_delegates_and_records_its_progress(
    wrongly_keyed, monkeypatch, django_capture_on_commit_callbacks
):
    quiz, delegates = wrongly_keyed
    monkeypatch.setattr(tasks, "CHUNK_SIZE", 2)
    seen = []
    run = tasks.run_regrade
    monkeypatch.setattr(
        tasks,
        "run_regrade",
        lambda **kwargs: run(**kwargs, after_chunk=lambda job: seen.append(job.done)),
    )

    job = queue(quiz, delegates[0], django_capture_on_commit_callbacks, execute=True)

    assert seen == [2, 4, 5]  # three chunks: two delegates, two, one
    assert (job.state, job.total, job.done, job.changed) == ("done", 5, 5, 5)
    assert job.finished_at is not None and job.percent == 100
    assert percents(quiz) == [Decimal("100.00")] * 5
    assert Completion.objects.filter(page=quiz).count() == 5  # each pass recorded


def test_a_killed_run_is_taken_over_from_its_checkpoint(
    wrongly_keyed, monkeypatch, time_machine, django_capture_on_commit_callbacks
):
    quiz, delegates = wrongly_keyed
    monkeypatch.setattr(tasks, "CHUNK_SIZE", 2)
    job = queue(quiz, delegates[0], django_capture_on_commit_callbacks, execute=False)
    assert job.state == RegradeJob.State.QUEUED

    def kill(job):
        raise Killed

    with pytest.raises(Killed):
        tasks.run_regrade(job_id=job.pk, run_id="first", after_chunk=kill)
    job.refresh_from_db()
    assert (job.state, job.done, job.task_result_id) == ("running", 2, "first")
    assert percents(quiz) == [Decimal("100.00")] * 2 + [Decimal("50.00")] * 3

    # While the lease holds, another run leaves the job alone.
    assert tasks.run_regrade(job_id=job.pk, run_id="second")["done"] == 2
    assert not tasks.is_stale(job)
    time_machine.move_to(timezone.now() + leases.lease_duration() + datetime.timedelta(seconds=1))
    job.refresh_from_db()
    assert tasks.is_stale(job)

    summary = tasks.run_regrade(job_id=job.pk, run_id="second")

    assert summary == {"job": job.pk, "state": "done", "done": 5, "total": 5}
    job.refresh_from_db()
    assert (job.changed, job.task_result_id) == (5, "second")
    assert percents(quiz) == [Decimal("100.00")] * 5


def test_a_run_that_lost_its_lease_rolls_its_chunk_back(
    wrongly_keyed, monkeypatch, django_capture_on_commit_callbacks
):
    quiz, delegates = wrongly_keyed
    monkeypatch.setattr(tasks, "CHUNK_SIZE", 2)
    job = queue(quiz, delegates[0], django_capture_on_commit_callbacks, execute=False)

    def taken_over(job):  # presumed dead after its first chunk: another run holds the job now
        RegradeJob.objects.filter(pk=job.pk).update(task_result_id="another")

    summary = tasks.run_regrade(job_id=job.pk, run_id="first", after_chunk=taken_over)

    assert (summary["state"], summary["done"]) == ("running", 2)
    assert percents(quiz) == [Decimal("100.00")] * 2 + [Decimal("50.00")] * 3


def test_one_regrade_of_a_quiz_at_a_time(wrongly_keyed, django_capture_on_commit_callbacks):
    quiz, delegates = wrongly_keyed
    first = queue(quiz, delegates[0], django_capture_on_commit_callbacks, execute=False)
    again = queue(quiz, delegates[1], django_capture_on_commit_callbacks, execute=False)
    assert again.pk == first.pk and RegradeJob.objects.count() == 1

    tasks.run_regrade(job_id=first.pk)
    later = queue(quiz, delegates[1], django_capture_on_commit_callbacks, execute=True)

    assert later.pk != first.pk and later.state == RegradeJob.State.DONE
    assert (later.done, later.changed) == (5, 0)  # nothing left to change


def test_regrading_again_resumes_a_regrade_whose_worker_died(
    wrongly_keyed, django_capture_on_commit_callbacks
):
    quiz, delegates = wrongly_keyed
    job = queue(quiz, delegates[0], django_capture_on_commit_callbacks, execute=False)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    RegradeJob.objects.filter(pk=job.pk).update(
        state=RegradeJob.State.RUNNING, heartbeat_at=long_ago, task_result_id="dead"
    )

    resumed = queue(quiz, delegates[0], django_capture_on_commit_callbacks, execute=True)

    assert resumed.pk == job.pk
    assert (resumed.state, resumed.done) == ("done", 5)
    assert percents(quiz) == [Decimal("100.00")] * 5


def test_a_pass_made_by_another_attempts_new_score_is_recorded(
    course, django_capture_on_commit_callbacks
):
    """Graded by the average: the first attempt (25 % -> 50 %, not passed on its own) and the
    second (75 %, passed on its own, unchanged by the fix) average 50 % before the fix and
    62.5 % after, above the 60 % mark. Rescoring only the attempts whose scores differ would
    miss it: the second is not rescored, the first does not pass."""
    fixed, *others = [qf.question() for _ in range(4)]
    quiz = qf.quiz(
        course, questions=[fixed, *others], grading_method="average", pass_mark_percent=60
    )
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)
    answer = wrong_choice(fixed)
    take(quiz, user, {fixed: answer, others[0]: right_choice(others[0])})  # 25 %
    take(quiz, user, {q: right_choice(q) for q in others})  # 75 %, the fixed one left blank
    assert not Completion.objects.filter(page=quiz).exists()
    fix_key(fixed, right=answer)

    job = queue(quiz, user, django_capture_on_commit_callbacks, execute=True)

    assert (job.done, job.changed) == (2, 1)
    assert percents(quiz) == [Decimal("50.00"), Decimal("75.00")]
    assert Completion.objects.filter(page=quiz, enrollment__user=user).exists()


def test_a_chunk_reads_as_many_queries_for_many_unchanged_attempts_as_for_few(
    course, django_capture_on_commit_callbacks
):
    """Attempts whose scores would not change are not rescored one by one."""
    first, second = qf.question(), qf.question()
    quiz = qf.quiz(course, questions=[first, second])

    def regrade_queries(delegates: int) -> int:
        for _ in range(delegates):
            user = factories.delegate()
            factories.EnrollmentFactory(user=user, course=course)
            take(quiz, user, {first: wrong_choice(first), second: wrong_choice(second)})
        job = queue(quiz, user, django_capture_on_commit_callbacks, execute=False)
        with CaptureQueriesContext(connection) as captured:
            tasks.run_regrade(job_id=job.pk)
        job.refresh_from_db()
        assert (job.state, job.changed) == ("done", 0)
        return len(captured.captured_queries)

    assert regrade_queries(2) == regrade_queries(6)


def scores(quiz) -> tuple[list, list]:
    attempts = Attempt.objects.filter(quiz=quiz).order_by("pk")
    return (
        list(attempts.values_list("score", "max_score", "percent", "passed", "pending_grading")),
        list(
            Response.objects.filter(attempt__quiz=quiz)
            .order_by("pk")
            .values_list("earned", "outcome", "question_version_id")
        ),
    )


def test_a_regrade_writes_what_rescoring_each_attempt_writes(
    course, django_capture_on_commit_callbacks
):
    """The batch's few UPDATEs against the reference, ``rescore()`` of one attempt at a time:
    rescoring every regraded attempt again changes nothing. Mixed answers, an essay graded by
    hand and one waiting, a key fixed, a question's marks raised, a blank answer."""
    single, multiple, essay = qf.question(), qf.question("multiple"), qf.question("essay")
    quiz = qf.quiz(course, questions=[single, multiple, essay])
    trainer = factories.UserFactory()
    wrong = wrong_choice(single)
    plans = [
        {single: wrong, multiple: [c.pk for c in multiple.choices.filter(is_correct=True)]},
        {single: right_choice(single), multiple: [wrong_choice(multiple)], essay: "Ý kiến"},
        {multiple: [c.pk for c in multiple.choices.all()], essay: "Bài viết"},
        {},
    ]
    for number, plan in enumerate(plans):
        user = factories.delegate()
        factories.EnrollmentFactory(user=user, course=course)
        attempt = take(quiz, user, plan)
        if number == 1:  # one essay graded by hand, the other left waiting
            response = attempt.responses.get(question_version__question=essay)
            services.grade_response(response_id=response.pk, grader=trainer, grade=Decimal(1))
    fix_key(single, right=wrong)
    multiple.marks = Decimal(3)
    multiple.save()

    job = queue(quiz, trainer, django_capture_on_commit_callbacks, execute=True)
    regraded = scores(quiz)
    for attempt in Attempt.objects.filter(quiz=quiz).select_related("quiz", "user"):
        services.rescore(attempt)

    assert regraded == scores(quiz)
    assert job.changed == 3  # the blank attempt stays at 0 %, out of 5 marks now instead of 3
    assert [row[2:] for row in regraded[0]] == [
        (Decimal("80.00"), True, 0),  # the single right now (1), the multiple (3) of 5
        (Decimal("20.00"), False, 0),  # the single wrong now; the essay's grade (1)
        (Decimal("60.00"), False, 1),  # every choice of the multiple (no penalty); the essay waits
        (Decimal("0.00"), False, 0),
    ]


def test_a_chunk_of_changed_scores_reads_as_many_queries_for_many_delegates_as_for_few(
    course, django_capture_on_commit_callbacks
):
    """Scores that change are written in one statement for each distinct value, not several an
    attempt (here every delegate drops from 50 % to 0 %: nobody's pass to record)."""
    first, second = qf.question(), qf.question()
    quiz = qf.quiz(course, questions=[first, second])

    def regrade_queries(delegates: int) -> int:
        for _ in range(delegates):
            user = factories.delegate()
            factories.EnrollmentFactory(user=user, course=course)
            take(quiz, user, {first: right_choice(first), second: wrong_choice(second)})
        right = right_choice(first)
        fix_key(first, right=wrong_choice(first))
        job = queue(quiz, user, django_capture_on_commit_callbacks, execute=False)
        with CaptureQueriesContext(connection) as captured:
            tasks.run_regrade(job_id=job.pk)
        job.refresh_from_db()
        assert (job.state, job.changed) == ("done", Attempt.objects.filter(quiz=quiz).count())
        fix_key(first, right=right)  # back, for the next round: everyone at 50 % again
        queue(quiz, user, django_capture_on_commit_callbacks, execute=True)
        return len(captured.captured_queries)

    assert regrade_queries(2) == regrade_queries(6)


def test_the_trainer_queues_the_regrade_and_follows_its_progress(
    client, wrongly_keyed, django_capture_on_commit_callbacks
):
    quiz, _delegates = wrongly_keyed
    trainer = trainer_of(factories.CohortFactory(course=quiz.get_parent().specific))
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("quizzes_regrade", args=[quiz.pk]))
    job = RegradeJob.objects.get()
    status_url = reverse("quizzes_regrade_status", args=[job.pk])
    assert response["Location"] == status_url
    assert job.requested_by == trainer

    html = client.get(status_url).content.decode()
    assert '<progress id="job-progress" max="5" value="0"' in html
    assert 'role="status" aria-live="polite"' in html
    assert re.search(r'<script src="[^"]*/courses/job_progress\.js" defer>', html)
    polling = Path(finders.find("courses/job_progress.js")).read_text(encoding="utf-8")
    assert "fetch(box.dataset.statusUrl" in polling
    # The dry-run page sends the trainer to the running regrade rather than a second one.
    assert status_url in client.get(reverse("quizzes_regrade", args=[quiz.pk])).content.decode()

    tasks.run_regrade(job_id=job.pk)
    data = client.get(status_url, {"format": "json"}).json()
    assert (data["state"], data["done"], data["changed"], data["finished"]) == ("done", 5, 5, True)
    assert data["text"] == "Đã chấm lại 5 lượt làm bài; 5 lượt thay đổi điểm."
    html = client.get(status_url).content.decode()
    assert "job_progress.js" not in html  # finished: no polling
    # In the quiz page's history, and listed under the next dry run.
    entry = PageLogEntry.objects.get(page=quiz, action="quizzes.regrade")
    assert entry.user == trainer
    assert entry.data == {"job": job.pk, "attempts": 5, "changed": 5}
    page = client.get(reverse("quizzes_regrade", args=[quiz.pk]))
    assert page.context["recent"] == [(job, data["text"])]
    assert status_url in page.content.decode()
    client.force_login(factories.UserFactory(is_superuser=True))
    history = client.get(reverse("wagtailadmin_pages:history", args=[quiz.pk])).content.decode()
    assert "Đã chấm lại 5 lượt làm bài; 5 lượt thay đổi điểm." in history


@pytest.mark.skipif(
    not apps.is_installed("django_tasks_db"),
    reason="django_tasks_db is not in INSTALLED_APPS",
)
def test_the_database_worker_regrades_a_queued_job(
    wrongly_keyed, django_capture_on_commit_callbacks, monkeypatch
):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    quiz, delegates = wrongly_keyed
    # The worker drops connections between tasks; inside the test's transaction it must not.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        job = queue(quiz, delegates[0], django_capture_on_commit_callbacks, execute=True)
        assert job.state == RegradeJob.State.QUEUED  # stored, not run
        assert str(DBTaskResult.objects.get(pk=job.task_result_id).id) == job.task_result_id
        run_db_worker_batch()
        result = tasks.regrade_quiz_job.get_result(job.task_result_id)
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"job": job.pk, "state": "done", "done": 5, "total": 5}
    assert percents(quiz) == [Decimal("100.00")] * 5


def test_the_progress_page_offers_to_resume_a_regrade_whose_worker_died(
    client, wrongly_keyed, django_capture_on_commit_callbacks
):
    quiz, delegates = wrongly_keyed
    job = queue(quiz, delegates[0], django_capture_on_commit_callbacks, execute=False)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    RegradeJob.objects.filter(pk=job.pk).update(
        state=RegradeJob.State.RUNNING, heartbeat_at=long_ago, task_result_id="dead"
    )
    client.force_login(trainer_of(factories.CohortFactory(course=quiz.get_parent().specific)))
    status_url = reverse("quizzes_regrade_status", args=[job.pk])

    html = client.get(status_url).content.decode()
    assert "đã lâu không có tiến triển" in html
    assert f'action="{reverse("quizzes_regrade", args=[quiz.pk])}"' in html
    assert "job_progress.js" not in html  # nothing to poll: the page says what to do
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("quizzes_regrade", args=[quiz.pk]))

    assert response["Location"] == status_url
    job.refresh_from_db()
    assert (job.state, job.done) == ("done", 5)


def test_the_dry_run_counts_every_change_and_lists_the_first(client, wrongly_keyed, monkeypatch):
    """A national quiz may change 10,000 attempts: the page counts them all, lists a few."""
    quiz, _delegates = wrongly_keyed
    monkeypatch.setattr(admin_views, "CHANGES_SHOWN", 2)
    client.force_login(trainer_of(factories.CohortFactory(course=quiz.get_parent().specific)))

    page = client.get(reverse("quizzes_regrade", args=[quiz.pk]))

    html = page.content.decode()
    assert len(page.context["changes"]) == 2
    assert "Điểm của 5 lượt làm bài thay đổi" in html
    assert "5 lượt chuyển thành đạt" in html and "0 lượt chuyển thành không đạt" in html
    assert "…và 3 lượt làm bài khác thay đổi điểm." in html
    assert "Chấm lại ngay (5 lượt làm bài thay đổi điểm)" in html
