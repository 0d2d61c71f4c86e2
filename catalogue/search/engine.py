"""Running a search: what is matched, ranked, counted and shown.

The design (DECISIONS.md, 2026-11-24), for a million items where a common word matches a
third of them:
- **Ranked**: not every match. Relevance is computed for at most 2 x CANDIDATES items: the
  most-cited matches in title, authors and keywords, and, when those are fewer than
  CANDIDATES, the most-cited matches anywhere. When a query has fewer matches than that,
  every match is ranked.
- **Counted**: first in a fixed 5% sample of the catalogue (`SearchEntry.sample`, a hash of
  the item id, with its own partial index); when that predicts at most EXACT_UP_TO matches,
  the count and the facets are exact (one pass over the matches), otherwise they are the
  sample's, scaled, and shown as "about".
- **Shown**: MAX_RESULTS results at most, PAGE_SIZE to a page; a reader refines beyond that.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, TextChoices

from ..jel import jel_name
from ..models import Kind
from ..models.search import SAMPLE_BELOW, SAMPLE_BUCKETS, SearchEntry
from .backends import text_backend
from .query import Query

PAGE_SIZE = 20
MAX_RESULTS = 1000
CANDIDATES = 500
EXACT_UP_TO = 5_000
JEL_LETTERS = "ABCDEFGHIJKLMNOPQRYZ"
FIRST_DECADE = 1900  # earlier years share one bucket


class Sort(TextChoices):
    RELEVANCE = "relevance", "Relevance"
    NEWEST = "newest", "Newest first"
    CITED = "cited", "Most cited"
    DOWNLOADS = "downloads", "Most downloaded"


SORT_ORDER = {
    Sort.NEWEST: ("-year", "-item_id"),
    Sort.CITED: ("-citations", "-item_id"),
    Sort.DOWNLOADS: ("-downloads", "-item_id"),
}


@dataclass
class FacetValue:
    label: str
    count: int
    params: dict[str, str]  # the query-string parameters that select this value


@dataclass
class Results:
    ids: list[int]
    total: int
    exact: bool
    page: int
    pages: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    capped: bool = False  # more matches than can be shown

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE


def decades(today: datetime.date | None = None) -> list[int]:
    last = (today or datetime.date.today()).year // 10 * 10
    return list(range(FIRST_DECADE, last + 1, 10))


def run(entries: QuerySet, query: Query, sort: str, page: int) -> Results:
    """Search `entries` (already filtered) for `query`; `page` counts from 1."""
    backend = text_backend()
    matched = (backend.matching(entries, query) if query else entries).order_by()
    # The 5% sample first: it is cheap whatever the number of matches, and it tells whether
    # an exact count (every match read once) stays cheap too.
    tallies = matched.filter(sample__lt=SAMPLE_BELOW).aggregate(**_facet_aggregates())
    scale = SAMPLE_BUCKETS // SAMPLE_BELOW
    exact = tallies["n"] * scale <= EXACT_UP_TO
    if exact:
        tallies, scale = matched.aggregate(**_facet_aggregates()), 1
    total = tallies.pop("n") * scale
    facets = _facets(tallies, scale)

    if sort == Sort.RELEVANCE and not query:
        sort = Sort.NEWEST
    reachable = min(total, MAX_RESULTS)
    if sort == Sort.RELEVANCE:
        candidates = _candidates(backend, entries, matched, query)
        reachable = min(reachable, len(candidates))
    pages = max(1, math.ceil(reachable / PAGE_SIZE))
    results = Results([], total, exact, page, pages, facets, capped=total > MAX_RESULTS)
    if page > pages:
        return results
    window = slice(results.offset, results.offset + PAGE_SIZE)
    if sort == Sort.RELEVANCE:
        ranked = SearchEntry.objects.filter(item_id__in=candidates).annotate(rank=backend.relevance(query))
        rows = ranked.order_by("-rank", "-citations", "-item_id")
    else:
        rows = matched.order_by(*SORT_ORDER[Sort(sort)])
    results.ids = list(rows.values_list("item_id", flat=True)[window])
    return results


def _candidates(backend, entries: QuerySet, matched: QuerySet, query: Query) -> list[int]:
    """The items relevance is computed for: the most cited matches in title, authors and
    keywords; only when there are fewer than CANDIDATES of those, the most cited matches
    anywhere as well (a match in the abstract alone ranks below one in the title)."""
    order = backend.candidate_order
    head = backend.matching(entries, query, head_only=True).order_by(*order)
    ids = list(head.values_list("item_id", flat=True)[:CANDIDATES])
    if len(ids) < CANDIDATES:
        seen = set(ids)
        anywhere = matched.order_by(*order).values_list("item_id", flat=True)[:CANDIDATES]
        ids += [pk for pk in anywhere if pk not in seen]
    return ids


def _facet_aggregates() -> dict:
    """One pass over the matches: the total and a count per type, decade and top-level JEL code."""
    aggregates = {"n": Count("pk")}
    for kind in Kind:
        aggregates[f"type:{kind.letter}"] = Count("pk", filter=Q(kind=kind.value))
    aggregates["decade:early"] = Count("pk", filter=Q(year__gt=0, year__lt=FIRST_DECADE))
    for decade in decades():
        aggregates[f"decade:{decade}"] = Count("pk", filter=Q(year__gte=decade, year__lt=decade + 10))
    for letter in JEL_LETTERS:
        aggregates[f"jel:{letter}"] = Count("pk", filter=Q(jel_tops__contains=letter))
    return aggregates


def _facets(tallies: dict, scale: int) -> dict[str, list[FacetValue]]:
    facets: dict[str, list[FacetValue]] = {"type": [], "decade": [], "jel": []}
    for key, n in tallies.items():
        if not n or key == "n":
            continue
        name, value = key.split(":")
        count = n * scale
        if name == "type":
            facets["type"].append(FacetValue(Kind.from_letter(value).label, count, {"type": value}))
        elif name == "decade" and value == "early":
            facets["decade"].append(FacetValue(f"before {FIRST_DECADE}", count, {"year_to": str(FIRST_DECADE - 1)}))
        elif name == "decade":
            start = int(value)
            params = {"year_from": value, "year_to": str(start + 9)}
            facets["decade"].append(FacetValue(f"{start}s", count, params))
        else:
            title = jel_name(value)
            facets["jel"].append(FacetValue(f"{value}: {title}" if title else value, count, {"jel": value}))
    facets["decade"].reverse()  # newest first
    return facets
