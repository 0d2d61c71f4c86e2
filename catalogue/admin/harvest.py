"""Harvest runs in the admin: each run's report, to staff and to the archive's publishers only
(scoping.ArchiveScopedMixin), and the archive list's "harvest now" action (a POST with its CSRF
token, as every admin action)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..models import Archive, HarvestRun
from ..models.roles import is_catalogue_staff
from ..tasks.enqueue import send as enqueue_now
from ..tasks.jobs import harvest_archives
from .scoping import ArchiveScopedMixin, archive_scope

#: the most lines of each kind a report page lists (the count above it stays whole)
LISTED = 1000


@admin.register(HarvestRun)
class HarvestRunAdmin(ArchiveScopedMixin, admin.ModelAdmin):
    list_display = ["archive", "started", "status", "files_seen", "files_fetched", "files_unchanged",
                    "files_failed", "items_created", "items_updated", "items_withdrawn", "error_count"]  # fmt: skip
    list_select_related = ["archive"]
    list_filter = ["status"]
    search_fields = ["archive__code"]
    show_full_result_count = False
    date_hierarchy = "started"
    fieldsets = [
        (None, {"fields": ["archive", "url", "status", "flag", "started", "finished", "forced", "requested_by"]}),
        (
            "Files",
            {"fields": ["files_seen", "files_fetched", "files_unchanged", "files_failed", "files_missing", "requests"]},
        ),
        ("Items", {"fields": ["items_created", "items_updated", "items_withdrawn"]}),
        ("Report", {"fields": ["error_report", "warning_report"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field for _, options in self.fieldsets for field in options["fields"]]

    def has_add_permission(self, request, *args) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a run is a record of what happened

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_catalogue_staff(request.user) and super().has_delete_permission(request, obj)

    @admin.display(description="errors")
    def error_count(self, run: HarvestRun) -> int:
        return len(run.error_lines)

    @admin.display(description="errors (url:line: what is wrong)")
    def error_report(self, run: HarvestRun) -> str:
        return lines_html(run.error_lines)

    @admin.display(description="warnings")
    def warning_report(self, run: HarvestRun) -> str:
        return lines_html(run.warning_lines)


def lines_html(lines: list[str]) -> str:
    if not lines:
        return "none"
    more = len(lines) - LISTED
    listed = format_html_join("\n", "<li><code>{}</code></li>", ((line,) for line in lines[:LISTED]))
    tail = format_html("<p>… and {} more</p>", more) if more > 0 else ""
    return format_html('<p>{} in all</p><ul class="harvest-report">{}</ul>{}', len(lines), listed, tail)


def may_harvest(request) -> bool:
    """Staff, and publishers (whose archive list holds only their own archives); asked through
    the request's cached scope, so the archive list costs no more queries for it."""
    return archive_scope(request) is not None or is_catalogue_staff(request.user)


@admin.action(description="Harvest now from their URLs", permissions=["harvest"])
def harvest_now(modeladmin: admin.ModelAdmin, request, queryset: QuerySet[Archive]) -> None:
    """The selected archives (the list is already limited to a publisher's own) harvested now."""
    archives = list(queryset.order_by("code"))
    without = [archive.code for archive in archives if not archive.url]
    if without:
        messages.warning(request, f"No URL to harvest from: {', '.join(without)}.")
    codes = [archive.code for archive in archives if archive.url]
    if not codes:
        return
    if enqueue_now(harvest_archives, codes, force=False, requested_by=request.user.pk):
        runs = reverse("admin:catalogue_harvestrun_changelist")
        message = 'The harvest of {} is queued: its report will be under <a href="{}">Harvest runs</a> when it is done.'
        messages.success(request, format_html(message, ", ".join(codes), runs))
    else:
        messages.error(
            request,
            f"The task queue does not answer: nothing was queued. Try again later, or run "
            f"manage.py harvest {' '.join(codes)} on the server.",
        )
