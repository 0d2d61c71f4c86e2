"""Browse pages: home, archive, series, registered author, JEL code, keyword, NEP.

Each is a thin ListView: it resolves its subject (404 naming what is missing), then lists
items with `for_listing()`, paginated.
"""

import datetime

from django.conf import settings
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from ..models import Archive, Item, JelCode, Keyword, Kind, NepIssue, NepReport, Person, Series
from . import CitationLinesMixin, redirect_if_noncanonical


class ItemListView(CitationLinesMixin, ListView):
    """A paginated list of items shown as citation lines; subclasses set `subject`."""

    template_name = "browse/item_list.html"
    paginate_by = settings.PAGE_SIZE
    context_object_name = "items"

    def get_subject(self):
        raise NotImplementedError

    def get_items(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.subject = self.get_subject()
        return redirect_if_noncanonical(request, self.subject.get_absolute_url()) or super().get(
            request, *args, **kwargs
        )

    def get_queryset(self):
        return self.get_items().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)


class HomeView(CitationLinesMixin, ListView):
    template_name = "browse/home.html"
    context_object_name = "items"

    def get_queryset(self):
        return Item.objects.for_listing().order_by("-created_at", "-pk")[:20]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict(Item.objects.order_by().values_list("kind").annotate(n=Count("pk")))
        context["counts"] = [(Kind(kind).label, counts.get(kind, 0)) for kind in Kind.values]
        context["archives"] = Archive.objects.all()[:100]
        context["nep_issues"] = NepIssue.objects.select_related("report").order_by("-date")[:10]
        return context


class ArchiveView(ListView):
    template_name = "browse/archive.html"
    context_object_name = "series_list"

    def get_queryset(self):
        self.archive = get_object_or_404_named(Archive.objects.by_code(self.kwargs["archive"]), "archive")
        return self.archive.series.annotate(item_count=Count("items")).order_by("code")

    def get_context_data(self, **kwargs):
        return super().get_context_data(archive=self.archive, **kwargs)


class SeriesView(ItemListView):
    template_name = "browse/series.html"

    def get_subject(self):
        series = Series.objects.select_related("archive").by_codes(self.kwargs["archive"], self.kwargs["series"])
        return get_object_or_404_named(series, "series")

    def get_items(self):
        return self.subject.items.order_by("-year", "-number", "-pk")


class PersonView(ItemListView):
    template_name = "browse/person.html"

    def get_subject(self):
        return get_object_or_404(Person.objects.prefetch_related("affiliations"), short_id=self.kwargs["short_id"])

    def get_items(self):
        return Item.objects.filter(authorships__person=self.subject).distinct().order_by("-year", "pk")


class JelView(ItemListView):
    template_name = "browse/jel.html"

    def get_subject(self):
        return get_object_or_404_named(JelCode.objects.filter(code=self.kwargs["code"].upper()), "JEL code")

    def get_items(self):
        return Item.objects.filter(jel_codes=self.subject).order_by("-year", "pk")


class KeywordView(ItemListView):
    template_name = "browse/keyword.html"

    def get_subject(self):
        return get_object_or_404_named(Keyword.objects.filter(key=Keyword.make_key(self.kwargs["keyword"])), "keyword")

    def get_items(self):
        return Item.objects.filter(item_keywords__keyword=self.subject).order_by("-year", "pk")


class NepReportView(ListView):
    template_name = "browse/nep_report.html"
    context_object_name = "issues"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        self.report = get_object_or_404_named(NepReport.objects.filter(code=self.kwargs["code"].lower()), "NEP report")
        return self.report.issues.annotate(item_count=Count("announcements")).order_by("-date")

    def get_context_data(self, **kwargs):
        return super().get_context_data(report=self.report, **kwargs)


class NepIssueView(ItemListView):
    template_name = "browse/nep_issue.html"
    paginate_by = None

    def get_subject(self):
        try:
            date = datetime.date.fromisoformat(self.kwargs["date"])
        except ValueError:
            raise Http404("That is not a date: NEP issues are at /n/<report>/yyyy-mm-dd.html.") from None
        issues = NepIssue.objects.select_related("report").filter(report__code=self.kwargs["code"].lower(), date=date)
        return get_object_or_404_named(issues, "NEP issue")

    def get_items(self):
        # in the editor's order
        return Item.objects.filter(nep_announcements__issue=self.subject).order_by("nep_announcements__position")


def get_object_or_404_named(queryset, what: str):
    obj = queryset.first()
    if obj is None:
        raise Http404(f"No {what} is at this address.")
    return obj
