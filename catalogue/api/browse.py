"""Archives and series: the browse pages' lists (browse.queries), by keyset cursor."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from ..browse.queries import items_in_order, series_item_ids
from ..models import Archive, ListAnchor, Series
from . import cursors, records
from .cursors import DEFAULT_LIMIT, Cursor, Limit
from .schemas import ArchiveDetail, ArchiveOut, ArchivePage, SeriesDetail, SeriesOut, SeriesPage, answers

router = Router(tags=["archives and series"])


@router.get("/archives", response=answers(ArchivePage), url_name="api_archives", operation_id="archives")
def archives(request: HttpRequest, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT):
    """Every archive (publisher) by code, with how many series, items and citations it has.
    Queries: 2 (the page, the total)."""
    page, following = cursors.by_column(Archive.objects.all(), "code", cursor, "archives", limit)
    return ArchivePage(
        total=Archive.objects.count(),
        items=[ArchiveOut(**records.archive(request, a)) for a in page],
        next_cursor=following,
        next=cursors.next_address(request, following),
    )


@router.get("/archives/{archive}", response=answers(ArchiveDetail), url_name="api_archive", operation_id="archive")
def archive(request: HttpRequest, archive: str, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT):
    """An archive and its series by code (paged). Queries: 2."""
    found = records.one(Archive.objects.by_code(archive), "archive")
    scope = f"archive:{found.pk}"
    after = cursors.read(cursor, scope)
    rows = found.series.order_by("code")
    page, following = cursors.paged(
        list((rows.filter(code__gt=after) if after else rows)[: limit + 1]), limit, scope, lambda s: s.code
    )
    return ArchiveDetail(
        **records.archive(request, found),
        maintainer=found.maintainer_name,
        series=SeriesPage(
            total=found.series_count,
            items=[SeriesOut(**records.series(request, s, found.code)) for s in page],
            next_cursor=following,
            next=cursors.next_address(request, following),
        ),
    )


@router.get("/series/{archive}/{series}", response=answers(SeriesDetail), url_name="api_series", operation_id="series")
def series(request: HttpRequest, archive: str, series: str, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT):
    """A series and its items, newest first by year, then number (as on its page), paged.
    Queries: 4 (the series, a page of ids, the items, their authors)."""
    rows = Series.objects.select_related("archive").by_codes(archive, series)
    found = records.one(rows, "series")
    scope = f"series:{found.pk}"
    key = cursors.read(cursor, scope)
    anchor = ListAnchor(year=key[0], number=key[1], item_id=key[2]) if key else None
    ids = cursors.after_anchor(series_item_ids(found), key, anchor, limit)
    items = items_in_order(ids[:limit])
    return SeriesDetail(
        **records.series(request, found, found.archive.code),
        maintainer=found.maintainer_name,
        items=cursors.item_page(
            request, items, len(ids) > limit, scope, lambda i: [i.year or 0, i.number, i.pk], found.item_count
        ),
    )
