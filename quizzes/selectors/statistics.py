"""Reads for the quiz statistics screens: who may see which quizzes and attempts, and the inputs
of ``quizzes.statistics`` gathered in a constant number of queries, whatever the number of
attempts.

Attempts analysed: submitted attempts of enrolled delegates (an editor trying a quiz without an
enrolment is previewing it, as in Moodle). By default only each delegate's first submitted
attempt counts (Moodle's default too): later attempts of the same delegate are not independent.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import unescape
from itertools import repeat
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import BigIntegerField, Count, Exists, F, Min, OuterRef, QuerySet
from django.db.models.functions import Cast, Round
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines

from courses.models import Cohort, CoursePage
from courses.selectors import cohorts_visible_to
from quizzes.keys import CHOICE_TYPES, key_from_snapshot
from quizzes.models import Attempt, Question, QuestionVersion, QuizPage, Response
from quizzes.scoring import QuestionType
from quizzes.selectors.attempts import quizzes_visible_to
from quizzes.statistics import (
    Analysis,
    ChoiceOption,
    DistractorAnalysis,
    Flag,
    ItemStatistics,
    QuizStatistics,
    analyse_scaled,
    distractor_analysis,
    item_flags,
)

User = AbstractBaseUser | AnonymousUser

FIRST_ATTEMPTS = "first"
ALL_ATTEMPTS = "all"


# Scope


def sees_every_cohort(user: User) -> bool:
    """Superusers and HR (``courses.view_all_progress``) see every delegate's attempts."""
    return bool(user.is_authenticated and user.has_perm("courses.view_all_progress"))


def may_view_statistics(user: User) -> bool:
    """HR, superusers and the trainers of at least one cohort."""
    return sees_every_cohort(user) or cohorts_visible_to(user).exists()


def quizzes_for_statistics(user: User) -> QuerySet[QuizPage]:
    """Every quiz for HR; for a trainer, the quizzes in the courses of the cohorts they train."""
    if not user.is_authenticated:
        return QuizPage.objects.none()
    return quizzes_visible_to(user)


def cohorts_for_quiz(*, quiz: QuizPage, user: User) -> QuerySet[Cohort]:
    """The cohorts whose attempts at ``quiz`` the user may see (to filter by)."""
    course_path = quiz.path[: -quiz.steplen]
    cohorts = cohorts_visible_to(user).filter(course__path=course_path)
    return cohorts.order_by("-starts_on", "name", "pk")


def scoped_attempts(*, quiz: QuizPage, user: User) -> QuerySet[Attempt]:
    """The submitted attempts at ``quiz`` by enrolled delegates that the user may see."""
    attempts = Attempt.objects.filter(
        quiz=quiz, state=Attempt.State.SUBMITTED, enrollment__isnull=False
    )
    if sees_every_cohort(user):
        return attempts
    return attempts.filter(enrollment__cohort__in=cohorts_visible_to(user))


def restrict_attempts(attempts: QuerySet[Attempt], which: str) -> QuerySet[Attempt]:
    """``which`` is FIRST_ATTEMPTS (each delegate's first submitted attempt) or ALL_ATTEMPTS."""
    if which == ALL_ATTEMPTS:
        return attempts
    # The first is the one with no earlier submitted attempt: PostgreSQL plans NOT EXISTS as an
    # anti-join and estimates its rows, where "number = (the first number)" was estimated at a
    # two-hundredth of them, so every grouping over the responses sorted on disk.
    earlier = Attempt.objects.filter(
        quiz=OuterRef("quiz"),
        user=OuterRef("user"),
        state=Attempt.State.SUBMITTED,
        number__lt=OuterRef("number"),
    )
    return attempts.exclude(Exists(earlier))


# The report


@dataclass(frozen=True, slots=True)
class QuestionReport:
    """One question's row: its latest name and text, and its statistics across versions."""

    number: int  # 1-based, in the quiz's order
    question_id: int
    name: str
    text: str  # plain text
    type: str  # a QuestionType value
    stats: ItemStatistics | None  # None: no graded answer yet
    distractors: DistractorAnalysis | None  # choice questions only
    awaiting_grading: int  # answers left out until a trainer grades them
    flags: frozenset[Flag] = frozenset()

    @property
    def attempts(self) -> int:
        return self.stats.attempts if self.stats else 0

    @property
    def facility(self) -> float | None:
        return self.stats.facility if self.stats else None

    @property
    def sd(self) -> float | None:
        return self.stats.sd if self.stats else None

    @property
    def discrimination(self) -> float | None:
        return self.stats.discrimination if self.stats else None

    @property
    def efficiency(self) -> float | None:
        return self.stats.efficiency if self.stats else None


