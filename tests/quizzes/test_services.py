"""quizzes.services: attempts, deadlines, versions, grading and regrading."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import exceptions as course_exceptions
from courses.models import Completion
from quizzes import exceptions, services
from quizzes.models import Attempt, Choice, QuestionVersion
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2024, 7, 10, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def enrolled():
    course = factories.course()
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)
    return course, user


def right_choice(question) -> int:
    return question.choices.get(is_correct=True).pk


def test_starting_twice_returns_the_same_open_attempt(enrolled):
    course, user = enrolled
    quiz = qf.quiz(course, questions=[qf.question()])
    first = services.start_attempt(quiz=quiz, user=user, now=NOW)
    again = services.start_attempt(quiz=quiz, user=user, now=NOW)
    assert first.pk == again.pk
    assert Attempt.objects.count() == 1


def test_a_delegate_not_enrolled_cannot_start(enrolled):
    course, _user = enrolled
    quiz = qf.quiz(course, questions=[qf.question()])
    with pytest.raises(course_exceptions.NotEnrolled):
        services.start_attempt(quiz=quiz, user=factories.delegate(), now=NOW)


def test_attempt_limit_is_enforced_on_the_server(enrolled):
    course, user = enrolled
    quiz = qf.quiz(course, questions=[qf.question()], attempts_allowed=2)
    for _ in range(2):
        attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
        services.submit_attempt(attempt_id=attempt.pk, user=user, now=NOW)
    with pytest.raises(exceptions.NoAttemptsLeft):
        services.start_attempt(quiz=quiz, user=user, now=NOW)


def test_quiz_window_is_enforced(enrolled):
    course, user = enrolled
    quiz = qf.quiz(
        course,
        questions=[qf.question()],
        opens_at=NOW + datetime.timedelta(hours=1),
        closes_at=NOW + datetime.timedelta(hours=2),
    )
    with pytest.raises(exceptions.QuizNotOpen):
        services.start_attempt(quiz=quiz, user=user, now=NOW)
    with pytest.raises(exceptions.QuizClosed):
        services.start_attempt(quiz=quiz, user=user, now=NOW + datetime.timedelta(hours=3))


def test_time_limit_with_grace_then_refusal_keeps_saved_answers(enrolled, settings):
    settings.LMS = {"ATTEMPT_GRACE_SECONDS": 30}
    course, user = enrolled
    question = qf.question()
    quiz = qf.quiz(course, questions=[question], time_limit_minutes=10)
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    assert attempt.deadline_at == NOW + datetime.timedelta(minutes=10)
    services.save_answers(
        attempt_id=attempt.pk,
        user=user,
        answers={0: right_choice(question)},
        now=NOW + datetime.timedelta(minutes=10, seconds=20),  # within the grace
    )
    with pytest.raises(exceptions.TimeExpired):
        services.save_answers(
            attempt_id=attempt.pk,
            user=user,
            answers={0: question.choices.exclude(is_correct=True).first().pk},
            now=NOW + datetime.timedelta(minutes=11),
        )
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED
    assert attempt.closed_by == Attempt.ClosedBy.DEADLINE
    assert attempt.percent == Decimal("100.00")


def test_periodic_close_submits_abandoned_overdue_attempts(enrolled):
    course, user = enrolled
    quiz = qf.quiz(course, questions=[qf.question()], time_limit_minutes=5)
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    assert services.close_overdue_attempts(now=NOW + datetime.timedelta(minutes=5)) == 0
    assert services.close_overdue_attempts(now=NOW + datetime.timedelta(hours=1)) == 1
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED
    assert attempt.percent == Decimal("0.00")


def test_submitting_twice_grades_once(enrolled):
    course, user = enrolled
    quiz = qf.quiz(course, questions=[qf.question()])
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    first = services.submit_attempt(attempt_id=attempt.pk, user=user, now=NOW)
    later = NOW + datetime.timedelta(minutes=5)
    second = services.submit_attempt(attempt_id=attempt.pk, user=user, now=later)
    assert first.submitted_at == second.submitted_at == NOW
    assert Attempt.objects.filter(state=Attempt.State.SUBMITTED).count() == 1


def test_editing_a_question_never_changes_a_recorded_attempt(enrolled):
    course, user = enrolled
    question = qf.question()
    quiz = qf.quiz(course, questions=[question])
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    seen = attempt.responses.get().question_version
    question.text = "<p>Câu hỏi đã sửa</p>"
    question.save()
    services.current_versions([question])
    assert QuestionVersion.objects.filter(question=question).count() == 2
    response = attempt.responses.get()
    assert response.question_version_id == seen.pk
    assert "Câu hỏi đã sửa" not in response.question_version.data["text"]


def test_random_slots_draw_distinct_questions(enrolled):
    course, user = enrolled
    category = qf.CategoryFactory(name="Ngân hàng")
    bank = [qf.question(category=category, name=f"Q{i}") for i in range(6)]
    quiz = qf.quiz(course, questions=[bank[0]])
    qf.random_slot(quiz, category, 4)
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW, rng=random.Random(1))
    drawn = [r.question_version.question_id for r in attempt.responses.all()]
    assert len(drawn) == 5 == len(set(drawn))
    assert drawn[0] == bank[0].pk


def test_too_small_a_bank_is_a_clear_error(enrolled):
    course, user = enrolled
    category = qf.CategoryFactory(name="Nhỏ")
    qf.question(category=category)
    quiz = qf.quiz(course)
    qf.random_slot(quiz, category, 3)
    with pytest.raises(exceptions.QuizMisconfigured):
        services.start_attempt(quiz=quiz, user=user, now=NOW)
    assert not Attempt.objects.exists()


def test_essay_grading_rescores_and_can_complete_the_quiz(enrolled):
    course, user = enrolled
    essay = qf.question("essay", marks=Decimal(4))
    quiz = qf.quiz(course, questions=[essay], pass_mark_percent=Decimal(50))
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    services.save_answers(attempt_id=attempt.pk, user=user, answers={0: "Ý kiến của tôi"}, now=NOW)
    attempt = services.submit_attempt(attempt_id=attempt.pk, user=user, now=NOW)
    assert attempt.pending_grading == 1
    assert not attempt.passed
    trainer = factories.UserFactory()
    with pytest.raises(exceptions.GradeOutOfRange):
        services.grade_response(
            response_id=attempt.responses.get().pk, grader=trainer, grade=Decimal(5)
        )
    services.grade_response(
        response_id=attempt.responses.get().pk, grader=trainer, grade=Decimal(3)
    )
    attempt.refresh_from_db()
    assert attempt.pending_grading == 0
    assert attempt.percent == Decimal("75.00")
    assert attempt.passed
    assert Completion.objects.filter(page=quiz, enrollment__user=user).exists()


# Each question as (kind, marks, how it is answered), and the (marks, outcome) stored for it.
FEW_PAIRS = [
    (("single", 1, "right"), (Decimal(1), "correct")),
    (("single", 1, "wrong"), (Decimal(0), "incorrect")),
    (("single", 1, "right"), (Decimal(1), "correct")),
    (("essay", 2, "Ý kiến"), (None, "needs_grading")),
]
MANY_PAIRS = [
    (("single", 1, "right"), (Decimal(1), "correct")),
    (("single", 2, "right"), (Decimal(2), "correct")),
    (("single", 1, "wrong"), (Decimal(0), "incorrect")),
    (("single", 1, None), (Decimal(0), "unanswered")),
    (("essay", 2, "Ý kiến"), (None, "needs_grading")),
]


@pytest.mark.parametrize(
    ("plan", "response_updates"), [(FEW_PAIRS, 3), (MANY_PAIRS, 1)], ids=["few", "many"]
)
def test_submit_stores_every_response_score_written_by_pairs(enrolled, plan, response_updates):
    """Rows scored alike are written together: one UPDATE per (marks, outcome) pair while there
    are few (right, wrong, an essay awaiting its grade), one UPDATE with a CASE for many."""
    course, user = enrolled
    questions = [qf.question(kind, marks=Decimal(marks)) for (kind, marks, _a), _s in plan]
    quiz = qf.quiz(course, questions=questions, shuffle_questions=False)
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    by_position = {r.position: r.question_version.question for r in attempt.responses.all()}
    answers = {}
    for position, question in by_position.items():
        answer = plan[questions.index(question)][0][2]
        if answer in ("right", "wrong"):
            answer = question.choices.filter(is_correct=answer == "right").first().pk
        if answer is not None:
            answers[position] = answer
    services.save_answers(attempt_id=attempt.pk, user=user, answers=answers, now=NOW)
    with CaptureQueriesContext(connection) as queries:
        services.submit_attempt(attempt_id=attempt.pk, user=user, now=NOW)
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "quizzes_response"')]
    assert len(updates) == response_updates
    stored = {r.position: (r.earned, r.outcome) for r in attempt.responses.all()}
    assert stored == {
        position: plan[questions.index(question)][1] for position, question in by_position.items()
    }
    attempt.refresh_from_db()
    expected = sum(score for _q, (score, _o) in plan if score is not None)
    assert (attempt.score, attempt.pending_grading) == (expected, 1)


def test_regrade_dry_run_changes_nothing_and_real_run_fixes_scores(enrolled):
    course, user = enrolled
    question = qf.question()
    quiz = qf.quiz(course, questions=[question])
    wrong = question.choices.exclude(is_correct=True).first()
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    services.save_answers(attempt_id=attempt.pk, user=user, answers={0: wrong.pk}, now=NOW)
    services.submit_attempt(attempt_id=attempt.pk, user=user, now=NOW)
    # The trainer finds the key was wrong and fixes it.
    Choice.objects.filter(question=question).update(is_correct=False)
    Choice.objects.filter(pk=wrong.pk).update(is_correct=True)

    preview = services.regrade_quiz(quiz=quiz, dry_run=True)
    assert [(c.old_percent, c.new_percent) for c in preview] == [
        (Decimal("0.00"), Decimal("100.00"))
    ]
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("0.00")

    services.regrade_quiz(quiz=quiz, dry_run=False)
    attempt.refresh_from_db()
    assert attempt.percent == Decimal("100.00")
    assert attempt.passed
    again = services.regrade_quiz(quiz=quiz, dry_run=True)
    assert not any(change.changed for change in again)


def submit_answers(quiz, user, answers):
    """Start, answer ``{question: choice id}`` and submit."""
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW, rng=random.Random(1))
    positions = dict(attempt.responses.values_list("question_version__question_id", "position"))
    services.save_answers(
        attempt_id=attempt.pk,
        user=user,
        answers={positions[q.pk]: value for q, value in answers.items()},
        now=NOW,
    )
    return services.submit_attempt(attempt_id=attempt.pk, user=user, now=NOW)


def test_a_regrade_reads_as_many_queries_for_many_attempts_as_for_few(enrolled):
    course, _user = enrolled
    first, second = qf.question(), qf.question()
    quiz = qf.quiz(course, questions=[first, second])

    def dry_run_queries(delegates: int) -> int:
        for _ in range(delegates):
            user = factories.delegate()
            factories.EnrollmentFactory(user=user, course=course)
            submit_answers(quiz, user, {first: right_choice(first), second: right_choice(second)})
        with CaptureQueriesContext(connection) as captured:
            changes = services.regrade_quiz(quiz=quiz, dry_run=True)
        assert not any(change.changed for change in changes)
        return len(captured.captured_queries)

    assert dry_run_queries(2) == dry_run_queries(5)


def test_a_regrade_moves_answers_only_to_a_compatible_version(enrolled):
    course, user = enrolled
    fixed, extended = qf.question(), qf.question()
    quiz = qf.quiz(course, questions=[fixed, extended])
    wrong = fixed.choices.exclude(is_correct=True).first()
    attempt = submit_answers(quiz, user, {fixed: wrong.pk, extended: right_choice(extended)})
    old = dict(attempt.responses.values_list("question_version__question_id", "question_version"))
    # The first question's key is fixed (its choices stay: compatible); the second gains a
    # choice (its old answers no longer mean the same: they keep their version).
    Choice.objects.filter(question=fixed).update(is_correct=False)
    Choice.objects.filter(pk=wrong.pk).update(is_correct=True)
    Choice.objects.create(question=extended, text="1/1/2025", is_correct=False, sort_order=9)

    preview = services.regrade_quiz(quiz=quiz, dry_run=True)
    services.regrade_quiz(quiz=quiz, dry_run=False)

    assert [(c.old_percent, c.new_percent) for c in preview] == [
        (Decimal("50.00"), Decimal("100.00"))
    ]
    now = dict(attempt.responses.values_list("question_version__question_id", "question_version"))
    newest = QuestionVersion.objects.filter(question=fixed).order_by("-number").first()
    assert now[fixed.pk] == newest.pk != old[fixed.pk]
    assert now[extended.pk] == old[extended.pk]
    assert QuestionVersion.objects.filter(question=extended).count() == 2  # made, not used
    attempt.refresh_from_db()
    assert (attempt.percent, attempt.passed) == (Decimal("100.00"), True)
    outcomes = set(attempt.responses.values_list("earned", flat=True))
    assert outcomes == {Decimal(1)}


def test_average_grading_needs_the_average_to_pass(enrolled):
    course, user = enrolled
    question = qf.question()
    quiz = qf.quiz(course, questions=[question], grading_method="average")
    wrong = question.choices.exclude(is_correct=True).first().pk
    for answer in (wrong, right_choice(question)):
        attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
        services.save_answers(attempt_id=attempt.pk, user=user, answers={0: answer}, now=NOW)
        services.submit_attempt(attempt_id=attempt.pk, user=user, now=NOW)
    assert services.quiz_grade(quiz, user) == Decimal("50.00")
    assert not Completion.objects.filter(page=quiz).exists()


def test_deadline_is_capped_by_the_quiz_closing_time(enrolled):
    course, user = enrolled
    closes = NOW + datetime.timedelta(minutes=5)
    quiz = qf.quiz(course, questions=[qf.question()], time_limit_minutes=30, closes_at=closes)
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    assert attempt.deadline_at == closes


def test_saving_uses_the_server_clock_by_default(enrolled):
    course, user = enrolled
    question = qf.question()
    quiz = qf.quiz(course, questions=[question])
    attempt = services.start_attempt(quiz=quiz, user=user)
    result = services.save_answers(
        attempt_id=attempt.pk, user=user, answers={0: right_choice(question)}
    )
    assert result.saved == [0]
    assert attempt.responses.get().answered_at <= timezone.now()


def test_close_overdue_attempts_command(enrolled):
    from io import StringIO

    from django.core.management import call_command

    course, user = enrolled
    quiz = qf.quiz(course, questions=[qf.question()], time_limit_minutes=1)
    services.start_attempt(quiz=quiz, user=user, now=NOW)
    out = StringIO()
    call_command("close_overdue_attempts", stdout=out)
    assert "Closed 1 overdue attempt(s)." in out.getvalue()
    assert not Attempt.objects.filter(state=Attempt.State.OPEN).exists()


def test_a_cleared_answer_is_stored_as_no_answer(enrolled):
    course, user = enrolled
    question = qf.question()
    quiz = qf.quiz(course, questions=[question])
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    services.save_answers(
        attempt_id=attempt.pk, user=user, answers={0: right_choice(question)}, now=NOW
    )
    result = services.save_answers(attempt_id=attempt.pk, user=user, answers={0: ""}, now=NOW)
    assert result.saved == [0]
    assert result.revisions == {0: 2}
    # SQL NULL, not JSON null: the summary counts the question as unanswered again.
    assert not attempt.responses.filter(answer__isnull=False).exists()


def test_answers_cleared_together_are_stored_as_no_answer(enrolled):
    course, user = enrolled
    questions = [qf.question(), qf.question()]
    quiz = qf.quiz(course, questions=questions)
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    answers = {0: right_choice(questions[0]), 1: right_choice(questions[1])}
    services.save_answers(attempt_id=attempt.pk, user=user, answers=answers, now=NOW)
    result = services.save_answers(
        attempt_id=attempt.pk, user=user, answers={0: "", 1: ""}, now=NOW
    )
    assert (result.saved, result.revisions) == ([0, 1], {0: 2, 1: 2})
    assert not attempt.responses.filter(answer__isnull=False).exists()


@pytest.mark.parametrize("json_member", [True, False], ids=["json-member", "case"])
def test_a_page_of_answers_of_every_shape_is_stored_as_given(enrolled, monkeypatch, json_member):
    """One UPDATE writes each response its own answer: picked by position from one JSON object
    where the database can, by a CASE where it cannot; either way what is read back is what was
    cleaned, and a cleared answer is SQL NULL."""
    if not json_member:
        monkeypatch.setattr("quizzes.services.attempts.supports_json_member", lambda: False)
    course, user = enrolled
    kinds = ["single", "multiple", "short_answer", "numerical", "matching", "ordering", "essay"]
    questions = [qf.question(kind) for kind in kinds]
    quiz = qf.quiz(course, questions=questions)
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    by_kind = {
        response.question_version.question.type: response
        for response in attempt.responses.select_related("question_version__question")
    }
    single, multiple, *_rest, matching, ordering, essay = (by_kind[kind] for kind in kinds)
    services.save_answers(
        attempt_id=attempt.pk, user=user, answers={essay.position: "Bản nháp"}, now=NOW
    )
    choices = {kind: list(by_kind[kind].question_version.question.choices.all()) for kind in kinds}
    items = choices["matching"]
    answers = {
        single.position: str(choices["single"][1].pk),
        multiple.position: [choices["multiple"][1].pk, choices["multiple"][0].pk],
        by_kind["short_answer"].position: '  Hòa Bình "\\" {"a": 1}  ',
        by_kind["numerical"].position: "280",
        matching.position: {str(items[0].pk): items[1].match, str(items[2].pk): items[2].match},
        ordering.position: [c.pk for c in reversed(choices["ordering"])],
        essay.position: "",
    }
    with CaptureQueriesContext(connection) as queries:
        result = services.save_answers(attempt_id=attempt.pk, user=user, answers=answers, now=NOW)
    assert sorted(result.saved) == sorted(answers)
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert ("CASE" in updates[0]) is not json_member
    stored = dict(attempt.responses.values_list("position", "answer"))
    assert stored == {
        single.position: choices["single"][1].pk,
        multiple.position: sorted([choices["multiple"][1].pk, choices["multiple"][0].pk]),
        by_kind["short_answer"].position: 'Hòa Bình "\\" {"a": 1}',
        by_kind["numerical"].position: "280",
        matching.position: {str(items[0].pk): items[1].match, str(items[2].pk): items[2].match},
        ordering.position: [c.pk for c in reversed(choices["ordering"])],
        essay.position: None,
    }
    assert attempt.responses.get(position=essay.position, answer__isnull=True).revision == 2
    assert set(attempt.responses.values_list("revision", flat=True)) == {1, 2}


def test_saving_someone_elses_attempt_raises_does_not_exist(enrolled):
    course, user = enrolled
    question = qf.question()
    quiz = qf.quiz(course, questions=[question])
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    intruder = factories.delegate()
    with pytest.raises(Attempt.DoesNotExist):
        services.save_answers(
            attempt_id=attempt.pk, user=intruder, answers={0: right_choice(question)}, now=NOW
        )
    with pytest.raises(Attempt.DoesNotExist):
        services.submit_attempt(attempt_id=attempt.pk, user=intruder, now=NOW)
    attempt.refresh_from_db()
    assert attempt.is_open
    assert attempt.responses.get().answer is None


def test_answer_keys_are_read_once_per_version_and_content(enrolled, django_assert_num_queries):
    from quizzes.services.versions import answer_keys

    question = qf.question()
    version = services.current_versions([question])[question.pk]
    with django_assert_num_queries(1):
        first = answer_keys([(version.pk, version.fingerprint)])
    with django_assert_num_queries(0):
        again = answer_keys([(version.pk, version.fingerprint)])
    assert again[version.pk] is first[version.pk]
    assert first[version.pk].choice(right_choice(question)).fraction == 1
    # The same id with other content (a restored or rolled-back database) is read afresh.
    with django_assert_num_queries(1):
        answer_keys([(version.pk, "another fingerprint")])


def question_with_unordered_choices():
    """Choices placed 0, 0, none, 1, the first rewritten since (PostgreSQL then stores it after
    the second): in the editor's order they are first, second, fourth, third."""
    question = qf.question(
        "single",
        shuffle_choices=False,
        choices=[
            {"text": "first", "is_correct": True, "sort_order": 0},
            {"text": "second", "sort_order": 0},
            {"text": "unplaced", "sort_order": None},
            {"text": "last placed", "sort_order": 1},
        ],
    )
    Choice.objects.filter(question=question, text="first").update(feedback="rewritten")
    in_order = ["first", "second", "last placed", "unplaced"]
    by_text = dict(question.choices.values_list("text", "pk"))
    return question, [by_text[text] for text in in_order]


