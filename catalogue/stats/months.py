"""Calendar months as the first day of the month, and the periods the pages total over."""

from __future__ import annotations

import datetime

from django.utils import timezone


def today() -> datetime.date:
    """Today's date in the site's time zone; tests replace it to fix "last month"."""
    return timezone.localdate()


def first_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    """The first day of the month `n` months after (or before, n < 0) `month`."""
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_complete_month(day: datetime.date) -> datetime.date:
    """The first day of the last calendar month that ended before `day`: 2026-11-24 -> 2026-10-01."""
    return add_months(first_of(day), -1)


def year_start(last_month: datetime.date) -> datetime.date:
    """The first of the 12 months that end with `last_month`."""
    return add_months(last_month, -11)


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every month from `first` to `last`, both included (empty if first > last)."""
    months, month = [], first_of(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months
