"""Search at /search/: the query and filters in the query string, results, facets and pages."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect, JsonResponse, QueryDict
from django.views.generic import TemplateView

from ..browse.paging import page_links
from ..formatting.citation import listed
from ..models import Item, SearchEntry
from ..pages import breadcrumbs
from ..search import choices as search_choices
from ..search.engine import PAGE_SIZE, Sort, run
from ..search.filters import SearchFilter
from ..search.identifiers import address_for
from ..search.query import parse

FILTERS = [name for name in SearchFilter.base_filters if name not in ("q", "sort")]
FACET_TITLES = {"type": "Type", "decade": "Decade", "jel": "JEL classification"}


def page_number(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 10_000))
    except ValueError:
        return 1


def with_params(get: QueryDict, drop: tuple[str, ...] = (), value: str | None = None, **params) -> str:
    """The query string with `params` set and `drop` removed (only `value` of it, if given); no page."""
    query = get.copy()
    query.pop("page", None)
    for name in drop:
        kept = [v for v in query.getlist(name) if value is not None and v != value]
        query.setlist(name, kept)
    for name, param in params.items():
        query[name] = param
    return "?" + query.urlencode()


def with_page(get: QueryDict, number: int) -> str:
    """The query string of page `number` of these results (page 1: no `page`)."""
    return with_params(get, page=str(number)) if number > 1 else with_params(get)


def pages_summary(results) -> str:
    return f"Page {results.page:,} of {results.pages:,}"


def active_filters(get: QueryDict, data: dict) -> list[tuple[str, str, str]]:
    """(label, value, address without it) for each filter in use."""
    shown = []
    for name in FILTERS:
        value = data.get(name)
        if value is None or value in ("", [], False):
            continue
        label = SearchFilter.base_filters[name].label
        if name == "keyword":
            shown += [(label, k, with_params(get, drop=("keyword",), value=k)) for k in value]
            continue
        if name == "type":
            text = dict(SearchFilter.base_filters["type"].extra["choices"])[value]
        elif name == "free":
            text = "yes"
        elif name == "author":
            text = value.name_full
        else:
            text = str(value)
        shown.append((label, text, with_params(get, drop=(name,))))
    return shown


def suggestions(get: QueryDict, query, filtered: bool) -> list[tuple[str, str]]:
    """Ways to widen a search that found nothing: (text, address)."""
    found = []
    if query and filtered:
        found.append(("Search everything, without the filters", "?" + urlencode({"q": query.text})))
    if query and len(query.groups) > 1:
        found.append(("Any of these words", with_params(get, q=" OR ".join(dict.fromkeys(query.words())))))
    return found


class SearchView(TemplateView):
    template_name = "search/search.html"

    def get(self, request, *args, **kwargs):
        """A handle, DOI, item number or short-id alone in the box goes to its page."""
        get = request.GET
        if set(get) <= {"q", "sort"} and len(get.get("q", "")) <= 300:
            address = address_for(get.get("q", ""))
            if address:
                return HttpResponseRedirect(address)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        filterset = SearchFilter(get or None, queryset=SearchEntry.objects.all())
        context.update(form=filterset.form, sorts=Sort.choices, breadcrumbs=breadcrumbs.trail(here="Search"))
        if not filterset.is_bound:
            return context
        if not filterset.is_valid():
            context["invalid"] = True
            return context
        data = filterset.form.cleaned_data
        query = parse(data.get("q") or "")
        context.update(query=query, filters=active_filters(get, data))
        if not query and not context["filters"]:
            context["nothing"] = True
            return context
        sort = data.get("sort") or (Sort.RELEVANCE if query else Sort.NEWEST)
        results = run(filterset.qs, query, sort, page_number(get.get("page")))
        items = Item.objects.for_listing().in_bulk(results.ids)
        for values in results.facets.values():
            for facet in values:
                facet.url = with_params(get, **facet.params)
        context.update(
            results=results,
            alert_search=with_params(get)[1:],  # a saved search (/me/alerts/): this one, whatever the page
            sort=sort,
            entries=listed([items[pk] for pk in results.ids if pk in items]),
            facets=[(FACET_TITLES[name], values) for name, values in results.facets.items() if values],
            first=results.offset + 1,
            last=results.offset + len(results.ids),
            pager=page_links(results.page, results.pages, lambda n: with_page(get, n), pages_summary(results)),
            last_page_url=with_page(get, results.pages),
            page_size=PAGE_SIZE,
            suggestions=suggestions(get, query, bool(context["filters"])) if not results.total else [],
        )
        return context


def choices(request, field: str):
    """`/search/choices/<field>.json?q=...`: the codes what was typed may mean, by name too."""
    if field not in search_choices.FIELDS:
        raise Http404(f"There is no chooser for {field!r}.")
    found = search_choices.choices(field, request.GET.get("q", ""))
    response = JsonResponse({"choices": [{"value": value, "label": label} for value, label in found]})
    response["Cache-Control"] = "public, max-age=300"
    return response