@dataclass(frozen=True, slots=True)
class QuizReport:
    quiz: QuizStatistics
    questions: list[QuestionReport] = field(default_factory=list)
    awaiting_grading: int = 0  # answers left out, over all questions
    attempts_awaiting_grading: int = 0


@dataclass(frozen=True, slots=True)
class _Version:
    question_id: int
    number: int
    type: QuestionType
    marks: Decimal
    options: tuple[ChoiceOption, ...]


def _version(question_id: int, number: int, data: dict[str, Any]) -> _Version:
    key = key_from_snapshot(data)
    return _Version(
        question_id=question_id,
        number=number,
        type=key.type,
        marks=key.marks,
        options=tuple(
            ChoiceOption(id=c.id, text=c.text, credit=c.fraction)
            for c in key.choices
            if key.type in CHOICE_TYPES
        ),
    )


def _chosen(kind: QuestionType, answer: Any) -> frozenset[int] | None:
    """A stored choice answer (``quizzes.answers``) as the set of choice ids picked."""
    if answer is None:
        return None
    if kind == QuestionType.MULTIPLE:
        return frozenset(int(a) for a in answer)
    return frozenset([int(answer)])


def _options(versions: Iterable[_Version], ranks: dict[int, int]) -> list[ChoiceOption]:
    """A question's choices across its versions, each as its newest version has it: those the
    question still has in its order (``ranks``: choice id → rank), then those since removed,
    by id. Not in a version's own order: a snapshot keeps whatever order the database
    returned the choices in, which on PostgreSQL changes when a choice is saved."""
    options: dict[int, ChoiceOption] = {}
    for version in sorted(versions, key=lambda v: -v.number):
        for option in version.options:
            options.setdefault(option.id, option)
    return sorted(
        options.values(),
        key=lambda o: (o.id not in ranks, ranks.get(o.id, 0), o.id),
    )


def display_order(
    question_ids: Iterable[int],
    *,
    slots: Sequence[tuple[int | None, int | None]],
    categories: dict[int, int],
    first_positions: dict[int, int],
) -> list[int]:
    """Questions in the quiz's order: fixed questions where their slot is, random ones where
    the slot drawing from their category is (by id), any others (since removed from the quiz)
    last, by where they were first seen. ``slots``: (question id, category id) in order."""
    fixed = {q: i for i, (q, _c) in enumerate(slots) if q}
    random_slot = {}
    for i, (q, category) in enumerate(slots):
        if not q and category:
            random_slot.setdefault(category, i)

    def key(question_id: int) -> tuple[int, int, int]:
        if question_id in fixed:
            return (fixed[question_id], 0, 0)
        category = categories.get(question_id)
        if category in random_slot:
            return (random_slot[category], 1, question_id)
        return (len(slots), first_positions.get(question_id, 0), question_id)

    return sorted(question_ids, key=key)


def plain_text(html: str) -> str:
    """Rich text as one line of plain text."""
    return " ".join(unescape(normalize_newlines(strip_tags(html))).split())


MARKS_SCALE = 10_000  # Response.earned has four decimal places


def marks_scale(marks: Iterable[Decimal]) -> int:
    """The power of ten that makes every earned mark and every one of ``marks`` an integer:
    10,000, or more for marks with more than four decimal places."""
    places = max((-m.as_tuple().exponent for m in marks), default=0)
    return max(MARKS_SCALE, 10**places)


