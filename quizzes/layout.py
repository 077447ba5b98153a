"""Building an attempt's layout: which questions, in which order, on which page. Pure."""

import random
from collections.abc import Sequence
from dataclasses import dataclass

from quizzes.scoring import QuestionType


@dataclass(frozen=True, slots=True)
class SlotSpec:
    question_id: int | None  # a fixed question
    category_id: int | None  # or random questions from a category
    count: int = 1


@dataclass(frozen=True, slots=True)
class DrawnQuestion:
    question_id: int
    choice_order: tuple[int, ...]


class NotEnoughQuestions(Exception):
    def __init__(self, category_id: int, wanted: int, available: int) -> None:
        self.category_id, self.wanted, self.available = category_id, wanted, available
        super().__init__(f"category {category_id}: {wanted} wanted, {available} available")


def draw_questions(
    slots: Sequence[SlotSpec],
    pools: dict[int, Sequence[int]],
    *,
    rng: random.Random,
    shuffle: bool,
) -> list[int]:
    """Question ids for one attempt. Random slots never repeat a question already in the quiz."""
    fixed = {slot.question_id for slot in slots if slot.question_id}
    used: set[int] = set()
    chosen: list[int] = []
    for slot in slots:
        if slot.question_id:
            if slot.question_id not in used:
                chosen.append(slot.question_id)
                used.add(slot.question_id)
            continue
        pool = [q for q in pools.get(slot.category_id, ()) if q not in used and q not in fixed]
        if len(pool) < slot.count:
            raise NotEnoughQuestions(slot.category_id, slot.count, len(pool))
        picked = rng.sample(sorted(pool), slot.count)
        chosen.extend(picked)
        used.update(picked)
    if shuffle:
        rng.shuffle(chosen)
    return chosen


def order_choices(
    kind: QuestionType, choice_ids: Sequence[int], *, rng: random.Random, shuffle: bool
) -> tuple[int, ...]:
    """The order choices are shown in. Ordering items are always shuffled (away from the answer
    when possible), matching options always; true/false keeps its order."""
    ids = list(choice_ids)
    if kind == QuestionType.TRUE_FALSE or len(ids) < 2:
        return tuple(ids)
    if kind == QuestionType.ORDERING:
        shuffled = ids[:]
        for _ in range(10):
            rng.shuffle(shuffled)
            if shuffled != ids:
                break
        return tuple(shuffled)
    if shuffle or kind == QuestionType.MATCHING:
        rng.shuffle(ids)
    return tuple(ids)


def paginate(count: int, per_page: int) -> list[list[int]]:
    """Positions 0..count-1 split into pages; ``per_page`` 0 means a single page."""
    if count <= 0:
        return []
    size = per_page if per_page > 0 else count
    return [list(range(start, min(start + size, count))) for start in range(0, count, size)]
