"""Reads for quiz pages, attempts and reviews (re-exported from ``quizzes.selectors``)."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from wagtail.models import PageViewRestriction

from quizzes.keys import feedback_notes, public_view
from quizzes.models import Attempt, QuizPage, Response, counts_now
from quizzes.review import ReviewOptions, feedback_for, review_options
from quizzes.scoring import GradingMethod, QuestionType, final_grade, literal_answer

# What starting an attempt reads of its quiz (``services.start_attempt``, the drawing material's
# key): a narrow row rather than the page's ~55 columns; anything else loads on demand.
START_FIELDS = (
    "path",
    "depth",
    "live",
    "live_revision",
    "opens_at",
    "closes_at",
    "attempts_allowed",
    "time_limit_minutes",
    "questions_per_page",
    "shuffle_questions",
    "shuffle_choices",
)


def startable_quiz(quiz_id: int) -> QuizPage | None:
    """The live, public quiz page ``quiz_id`` with what starting an attempt reads, or None.

    Public as Wagtail's ``PageQuerySet.public()`` means it (no view restriction on the page or
    an ancestor, whose paths are prefixes of its path), asked in the same query rather than by
    reading every restriction of the site first."""
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    quizzes = QuizPage.objects.live().exclude(Exists(restricted)).only(*START_FIELDS)
    try:
        return quizzes.get(pk=quiz_id)  # not first(): its ORDER BY costs a tenth of the read
    except QuizPage.DoesNotExist:
        return None


def attempts_of(*, quiz: QuizPage, user: AbstractBaseUser) -> list[Attempt]:
    """Every attempt of the delegate at the quiz, each knowing whether it ``counts_now``."""
    if not user.is_authenticated:
        return []
    return list(
        Attempt.objects.filter(quiz=quiz, user=user)
        .annotate(counts=ExpressionWrapper(counts_now(), output_field=BooleanField()))
        .order_by("number")
    )


@dataclass
class QuizStatus:
    attempts: list[Attempt]
    open_attempt: Attempt | None
    grade: Decimal | None
    attempts_left: int | None  # None: unlimited
    passed: bool

    @property
    def can_start(self) -> bool:
        return self.open_attempt is None and (self.attempts_left is None or self.attempts_left > 0)


def quiz_status(*, quiz: QuizPage, user: AbstractBaseUser) -> QuizStatus:
    attempts = attempts_of(quiz=quiz, user=user)
    counting = [a for a in attempts if a.counts]
    submitted = [a for a in counting if not a.is_open and a.percent is not None]
    grade = final_grade([a.percent for a in submitted], GradingMethod(quiz.grading_method))
    left = None
    if quiz.attempts_allowed:
        left = max(0, quiz.attempts_allowed - len(counting))
    return QuizStatus(
        attempts=attempts,
        open_attempt=next((a for a in attempts if a.is_open), None),
        grade=grade,
        attempts_left=left,
        passed=grade is not None and grade >= quiz.pass_mark_percent,
    )


def question_count(quiz: QuizPage) -> int:
    """How many questions an attempt at ``quiz`` has (a random slot counts its draws)."""
    return sum(slot.count if slot.category_id else 1 for slot in quiz.slots.all())


def attempt_for(*, attempt_id: int, user: AbstractBaseUser) -> Attempt | None:
    """A delegate's own attempt; anyone else's does not exist for them."""
    return Attempt.objects.select_related("quiz").filter(pk=attempt_id, user=user).first()


@dataclass
class QuestionOnPage:
    response: Response
    view: dict[str, Any]

    @property
    def position(self) -> int:
        return self.response.position

    @property
    def number(self) -> int:
        return self.response.position + 1

    @property
    def type(self) -> str:
        return self.view["type"]

    @property
    def field_name(self) -> str:
        return f"q{self.response.position}"

    @property
    def marks(self) -> Decimal:
        return Decimal(self.view["marks"] or 0)

    @property
    def marks_plural(self) -> int:
        """The count that picks "mark" or "marks": 1.5 marks is plural too."""
        return 1 if self.marks == 1 else 2


def page_questions(*, attempt: Attempt, page: int) -> list[QuestionOnPage]:
    positions = attempt.pages[page] if 0 <= page < len(attempt.pages) else []
    responses = attempt.responses.select_related("question_version").filter(position__in=positions)
    return [
        QuestionOnPage(response=r, view=public_view(r.question_version.data, list(r.choice_order)))
        for r in sorted(responses, key=lambda r: r.position)
    ]


@dataclass(frozen=True, slots=True)
class QuestionState:
    """A question's place and state in the quiz navigation panel and the summary."""

    position: int
    page: int  # 1-based, as in the page's URL
    answered: bool
    flagged: bool

    @property
    def number(self) -> int:
        return self.position + 1


