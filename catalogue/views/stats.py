"""Statistics pages: an item's, a series' and a registered author's monthly abstract views and
downloads (a chart, the same figures in a table, totals), and the rankings. The figures are
gathered by catalogue.stats (pages, rankings); these views only find the subject."""

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.urls import reverse
from django.views.generic import TemplateView

from ..browse.paging import page_links
from ..browse.queries import items_in_order
from ..formatting.citation import listed
from ..models import Person, Series
from ..pages import breadcrumbs
from ..stats import months, pages, rankings
from . import redirect_if_noncanonical
from .access import get_object_or_404_named, item_at_path_or_404


class StatsPageView(TemplateView):
    """A subject's statistics page: `get_subject()` finds it (404 if none), `get_stats()` reads its figures."""

    def get_subject(self):
        raise NotImplementedError

    def get_stats(self, today) -> pages.StatsPage:
        raise NotImplementedError

    def get_canonical_path(self) -> str:
        raise NotImplementedError

    def get_breadcrumbs(self) -> list[breadcrumbs.Crumb]:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.subject = self.get_subject()
        return redirect_if_noncanonical(request, self.get_canonical_path()) or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.subject,
            stats=self.get_stats(months.today()),
            canonical_url=self.request.build_absolute_uri(self.get_canonical_path()),
            breadcrumbs=self.get_breadcrumbs(),
            **kwargs,
        )


class ItemStatsView(StatsPageView):
    """2 queries: the item with its series and archive, its MonthlyStat rows."""

    template_name = "stats/item.html"

    def get_subject(self):
        return item_at_path_or_404(self.request, self.kwargs, "/stats")

    def get_canonical_path(self) -> str:
        return self.subject.get_stats_url()

    def get_stats(self, today):
        return pages.item_stats(self.subject, today)

    def get_breadcrumbs(self):
        return breadcrumbs.for_item(self.subject, "Statistics")

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.subject, **kwargs)


class SeriesStatsView(StatsPageView):
    """2 queries: the series with its archive, its rollup rows."""

    template_name = "stats/series.html"

    def get_subject(self):
        series = Series.objects.select_related("archive").by_codes(self.kwargs["archive"], self.kwargs["series"])
        return get_object_or_404_named(series, "series")

    def get_canonical_path(self) -> str:
        return reverse("series_stats", kwargs={"archive": self.subject.archive.code, "series": self.subject.code})

    def get_stats(self, today):
        return pages.series_stats(self.subject, today)

    def get_breadcrumbs(self):
        return breadcrumbs.for_series(self.subject, "Statistics")


class PersonStatsView(StatsPageView):
    """2 queries: the person, their rollup rows."""

    template_name = "stats/person.html"

    def get_subject(self):
        return get_object_or_404_named(Person.objects.filter(short_id=self.kwargs["short_id"].lower()), "author")

    def get_canonical_path(self) -> str:
        return reverse("person_stats", kwargs={"short_id": self.subject.short_id})

    def get_stats(self, today):
        return pages.person_stats(self.subject, today)

    def get_breadcrumbs(self):
        return breadcrumbs.for_person(self.subject, "Statistics")


class RankingView(TemplateView):
    """A ranking page: the parameters checked (a 400 saying what is wrong), a page of 50 ranks."""

    url_name = ""
    here = ""  # the ranking's name in the breadcrumbs

    def get_rows(self, ranking: rankings.Ranking, page) -> list:
        raise NotImplementedError

    def get_queryset(self, ranking: rankings.Ranking):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        ranking = rankings.parse(self.request.GET)
        queryset = self.get_queryset(ranking)
        paginator = Paginator(queryset, rankings.PAGE_SIZE)
        paginator.count = queryset[: rankings.LIMIT].count()  # at most LIMIT ranks (one query)
        if ranking.page > paginator.num_pages:
            raise BadRequest(f"There is no page {ranking.page}: this ranking has {paginator.num_pages} page(s).")
        page = paginator.page(ranking.page)
        path = reverse(self.url_name)
        choices = {
            "by": [(key, label, self.link(path, key, ranking.period)) for key, label in rankings.BY.items()],
            "period": [(key, label, self.link(path, ranking.by, key)) for key, label in rankings.PERIODS.items()],
        }
        return super().get_context_data(
            ranking=ranking,
            rows=self.get_rows(ranking, page),
            pager=self.pager(page, lambda number: self.link(path, ranking.by, ranking.period, number)),
            first_rank=page.start_index(),
            choices=choices,
            canonical_url=self.request.build_absolute_uri(self.link(path, ranking.by, ranking.period, ranking.page)),
            breadcrumbs=breadcrumbs.trail(here=self.here),
            **kwargs,
        )

    @staticmethod
    def pager(page, link):
        """`Ranks 51 to 100 of 1,000, page 2 of 20` and the links around it; none for a single page."""
        paginator = page.paginator
        if paginator.num_pages <= 1:
            return None
        summary = f"Ranks {page.start_index():,} to {page.end_index():,} of {paginator.count:,}"
        return page_links(
            page.number, paginator.num_pages, link, f"{summary}, page {page.number} of {paginator.num_pages}"
        )

    @staticmethod
    def link(path: str, by: str, period: str, page: int = 1) -> str:
        return f"{path}?by={by}&period={period}" + (f"&page={page}" if page > 1 else "")


class TopItemsView(RankingView):
    """4 queries: the count, a page of (id, figure), the items and their authorships."""

    template_name = "stats/top_items.html"
    url_name = "top_items"
    here = "Top items"

    def get_queryset(self, ranking):
        return rankings.top_items(ranking)

    def get_rows(self, ranking, page):
        figures = list(page.object_list)
        entries = {entry.item.pk: entry for entry in listed(items_in_order([pk for pk, _ in figures]))}
        return [(entries[pk], figure) for pk, figure in figures if pk in entries]


class TopAuthorsView(RankingView):
    """2 queries: the count, a page of totals with their persons."""

    template_name = "stats/top_authors.html"
    url_name = "top_authors"
    here = "Top authors"

    def get_queryset(self, ranking):
        return rankings.top_authors(ranking)

    def get_rows(self, ranking, page):
        return [(totals.person, totals.figure) for totals in page.object_list]


class TopInstitutionsView(RankingView):
    """2 queries: the count, a page of totals with their institutions. The figures are the
    registered authors' own, weighted by their shares of affiliation (RePEc's rule)."""

    template_name = "stats/top_institutions.html"
    url_name = "top_institutions"
    here = "Top institutions"

    def get_queryset(self, ranking):
        return rankings.top_institutions(ranking)

    def get_rows(self, ranking, page):
        return [(totals.institution, totals.figure, totals.authors) for totals in page.object_list]
