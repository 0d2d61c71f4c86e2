"""Counts kept on the rows browse pages list items of: series, archives, keywords, JEL codes.

A browse page shows its total and pages through millions of rows without a COUNT(*): the
count is a column, refreshed here by whoever writes items (the importer at the end of a run,
`generate_catalogue`, `manage.py refresh_counts`). Each refresh recounts from the rows, so a
refresh is always exact and never drifts (no increments to lose). With the counts, the
anchors of the long lists (every STEP-th row, models.ListAnchor) are rebuilt.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Aggregate, Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Substr

from ..models import Archive, Item, ItemKeyword, JelCode, Keyword, ListAnchor, Series
from . import paging
from .queries import forget_kind_counts

JelLink = Item.jel_codes.through
CHUNK = 5000  # ids per statement: SQLite limits the parameters of a query


def _count_of(
    queryset: QuerySet[Any, Any], outer: str, what: str | None = None, *, total: type[Aggregate] = Count
) -> Coalesce:
    """A correlated subquery: `total(what)` of the rows of `queryset` whose `outer` is the outer row's pk.

    Counting `outer` itself (the default) keeps the count inside the index that starts with it
    (an index-only scan); counting the primary key would visit every row.
    """
    grouped = (
        queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(n=total(what or outer)).values("n")
    )
    return Coalesce(Subquery(grouped, output_field=IntegerField()), 0)


def _chunks(ids: Iterable[int] | None) -> Iterator[list[int] | None]:
    if ids is None:
        yield None
        return
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def refresh_series_counts(series_ids: Iterable[int] | None = None) -> None:
    """Series.item_count and citation_count, then their archives' series, items and citations (None: all)."""
    archive_ids: set[int] = set()
    for chunk in _chunks(series_ids):
        series = Series.objects.all() if chunk is None else Series.objects.filter(pk__in=chunk)
        series.update(
            item_count=_count_of(Item.objects.all(), "series"),
            citation_count=_count_of(Item.objects.all(), "series", "citation_count", total=Sum),
        )
        if chunk is not None:
            archive_ids.update(series.values_list("archive_id", flat=True))
    archives = Archive.objects.all() if series_ids is None else Archive.objects.filter(pk__in=archive_ids)
    archives.update(
        series_count=_count_of(Series.objects.all(), "archive"),
        item_count=_count_of(Series.objects.all(), "archive", "item_count", total=Sum),
        citation_count=_count_of(Series.objects.all(), "archive", "citation_count", total=Sum),
    )


def refresh_keyword_counts(keyword_ids: Iterable[int] | None = None) -> None:
    """Keyword.item_count for these keywords (None: all)."""
    for chunk in _chunks(keyword_ids):
        keywords = Keyword.objects.all() if chunk is None else Keyword.objects.filter(pk__in=chunk)
        keywords.update(item_count=_count_of(ItemKeyword.objects.all(), "keyword"))


def jel_prefixes(codes: Iterable[str]) -> set[str]:
    """The codes and every code above them: {O31} -> {O, O3, O31}."""
    return {code[:n] for code in codes for n in range(1, len(code) + 1)}


def refresh_jel_counts(codes: Iterable[str] | None = None) -> None:
    """JelCode.item_count of these codes and the codes above them (None: all codes): distinct
    items classified under each code or any code below it.

    One grouped query per level of the tree (a code of length n counts the links whose first n
    characters are its code), so an item classified O31 and O32 counts once under O3.
    """
    wanted = None if codes is None else jel_prefixes(codes)
    counts: dict[str, int] = {}
    for length in (1, 2, 3):
        links = JelLink.objects.annotate(prefix=Substr("jelcode_id", 1, length))
        if wanted is not None:
            level = [code for code in wanted if len(code) == length]
            if not level:
                continue
            links = links.filter(prefix__in=level)  # type: ignore[misc]  # the plugin misses the annotation
        grouped = links.order_by().values("prefix").annotate(n=Count("item_id", distinct=True))  # type: ignore[misc]
        counts.update((prefix, n) for prefix, n in grouped.values_list("prefix", "n") if len(prefix) == length)  # type: ignore[misc]
    rows = list(JelCode.objects.all() if wanted is None else JelCode.objects.filter(code__in=wanted))
    changed = [code for code in rows if code.item_count != counts.get(code.code, 0)]
    for code in changed:
        code.item_count = counts.get(code.code, 0)
    JelCode.objects.bulk_update(changed, ["item_count"], batch_size=500)


def refresh_counts(
    *,
    series_ids: Iterable[int] | None = None,
    keyword_ids: Iterable[int] | None = None,
    jel_codes: Iterable[str] | None = None,
) -> None:
    """Refresh the kept counts and anchors (None: of every row); the importer passes what a run
    touched (JEL codes: with the codes above them).

    In one transaction, so that readers see each list's count and anchors change together
    (a page's boundaries come from both).
    """
    series_ids = None if series_ids is None else list(series_ids)
    keyword_ids = None if keyword_ids is None else list(keyword_ids)
    jel_codes = None if jel_codes is None else list(jel_codes)
    with transaction.atomic():
        refresh_series_counts(series_ids)
        refresh_keyword_counts(keyword_ids)
        refresh_jel_counts(jel_codes)
        refresh_anchors(series_ids=series_ids, keyword_ids=keyword_ids, jel_codes=jel_codes)
    forget_kind_counts()


