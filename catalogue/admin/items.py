"""Items, with their authors, files and keywords inline.

A save through this admin is a correction: the item's `corrected_at` is set (also when only
an inline changed), a changed handle leaves the old one as a HandleAlias
(catalogue.corrections.rules.change_handle), and the kept counts of what moved are refreshed on
commit by catalogue.changes.signals, as for any correction through the ORM.
Every write is a model `.save()` or `.delete()`, so django-simple-history records it with
the user; the item's history page lists the changes of its parts too.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.contrib import admin
from django.db.models import Q
from simple_history.admin import SimpleHistoryAdmin

from ..corrections import rules as corrections
from ..handles import code_slug, handle_key, item_slug, looks_like_handle
from ..ingest.rows import shown_source
from ..models import Archive, Authorship, File, Item, ItemKeyword
from .forms import FileForm, ItemForm
from .lists import (
    EstimatedCountPaginator,
    ScopedArchiveFilter,
    ScopedSeriesFilter,
    WithdrawnFilter,
    prefix_range,
    title_matches,
)
from .scoping import ArchiveScopedMixin, archive_scope


class AuthorshipInline(ArchiveScopedMixin, admin.TabularInline):
    """Authors in order: reorder by editing the positions."""

    model = Authorship
    fields = ["position", "role", "name", "email", "workplace", "homepage", "person"]
    autocomplete_fields = ["person"]
    ordering = ["position"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")

    def get_readonly_fields(self, request, obj=None):
        # linking an author to a registered person is the author service's (claims), or staff's
        return ["person"] if archive_scope(request) is not None else []


class FileInline(ArchiveScopedMixin, admin.TabularInline):
    model = File
    form = FileForm
    fields = ["position", "url", "format", "function", "restriction", "size"]
    ordering = ["position"]
    extra = 1


class ItemKeywordInline(ArchiveScopedMixin, admin.TabularInline):
    model = ItemKeyword
    fields = ["position", "keyword"]
    autocomplete_fields = ["keyword"]
    ordering = ["position"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("keyword")


def search_items(queryset, term: str):
    """A handle prefix (RePEc:ipt:iptwpa) by the handle index; a word alone as the item's number
    as the publisher knows it (jrc108028, by the slug index) or its id, and as a title word;
    anything else as title words through the search index (its first TITLE_MATCHES matches)."""
    term = term.strip()
    if not term:
        return queryset
    if looks_like_handle(term):
        return queryset.filter(prefix_range("handle_key", handle_key(term)))
    found = Q(pk__in=title_matches(term))
    if len(term.split()) == 1:
        found |= Q(slug=code_slug(term))
        if term.isdigit() and int(term) < 2**63:
            found |= Q(pk=int(term))
    return queryset.filter(found)


@admin.register(Item)
class ItemAdmin(ArchiveScopedMixin, SimpleHistoryAdmin):
    form = ItemForm
    inlines = [AuthorshipInline, FileInline, ItemKeywordInline]
    list_display = ["handle", "title", "kind", "year", "series", "withdrawn_at", "corrected_at"]
    list_select_related = ["series"]
    list_filter = ["kind", WithdrawnFilter, ScopedArchiveFilter, ScopedSeriesFilter]
    list_per_page = 50
    search_fields = ["handle_key"]  # shows the box; get_search_results does the searching
    search_help_text = (
        "A handle or its beginning (RePEc:ipt:iptwpa), the item's number (jrc108028), or words of the title"
    )
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    autocomplete_fields = ["series", "replaced_by"]
    readonly_fields = [
        "slug",
        "citation_count",
        "self_citation_count",
        "corrected_at",
        "source_file",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["series", "handle", "slug", "kind", "title", "abstract", "jel_codes"]}),
        ("Dates", {"fields": ["year", "creation_date", "revision_date", "publication_date"]}),
        (
            "Publication",
            {
                "fields": [
                    "number",
                    "length",
                    "pages",
                    "volume",
                    "issue",
                    "month",
                    "journal",
                    "book_title",
                    "publisher",
                    "edition",
                    "isbn",
                    "issn",
                    "doi",
                    "language",
                    "publication_status",
                    "note",
                    "programming_language",
                ],
                "classes": ["collapse"],
            },
        ),
        ("Withdrawal", {"fields": ["withdrawn_at", "withdrawal_note", "replaced_by"]}),
        (
            "Record",
            {
                "fields": [
                    "citation_count",
                    "self_citation_count",
                    "corrected_at",
                    "source_file",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    object_history_template = "admin/catalogue/item/object_history.html"

    class Media:
        css = {"all": ["catalogue/admin-item.css"]}  # the inline rows fit the window

    def get_queryset(self, request):
        scope = archive_scope(request)
        if scope is None:
            return super().get_queryset(request)
        # A publisher's items, told to the handle index alone: an item's series (hence its
        # archive) is read from its handle (RePEc:<archive>:<series>:..., by the importer, and
        # ItemForm keeps a corrected handle in the item's series), so an archive's items are
        # exactly one range of handles, read in the list's order. The mixin's join through the
        # series as well made the planner expect 2,500 of the largest archive's 65,000 items
        # and sort them all: its page 50 took 330 ms, 40 without. Each object's own archive is
        # still checked by the mixin's permissions.
        codes = Archive.objects.filter(pk__in=scope).values_list("code", flat=True)
        ranges = [prefix_range("handle_key", f"repec:{code}:") for code in codes]
        return SimpleHistoryAdmin.get_queryset(self, request).filter(reduce(operator.or_, ranges))

    @admin.display(description="Source")
    def source_file(self, obj: Item) -> str:
        """The file it was last imported from, by name or address (items imported before the
        importer stored only that may hold a server path: cut to the name here too)."""
        path, _, line = obj.source.rpartition(":")
        return f"{shown_source(path)}:{line}" if line.isdigit() and path else obj.source

    def get_search_results(self, request, queryset, search_term):
        return search_items(queryset, search_term), False

    # -- saving: a correction ---------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        obj._change_reason = corrections.CORRECTION_REASON
        if change and not form.has_changed():
            return  # nothing of the item itself changed: no save, no empty history record
        if change:
            corrections.record_as_imported(obj)
        corrections.mark_corrected(obj)
        if not change:
            obj.slug = item_slug(obj.handle)
        if change and "handle" in form.changed_data:
            corrections.change_handle(obj, obj.handle)
        else:
            obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        item = form.instance
        if change and not form.has_changed() and any(formset.has_changed() for formset in formsets):
            # a change of its authors, files or keywords is a correction of the item
            corrections.mark_corrected(item)
            item.save(update_fields=["corrected_at", "updated_at"])  # updated_at: the OAI datestamp

    def save_formset(self, request, form, formset, change):
        for child in formset.save(commit=False):
            corrections.record_as_imported(child, item=form.instance)
            child._history_user = request.user
            child._change_reason = corrections.CORRECTION_REASON
            child.save()
        for child in formset.deleted_objects:
            corrections.record_as_imported(child, item=form.instance)
            child._history_user = request.user
            child._change_reason = corrections.CORRECTION_REASON
            child.delete()
        formset.save_m2m()

    def delete_model(self, request, obj):
        obj._history_user = request.user
        super().delete_model(request, obj)

    # -- history: the item's parts as well --------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        extra_context = {**(extra_context or {}), "part_changes": _part_changes(object_id)}
        return super().history_view(request, object_id, extra_context)


PART_LABELS = {"+": "added", "~": "changed", "-": "removed"}


def _part_changes(object_id: str, limit: int = 200) -> list[dict]:
    """The newest changes of an item's authors, files and keyword links, newest first, each
    with who made it and what changed (from the previous record of the same part)."""
    if not str(object_id).isdigit():
        return []
    rows = []
    for model, label in ((Authorship, "author"), (File, "file"), (ItemKeyword, "keyword")):
        history = model.history.filter(item_id=int(object_id)).select_related("history_user")
        for record in history.order_by("-history_date")[:limit]:
            rows.append((record, label))
    rows.sort(key=lambda row: row[0].history_date, reverse=True)
    changes = []
    for record, label in rows[:limit]:
        fields = []
        if record.history_type == "~":
            previous = record.prev_record
            if previous is not None:
                delta = record.diff_against(previous)
                fields = [f"{c.field}: {c.old!r} → {c.new!r}" for c in delta.changes]
        changes.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "part": label,
                "what": PART_LABELS.get(record.history_type, record.history_type),
                "record": str(record.instance),
                "fields": fields,
            }
        )
    return changes