def test_snapshots_and_choice_order_follow_the_editors_order_on_every_database(enrolled):
    course, user = enrolled
    question, in_order = question_with_unordered_choices()
    quiz = qf.quiz(course, questions=[question], shuffle_choices=False)
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    response = attempt.responses.select_related("question_version").get()
    assert response.choice_order == in_order
    assert [c["id"] for c in response.question_version.data["choices"]] == in_order


def test_a_regrade_versions_choices_in_the_editors_order(enrolled):
    course, user = enrolled
    question, in_order = question_with_unordered_choices()
    quiz = qf.quiz(course, questions=[question], shuffle_choices=False)
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    services.submit_attempt(attempt_id=attempt.pk, user=user, now=NOW)
    question.text = "<p>Kết luận 57-KL/TW ban hành năm nào?</p>"  # a new version at regrade
    question.save()

    services.regrade_quiz(quiz=quiz, dry_run=False)

    newest = QuestionVersion.objects.filter(question=question).order_by("-number").first()
    assert newest.number == 2
    assert [c["id"] for c in newest.data["choices"]] == in_order


def test_slots_without_a_position_are_drawn_last_on_every_database(enrolled):
    course, user = enrolled
    unplaced, placed = qf.question("single"), qf.question("true_false")
    quiz = qf.quiz(course, questions=[unplaced, placed])
    quiz.slots.filter(question=unplaced).update(sort_order=None)
    attempt = services.start_attempt(quiz=quiz, user=user, now=NOW)
    drawn = attempt.responses.order_by("position").values_list(
        "question_version__question_id", flat=True
    )
    assert list(drawn) == [placed.pk, unplaced.pk]


