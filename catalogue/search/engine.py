"""Running a search: what is matched, ranked, counted and shown.

The design (DECISIONS.md, 2026-11-24), for a million items where a common word matches a
third of them:
- **Ranked**: not every match. Relevance is computed for at most 2 x CANDIDATES items: the
  most-cited matches in title, authors and keywords, and, when those are fewer than
  CANDIDATES, the most-cited matches anywhere. When a query has fewer matches than that,
  every match is ranked.
- **Counted**: first in a fixed 1% sample of the catalogue (`SearchEntry.sample`, a hash of
  the item id, with its own partial index); when that predicts at most EXACT_UP_TO matches,
  the count and the facets are exact (one pass over the matches); from SMALL_SAMPLE_FROM,
  they are the 1% sample's, scaled; in between, the 5% sample's. Estimates show as "about".
- **Shown**: MAX_RESULTS results at most, PAGE_SIZE to a page; a reader refines beyond that.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import CharField, Expression, F, OrderBy, QuerySet, TextChoices
from django.utils import timezone

from ..jel import jel_name
from ..models import Kind
from ..models.search import SAMPLE_BELOW, SAMPLE_BUCKETS, SMALL_SAMPLE_BELOW, SearchEntry
from .backends import text_backend
from .query import Query

PAGE_SIZE = 20
MAX_RESULTS = 1000
CANDIDATES = 500
EXACT_UP_TO = 5_000  # predicted matches up to which the count and facets are exact
SMALL_SAMPLE_FROM = 100_000  # predicted matches from which the 1% sample is estimate enough
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
    sample_percent: int = 100  # the share of the catalogue counted (100: every match, exact)

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE


def decades(today: datetime.date | None = None) -> list[int]:
    last = (today or timezone.localdate()).year // 10 * 10
    return list(range(FIRST_DECADE, last + 1, 10))


def run(entries: QuerySet, query: Query, sort: str, page: int) -> Results:
    """Search `entries` (already filtered) for `query`; `page` counts from 1."""
    backend = text_backend()
    matched = (backend.matching(entries, query) if query else entries).order_by()
    tallies, scale, share = _tally(matched)
    exact = share is None
    total = tallies.pop("n") * scale
    facets = _facets(tallies, scale)

    if sort == Sort.RELEVANCE and not query:
        sort = Sort.NEWEST
    reachable = min(total, MAX_RESULTS)
    if sort == Sort.RELEVANCE:
        candidates = _candidates(backend, entries, matched, query)
        reachable = min(reachable, len(candidates))
    pages = max(1, math.ceil(reachable / PAGE_SIZE))
    results = Results([], total, exact, page, pages, facets, total > MAX_RESULTS, share or 100)
    if page > pages:
        return results
    window = slice(results.offset, results.offset + PAGE_SIZE)
    if sort == Sort.RELEVANCE:
        ranked = backend.among(SearchEntry.objects.all(), candidates).annotate(
            tier=backend.tier(query), rank=backend.relevance(query)
        )
        rows = ranked.order_by("-tier", "-rank", "-citations", "-item_id")
    else:
        first, *rest = SORT_ORDER[Sort(sort)]
        order: str | OrderBy = first
        if exact and total <= EXACT_UP_TO:
            # Few matches: read them through the text index and sort them. Walking the sort's
            # own index, which the planner picks when it overestimates a phrase's matches,
            # reads the whole table for a rare phrase (0.9 s at 1M items).
            unindexed = F(first.lstrip("-")) + 0
            order = unindexed.desc() if first.startswith("-") else unindexed.asc()
        rows = matched.order_by(order, *rest)
    results.ids = list(rows.values_list("item_id", flat=True)[window])
    return results


def _tally(matched: QuerySet) -> tuple[dict, int, int | None]:
    """The count and facet tallies of the matches, the factor that scales them up, and the
    percentage of the catalogue the sample they come from is (None: every match, exact).

    The 1% sample first: cheap whatever the number of matches (a word in half the catalogue
    is 5,000 rows of it). Predicting SMALL_SAMPLE_FROM matches or more, it is the estimate;
    predicting at most EXACT_UP_TO, every match is counted (one pass, still cheap);
    in between, the 5% sample is, for facet counts closer to the truth.
    """
    small = _aggregate(matched.filter(sample__lt=SMALL_SAMPLE_BELOW))
    scale = SAMPLE_BUCKETS // SMALL_SAMPLE_BELOW
    predicted = small["n"] * scale
    if predicted >= SMALL_SAMPLE_FROM:
        return small, scale, 100 * SMALL_SAMPLE_BELOW // SAMPLE_BUCKETS
    if predicted <= EXACT_UP_TO:
        return _aggregate(matched), 1, None
    large = _aggregate(matched.filter(sample__lt=SAMPLE_BELOW))
    return large, SAMPLE_BUCKETS // SAMPLE_BELOW, 100 * SAMPLE_BELOW // SAMPLE_BUCKETS


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


class _Tallies(Expression):
    """COUNT(*) FILTER (WHERE ...) for every facet value, as one expression of text
    ("12,3,0,..."): the ORM compiles one expression instead of forty Q objects, which took
    12 ms a search (most of its Python time). The conditions hold constants only."""

    contains_aggregate = True
    output_field = CharField()

    def __init__(self, conditions: dict[str, tuple[str, str, Any]]):
        super().__init__()
        self.conditions = conditions

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(SearchEntry._meta.db_table)
        position = "strpos" if connection.vendor == "postgresql" else "instr"
        counts = []
        for column, operator, value in self.conditions.values():
            field = f"{table}.{connection.ops.quote_name(column)}" if column else ""
            if operator == "contains":  # a letter of jel_tops
                counts.append(f"COUNT(*) FILTER (WHERE {position}({field}, '{value}') > 0)")
            elif operator == "between":
                counts.append(f"COUNT(*) FILTER (WHERE {field} >= {int(value[0])} AND {field} < {int(value[1])})")
            elif operator == "=":
                counts.append(f"COUNT(*) FILTER (WHERE {field} = '{value}')")
            else:
                counts.append("COUNT(*)")
        return " || ',' || ".join(counts), []

    def get_group_by_cols(self):
        return []

    def read(self, text: str) -> dict[str, int]:
        return dict(zip(self.conditions, map(int, text.split(",")), strict=True))


def _facet_tallies() -> _Tallies:
    """One pass over the matches: the total and a count per type, decade and top-level JEL code."""
    conditions: dict[str, tuple[str, str, object]] = {"n": ("", "all", None)}
    for kind in Kind:
        conditions[f"type:{kind.letter}"] = ("kind", "=", kind.value)
    conditions["decade:early"] = ("year", "between", (1, FIRST_DECADE))
    for decade in decades():
        conditions[f"decade:{decade}"] = ("year", "between", (decade, decade + 10))
    for letter in JEL_LETTERS:
        conditions[f"jel:{letter}"] = ("jel_tops", "contains", letter)
    return _Tallies(conditions)


def _aggregate(matched: QuerySet) -> dict[str, int]:
    tallies = _facet_tallies()
    return tallies.read(matched.aggregate(tallies=tallies)["tallies"])


def _facets(tallies: dict, scale: int) -> dict[str, list[FacetValue]]:
    facets: dict[str, list[FacetValue]] = {"type": [], "decade": [], "jel": []}
    for key, n in tallies.items():
        if not n or key == "n":
            continue
        name, value = key.split(":")
        count = n * scale
        if name == "type":
            kind = Kind.from_letter(value)  # a letter the index wrote: never None
            facets["type"].append(FacetValue(kind.label, count, {"type": value}))  # type: ignore[union-attr, arg-type]
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
