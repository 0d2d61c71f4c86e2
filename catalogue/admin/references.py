"""Reference lists (9 million rows at 1M items): a publisher corrects those of their items.

The cited item (`target`) is entered by id and may be any item of the catalogue: citations
cross archives. A changed target or status is a person's decision: dated, recorded with the
user, and the citation counts of both targets recounted (catalogue.corrections.rules)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..corrections import rules as corrections
from ..handles import handle_key, looks_like_handle
from ..models import Reference
from .lists import EstimatedCountPaginator, prefix_range
from .scoping import ArchiveScopedMixin


@admin.register(Reference)
class ReferenceAdmin(ArchiveScopedMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "citing", "position", "status", "target"]
    list_select_related = ["citing", "target"]
    list_filter = ["status"]
    list_per_page = 50
    search_fields = ["citing__handle_key"]
    search_help_text = "The citing item's handle or its beginning (RePEc:ipt:iptwpa:jrc108028), or its id"
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    autocomplete_fields = ["citing"]
    raw_id_fields = ["target"]
    unscoped_fields = ("target",)
    readonly_fields = ["score", "decided_by", "decided_at", "matched_at", "linked_at", "self_citation"]
    fields = [
        "citing",
        "position",
        "raw_text",
        "title",
        "authors",
        "year",
        "doi",
        "cited_handle",
        "target",
        "status",
        *readonly_fields,
    ]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if looks_like_handle(term):
            return queryset.filter(prefix_range("citing__handle_key", handle_key(term))), False
        if term.isdigit():
            return queryset.filter(citing_id=int(term)), False
        return queryset, False

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        before = Reference.objects.get(pk=obj.pk) if change else Reference(status=Reference.Status.UNMATCHED)
        if {"target", "status"} & set(form.changed_data):
            corrections.relink_reference(obj, before, request.user)
        obj.save()
        corrections.refresh_reference_targets(before.target_id, obj.target_id)
