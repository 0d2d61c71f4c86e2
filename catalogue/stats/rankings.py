"""Rankings of items and registered authors by downloads, abstract views or citations.

Downloads and views come from the totals refresh_stats keeps (ItemStatTotals,
PersonStatTotals), read in the order of an index on each column. Citations leave
self-citations out, as RePEc's rankings do, and count a work once whatever its versions
(VersionLink): an item's are `models.work_citations()` (read live, through an index on that
expression), and a work with several versions is ranked once, as its group's first item; an
author's are the sum over their works, each work once, kept with the totals. Citations have no month, so the citation
rankings are the same for every period. Only rows with a figure above zero are ranked; ties
go to the older item or person (the lower id).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.db.models import F, Q, QuerySet
from django.urls import reverse

from ..models import InstitutionStatTotals, Item, ItemStatTotals, PersonStatTotals, work_citations

BY = {"downloads": "downloads", "views": "abstract views", "citations": "citations"}
PERIODS = {"month": "last month", "year": "last 12 months", "all": "all time"}
PAGE_SIZE = 50
LIMIT = 1000  # ranks shown at most: 20 pages


@dataclass(frozen=True)
class Ranking:
    by: str
    period: str
    page: int

    @property
    def column(self) -> str:
        """The totals' column ranked by (citations: `citations`, kept only for authors)."""
        if self.by == "citations":
            return "citations"
        return f"{self.by}_{self.period}"

    @property
    def label(self) -> str:
        if self.by == "citations":
            return "citations (self-citations left out)"
        return f"{BY[self.by]}, {PERIODS[self.period]}"


def parse(query) -> Ranking:
    """The ranking a query string asks for; BadRequest naming the parameter when it is not one
    we offer. Missing parameters take the defaults: downloads, last month, page 1."""
    by = query.get("by", "downloads")
    period = query.get("period", "month")
    page = query.get("page", "1")
    if by not in BY:
        raise BadRequest(f"“by” must be one of {', '.join(BY)}; “{by[:40]}” is not.")
    if period not in PERIODS:
        raise BadRequest(f"“period” must be one of {', '.join(PERIODS)}; “{period[:40]}” is not.")
    pages = LIMIT // PAGE_SIZE
    if not (page.isascii() and page.isdigit()) or not 1 <= int(page) <= pages:
        raise BadRequest(f"“page” must be a whole number from 1 to {pages}; “{page[:40]}” is not.")
    return Ranking(by, period, int(page))


def top_items(ranking: Ranking) -> QuerySet:
    """(item id, figure) rows in rank order: withdrawn items are left out."""
    if ranking.by == "citations":
        return (
            Item.objects.filter(withdrawn_at=None)
            .filter(Q(version_group=None) | Q(version_group=F("id")))  # a work once
            .annotate(figure=work_citations())
            .filter(figure__gt=0)
            .order_by("-figure", "id")  # the index item_top_citations
            .values_list("id", "figure")
        )
    column = ranking.column
    return (
        ItemStatTotals.objects.filter(**{f"{column}__gt": 0}, item__withdrawn_at=None)
        .order_by(f"-{column}", "item_id")  # the index itemstat_top_<column>
        .values_list("item_id", column)
    )


def top_authors(ranking: Ranking) -> QuerySet:
    """PersonStatTotals rows with their person, in rank order, `figure` annotated."""
    column = ranking.column
    return (
        PersonStatTotals.objects.filter(**{f"{column}__gt": 0})
        .select_related("person")
        .annotate(figure=F(column))
        .order_by(f"-{column}", "person_id")  # the index personstat_top_<column>
    )


def top_institutions(ranking: Ranking) -> QuerySet:
    """InstitutionStatTotals rows with their institution, in rank order, `figure` annotated: the
    registered authors' figures weighted by their shares (rollups.institution_totals)."""
    column = ranking.column
    return (
        InstitutionStatTotals.objects.filter(**{f"{column}__gt": 0})
        .select_related("institution")
        .annotate(figure=F(column))
        .order_by(f"-{column}", "institution_id")  # the index inststat_top_<column>
    )


@dataclass(frozen=True)
class Position:
    rank: int
    citations: float
    url: str  # the ranking's page that lists it


def institution_position(totals: InstitutionStatTotals | None) -> Position | None:
    """Where an institution stands in the ranking by citations (one count on the ranking's
    index), or None when it has no citations or stands beyond the ranks shown."""
    if totals is None or totals.citations <= 0:
        return None
    ahead = InstitutionStatTotals.objects.filter(
        Q(citations__gt=totals.citations) | Q(citations=totals.citations, institution_id__lt=totals.institution_id)
    ).count()
    rank = ahead + 1
    if rank > LIMIT:
        return None
    page = (rank - 1) // PAGE_SIZE + 1
    url = reverse("top_institutions") + "?by=citations&period=all" + (f"&page={page}" if page > 1 else "")
    return Position(rank, totals.citations, url)
