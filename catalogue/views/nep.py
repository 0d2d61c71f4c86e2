"""NEP (New Economics Papers): the reports, a report's issues, an issue's items in the editor's order."""

import datetime

from django.db.models import Count
from django.http import Http404

from ..browse.queries import nep_issue_item_ids
from ..models import NepIssue, NepReport
from ..pages import breadcrumbs
from .access import get_object_or_404_named
from .lists import BrowseListView, ItemListView


class NepReportListView(BrowseListView):
    """Every NEP report with how many issues it has."""

    template_name = "browse/nep_reports.html"
    context_object_name = "reports"
    noun = ("report", "reports")

    def get_canonical_path(self) -> str:
        return "/n/"

    def get_title(self) -> str:
        return "NEP reports"

    def get_queryset(self):
        return NepReport.objects.annotate(issue_count=Count("issues")).order_by("code")


class NepReportView(BrowseListView):
    """A report's issues, newest first, with how many items each announced."""

    template_name = "browse/nep_report.html"
    context_object_name = "issues"
    noun = ("issue", "issues")

    def get_subject(self):
        return get_object_or_404_named(NepReport.objects.filter(code=self.kwargs["code"].lower()), "NEP report")

    def get_breadcrumbs(self):
        return breadcrumbs.trail(breadcrumbs.NEP)

    def get_title(self) -> str:
        return f"{self.subject.code.upper()}: {self.subject.name}"

    def get_queryset(self):
        return self.subject.issues.annotate(item_count=Count("announcements")).order_by("-date")


class NepIssueView(ItemListView):
    """The items an issue announced, in the editor's order."""

    template_name = "browse/nep_issue.html"

    def get_subject(self):
        try:
            date = datetime.date.fromisoformat(self.kwargs["date"])
        except ValueError:
            raise Http404("That is not a date: NEP issues are at /n/<report>/yyyy-mm-dd.html.") from None
        issues = NepIssue.objects.select_related("report").filter(report__code=self.kwargs["code"].lower(), date=date)
        return get_object_or_404_named(issues, "NEP issue")

    def get_breadcrumbs(self):
        return breadcrumbs.for_nep_report(self.subject.report)

    def get_title(self) -> str:
        return f"{self.subject.report.code.upper()} {self.subject.date:%Y-%m-%d}: {self.subject.report.name}"

    def get_queryset(self):
        return nep_issue_item_ids(self.subject)
