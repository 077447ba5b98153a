"""quizzes/selectors/statistics.py: real attempts, taken through quizzes.services, analysed by
question across versions and random draws, scoped to what the reader may see."""

import random
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from courses.conf import lms_settings
from courses.models import Province
from quizzes import services
from quizzes.models import Attempt, QuizSlot
from quizzes.scoring import QuestionType
from quizzes.selectors import statistics as stats_selectors
from quizzes.selectors.statistics import ALL_ATTEMPTS, FIRST_ATTEMPTS, display_order
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db


# Helpers shared with the view tests


def staff(group_name: str):
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def trainer_of(*cohorts):
    user = staff(lms_settings.TRAINERS_GROUP)
    for cohort in cohorts:
        cohort.trainers.add(user)
    return user


def enrol(cohort, *, province="Phú Thọ", organisation="Sở Ngoại vụ", **profile):
    user = factories.delegate(**profile)
    factories.EnrollmentFactory(
        user=user,
        course=cohort.course,
        cohort=cohort,
        province=Province.objects.get(name=province),
        organisation=organisation,
    )
    return user


def right(question):
    choices = question.choices.all()
    if question.type == QuestionType.MULTIPLE:
        return [c.pk for c in choices if c.is_correct]
    if question.type in {QuestionType.SHORT_ANSWER, QuestionType.ESSAY}:
        return next(c.text for c in choices if c.is_correct) if choices else "Bài luận"
    return next(c.pk for c in choices if c.is_correct)


def wrong(question):
    choices = question.choices.all()
    if question.type == QuestionType.MULTIPLE:
        return [c.pk for c in choices if not c.is_correct]
    if question.type == QuestionType.SHORT_ANSWER:
        return "Hà Nội"
    return next(c.pk for c in choices if not c.is_correct)


def take(quiz, user, answers, *, seed=0) -> Attempt:
    """Start, answer (``{question: value}``; questions not drawn are skipped) and submit."""
    attempt = services.start_attempt(quiz=quiz, user=user, rng=random.Random(seed))
    positions = {
        r.question_version.question_id: r.position
        for r in attempt.responses.select_related("question_version")
    }
    services.save_answers(
        attempt_id=attempt.pk,
        user=user,
        answers={positions[q.pk]: value for q, value in answers.items() if q.pk in positions},
    )
    return services.submit_attempt(attempt_id=attempt.pk, user=user)


def report_for(quiz, user=None, which=FIRST_ATTEMPTS):
    user = user or factories.UserFactory(is_superuser=True)
    attempts = stats_selectors.scoped_attempts(quiz=quiz, user=user)
    return stats_selectors.quiz_report(
        quiz=quiz, attempts=stats_selectors.restrict_attempts(attempts, which)
    )


# Fixtures


@pytest.fixture
def quiz_setup():
    cohort = factories.CohortFactory()
    single = qf.question("single", name="Ngày ban hành")
    multiple = qf.question("multiple", name="Nguyên tắc")
    essay = qf.question("essay", name="Bài luận", marks=Decimal(2))
    quiz = qf.quiz(cohort.course, questions=[single, multiple, essay], shuffle_choices=False)
    return cohort, quiz, single, multiple, essay


# The report


def test_first_attempts_give_the_facility_and_distractors_of_each_question(quiz_setup):
    cohort, quiz, single, multiple, essay = quiz_setup
    hong, minh, lan, tuan = (enrol(cohort) for _ in range(4))
    take(quiz, hong, {single: right(single), multiple: right(multiple)})
    take(quiz, minh, {single: right(single), multiple: wrong(multiple)})
    take(quiz, lan, {single: wrong(single)})
    take(quiz, tuan, {})
    take(quiz, lan, {single: right(single), multiple: right(multiple)})  # second try: ignored

    report = report_for(quiz)

    assert report.quiz.attempts == 4
    rows = {row.question_id: row for row in report.questions}
    assert [row.question_id for row in report.questions] == [single.pk, multiple.pk, essay.pk]
    assert [row.number for row in report.questions] == [1, 2, 3]
    assert rows[single.pk].facility == 50.0
    assert rows[single.pk].attempts == 4
    assert rows[multiple.pk].facility == 25.0
    assert rows[single.pk].name == "Ngày ban hành"
    assert "Kết luận 57-KL/TW" in rows[single.pk].text and "<p>" not in rows[single.pk].text

    distractors = rows[single.pk].distractors
    assert [(f.option.text, f.option.is_right, f.count) for f in distractors.choices] == [
        ("15/6/2023", True, 2),
        ("14/2/2012", False, 1),
        ("16/2/2024", False, 0),
    ]
    assert distractors.unanswered == 1
    assert [f.count for f in rows[multiple.pk].distractors.choices] == [1, 1, 1]
    assert rows[multiple.pk].distractors.unanswered == 2
    assert rows[essay.pk].distractors is None


