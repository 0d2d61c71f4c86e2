"""Pagination for browse pages that list up to a million rows.

Two halves (a deferred join): a page of ids is read from an index that holds the list's order
(an index-only scan, no table rows touched), then the rows of those 50 ids are loaded with
what their template needs. The total comes from a count kept on the subject
(catalogue.browse.counts) instead of COUNT(*) over the list. A deep page of a long list starts
from the nearest ListAnchor (every STEP-th row, kept with the count): a keyset condition plus
an OFFSET under STEP, so page 2,000 reads about as many index entries as page 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from ..models import ListAnchor

STEP = 1000  # rows between two anchors of a long list


class AnchoredIds:
    """The ids of a long list in display order (the reverse of its anchors' ascending order).

    `ids`: the list's ids in display order (a queryset); `below(anchor)`: the same ids from
    the anchor's row on (that row included); `count`: the kept length. Slicing it, as the
    paginator does, runs one query for the anchor (deep pages only) and one for the ids.
    """

    def __init__(
        self, list_key: str, count: int, ids: QuerySet[Any, int], below: Callable[[ListAnchor], QuerySet[Any, int]]
    ) -> None:
        self.list_key, self.count, self.ids, self.below = list_key, count, ids, below

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, page: slice) -> list:
        from ..models import ListAnchor

        start, stop = page.start or 0, page.stop
        first = self.count - 1 - start  # ascending index of the page's first row
        k = -(-(first + 1) // STEP)  # the first anchor at or above it: index k * STEP - 1
        position = k * STEP - 1
        if k >= 1 and position < self.count:
            anchor = ListAnchor.objects.filter(list_key=self.list_key, position=position).first()
            if anchor is not None:
                skip = position - first
                return list(self.below(anchor)[skip : skip + stop - start])
        return list(self.ids[start:stop])


class CountedPaginator(Paginator):
    """A Paginator that takes its total from the caller when known (None: it counts)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # the cached_property, set


def page_or_404(paginator: Paginator, number: str | None) -> Page:
    """The page asked for, or a 404 that says which pages there are."""
    try:
        return paginator.page(number or 1)
    except PageNotAnInteger:
        raise Http404(f"There is no page “{number}”: pages are numbered from 1 to {paginator.num_pages}.") from None
    except EmptyPage:
        pages = paginator.num_pages
        raise Http404(f"There is no page {number}: this list has {pages} page{'s' if pages != 1 else ''}.") from None


def canonical_page_query(page: str | None) -> str | None:
    """The query string a page's canonical address has (page 1: none), or None if `page` is not a number.

    `?page=1` and `?page=02` are other spellings of the canonical `` and `?page=2`.
    """
    if page is None:
        return ""
    if not page.isascii() or not page.isdigit():
        return None
    number = int(page)
    return "" if number <= 1 else f"page={number}"


def page_path(path: str, number: int) -> str:
    """The address of page `number` of the list at `path`."""
    return path if number <= 1 else f"{path}?page={number}"


@dataclass(frozen=True)
class Pager:
    """What templates/_pager.html prints about a page: a summary, links to the neighbours and ends."""

    summary: str
    first: str | None
    previous: str | None
    next: str | None
    last: str | None


def page_links(number: int, pages: int, link: Callable[[int], str], summary: str) -> Pager:
    """The pager of page `number` of `pages`, each page's address from `link(number)`; First and
    Last only when they are not already Previous and Next."""
    return Pager(
        summary=summary,
        first=link(1) if number > 2 else None,
        previous=link(number - 1) if number > 1 else None,
        next=link(number + 1) if number < pages else None,
        last=link(pages) if number < pages - 1 else None,
    )


def pager(page: Page, path: str, singular: str, plural: str) -> Pager:
    """`1,234 items, page 2 of 25` and the links around page `page` of the list at `path`."""
    paginator = page.paginator
    total = paginator.count
    summary = f"{total:,} {singular if total == 1 else plural}"
    if paginator.num_pages > 1:
        summary += f", page {page.number:,} of {paginator.num_pages:,}"
    return page_links(page.number, paginator.num_pages, lambda number: page_path(path, number), summary)
