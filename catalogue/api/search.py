"""Search: the search page's filters and sorts (search/filters.SearchFilter, search/engine.run)."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest, QueryDict
from ninja import Query, Router
from pydantic import Field

from ..browse.queries import items_in_order
from ..models import SearchEntry
from ..search.engine import Sort, run
from ..search.filters import SearchFilter
from ..search.query import parse
from . import cursors, records
from .schemas import FacetOut, SearchFacets, SearchOut, answers

router = Router(tags=["search"])

Year = Annotated[int | None, Field(ge=1000, le=2100)]


@router.get("/search", response=answers(SearchOut), url_name="api_search", operation_id="search")
def search(
    request: HttpRequest,
    q: str = "",
    sort: Sort | None = None,
    type: Literal["p", "a", "h", "b", "c"] | None = None,
    year_from: Year = None,
    year_to: Year = None,
    archive: str | None = None,
    series: str | None = None,
    jel: str | None = None,
    keyword: list[str] = Query([]),  # noqa: B008 (ninja's way to declare a repeated parameter)
    nep: str | None = None,
    author: str | None = None,
    free: bool = False,
    cursor: cursors.Cursor = None,
):
    """Search as `/search/` does: `q` in the search page's syntax (words, "phrases", OR, -not),
    the same filters (type letter p/a/h/b/c, years, archive `ipt`, series `ipt:iptwpa`, JEL
    code or prefix, keywords (repeat for all of them), NEP report `nep-ino`, registered author
    by short-id, free download) and sorts (relevance, newest, cited, downloads). Counts and
    facets are exact up to 5,000 matches, else estimated from a sample (`exact`: false); at
    most 1,000 results can be paged through (`capped`), 20 a page."""
    data = QueryDict(mutable=True)
    given = {"q": q, "sort": sort, "type": type, "year_from": year_from, "year_to": year_to}
    given |= {"archive": archive, "series": series, "jel": jel, "nep": nep, "author": author}
    for name, value in given.items():
        if value not in (None, ""):
            data[name] = str(value)
    if free:
        data["free"] = "true"
    data.setlist("keyword", keyword)
    filterset = SearchFilter(data, queryset=SearchEntry.objects.all())
    if not filterset.is_valid():
        raise cursors.Invalid({name: list(messages) for name, messages in filterset.form.errors.items()})
    cleaned = filterset.form.cleaned_data
    query = parse(cleaned.get("q") or "")
    chosen = cleaned.get("sort") or (Sort.RELEVANCE if query else Sort.NEWEST)
    page = cursors.read(cursor, "search")
    if page is not None and (not isinstance(page, int) or page < 1):
        raise cursors.Invalid({"cursor": ["Not a cursor of this search."]})
    results = run(filterset.qs, query, chosen, page or 1)
    following = cursors.make("search", results.page + 1) if results.page < results.pages else None
    return SearchOut(
        total=results.total,
        exact=results.exact,
        capped=results.capped,
        sort=str(chosen if query or chosen != Sort.RELEVANCE else Sort.NEWEST),
        items=records.item_summaries(request, items_in_order(results.ids)),
        facets=SearchFacets(
            **{
                name: [FacetOut(label=f.label, count=f.count, params=f.params) for f in values]
                for name, values in results.facets.items()
            }
        ),
        next_cursor=following,
        next=cursors.next_address(request, following),
    )
