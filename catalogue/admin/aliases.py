"""Old handles of items (HandleAlias), which /h/<handle> redirects to the item (301). Changing
an item's handle adds one (catalogue.corrections.rules.change_handle); here they are listed and
corrected."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..handles import handle_key
from ..models import HandleAlias
from .forms import HandleAliasForm
from .lists import prefix_range
from .scoping import ArchiveScopedMixin


@admin.register(HandleAlias)
class HandleAliasAdmin(ArchiveScopedMixin, SimpleHistoryAdmin):
    form = HandleAliasForm
    list_display = ["handle", "item"]
    list_select_related = ["item"]
    search_fields = ["handle_key"]
    search_help_text = "An old handle or its beginning"
    show_full_result_count = False
    autocomplete_fields = ["item"]

    def get_search_results(self, request, queryset, search_term):
        term = handle_key(search_term)
        return (queryset.filter(prefix_range("handle_key", term)) if term else queryset), False

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
