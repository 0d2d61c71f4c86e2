"""Browse pages: home, archives, an archive, a series, a keyword.

Each list page is a thin BrowseListView (views/lists.py): a subject, a list in page order,
its kept total. The JEL, NEP and author pages live in jel.py, nep.py and authors.py.
"""

from django.views.generic import TemplateView

from ..browse.queries import keyword_item_ids, kind_counts, series_item_ids
from ..formatting.citation import listed
from ..models import Archive, Item, Keyword, NepIssue, Series
from ..models.harvest import last_harvest
from ..pages import breadcrumbs
from .access import get_object_or_404_named
from .feeds import series_links
from .lists import BrowseListView, ItemListView


class HomeView(TemplateView):
    """What the catalogue holds, the newest items, the latest NEP issues, the ways in."""

    template_name = "browse/home.html"

    def get_context_data(self, **kwargs):
        newest = Item.objects.for_listing().order_by("-pk")[:20]
        return super().get_context_data(
            counts=kind_counts(),
            entries=listed(newest),
            nep_issues=NepIssue.objects.select_related("report").order_by("-date", "-pk")[:10],
            canonical_url=self.request.build_absolute_uri("/"),
            **kwargs,
        )


class ArchiveListView(BrowseListView):
    """Every archive (publisher) with how many series and items it has, by code."""

    template_name = "browse/archives.html"
    context_object_name = "archives"
    noun = ("archive", "archives")

    def get_canonical_path(self) -> str:
        return "/s/"

    def get_title(self) -> str:
        return "Archives"

    def get_queryset(self):
        return Archive.objects.order_by("code")


class ArchiveView(BrowseListView):
    """An archive: its name, homepage, maintainer, and its series with their item counts."""

    template_name = "browse/archive.html"
    context_object_name = "series_list"
    noun = ("series", "series")

    def get_subject(self):
        archives = Archive.objects.by_code(self.kwargs["archive"]).annotate(harvested_at=last_harvest())
        return get_object_or_404_named(archives, "archive")

    def get_breadcrumbs(self):
        return breadcrumbs.trail(breadcrumbs.ARCHIVES)

    def get_title(self) -> str:
        return self.subject.name

    def get_total(self) -> int:
        return self.subject.series_count

    def get_queryset(self):
        return self.subject.series.order_by("code")


class SeriesView(ItemListView):
    """A series: what it is, who provides and maintains it, its items by year and number."""

    template_name = "browse/series.html"

    def get_subject(self):
        series = Series.objects.select_related("archive").by_codes(self.kwargs["archive"], self.kwargs["series"])
        return get_object_or_404_named(series, "series")

    def get_breadcrumbs(self):
        return breadcrumbs.for_archive(self.subject.archive)

    def get_title(self) -> str:
        return self.subject.name

    def get_total(self) -> int:
        return self.subject.item_count

    def get_queryset(self):
        return series_item_ids(self.subject)

    def get_context_data(self, **kwargs):
        return super().get_context_data(feeds=series_links(self.subject), **kwargs)


class KeywordView(ItemListView):
    """The items with a keyword, most recently catalogued first."""

    template_name = "browse/keyword.html"

    def get_subject(self):
        keywords = Keyword.objects.filter(key=Keyword.make_key(self.kwargs["keyword"]))
        return get_object_or_404_named(keywords, "keyword")

    def get_title(self) -> str:
        return f"Keyword: {self.subject.name}"

    def get_total(self) -> int:
        return self.subject.item_count

    def get_queryset(self):
        return keyword_item_ids(self.subject)
