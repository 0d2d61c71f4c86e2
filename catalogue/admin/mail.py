"""The mail the alerts sent (Mailing) and the addresses that refused it (MailBounce), for
catalogue staff: what went to whom and when, what failed and why. Read only, but for a bounce,
which staff may delete (an address its owner says works again, as /me/alerts/ lets them).
The messages' content is ids and figures; the e-mail addresses are the readers' own, so a
publisher sees none of this.
"""

from __future__ import annotations

from django.contrib import admin

from ..models import MailBounce, Mailing
from ..models.roles import is_catalogue_staff


class StaffOnly(admin.ModelAdmin):
    def has_view_permission(self, request, obj=None) -> bool:
        return is_catalogue_staff(request.user) or super().has_view_permission(request, obj)

    def has_module_permission(self, request) -> bool:
        return is_catalogue_staff(request.user) or super().has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Mailing)
class MailingAdmin(StaffOnly):
    list_display = ["created_at", "user", "kind", "frequency", "period_end", "status", "attempts", "sent_at", "error"]
    list_filter = ["kind", "status", "frequency"]
    list_select_related = ["user"]
    ordering = ["-created_at", "-id"]
    search_fields = ["user__email"]
    fields = [
        "user",
        "kind",
        "frequency",
        "period_end",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "error",
        "content",
    ]
    readonly_fields = fields
    raw_id_fields = ["user"]
    show_full_result_count = False  # a million rows: no COUNT(*) per page
    list_per_page = 100

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # clean-expired prunes them (MAILINGS_KEEP_DAYS)


@admin.register(MailBounce)
class MailBounceAdmin(StaffOnly):
    list_display = ["email", "code", "reply", "bounced_at"]
    search_fields = ["email"]
    ordering = ["-bounced_at"]
    fields = ["email", "code", "reply", "bounced_at"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_catalogue_staff(request.user) or super().has_delete_permission(request, obj)
