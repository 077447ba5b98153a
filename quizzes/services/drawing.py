"""What starting an attempt draws from, read once per quiz and question bank state.

Starting an attempt needs the quiz's slots, the question ids of each random slot's category, and
for every question it may draw its type, whether its choices shuffle, its choice ids in order and
its current version (``current_versions``: which serialises and hashes the question to notice an
edit). None of that changes between two starts unless someone edits the quiz or the bank, yet at
a conference thousands of delegates start within a minute. So the whole ``DrawMaterial`` is kept
in the cache and read in one round trip, under a key naming

* the quiz and its live revision, and
* the question bank's token, which receivers replace (after commit) whenever a question, a
  choice, a category, a quiz slot or a question version is saved or deleted.

A start that finds no entry builds it from the database (four queries and the versioning, as
before) and stores it. Changes made around the ORM (``QuerySet.update()``, raw SQL) send no
signal: call ``forget_drawing_material()``.

The cache is used only when it is shared by every process (Redis: ``lms.settings.shared_cache``):
a per-process cache (LocMem) would keep a token that another process replaced. Versions are
immutable, and a question with versions cannot be deleted (``PROTECT``), so an entry read in the
instant between an edit's commit and its token's replacement still names a real, consistent
version, as if the delegate had started a moment earlier.
"""

import uuid
from dataclasses import dataclass

from django.core.cache import caches
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from courses.caching import cache_is_shared
from quizzes.layout import SlotSpec
from quizzes.models import Choice, Question, QuestionCategory, QuestionVersion, QuizPage, QuizSlot
from quizzes.services.versions import choices_in_order, current_versions

CACHE_ALIAS = "default"
BANK_STATE_KEY = "lms:quiz-bank-token"
TIMEOUT_SECONDS = 24 * 60 * 60
SCHEMA = 1  # bump when DrawMaterial changes shape


@dataclass(frozen=True, slots=True)
class DrawnFrom:
    """One question a start may draw: what laying it out and recording it need."""

    type: str
    shuffle_choices: bool
    choice_ids: tuple[int, ...]  # in the editor's order
    version_id: int


@dataclass(frozen=True, slots=True)
class DrawMaterial:
    slots: tuple[SlotSpec, ...]
    pools: dict[int, tuple[int, ...]]  # category id -> question ids
    questions: dict[int, DrawnFrom]  # every question a slot can draw


def material_for(quiz: QuizPage) -> DrawMaterial:
    """The quiz's drawing material: from the shared cache when it holds the current one."""
    if not cache_is_shared():
        return build(quiz)
    cache = caches[CACHE_ALIAS]
    token = cache.get(BANK_STATE_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(BANK_STATE_KEY, token, None):
            token = cache.get(BANK_STATE_KEY) or token
    key = f"lms:quiz-draw:{SCHEMA}:{quiz.pk}:{quiz.live_revision_id or '-'}:{token}"
    material = cache.get(key)
    if material is None:
        material = build(quiz)
        cache.set(key, material, TIMEOUT_SECONDS)
    return material


def build(quiz: QuizPage) -> DrawMaterial:
    slots = tuple(
        SlotSpec(question_id=s.question_id, category_id=s.category_id, count=s.count)
        # Slots saved without a position come last, in the order they were added, on SQLite
        # as on PostgreSQL.
        for s in quiz.slots.order_by(F("sort_order").asc(nulls_last=True), "pk")
    )
    categories = {s.category_id for s in slots if s.category_id}
    pools: dict[int, list[int]] = {c: [] for c in categories}
    for question_id, category_id in Question.objects.filter(category_id__in=categories).values_list(
        "pk", "category_id"
    ):
        pools[category_id].append(question_id)
    ids = {s.question_id for s in slots if s.question_id} | {
        q for pool in pools.values() for q in pool
    }
    questions = list(Question.objects.prefetch_related(choices_in_order()).filter(pk__in=ids))
    versions = current_versions(questions)
    return DrawMaterial(
        slots=slots,
        pools={c: tuple(pool) for c, pool in pools.items()},
        questions={
            q.pk: DrawnFrom(
                type=q.type,
                shuffle_choices=q.shuffle_choices,
                choice_ids=tuple(c.pk for c in q.choices.all()),
                version_id=versions[q.pk].pk,
            )
            for q in questions
        },
    )


def forget_drawing_material() -> None:
    """Every quiz's cached material is stale (the bank changed): replace the bank's token."""
    if cache_is_shared():
        caches[CACHE_ALIAS].set(BANK_STATE_KEY, uuid.uuid4().hex, None)


def _bank_changed(sender, **kwargs) -> None:
    transaction.on_commit(forget_drawing_material)


def connect_receivers() -> None:
    for model in (Question, Choice, QuestionCategory, QuestionVersion, QuizSlot):
        for signal in (post_save, post_delete):
            signal.connect(
                _bank_changed, sender=model, dispatch_uid=f"quizzes.drawing.{model.__name__}"
            )