def question_states(attempt: Attempt) -> list[list[QuestionState]]:
    """Every question of the attempt by page, answered or not and flagged or not (one query)."""
    rows = attempt.responses.annotate(
        answered=ExpressionWrapper(Q(answer__isnull=False), output_field=BooleanField())
    ).values_list("position", "answered", "flagged")
    states = {position: (answered, flagged) for position, answered, flagged in rows}
    return [
        [
            QuestionState(position, page, *states.get(position, (False, False)))
            for position in positions
        ]
        for page, positions in enumerate(attempt.pages, start=1)
    ]


@dataclass
class ReviewedQuestion:
    number: int
    view: dict[str, Any]
    answer: Any
    outcome: str | None = None
    earned: Decimal | None = None
    marks: str | None = None
    right_answer: list[str] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    chosen: set[int] = field(default_factory=set)
    right_ids: set[int] = field(default_factory=set)


def right_answer_texts(data: dict) -> list[str]:
    kind = QuestionType(data["type"])
    choices = data.get("choices", [])
    if kind == QuestionType.MATCHING:
        return [f"{c['text']} → {c['match']}" for c in choices if str(c.get("text", "")).strip()]
    if kind == QuestionType.ORDERING:
        return [c["text"] for c in choices]
    if kind == QuestionType.SHORT_ANSWER and data.get("wildcards"):
        return [literal_answer(c["text"]) for c in choices if c.get("is_correct")]
    return [c["text"] for c in choices if c.get("is_correct")]


def review(*, attempt: Attempt, now: datetime) -> tuple[ReviewOptions, list[ReviewedQuestion], str]:
    """The attempt as its delegate may see it now; keys only where the options allow."""
    options = review_options(attempt.quiz, attempt_open=attempt.is_open, now=now)
    responses = attempt.responses.select_related("question_version").order_by("position")
    items = []
    for response in responses:
        data = response.question_version.data
        kind = QuestionType(data["type"])
        item = ReviewedQuestion(
            number=response.position + 1,
            view=public_view(data, list(response.choice_order)),
            answer=response.answer,
        )
        if kind in {QuestionType.SINGLE, QuestionType.TRUE_FALSE} and response.answer is not None:
            item.chosen = {response.answer}
        elif kind == QuestionType.MULTIPLE and response.answer:
            item.chosen = set(response.answer)
        if options.correctness or options.score:
            item.outcome = response.outcome
        if options.score:
            item.earned = response.earned
            item.marks = data.get("marks")
        if options.right_answers:
            item.right_answer = right_answer_texts(data)
            item.right_ids = {int(c["id"]) for c in data.get("choices", []) if c.get("is_correct")}
        if options.feedback:
            item.feedback = _feedback(data, response)
        items.append(item)
    overall = ""
    if options.feedback and attempt.percent is not None:
        overall = feedback_for(list(attempt.quiz.feedback_bands.all()), attempt.percent)
    return options, items, overall


def _feedback(data: dict, response: Response) -> list[str]:
    return feedback_notes(data, response.answer, grader_comment=response.grader_comment)


# Trainers and HR


def attempts_visible_to(user: AbstractBaseUser):
    """Attempts a trainer may read: those of delegates in cohorts they train. HR: all."""
    from courses.selectors import cohorts_visible_to

    attempts = Attempt.objects.select_related(
        "quiz", "user__delegate_profile", "enrollment__cohort", "enrollment__province"
    )
    if not user.is_authenticated:
        return attempts.none()
    if user.has_perm("courses.view_all_progress"):
        return attempts
    return attempts.filter(enrollment__cohort__in=cohorts_visible_to(user))


def quizzes_visible_to(user: AbstractBaseUser):
    from courses.selectors import cohorts_visible_to

    quizzes = QuizPage.objects.all()
    if user.has_perm("courses.view_all_progress"):
        return quizzes
    courses = cohorts_visible_to(user).values_list("course__path", flat=True)
    condition = Q(pk__in=[])
    for path in courses:
        condition |= Q(path__startswith=path)
    return quizzes.filter(condition)
