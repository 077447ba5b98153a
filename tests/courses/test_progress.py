"""courses/progress.py is pure: no django_db mark, so pytest-django blocks the database."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from courses.progress import Item, Progress, compute_progress, percent_of

# A course: up to 25 items with distinct ids, each required or optional, in teaching order.
courses = st.lists(
    st.builds(Item, id=st.integers(min_value=1, max_value=10_000), required=st.booleans()),
    max_size=25,
    unique_by=lambda item: item.id,
)


@st.composite
def course_and_done(draw, *, non_empty: bool = False):
    items = draw(courses.filter(bool) if non_empty else courses)
    ids = [item.id for item in items]
    done = draw(st.sets(st.sampled_from(ids))) if ids else set()
    return items, done


def counted(items: list[Item]) -> list[Item]:
    return [item for item in items if item.required] or items


def test_percent_of_rounds_down_so_199_of_200_is_99():
    assert percent_of(199, 200) == Decimal(99)
    assert percent_of(1, 3) == Decimal(33)
    assert percent_of(2, 3) == Decimal(66)


def test_199_of_200_items_done_shows_99_percent_and_is_not_complete():
    items = [Item(id=n) for n in range(1, 201)]
    progress = compute_progress(items, set(range(1, 200)))
    assert progress.percent == 99
    assert progress.percent_int == 99
    assert not progress.is_complete
    assert progress.next_item_id == 200


def test_percent_of_nothing_is_zero():
    assert percent_of(0, 0) == 0
    assert percent_of(3, 0) == 0


@given(course_and_done())
def test_percent_is_a_whole_decimal_between_0_and_100(case):
    items, done = case
    progress = compute_progress(items, done)
    assert isinstance(progress.percent, Decimal)
    assert 0 <= progress.percent <= 100
    assert progress.percent == progress.percent.to_integral_value()


@given(course_and_done(non_empty=True))
def test_percent_is_100_exactly_when_the_course_is_complete(case):
    items, done = case
    progress = compute_progress(items, done)
    assert (progress.percent == 100) == progress.is_complete
    assert progress.is_complete == all(item.id in done for item in counted(items))


@given(course_and_done())
def test_percent_is_completed_share_of_counted_items_rounded_down(case):
    items, done = case
    progress = compute_progress(items, done)
    total = len(counted(items))
    assert progress.total == total
    assert progress.completed == sum(1 for item in counted(items) if item.id in done)
    if total:
        assert progress.percent == (100 * progress.completed) // total


def test_optional_items_do_not_count_when_the_course_has_required_ones():
    items = [Item(1), Item(2, required=False), Item(3)]

    assert compute_progress(items, {2}) == Progress(
        completed=0, total=2, percent=Decimal(0), is_complete=False, next_item_id=1, optional=1
    )
    done_required = compute_progress(items, {1, 3})
    assert done_required.is_complete
    assert done_required.percent == 100
    assert done_required.total == 2


def test_a_course_of_only_optional_items_counts_them_all():
    items = [Item(1, required=False), Item(2, required=False)]

    assert compute_progress(items, set()).optional == 0

    assert compute_progress(items, {1}).percent == 50
    assert not compute_progress(items, {1}).is_complete
    assert compute_progress(items, {1, 2}).is_complete


@given(st.sets(st.integers()))
def test_an_empty_course_is_never_complete(done):
    progress = compute_progress([], done)
    assert not progress.is_complete
    assert progress.percent == 0
    assert progress.total == 0
    assert progress.next_item_id is None


@given(course_and_done(), st.sets(st.integers(min_value=-1_000, max_value=0)))
def test_completed_ids_that_are_not_items_are_ignored(case, removed_ids):
    items, done = case
    assert compute_progress(items, done | removed_ids) == compute_progress(items, done)


def test_next_item_is_the_first_uncompleted_item_in_teaching_order():
    items = [Item(30), Item(10), Item(20, required=False), Item(40)]

    assert compute_progress(items, set()).next_item_id == 30
    assert compute_progress(items, {30}).next_item_id == 10
    assert compute_progress(items, {30, 10}).next_item_id == 20
    assert compute_progress(items, {30, 10, 20}).next_item_id == 40
    assert compute_progress(items, {30, 10, 20, 40}).next_item_id is None


@given(course_and_done())
def test_next_item_is_never_completed_and_precedes_every_other_uncompleted_item(case):
    items, done = case
    remaining = [item.id for item in items if item.id not in done]
    assert compute_progress(items, done).next_item_id == (remaining[0] if remaining else None)


@given(course_and_done(non_empty=True), st.data())
def test_completing_one_more_item_never_lowers_percent(case, data):
    items, done = case
    before = compute_progress(items, done)
    extra = data.draw(st.sampled_from([item.id for item in items]))
    after = compute_progress(items, done | {extra})
    assert after.percent >= before.percent
    assert after.completed >= before.completed
    assert after.is_complete or not before.is_complete
