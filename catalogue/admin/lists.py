"""Change lists over a million rows: a count that reads no table, searches that use an index.

- `EstimatedCountPaginator`: an unfiltered list on PostgreSQL takes the planner's row estimate
  (pg_class.reltuples, kept by ANALYZE and autovacuum) instead of COUNT(*); a filtered,
  searched or scoped list, or any list on SQLite, counts exactly up to COUNT_CAP rows.
- `prefix_range`: a handle (or key) prefix as `key >= 'repec:ipt:' AND key < 'repec:ipt;'`,
  which the unique btree index on the lower-cased key serves (the databases are C-collated).
- `title_matches`: title words through the search index (catalogue.search), at most
  TITLE_MATCHES items, instead of `icontains` over a million titles.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

from ..handles import handle_key
from ..models import Archive, Series
from ..models.search import SearchEntry
from ..search.backends import text_backend
from ..search.query import parse
from .scoping import archive_scope, scoped

COUNT_CAP = 10_000  # a filtered list counts this many rows at most (100 pages of 100)
ESTIMATE_FROM = 50_000  # below this estimate a table is counted exactly
TITLE_MATCHES = 1_000  # items a title search lists at most


def table_estimate(queryset: QuerySet) -> int:
    """The planner's estimate of the rows of the queryset's table; -1 when never analysed."""
    with connections[queryset.db].cursor() as cursor:
        table = queryset.model._meta.db_table
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        row = cursor.fetchone()
    return int(row[0]) if row else -1


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connections[queryset.db].vendor == "postgresql" and not queryset.query.where:
            estimate = table_estimate(queryset)
            if estimate >= ESTIMATE_FROM:
                return estimate
        # COUNT(*) over a subquery with LIMIT: stops after COUNT_CAP rows
        return queryset.order_by()[:COUNT_CAP].count()


def next_prefix(prefix: str) -> str:
    """The smallest string above every string starting with `prefix` ('abc' -> 'abd')."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def prefix_range(field: str, prefix: str) -> Q:
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": next_prefix(prefix)})


def title_matches(term: str) -> list[int]:
    """Ids of at most TITLE_MATCHES items whose title, authors or keywords hold the words."""
    query = parse(term)
    if not query:
        return []
    entries = text_backend().matching(SearchEntry.objects.all(), query, head_only=True).order_by()
    return list(entries.values_list("item_id", flat=True)[:TITLE_MATCHES])


class ScopedSeriesFilter(admin.SimpleListFilter):
    """By series: the series of a publisher's archives, or, for staff, those of the archive
    chosen with `?archive=` (all 5,000 at once would make every page heavy)."""

    title = "series"
    parameter_name = "series"
    field = "series"

    def lookups(self, request, model_admin):
        scope = archive_scope(request)
        series = scoped(Series.objects.all(), scope).order_by("handle")
        archive = request.GET.get("archive", "")
        if archive.isdigit():
            series = series.filter(archive_id=int(archive))
        elif scope is None:
            return []
        return [(str(pk), handle) for pk, handle in series.values_list("pk", "handle")[:500]]

    def has_output(self) -> bool:
        return True  # shown even without choices, so that `?series=` given by hand still applies

    def queryset(self, request, queryset):
        value = self.value()
        if not (value and value.isdigit()):
            return queryset
        queryset = queryset.filter(**{f"{self.field}_id": int(value)})
        handle = Series.objects.filter(pk=int(value)).values_list("handle", flat=True).first()
        if handle and queryset.model is not Series and self.field == "series":
            # a series' items are one range of the handle index (RePEc:ipt:iptwpa:...), read in
            # the list's order, instead of a walk over the whole index to find them
            queryset = queryset.filter(prefix_range("handle_key", f"{handle_key(handle)}:"))
        return queryset


class ScopedArchiveFilter(admin.SimpleListFilter):
    """By archive: a publisher's archives; staff give `?archive=<id>` (or search `RePEc:abc:`)."""

    title = "archive"
    parameter_name = "archive"
    lookup = "series__archive_id"

    def lookups(self, request, model_admin):
        scope = archive_scope(request)
        if scope is None:
            return []
        return [(str(a.pk), str(a)) for a in scoped(Archive.objects.order_by("code"), scope)]

    def has_output(self) -> bool:
        return True

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(**{self.lookup: int(value)}) if value and value.isdigit() else queryset


class WithdrawnFilter(admin.SimpleListFilter):
    """Withdrawn items or the others; the withdrawn ones come from a small partial index."""

    title = "withdrawn"
    parameter_name = "withdrawn"

    def lookups(self, request, model_admin):
        return [("yes", "Withdrawn"), ("no", "Not withdrawn")]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(withdrawn_at__isnull=self.value() == "no")
        return queryset