def test_all_attempts_count_second_tries(quiz_setup):
    cohort, quiz, single, _multiple, _essay = quiz_setup
    lan = enrol(cohort)
    take(quiz, lan, {single: wrong(single)})
    take(quiz, lan, {single: right(single)})

    assert report_for(quiz).questions[0].facility == 0.0
    report = report_for(quiz, which=ALL_ATTEMPTS)
    assert report.quiz.attempts == 2
    assert report.questions[0].facility == 50.0


def test_an_essay_awaiting_grading_is_left_out_until_graded(quiz_setup, admin_user):
    cohort, quiz, single, multiple, essay = quiz_setup
    hong, minh = enrol(cohort), enrol(cohort)
    take(quiz, hong, {single: right(single), multiple: right(multiple), essay: "Quyền con người"})
    take(quiz, minh, {single: wrong(single), essay: "Chủ quyền"})

    before = report_for(quiz)
    essay_row = before.questions[2]
    assert essay_row.stats is None
    assert essay_row.awaiting_grading == 2
    assert before.awaiting_grading == 2
    assert before.attempts_awaiting_grading == 2
    assert before.quiz.mean == pytest.approx((100 + 0) / 2)  # essays out of earned and possible

    response = Attempt.objects.get(user=hong).responses.get(position=2)
    services.grade_response(response_id=response.pk, grader=admin_user, grade=Decimal("1.5"))

    after = report_for(quiz)
    assert after.questions[2].attempts == 1
    assert after.questions[2].facility == 75.0
    assert after.questions[2].awaiting_grading == 1
    assert after.quiz.mean == pytest.approx((100 * 3.5 / 4 + 0) / 2)


def test_a_question_edited_between_attempts_keeps_one_row_with_its_latest_text(quiz_setup):
    cohort, quiz, single, _multiple, _essay = quiz_setup
    hong, minh = enrol(cohort), enrol(cohort)
    take(quiz, hong, {single: right(single)})
    single.name = "Ngày ban hành (sửa)"
    single.text = "<p>Kết luận 57 ra đời ngày nào?</p>"
    wrong_choice = single.choices.get(text="14/2/2012")
    wrong_choice.text = "14/02/2012"
    wrong_choice.save()
    single.save()
    take(quiz, minh, {single: wrong_choice.pk})

    assert single.versions.count() == 2
    row = report_for(quiz).questions[0]
    assert row.question_id == single.pk
    assert row.name == "Ngày ban hành (sửa)"
    assert row.text == "Kết luận 57 ra đời ngày nào?"
    assert row.attempts == 2
    assert row.facility == 50.0
    assert [(f.option.text, f.count) for f in row.distractors.choices] == [
        ("15/6/2023", 1),
        ("14/02/2012", 1),
        ("16/2/2024", 0),
    ]


def test_random_questions_are_analysed_by_question_wherever_they_were_drawn():
    cohort = factories.CohortFactory()
    fixed = qf.question("single", name="Cố định")
    category = qf.CategoryFactory(name="Ngẫu nhiên")
    drawn = [qf.question("true_false", category=category, name=f"Ngẫu nhiên {i}") for i in range(3)]
    quiz = qf.quiz(cohort.course, questions=[fixed], shuffle_questions=True)
    QuizSlot.objects.create(quiz=quiz, category=category, count=1, sort_order=1)
    delegates = [enrol(cohort) for _ in range(8)]
    for seed, user in enumerate(delegates):
        take(quiz, user, {fixed: right(fixed), **{q: right(q) for q in drawn}}, seed=seed)

    report = report_for(quiz)

    assert report.questions[0].question_id == fixed.pk
    assert report.questions[0].attempts == 8
    random_rows = report.questions[1:]
    assert {row.question_id for row in random_rows} <= {q.pk for q in drawn}
    assert [row.question_id for row in random_rows] == sorted(
        row.question_id for row in random_rows
    )
    assert sum(row.attempts for row in random_rows) == 8
    for row in random_rows:
        assert (
            row.attempts
            == Attempt.objects.filter(
                responses__question_version__question_id=row.question_id
            ).count()
        )
        assert row.facility == 100.0
    assert report.quiz.items_per_attempt == 2


@pytest.mark.parametrize("count", [3, 12])
def test_the_report_takes_eight_queries_whatever_the_number_of_attempts(
    quiz_setup, django_assert_num_queries, count
):
    cohort, quiz, single, multiple, essay = quiz_setup
    for i in range(count):
        take(quiz, enrol(cohort), {single: right(single) if i % 2 else wrong(single)})
    attempts = stats_selectors.restrict_attempts(
        stats_selectors.scoped_attempts(quiz=quiz, user=factories.UserFactory(is_superuser=True)),
        FIRST_ATTEMPTS,
    )

    # Versions, questions, slots, first positions, ungraded (two), choices picked, marks.
    with django_assert_num_queries(8):
        report = stats_selectors.quiz_report(quiz=quiz, attempts=attempts)

    assert report.quiz.attempts == count


def test_nobody_yet_gives_an_empty_report(quiz_setup):
    _cohort, quiz, *_questions = quiz_setup

    report = report_for(quiz)

    assert report.questions == []
    assert report.quiz.attempts == 0


# Scope


