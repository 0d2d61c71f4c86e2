"""Readers report missing citations: a reference that cites an item, an item that cites this one.

Logged-in readers only; each report waits for a moderator (citations/reports.py, the admin).
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView, ListView

from ..browse.paging import pager
from ..citations.forms import CitesReportForm, LinkReportForm
from ..models import CitationReport
from ..pages import breadcrumbs
from .access import ReaderRequiredMixin, item_or_404, reference_or_404

THANKS = "Thank you: a moderator will review this link"


class ReportView(ReaderRequiredMixin, FormView):
    """A report form about `self.item`; on success, thanks and back to the item's page."""

    here = ""  # the form's name in the breadcrumbs

    def load(self, pk: int) -> None:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.load(kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.load(kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            item=self.item, breadcrumbs=breadcrumbs.for_item(self.item, self.here), **kwargs
        )

    def form_valid(self, form):
        if form.save() is None:
            return self.form_invalid(form)
        messages.success(self.request, THANKS)
        return redirect(self.item.get_absolute_url())


class LinkReportView(ReportView):
    """`/citations/report/link/<reference id>/`: the item a reference cites."""

    form_class = LinkReportForm
    here = "Link a reference"
    template_name = "citations/report_link.html"

    def load(self, pk: int) -> None:
        self.reference = reference_or_404(pk)
        self.item = self.reference.citing

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "reference": self.reference}

    def get_context_data(self, **kwargs):
        return super().get_context_data(reference=self.reference, **kwargs)


class CitesReportView(ReportView):
    """`/citations/report/cites/<item id>/`: an item citing this one."""

    form_class = CitesReportForm
    here = "Report a missing citation"
    template_name = "citations/report_cites.html"

    def load(self, pk: int) -> None:
        self.item = item_or_404(pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cited": self.item}


class MyReportsView(ReaderRequiredMixin, ListView):
    """`/me/reports/`: the reader's own reports of missing citations, newest first, with what
    became of each."""

    template_name = "me/reports.html"
    context_object_name = "reports"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        return (
            CitationReport.objects.filter(submitted_by=self.request.user)
            .select_related("citing__series__archive", "cited__series__archive")
            .order_by("-created_at", "-id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pager"] = pager(context["page_obj"], reverse("my_reports"), "report", "reports")
        return context