# Taking the course again to renew a certificate


def test_after_a_renewal_earlier_attempts_neither_use_the_allowance_nor_make_the_grade(enrolled):
    """Found: a delegate who had used every attempt could not take the quiz again to renew
    their certificate, and an earlier pass would have passed the retake whatever its score."""
    from courses.models import Enrollment
    from courses.services import restart_course
    from quizzes import selectors

    course, user = enrolled
    question = qf.question()
    quiz = qf.quiz(course, questions=[question], attempts_allowed=1, pass_mark_percent=50)
    passed = services.start_attempt(quiz=quiz, user=user, now=NOW)
    services.save_answers(
        attempt_id=passed.pk, user=user, answers={0: right_choice(question)}, now=NOW
    )
    services.submit_attempt(attempt_id=passed.pk, user=user, now=NOW)
    assert Completion.objects.filter(page_id=quiz.pk).exists()
    with pytest.raises(exceptions.NoAttemptsLeft):
        services.start_attempt(quiz=quiz, user=user, now=NOW)

    later = NOW + datetime.timedelta(days=365)
    restart_course(enrollment_id=Enrollment.objects.get(user=user).pk, now=later)
    status = selectors.quiz_status(quiz=quiz, user=user)
    assert (status.attempts_left, status.grade, status.passed) == (1, None, False)

    retake = services.start_attempt(quiz=quiz, user=user, now=later)
    services.submit_attempt(attempt_id=retake.pk, user=user, now=later)  # nothing answered

    assert retake.number == 2  # numbers run on: the first attempt stays on record
    assert Attempt.objects.filter(quiz=quiz, user=user).count() == 2
    assert not Completion.objects.filter(page_id=quiz.pk).exists()
    status = selectors.quiz_status(quiz=quiz, user=user)
    assert (status.attempts_left, status.grade, status.passed) == (0, Decimal(0), False)
    assert len(status.attempts) == 2
    with pytest.raises(exceptions.NoAttemptsLeft):
        services.start_attempt(quiz=quiz, user=user, now=later)
