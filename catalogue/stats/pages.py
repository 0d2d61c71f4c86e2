"""The statistics pages as data: monthly figures with the gaps filled, the totals for the last
month, the last 12 months and all time, and the chart drawn from the very same figures.

An item's figures are read from MonthlyStat (one query), a series' or a registered author's
from their StatRollup rows (one query); everything else is computed here in Python, so the
chart, the table and the totals cannot disagree.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from ..models import Item, Person, Series, StatRollup
from .months import last_complete_month, month_range, year_start


@dataclass(frozen=True)
class Month:
    month: datetime.date
    views: int
    downloads: int

    @property
    def label(self) -> str:
        return f"{self.month:%Y-%m}"


@dataclass(frozen=True)
class Totals:
    last_month: datetime.date
    month: tuple[int, int]  # (views, downloads) in the last complete month
    year: tuple[int, int]  # in the 12 months ending with it
    all: tuple[int, int]  # in every month, the current one included


SERIES = {"views": ("abstract views", "#3b6ea5"), "downloads": ("downloads", "#e08a1e")}  # name, colour


@dataclass(frozen=True)
class Bar:
    series: str  # "views" or "downloads"
    month: str  # YYYY-MM
    value: int
    x: str  # coordinates as SVG numbers: a template prints strings faster than it localizes floats
    y: str
    width: str
    height: str

    @property
    def name(self) -> str:
        return SERIES[self.series][0]

    @property
    def fill(self) -> str:
        return SERIES[self.series][1]


@dataclass(frozen=True)
class Tick:
    label: str
    x: str
    y: str


def svg_number(value: float) -> str:
    """A coordinate with at most two decimals: 12, 12.5, 12.25."""
    return f"{round(value, 2):.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Chart:
    """Everything the SVG partial prints, in SVG user units."""

    width: int
    height: int
    left: int  # the plot area: x from left to right, y from top to bottom
    right: int
    top: int
    bottom: int
    bars: list[Bar]
    month_ticks: list[Tick]
    value_ticks: list[Tick]
    title: str
    desc: str

    @property
    def middle(self) -> int:
        """The plot area's centre, across (for the month axis' label)."""
        return (self.left + self.right) // 2

    @property
    def middle_down(self) -> int:
        """The plot area's centre, down (for the value axis' label, turned a quarter)."""
        return (self.top + self.bottom) // 2


@dataclass(frozen=True)
class StatsPage:
    months: list[Month]  # oldest first; the table prints them newest first
    totals: Totals
    chart: Chart | None  # None when there are no figures

    @property
    def months_newest_first(self) -> list[Month]:
        """The table's rows: the months with figures, newest first (the chart shows the months
        between them too, as empty bars; the table does not print a row of zeros for each)."""
        return [m for m in self.months[::-1] if m.views or m.downloads]


def fill_months(rows) -> list[Month]:
    """(month, views, downloads) rows as every month from the first with figures to the last,
    oldest first; months between without a row are zeros. The chart's axis spans the figures
    (an item counted until 2018 fills its chart, not a tenth of an axis running to today)."""
    found = {month: (views or 0, downloads or 0) for month, views, downloads in rows}
    if not found:
        return []
    months = month_range(min(found), max(found))
    return [Month(m, *found.get(m, (0, 0))) for m in months]


def totals(months: list[Month], today: datetime.date) -> Totals:
    last = last_complete_month(today)
    first = year_start(last)

    def total(selected) -> tuple[int, int]:
        selected = list(selected)
        return sum(m.views for m in selected), sum(m.downloads for m in selected)

    return Totals(
        last_month=last,
        month=total(m for m in months if m.month == last),
        year=total(m for m in months if first <= m.month <= last),
        all=total(months),
    )


def nice_ceiling(value: int) -> tuple[int, int]:
    """A round top for the value axis and its step: (top, step) with top = 4 or 5 steps of 1, 2 or 5 x 10^k."""
    if value <= 0:
        return 4, 1
    for power in range(0, 20):
        for base in (1, 2, 5):
            step = base * 10**power
            if step * 5 >= value and step >= 1:
                return step * math.ceil(value / step), step
    raise ValueError(value)  # pragma: no cover


WIDTH, HEIGHT = 720, 330
LEFT, RIGHT, TOP, BOTTOM = 64, 684, 16, 244  # the plot area inside WIDTH x HEIGHT
MAX_MONTH_LABELS = 8  # at 15 units a label, eight fit the axis without touching


def chart(months: list[Month], what: str) -> Chart | None:
    """Grouped bars, views then downloads for each month, on a shared value axis from 0."""
    if not months:
        return None
    top_value, step = nice_ceiling(max(max(m.views, m.downloads) for m in months))
    slot = (RIGHT - LEFT) / len(months)
    bar_width = slot * 0.4
    scale = (BOTTOM - TOP) / top_value

    def bar(series: str, m: Month, value: int, offset: float, index: int) -> Bar:
        height = round(value * scale, 2)
        x = LEFT + index * slot + slot * 0.1 + offset
        top, width = svg_number(BOTTOM - height), svg_number(bar_width)
        return Bar(series, m.label, value, svg_number(x), top, width, svg_number(height))

    bars = []
    for i, m in enumerate(months):
        bars.append(bar("views", m, m.views, 0, i))
        bars.append(bar("downloads", m, m.downloads, bar_width, i))
    every = math.ceil(len(months) / MAX_MONTH_LABELS)
    month_ticks = [
        Tick(m.label, svg_number(LEFT + (i + 0.5) * slot), str(BOTTOM + 16))
        for i, m in enumerate(months)
        if (len(months) - 1 - i) % every == 0  # the latest month always has its label
    ]
    value_ticks = [Tick(f"{v:,}", str(LEFT - 6), svg_number(BOTTOM - v * scale)) for v in range(0, top_value + 1, step)]
    peak = max(months, key=lambda m: (m.views, m.month))
    first, last = months[0].month, months[-1].month
    desc = (
        f"Bar chart of abstract views and downloads of {what}, month by month from {first:%Y-%m} to {last:%Y-%m}: "
        f"{sum(m.views for m in months):,} abstract views and {sum(m.downloads for m in months):,} downloads "
        f"in all; the most abstract views, {peak.views:,}, in {peak.month:%Y-%m}. "
        "The table next to the chart gives the same figures."
    )
    return Chart(
        WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, bars, month_ticks, value_ticks, f"Monthly statistics of {what}", desc
    )


def stats_page(rows, today: datetime.date, what: str) -> StatsPage:
    """The page's figures from (month, views, downloads) rows in any order."""
    months = fill_months(rows)
    return StatsPage(months=months, totals=totals(months, today), chart=chart(months, what))


def item_stats(item: Item, today: datetime.date) -> StatsPage:
    """One query: the item's MonthlyStat rows."""
    rows = item.monthly_stats.order_by("month").values_list("month", "abstract_views", "downloads")
    return stats_page(rows, today, "this item")


def rollup_rows(scope: str, scope_id: int):
    return (
        StatRollup.objects.filter(scope=scope, scope_id=scope_id)
        .order_by("month")
        .values_list("month", "abstract_views", "downloads")
    )


def series_stats(series: Series, today: datetime.date) -> StatsPage:
    """One query: the series' rollup rows (refresh_stats keeps them)."""
    return stats_page(rollup_rows(StatRollup.Scope.SERIES, series.pk), today, "the items of this series")


def person_stats(person: Person, today: datetime.date) -> StatsPage:
    """One query: the author's rollup rows, over their distinct works."""
    return stats_page(rollup_rows(StatRollup.Scope.PERSON, person.pk), today, "this author's works")