def test_a_trainer_sees_only_the_attempts_of_their_cohorts(quiz_setup):
    cohort, quiz, single, *_rest = quiz_setup
    other = factories.CohortFactory(course=cohort.course)
    mine, theirs = enrol(cohort), enrol(other)
    take(quiz, mine, {single: right(single)})
    take(quiz, theirs, {single: wrong(single)})
    trainer = trainer_of(cohort)

    attempts = stats_selectors.scoped_attempts(quiz=quiz, user=trainer)

    assert [a.user for a in attempts] == [mine]
    assert report_for(quiz, trainer).questions[0].facility == 100.0
    assert list(stats_selectors.cohorts_for_quiz(quiz=quiz, user=trainer)) == [cohort]


def test_hr_sees_every_enrolled_delegate_but_not_previews(quiz_setup, admin_user):
    cohort, quiz, single, *_rest = quiz_setup
    in_cohort = enrol(cohort)
    self_enrolled = factories.delegate()
    factories.EnrollmentFactory(user=self_enrolled, course=cohort.course)
    take(quiz, in_cohort, {single: right(single)})
    take(quiz, self_enrolled, {single: right(single)})
    take(quiz, admin_user, {single: wrong(single)})  # an editor's preview: no enrolment
    hr = staff(lms_settings.HR_GROUP)

    attempts = stats_selectors.scoped_attempts(quiz=quiz, user=hr)

    assert {a.user for a in attempts} == {in_cohort, self_enrolled}
    assert stats_selectors.may_view_statistics(hr)


def test_trainers_see_only_the_quizzes_of_their_courses(quiz_setup):
    cohort, quiz, *_rest = quiz_setup
    other_quiz = qf.quiz(factories.course(), questions=[qf.question("single")])
    trainer = trainer_of(cohort)
    stranger = staff(lms_settings.TRAINERS_GROUP)

    assert list(stats_selectors.quizzes_for_statistics(trainer)) == [quiz]
    assert set(stats_selectors.quizzes_for_statistics(staff(lms_settings.HR_GROUP))) == {
        quiz,
        other_quiz,
    }
    assert not stats_selectors.quizzes_for_statistics(stranger).exists()
    assert not stats_selectors.may_view_statistics(stranger)


def test_quiz_entries_count_what_the_reader_may_see(quiz_setup):
    cohort, quiz, single, *_rest = quiz_setup
    other = factories.CohortFactory(course=cohort.course)
    lan = enrol(cohort)
    take(quiz, lan, {single: wrong(single)})
    take(quiz, lan, {single: right(single)})
    take(quiz, enrol(other), {})

    [entry] = stats_selectors.quiz_entries(trainer_of(cohort))

    assert entry.quiz == quiz
    assert entry.course_title == cohort.course.title
    assert (entry.attempts, entry.delegates) == (2, 1)


# Display order (no database needed)


def test_questions_follow_the_quiz_order():
    slots = [(7, None), (None, 50), (3, None)]
    categories = {7: 1, 3: 1, 12: 50, 11: 50, 99: 2}

    order = display_order(
        [99, 12, 3, 11, 7], slots=slots, categories=categories, first_positions={99: 0}
    )

    assert order == [7, 11, 12, 3, 99]


def test_marks_are_read_as_integers_on_a_scale_that_keeps_them_exact():
    assert stats_selectors.marks_scale([]) == 10_000  # earned has four decimal places
    assert stats_selectors.marks_scale([Decimal(2), Decimal("0.25"), Decimal("1E+1")]) == 10_000
    assert stats_selectors.marks_scale([Decimal(1), Decimal("0.123456")]) == 1_000_000


def test_question_text_is_shown_as_plain_text():
    assert stats_selectors.plain_text("<p>Quyền &amp; nghĩa vụ&nbsp;của\n<b>công dân</b></p>") == (
        "Quyền & nghĩa vụ của công dân"
    )


def test_choice_counts_follow_the_order_the_editor_gives_the_choices(quiz_setup):
    cohort, quiz, single, _multiple, _essay = quiz_setup
    take(quiz, enrol(cohort), {single: right(single)})
    texts = ["16/2/2024", "15/6/2023", "14/2/2012"]
    for sort_order, text in enumerate(texts):  # as the editor's inline panel saves them
        single.choices.filter(text=text).update(sort_order=sort_order)

    row = report_for(quiz).questions[0]

    assert [(f.option.text, f.count) for f in row.distractors.choices] == [
        ("16/2/2024", 0),
        ("15/6/2023", 1),
        ("14/2/2012", 0),
    ]


def test_a_choice_since_removed_is_counted_after_the_question_s_own(quiz_setup):
    cohort, quiz, single, _multiple, _essay = quiz_setup
    removed = single.choices.get(text="14/2/2012")
    take(quiz, enrol(cohort), {single: removed.pk})
    single.choices.filter(pk=removed.pk).delete()
    take(quiz, enrol(cohort), {single: right(single)})

    row = report_for(quiz).questions[0]

    assert [(f.option.text, f.count) for f in row.distractors.choices] == [
        ("15/6/2023", 1),
        ("16/2/2024", 0),
        ("14/2/2012", 1),
    ]
