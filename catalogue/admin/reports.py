"""The moderation queue of reported missing citations (CitationReport).

Decisions go through the two actions, which call citations/reports.py (approving makes the
citation and recounts; `can_moderate` is checked per report); the change page only shows one.
A publisher sees the reports of citations of their archives' items, and decides them.
"""

from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When

from ..citations.reports import moderate
from ..models import CitationReport
from .scoping import ArchiveScopedMixin

PENDING_FIRST = Case(
    When(status=CitationReport.Status.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
)


@admin.register(CitationReport)
class CitationReportAdmin(ArchiveScopedMixin, admin.ModelAdmin):
    publisher_may_delete = False
    list_display = ["kind", "citing", "cited", "reference_text", "submitted_by", "created_at", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["citing", "cited", "reference", "submitted_by"]
    search_fields = ["citing__handle", "cited__handle", "submitted_by__email", "text"]
    ordering = [PENDING_FIRST.asc(), "-created_at", "-id"]
    raw_id_fields = ["reference", "citing", "cited", "submitted_by", "decided_by"]
    readonly_fields = [
        "kind",
        "reference",
        "citing",
        "cited",
        "text",
        "submitted_by",
        "created_at",
        "status",
        "decided_by",
        "decided_at",
    ]
    show_full_result_count = False
    actions = ["approve_selected", "reject_selected"]

    @admin.display(description="reference")
    def reference_text(self, report: CitationReport) -> str:
        text = report.text or (report.reference.raw_text if report.reference else "")
        return text[:120]

    def has_add_permission(self, request) -> bool:
        return False  # readers report through the site's forms, which check each report

    @admin.action(description="Approve selected", permissions=["change"])
    def approve_selected(self, request, queryset):
        self._moderate(request, queryset, approve=True)

    @admin.action(description="Reject selected", permissions=["change"])
    def reject_selected(self, request, queryset):
        self._moderate(request, queryset, approve=False)

    def _moderate(self, request, queryset, *, approve: bool) -> None:
        outcome = moderate(queryset.order_by("created_at", "id"), request.user, approve=approve)
        verb = "Approved" if approve else "Rejected"
        self.message_user(request, f"{verb} {outcome.done} report{'s' if outcome.done != 1 else ''}.")
        if outcome.already:
            self.message_user(request, f"{outcome.already} already decided, left as they were.", messages.WARNING)
        if outcome.not_allowed:
            self.message_user(request, f"{outcome.not_allowed} you may not moderate, skipped.", messages.WARNING)
