"""The geometry of a horizontal grouped bar chart, for a template to draw as SVG. Pure: no
Django, no drawing; the template adds the text (translated) and the numbers (localised).

Each group is one row of bars (one bar per series) with a label on the left. The value axis runs
from 0, or lower when a value is negative, to 100 (or higher), in steps; values are percentages.
Coordinates are SVG user units, rounded to 0.1.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bar:
    series: int  # index into the chart's series
    value: float | None  # None: nothing to draw (the template says "not available")
    x: float
    y: float
    width: float
    height: float
    label_x: float  # where the value's text starts, just right of the bar (or of zero)
    label_y: float


@dataclass(frozen=True, slots=True)
class Group:
    label: str
    label_y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class Tick:
    value: int
    x: float


@dataclass(frozen=True, slots=True)
class LegendEntry:
    series: int
    x: float  # the swatch
    y: float
    text_x: float
    text_y: float


@dataclass(frozen=True, slots=True)
class BarChart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    group_label_x: float  # group labels end here (text-anchor: end)
    plot_top: float
    plot_bottom: float
    zero_x: float
    axis_label_y: float
    groups: tuple[Group, ...]
    ticks: tuple[Tick, ...]
    legend: tuple[LegendEntry, ...]
    series_count: int


def _round(value: float) -> float:
    return round(value, 1)


def bar_chart(
    groups: Sequence[tuple[str, Sequence[float | None]]],
    *,
    width: float = 720,
    label_width: float = 64,
    value_label_width: float = 64,
    bar_height: float = 14,
    bar_gap: float = 2,
    group_gap: float = 10,
    top: float = 36,
    bottom: float = 28,
    step: int = 20,
    maximum: float = 100,
    legend_spacing: float = 200,
) -> BarChart:
    """Lay out ``groups`` of (label, one value per series). Every group needs the same number
    of values. ``top`` leaves room for a legend, ``bottom`` for the axis labels."""
    series_count = len(groups[0][1]) if groups else 0
    if any(len(values) != series_count for _label, values in groups):
        raise ValueError("every group needs one value per series")
    values = [v for _label, vs in groups for v in vs if v is not None]
    low = min(0, step * math.floor(min(values, default=0) / step))
    high = max(maximum, step * math.ceil(max(values, default=0) / step))
    plot_left, plot_right = label_width, width - value_label_width
    group_height = series_count * bar_height + (series_count - 1) * bar_gap

    def x_of(value: float) -> float:
        return plot_left + (value - low) / (high - low) * (plot_right - plot_left)

    zero = x_of(0)
    laid_out = []
    y = top
    for label, group_values in groups:
        bars = []
        for index, value in enumerate(group_values):
            bar_y = y + index * (bar_height + bar_gap)
            end = zero if value is None else x_of(value)
            bars.append(
                Bar(
                    series=index,
                    value=value,
                    x=_round(min(zero, end)),
                    y=_round(bar_y),
                    width=_round(abs(end - zero)),
                    height=bar_height,
                    label_x=_round(max(zero, end) + 4),
                    label_y=_round(bar_y + bar_height * 0.75),
                )
            )
        label_y = _round(y + group_height / 2 + 4)
        laid_out.append(Group(label=label, label_y=label_y, bars=tuple(bars)))
        y += group_height + group_gap
    plot_bottom = y - group_gap + 4 if groups else top
    return BarChart(
        width=width,
        height=_round(plot_bottom + bottom),
        plot_left=plot_left,
        plot_right=plot_right,
        group_label_x=plot_left - 8,
        plot_top=top - 4,
        plot_bottom=_round(plot_bottom),
        zero_x=_round(zero),
        axis_label_y=_round(plot_bottom + 16),
        groups=tuple(laid_out),
        ticks=tuple(Tick(value=v, x=_round(x_of(v))) for v in range(int(low), int(high) + 1, step)),
        legend=tuple(
            LegendEntry(
                series=i,
                x=plot_left + i * legend_spacing,
                y=top - 30,
                text_x=plot_left + i * legend_spacing + bar_height + 6,
                text_y=top - 30 + bar_height * 0.75 + 1,
            )
            for i in range(series_count)
        ),
        series_count=series_count,
    )
