"""Archives and their series. Staff add archives and name their publishers; a publisher
corrects their archives' descriptions and adds series to them. Codes and handles are set
when a record is added: the handles of everything below contain them."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from ..handles import looks_like_handle
from ..models import Archive, Series
from .forms import ArchiveForm, SeriesForm
from .harvest import harvest_now, may_harvest
from .scoping import ArchiveScopedMixin, archive_scope


@admin.register(Archive)
class ArchiveAdmin(ArchiveScopedMixin, SimpleHistoryAdmin):
    form = ArchiveForm
    publisher_may_add = False
    publisher_may_delete = False
    list_display = ["code", "name", "handle", "series_count", "item_count", "maintainer_email"]
    search_fields = ["code", "name"]
    show_full_result_count = False
    autocomplete_fields = ["publishers"]
    readonly_fields = ["series_count", "item_count", "citation_count", "updated_at"]
    actions = [harvest_now]

    def has_harvest_permission(self, request) -> bool:
        return may_harvest(request)

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:
            fields[:0] = ["code", "handle"]
        if archive_scope(request) is not None:
            fields.append("publishers")  # only staff name publishers
        return fields

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The archive's RePEc address (catalogue.repec), above the form, for its publisher to register."""
        archive = self.get_object(request, object_id)
        if archive is not None:
            path = reverse("repec_folder", kwargs={"archive": archive.code})
            extra_context = {**(extra_context or {}), "repec_address": request.build_absolute_uri(path)}
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Series)
class SeriesAdmin(ArchiveScopedMixin, SimpleHistoryAdmin):
    form = SeriesForm
    list_display = ["handle", "name", "kind", "item_count"]
    list_select_related = ["archive"]
    list_filter = ["kind"]
    search_fields = ["handle", "name"]
    search_help_text = "A handle or its beginning (RePEc:ipt), or words of the name"
    show_full_result_count = False
    autocomplete_fields = ["archive"]
    ordering = ["handle"]
    readonly_fields = ["item_count", "citation_count", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        return (["archive", "code", "handle"] if obj is not None else []) + list(self.readonly_fields)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if looks_like_handle(term):
            # handles are stored as published (RePEc:ipt:iptwpa); 5,000 rows: case folded in SQL
            return queryset.filter(handle__istartswith=term), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