def quiz_report(*, quiz: QuizPage, attempts: QuerySet[Attempt]) -> QuizReport:
    """The statistics of ``attempts`` (of ``quiz``), question by question, in eight queries.
    The database counts the answers (choices picked, awaiting grading, first positions); only
    each response's marks come back row by row, for the exact arithmetic."""
    responses = Response.objects.filter(attempt__in=attempts.values("pk")).order_by()
    versions = {
        pk: _version(question_id, number, data)
        for pk, question_id, number, data in QuestionVersion.objects.filter(
            pk__in=responses.values("question_version_id")
        ).values_list("pk", "question_id", "number", "data")
    }
    # The questions with their choices in the editor's order (one row per choice, a question
    # without any once): by sort_order, choices saved without one (by an import) last, then id.
    questions: dict[int, tuple] = {}
    ranks: dict[int, int] = {}  # choice id → its rank in its question
    for *question, choice_id in (
        Question.objects.filter(pk__in={v.question_id for v in versions.values()})
        .order_by("pk", F("choices__sort_order").asc(nulls_last=True), "choices__pk")
        .values_list("pk", "name", "text", "type", "category_id", "choices__pk")
    ):
        questions[question[0]] = tuple(question)
        if choice_id is not None:
            ranks[choice_id] = len(ranks)
    # As quizzes.services draws them, so the numbers match what delegates saw.
    slots = list(quiz.slots.order_by("sort_order", "pk").values_list("question_id", "category_id"))

    first_positions: dict[int, int] = {}
    for version_id, position in (
        responses.values("question_version_id")
        .annotate(first=Min("position"))
        .values_list("question_version_id", "first")
    ):
        question_id = versions[version_id].question_id
        first_positions[question_id] = min(position, first_positions.get(question_id, position))
    ungraded = responses.filter(earned__isnull=True)
    pending: dict[int, int] = defaultdict(int)
    for version_id, count in (
        ungraded.values("question_version_id")
        .annotate(count=Count("pk"))
        .values_list("question_version_id", "count")
    ):
        pending[versions[version_id].question_id] += count
    attempts_pending = ungraded.values("attempt_id").distinct().count()
    answers: dict[int, list[frozenset[int] | None]] = defaultdict(list)
    choice_versions = [pk for pk, v in versions.items() if v.type in CHOICE_TYPES]
    for version_id, answer, count in (
        responses.filter(earned__isnull=False, question_version_id__in=choice_versions)
        .values("question_version_id", "answer")
        .annotate(count=Count("pk"))
        .values_list("question_version_id", "answer", "count")
    ):
        version = versions[version_id]
        answers[version.question_id].extend(repeat(_chosen(version.type, answer), count))

    # Marks as integers, in units of 1/10,000 (earned has four decimal places) or finer if a
    # question's marks need it: exact, much cheaper to hash and add than Decimals, and every
    # statistic is the same at any scale.
    scale = marks_scale(v.marks for v in versions.values())
    possible = {pk: (v.question_id, int(v.marks * scale)) for pk, v in versions.items()}
    by_attempt: dict[int, dict[int, tuple[int | None, int]]] = defaultdict(dict)
    for attempt_id, version_id, earned in responses.values_list(
        "attempt_id", "question_version_id", Cast(Round(F("earned") * scale), BigIntegerField())
    ):
        question_id, marks = possible[version_id]
        scores = by_attempt[attempt_id]
        if question_id in scores:
            raise ValueError(f"question {question_id} appears twice in attempt {attempt_id}")
        scores[question_id] = (earned, marks)

    analysis: Analysis = analyse_scaled(by_attempt.values())
    stats = {item.question_id: item for item in analysis.items}
    versions_of: dict[int, list[_Version]] = defaultdict(list)
    for version in versions.values():
        versions_of[version.question_id].append(version)
    order = display_order(
        versions_of,
        slots=slots,
        categories={pk: row[4] for pk, row in questions.items()},
        first_positions=first_positions,
    )
    rows = []
    for number, question_id in enumerate(order, start=1):
        _pk, name, text, kind, _category = questions[question_id]
        item = stats.get(question_id)
        options = _options(versions_of[question_id], ranks)
        rows.append(
            QuestionReport(
                number=number,
                question_id=question_id,
                name=name,
                text=plain_text(text),
                type=kind,
                stats=item,
                distractors=distractor_analysis(options, answers[question_id]) if options else None,
                awaiting_grading=pending[question_id],
                flags=item_flags(item) if item else frozenset(),
            )
        )
    return QuizReport(
        quiz=analysis.quiz,
        questions=rows,
        awaiting_grading=sum(pending.values()),
        attempts_awaiting_grading=attempts_pending,
    )


# The quiz picker


@dataclass(frozen=True, slots=True)
class QuizEntry:
    quiz: QuizPage
    course_title: str
    attempts: int  # submitted attempts the user may see
    delegates: int


def quiz_entries(user: User) -> list[QuizEntry]:
    """The quizzes the user may analyse, by course, with how many attempts they may see; in
    three queries."""
    quizzes = list(quizzes_for_statistics(user).order_by("path"))
    parents = {quiz.pk: quiz.path[: -quiz.steplen] for quiz in quizzes}
    titles = dict(
        CoursePage.objects.filter(path__in=set(parents.values())).values_list("path", "title")
    )
    attempts = Attempt.objects.filter(
        quiz__in=[q.pk for q in quizzes], state=Attempt.State.SUBMITTED, enrollment__isnull=False
    )
    if not sees_every_cohort(user):
        attempts = attempts.filter(enrollment__cohort__in=cohorts_visible_to(user))
    counts = {
        row["quiz"]: row
        for row in attempts.order_by()
        .values("quiz")
        .annotate(attempts=Count("pk"), delegates=Count("user", distinct=True))
    }
    return [
        QuizEntry(
            quiz=quiz,
            course_title=titles.get(parents[quiz.pk], ""),
            attempts=counts.get(quiz.pk, {}).get("attempts", 0),
            delegates=counts.get(quiz.pk, {}).get("delegates", 0),
        )
        for quiz in quizzes
    ]
