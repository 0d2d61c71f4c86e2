"""The queries of the browse pages: each list as ids in page order, then rows for a page of ids.

The id querysets read one index each (see the indexes named in the models and migration
0011), wrapped in paging.AnchoredIds so that a deep page starts from the nearest anchor;
`items_in_order` is the second half of the deferred join. Each list's total is a kept count
(catalogue.browse.counts).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import BooleanField, Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from ..jel import ancestors
from ..models import Item, ItemKeyword, JelCode, Keyword, Kind, ListAnchor, NepAnnouncement, NepIssue, Series
from .paging import AnchoredIds

JelLink = Item.jel_codes.through
KIND_COUNTS_KEY = "catalogue:kind-counts"
KIND_COUNTS_SECONDS = 300
# the rows of a series list at or before an anchor, as a row comparison the index serves
_ITEM = Item._meta.db_table
SERIES_KEY_AT_MOST = f'(COALESCE("{_ITEM}"."year", 0), "{_ITEM}"."number", "{_ITEM}"."id") <= (%s, %s, %s)'


def series_item_ids(series: Series) -> AnchoredIds:
    """A series' items, newest first by year (unknown: oldest), then number and id (index
    item_series_listing, read backwards)."""
    ids = (
        Item.objects.filter(series=series)
        .order_by(Coalesce("year", 0).desc(), "-number", "-pk")
        .values_list("pk", flat=True)
    )

    def below(anchor: ListAnchor) -> QuerySet[Item, int]:
        params = [anchor.year, anchor.number, anchor.item_id]
        key = RawSQL(SERIES_KEY_AT_MOST, params, output_field=BooleanField())  # noqa: S611 (a constant, parameters)
        return ids.filter(key)

    return AnchoredIds(f"series:{series.pk}", series.item_count, ids, below)


def keyword_item_ids(keyword: Keyword) -> AnchoredIds:
    """Items with a keyword, most recently catalogued first (index itemkeyword_keyword_item)."""
    ids = ItemKeyword.objects.filter(keyword=keyword).order_by("-item_id").values_list("item_id", flat=True)
    return AnchoredIds(f"keyword:{keyword.pk}", keyword.item_count, ids, lambda a: ids.filter(item_id__lte=a.item_id))


def jel_item_ids(code: JelCode, codes: list[str]) -> AnchoredIds:
    """Items classified under any of `codes` (`code` and its sub-codes), most recently catalogued
    first, each once (index item_jel_codes_code_item)."""
    links = JelLink.objects.order_by("-item_id").values_list("item_id", flat=True)
    ids = links.filter(jelcode_id=codes[0]) if len(codes) == 1 else links.filter(jelcode_id__in=codes).distinct()
    return AnchoredIds(f"jel:{code.code}", code.item_count, ids, lambda a: ids.filter(item_id__lte=a.item_id))


def nep_issue_item_ids(issue: NepIssue) -> QuerySet[NepAnnouncement, int]:
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
