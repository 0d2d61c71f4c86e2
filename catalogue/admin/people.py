"""Registered persons (staff only: publishers have no permission on them) and keywords (staff
correct them; a publisher may look them up, for the keyword choices of their items)."""

from __future__ import annotations

from django.contrib import admin

from ..models import Keyword, Person
from .institutions import AffiliatedWith
from .lists import prefix_range
from .scoping import archive_scope


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["short_id", "name_full", "email", "user"]
    list_select_related = ["user"]
    search_fields = ["short_id", "name_full", "orcid"]
    show_full_result_count = False
    raw_id_fields = ["user"]
    list_filter = [AffiliatedWith]  # shown only when chosen: the link on an institution's change page


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "item_count"]
    search_fields = ["key"]
    search_help_text = "The beginning of the keyword"
    show_full_result_count = False
    readonly_fields = ["key", "item_count"]

    def get_search_results(self, request, queryset, search_term):
        key = Keyword.make_key(search_term)
        return (queryset.filter(prefix_range("key", key)) if key else queryset), False

    def has_view_permission(self, request, obj=None) -> bool:
        # a publisher chooses keywords for their items (autocomplete): public words, read only
        return archive_scope(request) is not None or super().has_view_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.key = Keyword.make_key(obj.name)
        super().save_model(request, obj, form, change)
