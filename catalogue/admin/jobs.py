"""The task queue's recent runs (JobRun), read only, for catalogue staff: a publisher sees none.

Each run: its task, when it started, how long it took, its outcome, its error, and how many
retries came before it; filtered by task and outcome. The table is kept short (clean-expired
deletes runs older than JOB_RUNS_KEEP_DAYS).
"""

from __future__ import annotations

import datetime

from django.contrib import admin

from ..models import JobRun
from ..models.roles import is_catalogue_staff


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["task", "started_at", "took", "outcome", "retries", "short_error"]
    list_filter = ["task", "outcome"]
    ordering = ["-started_at", "-id"]
    search_fields = ["task", "error"]
    fields = ["task", "task_id", "started_at", "finished_at", "took", "outcome", "retries", "summary", "error"]
    readonly_fields = fields
    list_per_page = 100

    @admin.display(description="duration")
    def took(self, run: JobRun) -> str:
        duration = run.duration
        if duration is None:
            return "still running" if run.outcome == JobRun.Outcome.RUNNING else "-"
        return str(duration - datetime.timedelta(microseconds=duration.microseconds))

    @admin.display(description="error")
    def short_error(self, run: JobRun) -> str:
        lines = run.error.strip().splitlines()
        return lines[-1][:200] if lines else ""

    def has_view_permission(self, request, obj=None) -> bool:
        return is_catalogue_staff(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return False  # runs are recorded by the jobs themselves

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # clean-expired prunes them
