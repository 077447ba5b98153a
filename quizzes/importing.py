"""Importing question files into the bank, and gathering questions to export.

An import is all or nothing: the file is read and every question checked first
(``quizzes.formats``); only a file without a single error is written, in one transaction. A
question goes to the category the file names for it (GIFT ``$CATEGORY:``, the Excel category
column) unless the trainer chose to ignore those, else to the category chosen for the import.
Every category is looked up, or created, in one bank: the course's chosen for the import, or the
shared bank (``course=None``).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from quizzes import formats
from quizzes.formats import ParsedQuestion, ParseError, ParseResult
from quizzes.models import Choice, Question, QuestionCategory
from quizzes.services.versions import choices_in_order, snapshot_of


class QuestionImportRejected(Exception):
    """The file has errors; nothing was imported. ``errors`` carry lines and messages."""

    def __init__(self, errors: Sequence[ParseError]) -> None:
        self.errors = tuple(errors)
        self.message = ngettext(
            "Nothing was imported: the file has %(count)d error.",
            "Nothing was imported: the file has %(count)d errors.",
            len(self.errors),
        ) % {"count": len(self.errors)}
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class PlannedQuestion:
    question: ParsedQuestion
    category: str
    new_category: bool


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import would do, for the preview."""

    result: ParseResult
    questions: tuple[PlannedQuestion, ...]
    new_categories: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> tuple[ParseError, ...]:
        return self.result.errors

    @property
    def can_import(self) -> bool:
        return self.result.ok


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    questions: tuple[Question, ...]
    new_categories: tuple[QuestionCategory, ...]
    notes: tuple[ParseError, ...] = ()


def _category_name(category: QuestionCategory | str) -> str:
    name = category.name if isinstance(category, QuestionCategory) else category
    return " ".join(formats.nfc(name).split())


def _target(question: ParsedQuestion, default: str, use_file_categories: bool) -> str:
    return (question.category if use_file_categories else "") or default


def read_file(*, data: bytes, fmt: str) -> ParseResult:
    """Read and check a question file (no database). Raises ``QuestionFileError``."""
    return formats.parse(fmt, data)


def bank_categories(course_id: int | None):
    """The categories of one bank: a course's, or the shared one (``None``)."""
    if course_id is None:
        return QuestionCategory.objects.filter(course__isnull=True)
    return QuestionCategory.objects.filter(course_id=course_id)


def plan_import(
    *,
    data: bytes,
    fmt: str,
    category: QuestionCategory | str,
    course_id: int | None = None,
    use_file_categories: bool = True,
) -> ImportPlan:
    """Read a file and say where each question would go in the bank of ``course_id`` (the
    shared bank if ``None``). Raises ``QuestionFileError``."""
    result = read_file(data=data, fmt=fmt)
    default = _category_name(category)
    targets = [_target(q, default, use_file_categories) for q in result.questions]
    existing = set(
        bank_categories(course_id).filter(name__in=set(targets)).values_list("name", flat=True)
    )
    return ImportPlan(
        result=result,
        questions=tuple(
            PlannedQuestion(question=q, category=name, new_category=name not in existing)
            for q, name in zip(result.questions, targets, strict=True)
        ),
        new_categories=tuple(dict.fromkeys(name for name in targets if name not in existing)),
    )


@transaction.atomic
def import_questions(
    *,
    data: bytes,
    fmt: str,
    category: QuestionCategory | str,
    course_id: int | None = None,
    use_file_categories: bool = True,
    user=None,
) -> ImportOutcome:
    """Read, check and import a question file into the bank of ``course_id`` (the shared bank
    if ``None``): every question or none.

    Raises ``QuestionFileError`` if the file cannot be read and ``QuestionImportRejected``
    if any question has an error; nothing is written then.
    """
    result = read_file(data=data, fmt=fmt)
    if result.errors:
        raise QuestionImportRejected(result.errors)
    if not result.questions:  # pragma: no cover - formats.finish refuses empty files
        raise QuestionImportRejected([ParseError(1, _("The file holds no questions."))])
    default = _category_name(category)
    categories: dict[str, QuestionCategory] = {}
    created_categories: list[QuestionCategory] = []
    created: list[Question] = []
    for parsed in result.questions:
        name = _target(parsed, default, use_file_categories)
        if name not in categories:
            categories[name], new = QuestionCategory.objects.get_or_create(
                course_id=course_id, name=name
            )
            if new:
                created_categories.append(categories[name])
                if user is not None:
                    log(categories[name], "wagtail.create", user=user)
        question = _create(parsed, categories[name])
        if user is not None:
            log(question, "wagtail.create", user=user)
        created.append(question)
    return ImportOutcome(
        questions=tuple(created),
        new_categories=tuple(created_categories),
        notes=result.notes,
    )


def _create(parsed: ParsedQuestion, category: QuestionCategory) -> Question:
    question = Question(
        category=category,
        name=parsed.name,
        type=parsed.type,
        text=parsed.text,
        marks=parsed.marks,
        general_feedback=parsed.general_feedback,
        all_or_nothing=parsed.all_or_nothing,
        penalise_wrong_choices=parsed.penalise_wrong_choices,
        case_sensitive=parsed.case_sensitive,
        accept_without_diacritics=parsed.accept_without_diacritics,
        wildcards=parsed.wildcards,
        shuffle_choices=parsed.shuffle_choices,
    )
    question.choices = [
        Choice(
            text=choice.text,
            match=choice.match,
            is_correct=choice.is_correct,
            credit_percent=choice.credit_percent,
            tolerance=choice.tolerance,
            feedback=choice.feedback,
            sort_order=position,
        )
        for position, choice in enumerate(parsed.choices)
    ]
    question.save()
    return question


# Export


def questions_to_export(
    *,
    category: QuestionCategory | None = None,
    ids: Iterable[int] | None = None,
    among: QuerySet[Question] | None = None,
) -> list[Question]:
    """The questions of a category, or a selection (of ``among``: all questions unless given),
    with what exporting needs."""
    questions = (Question.objects.all() if among is None else among).select_related("category")
    questions = questions.prefetch_related(choices_in_order())
    if category is not None:
        questions = questions.filter(category=category)
    if ids is not None:
        questions = questions.filter(pk__in=list(ids))
    return list(questions.order_by("category__name", "name", "pk"))


def export_snapshots(questions: Iterable[Question]) -> list[dict[str, Any]]:
    return [{**snapshot_of(question), "category": question.category.name} for question in questions]


def export_questions(questions: Iterable[Question], fmt: str) -> formats.Export:
    return formats.export(fmt, export_snapshots(questions))


def bank_by_code(code: str | None) -> int | None:
    """The id of the course with this code (its bank), ``None`` for the shared bank. Raises
    ``LookupError`` if no course has the code."""
    if not code:
        return None
    from courses.models import CoursePage

    course_id = CoursePage.objects.filter(code=formats.nfc(code).strip()).values_list(
        "pk", flat=True
    )
    found = course_id.first()
    if found is None:
        raise LookupError(code)
    return found
