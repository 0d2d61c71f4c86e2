"""The queries of the browse pages: each list as ids in page order, then rows for a page of ids.

The id querysets read one index each (see the indexes named in the models and migration
0011), so that OFFSET skips index entries, not table rows; `items_in_order` is the second
half of the deferred join. Each list's total is a kept count (catalogue.listcounts).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Q

from .jel import ancestors
from .models import Item, ItemKeyword, JelCode, Keyword, Kind, NepAnnouncement, Series

JelLink = Item.jel_codes.through
KIND_COUNTS_KEY = "catalogue:kind-counts"
KIND_COUNTS_SECONDS = 300


def series_item_ids(series: Series):
    """A series' items, newest first by year, then number (index item_series_listing, read backwards)."""
    return Item.objects.filter(series=series).order_by("-year", "-number", "-pk").values_list("pk", flat=True)


def keyword_item_ids(keyword: Keyword):
    """Items with a keyword, most recently catalogued first (index itemkeyword_keyword_item)."""
    return ItemKeyword.objects.filter(keyword=keyword).order_by("-item_id").values_list("item_id", flat=True)


def jel_item_ids(codes: list[str]):
    """Items classified under any of `codes` (a code and its sub-codes), most recently catalogued first,
    each once (index item_jel_codes_code_item)."""
    links = JelLink.objects.order_by("-item_id").values_list("item_id", flat=True)
    if len(codes) == 1:
        return links.filter(jelcode_id=codes[0])
    return links.filter(jelcode_id__in=codes).distinct()


def nep_issue_item_ids(issue):
    """The items an issue announced, in the editor's order."""
    return NepAnnouncement.objects.filter(issue=issue).order_by("position").values_list("item_id", flat=True)


def items_in_order(ids: list[int]) -> list[Item]:
    """The items with these ids, in this order, loaded for citation lines (two queries; none if no ids)."""
    if not ids:
        return []
    found = Item.objects.for_listing().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def jel_family(code: str) -> list[JelCode]:
    """A code, the codes above it and every code below it, in code order (one query)."""
    family = Q(code__startswith=code) | Q(code__in=ancestors(code))
    return list(JelCode.objects.filter(family).order_by("code"))


def kind_counts() -> list[tuple[str, int]]:
    """(label, items) for each kind of item, in Kind's order; cached for a few minutes.

    Counting a million items by kind reads the whole item table (about a second), so the
    figure is computed at most once every KIND_COUNTS_SECONDS per cache; the importer drops it.
    """
    counts = cache.get(KIND_COUNTS_KEY)
    if counts is None:
        counts = dict(Item.objects.order_by().values_list("kind").annotate(n=Count("pk")))
        cache.set(KIND_COUNTS_KEY, counts, KIND_COUNTS_SECONDS)
    return [(Kind(kind).label, counts.get(kind, 0)) for kind in Kind.values]


def forget_kind_counts() -> None:
    cache.delete(KIND_COUNTS_KEY)
