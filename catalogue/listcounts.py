"""Counts kept on the rows browse pages list items of: series, archives, keywords, JEL codes.

A browse page shows its total and pages through millions of rows without a COUNT(*): the
count is a column, refreshed here by whoever writes items (the importer at the end of a run,
`generate_catalogue`, `manage.py refresh_counts`). Each refresh recounts from the rows, so a
refresh is always exact and never drifts (no increments to lose).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Substr

from .listings import forget_kind_counts
from .models import Archive, Item, ItemKeyword, JelCode, Keyword, Series

JelLink = Item.jel_codes.through
CHUNK = 5000  # ids per statement: SQLite limits the parameters of a query


def _count_of(queryset, outer: str, what: str = "pk", *, total=Count):
    """A correlated subquery: `total(what)` of the rows of `queryset` whose `outer` is the outer row's pk."""
    grouped = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(n=total(what)).values("n")
    return Coalesce(Subquery(grouped, output_field=IntegerField()), 0)


def _chunks(ids: Iterable[int] | None):
    if ids is None:
        yield None
        return
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def refresh_series_counts(series_ids: Iterable[int] | None = None) -> None:
    """Series.item_count, then the series' archives' series_count and item_count (None: all)."""
    archive_ids: set[int] = set()
    for chunk in _chunks(series_ids):
        series = Series.objects.all() if chunk is None else Series.objects.filter(pk__in=chunk)
        series.update(item_count=_count_of(Item.objects.all(), "series"))
        if chunk is not None:
            archive_ids.update(series.values_list("archive_id", flat=True))
    archives = Archive.objects.all() if series_ids is None else Archive.objects.filter(pk__in=archive_ids)
    archives.update(
        series_count=_count_of(Series.objects.all(), "archive"),
        item_count=_count_of(Series.objects.all(), "archive", "item_count", total=Sum),
    )


def refresh_keyword_counts(keyword_ids: Iterable[int] | None = None) -> None:
    """Keyword.item_count for these keywords (None: all)."""
    for chunk in _chunks(keyword_ids):
        keywords = Keyword.objects.all() if chunk is None else Keyword.objects.filter(pk__in=chunk)
        keywords.update(item_count=_count_of(ItemKeyword.objects.all(), "keyword"))


def refresh_jel_counts() -> None:
    """JelCode.item_count: distinct items classified under each code or any code below it.

    One grouped query per level of the tree (a code of length n counts the links whose first n
    characters are its code), so an item classified O31 and O32 counts once under O3.
    """
    counts: dict[str, int] = {}
    for length in (1, 2, 3):
        prefixes = (
            JelLink.objects.annotate(prefix=Substr("jelcode_id", 1, length))
            .order_by()
            .values("prefix")
            .annotate(n=Count("item_id", distinct=True))
            .values_list("prefix", "n")
        )
        counts.update((prefix, n) for prefix, n in prefixes if len(prefix) == length)
    codes = list(JelCode.objects.all())
    changed = [code for code in codes if code.item_count != counts.get(code.code, 0)]
    for code in changed:
        code.item_count = counts.get(code.code, 0)
    JelCode.objects.bulk_update(changed, ["item_count"], batch_size=500)


def refresh_counts(
    *, series_ids: Iterable[int] | None = None, keyword_ids: Iterable[int] | None = None, jel: bool = True
) -> None:
    """Refresh every kept count (None: all rows); the importer passes what a run touched."""
    refresh_series_counts(series_ids)
    refresh_keyword_counts(keyword_ids)
    if jel:
        refresh_jel_counts()
    forget_kind_counts()
