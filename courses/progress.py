"""Course progress as plain values: no Django, no database.

A course is an ordered sequence of items (modules, quizzes). A delegate has completed some of
them. Progress counts required items when a course has any, otherwise every item.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    required: bool = True


@dataclass(frozen=True, slots=True)
class Progress:
    completed: int
    total: int
    percent: Decimal  # 0..100, whole numbers, rounded down: 100 only when complete
    is_complete: bool
    next_item_id: int | None  # the first item not yet completed, in teaching order
    optional: int = 0  # items left out of the count because the course has required ones

    @property
    def percent_int(self) -> int:
        return int(self.percent)


def percent_of(part: int, whole: int) -> Decimal:
    """``part`` of ``whole`` in whole percent, rounded down so that 199 of 200 never shows 100."""
    if whole <= 0:
        return Decimal(0)
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal(1), ROUND_DOWN)


def compute_progress(items: Sequence[Item], completed_ids: Collection[int]) -> Progress:
    """Progress through ``items`` given the ids the delegate has completed.

    Ids in ``completed_ids`` that are not items (a module since removed) are ignored.
    A course with no items is never complete: there is nothing to have done.
    """
    counted = [item for item in items if item.required] or list(items)
    done = sum(1 for item in counted if item.id in completed_ids)
    next_item = next((item.id for item in items if item.id not in completed_ids), None)
    return Progress(
        completed=done,
        total=len(counted),
        percent=percent_of(done, len(counted)),
        is_complete=bool(counted) and done == len(counted),
        next_item_id=next_item,
        optional=len(items) - len(counted),
    )
