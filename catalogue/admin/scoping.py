"""Who sees what in the admin: one mixin, on every admin and inline of the catalogue's records.

Staff (catalogue.models.roles.is_catalogue_staff) and staff-flagged accounts that publish no
archive get Django's own permission checks, unchanged. A publisher who is not staff is
*scoped*: every queryset, permission, foreign-key choice, autocomplete answer, list filter
and history page is limited to the records of their own archives, whatever the permission
tables say (a publisher holds no model permission).
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import QuerySet

from ..models import (
    Archive,
    Authorship,
    CitationReport,
    File,
    HandleAlias,
    HarvestRun,
    Item,
    ItemKeyword,
    Reference,
    Series,
)
from ..models.roles import is_catalogue_staff, publisher_archives

_SCOPE = "_catalogue_archive_scope"


def archive_scope(request) -> frozenset[int] | None:
    """The ids of the archives `request.user` is limited to, or None when not scoped (staff,
    or an account that publishes nothing, for whom Django's permissions decide). Once a request."""
    if not hasattr(request, _SCOPE):
        user = request.user
        scope = None
        if not is_catalogue_staff(user):
            ids = frozenset(publisher_archives(user).values_list("pk", flat=True))
            scope = ids or None
        setattr(request, _SCOPE, scope)
    return getattr(request, _SCOPE)


def archive_id_of(obj) -> int | None:
    """The id of the archive a record belongs to (None when it cannot be told: a record of a
    deleted series, say). Works on historical instances (`HistoricalItem.instance`) too."""
    try:
        if isinstance(obj, Archive):
            return obj.pk
        if isinstance(obj, Series | HarvestRun):
            return obj.archive_id
        if isinstance(obj, Item):
            return obj.series.archive_id if obj.series_id else None
        if isinstance(obj, Authorship | File | ItemKeyword | HandleAlias):
            return archive_id_of(obj.item) if obj.item_id else None
        if isinstance(obj, Reference):
            return archive_id_of(obj.citing) if obj.citing_id else None
        if isinstance(obj, CitationReport):
            return archive_id_of(obj.cited) if obj.cited_id else None
    except ObjectDoesNotExist:
        return None
    return None


# How each scoped model reaches its archive, as a queryset lookup.
SCOPE_LOOKUPS = {
    Archive: "pk",
    Series: "archive",
    HarvestRun: "archive",
    Item: "series__archive",
    Authorship: "item__series__archive",
    File: "item__series__archive",
    ItemKeyword: "item__series__archive",
    HandleAlias: "item__series__archive",
    Reference: "citing__series__archive",
    CitationReport: "cited__series__archive",
}


def scoped(queryset: QuerySet, scope: frozenset[int] | None) -> QuerySet:
    """`queryset` limited to the records of the archives in `scope` (all of them when None).
    Models that belong to no archive (keywords, persons, users) are left as they are."""
    lookup = SCOPE_LOOKUPS.get(queryset.model)
    if scope is None or lookup is None:
        return queryset
    return queryset.filter(**{f"{lookup}__in": scope})


class ArchiveScopedMixin:
    """Mix into a ModelAdmin or an InlineModelAdmin (before it in the bases).

    `publisher_may_add` / `publisher_may_delete`: what a scoped publisher may do beyond viewing
    and changing their own records. `unscoped_fields`: foreign keys whose choices stay the
    whole catalogue for a publisher too (a reference may cite any item).
    """

    publisher_may_add = True
    publisher_may_delete = True
    unscoped_fields: tuple[str, ...] = ()
    # an address typed without a scheme is https (Django 6's default, and the web's)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), archive_scope(request))

    def _allowed(self, request, obj) -> bool:
        return obj is None or archive_id_of(obj) in archive_scope(request)

    def has_module_permission(self, request) -> bool:
        if archive_scope(request) is None:
            return super().has_module_permission(request)
        return True

    def has_view_permission(self, request, obj=None) -> bool:
        if archive_scope(request) is None:
            return super().has_view_permission(request, obj)
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        if archive_scope(request) is None:
            return super().has_change_permission(request, obj)
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if archive_scope(request) is None:
            return super().has_delete_permission(request, obj)
        return self.publisher_may_delete and self._allowed(request, obj)

    def has_add_permission(self, request, *args) -> bool:
        # ModelAdmin passes (request), an inline (request, parent obj)
        if archive_scope(request) is None:
            return super().has_add_permission(request, *args)
        return self.publisher_may_add and self._allowed(request, args[0] if args else None)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name not in self.unscoped_fields and "queryset" not in kwargs:
            related = db_field.related_model
            if archive_scope(request) is not None and related in SCOPE_LOOKUPS:
                kwargs["queryset"] = scoped(related._default_manager.all(), archive_scope(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