# -- anchors: every STEP-th row of the long lists, for deep pages (catalogue.browse.paging) ----------

ITEM, KEYWORD_LINK, JEL_LINK = Item._meta.db_table, ItemKeyword._meta.db_table, JelLink._meta.db_table

# Each statement numbers a list's rows in ascending order (the order its page queries read
# backwards) and keeps every STEP-th (the last parameter): (list, year, number, item id, row
# number). `{ids}` becomes one placeholder per list.
SERIES_ANCHORS = f"""
    SELECT series_id, y, number, id, rn FROM (
        SELECT series_id, COALESCE(year, 0) AS y, number, id,
               ROW_NUMBER() OVER (PARTITION BY series_id ORDER BY COALESCE(year, 0), number, id) AS rn
        FROM {ITEM} WHERE series_id IN ({{ids}})
    ) numbered WHERE rn %% %s = 0"""  # noqa: S608 (table names and numbers only)
KEYWORD_ANCHORS = f"""
    SELECT keyword_id, 0, '', item_id, rn FROM (
        SELECT keyword_id, item_id, ROW_NUMBER() OVER (PARTITION BY keyword_id ORDER BY item_id) AS rn
        FROM {KEYWORD_LINK} WHERE keyword_id IN ({{ids}})
    ) numbered WHERE rn %% %s = 0"""  # noqa: S608
JEL_ANCHORS = f"""
    SELECT prefix, 0, '', item_id, rn FROM (
        SELECT prefix, item_id, ROW_NUMBER() OVER (PARTITION BY prefix ORDER BY item_id) AS rn
        FROM (SELECT DISTINCT SUBSTR(jelcode_id, 1, %s) AS prefix, item_id FROM {JEL_LINK}
              WHERE SUBSTR(jelcode_id, 1, %s) IN ({{ids}})) AS links
    ) numbered WHERE rn %% %s = 0"""  # noqa: S608


def _rebuild_anchors(kind: str, sql: str, keys: list, stale: list[str], params: tuple = ()) -> None:
    """Replace the anchors of the lists `stale` (list keys) with those `sql` finds for `keys`."""
    anchors = []
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        with connection.cursor() as cursor:
            cursor.execute(sql.format(ids=", ".join(["%s"] * len(chunk))), [*params, *chunk, paging.STEP])
            anchors += [
                ListAnchor(list_key=f"{kind}:{key}", position=rn - 1, year=year, number=number, item_id=item_id)
                for key, year, number, item_id, rn in cursor.fetchall()
            ]
    for start in range(0, len(stale), CHUNK):
        ListAnchor.objects.filter(list_key__in=stale[start : start + CHUNK]).delete()
    ListAnchor.objects.bulk_create(anchors, batch_size=2000)


def _stale(kind: str, rows: QuerySet[Any, Any], everything: bool) -> list[str]:
    if everything:
        return list(ListAnchor.objects.filter(list_key__startswith=f"{kind}:").values_list("list_key", flat=True))
    return [f"{kind}:{pk}" for pk in rows.values_list("pk", flat=True)]


def refresh_anchors(
    *,
    series_ids: Iterable[int] | None = None,
    keyword_ids: Iterable[int] | None = None,
    jel_codes: Iterable[str] | None = None,
) -> None:
    """Anchors of the series, keywords and JEL codes (and those above them) given (None: all), after their counts."""
    series = Series.objects.all() if series_ids is None else Series.objects.filter(pk__in=list(series_ids))
    big = list(series.filter(item_count__gte=paging.STEP).values_list("pk", flat=True))
    _rebuild_anchors("series", SERIES_ANCHORS, big, _stale("series", series, series_ids is None))
    keywords = Keyword.objects.all() if keyword_ids is None else Keyword.objects.filter(pk__in=list(keyword_ids))
    big = list(keywords.filter(item_count__gte=paging.STEP).values_list("pk", flat=True))
    _rebuild_anchors("keyword", KEYWORD_ANCHORS, big, _stale("keyword", keywords, keyword_ids is None))
    jel = JelCode.objects.all() if jel_codes is None else JelCode.objects.filter(code__in=jel_prefixes(jel_codes))
    _rebuild_anchors("jel", "", [], _stale("jel", jel, jel_codes is None))
    codes = list(jel.filter(item_count__gte=paging.STEP).values_list("code", flat=True))
    for length in (1, 2, 3):
        big = [code for code in codes if len(code) == length]
        _rebuild_anchors("jel", JEL_ANCHORS, big, [], (length, length))
