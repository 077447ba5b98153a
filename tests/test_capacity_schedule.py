"""The capacity benchmark's model of the conference's load: how many cores its busiest moment
asks for, at given costs per request. Pure arithmetic over the schedule (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.conference import Timeline

KINDS = ("start", "save", "autosave", "submit")
costs = st.fixed_dictionaries(
    {kind: st.floats(min_value=0.1, max_value=50, allow_nan=False) for kind in KINDS}
)


def test_the_last_page_save_autosave_and_submit_overlap_at_the_peak():
    # 6,000 delegates at the CPU a slow machine's run measured: 100 of each step a second.
    cpu_ms = {"start": 13.8, "save": 5.3, "autosave": 4.8, "submit": 9.5}
    # From 150 s to 180 s the fourth page's save, the autosave and the submit all arrive:
    # 100 x (5.3 + 4.8 + 9.5) ms a second; the first minute's starts and first saves ask 1.91.
    assert Timeline(1).peak_cores(6000, 4, cpu_ms) == pytest.approx(1.96)


def test_starts_alone_can_be_the_peak():
    cpu_ms = {"start": 40.0, "save": 1.0, "autosave": 1.0, "submit": 1.0}
    # 1,000 delegates over 60 s, 40 ms each, overlapping the first page's saves from 30 s.
    assert Timeline(1).peak_cores(1000, 4, cpu_ms) == pytest.approx(1000 / 60 * 41 / 1000)


@given(
    costs,
    st.integers(min_value=1, max_value=6),
    st.sampled_from([1, 2, 4, 10]),
    st.integers(min_value=1, max_value=20_000),
)
def test_the_peak_lies_between_one_step_and_every_step_at_once(cpu_ms, pages, scale, delegates):
    timeline = Timeline(scale)
    rate = delegates / timeline.start_window  # each step's arrivals a second
    per_step = [cpu_ms["start"], *[cpu_ms["save"]] * pages, cpu_ms["autosave"], cpu_ms["submit"]]
    peak = timeline.peak_cores(delegates, pages, cpu_ms)
    assert rate * max(per_step) / 1000 <= peak + 1e-9
    assert peak <= rate * sum(per_step) / 1000 + 1e-9


@given(costs, st.integers(min_value=1, max_value=6), st.integers(min_value=1, max_value=5000))
def test_twice_the_delegates_or_twice_the_speed_ask_twice_the_cores(cpu_ms, pages, delegates):
    peak = Timeline(1).peak_cores(delegates, pages, cpu_ms)
    assert Timeline(1).peak_cores(2 * delegates, pages, cpu_ms) == pytest.approx(2 * peak)
    assert Timeline(2).peak_cores(delegates, pages, cpu_ms) == pytest.approx(2 * peak)
