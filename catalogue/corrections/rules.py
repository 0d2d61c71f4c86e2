"""Corrections of catalogue records by people (the admin, a shell): the checks the importer
makes (catalogue.redif.values), a handle change that keeps the old handle working, and what
a correction must refresh (citation counts; the kept browse counts follow on commit through
catalogue.changes.signals). History is written by
django-simple-history on every `.save()`; nothing here uses `update()` or `bulk_*`, which
would leave no record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from ..citations.counts import refresh_citation_counts
from ..citations.matching import flag_self_citations
from ..handles import archive_key, document_handle, handle_key, item_slug, normalise_handle, series_key
from ..models import HandleAlias, Item, Reference, Series
from ..redif.values import parse_date

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def check_item_handle(handle: str, series: Series, item: Item | None = None) -> str:
    """The handle, prefix normalised, when it may name `item` in `series`: an item handle
    (RePEc:aaa:ssssss:code) inside that series and its archive, held by no other item, and no
    old handle of another item. Raises ValueError with the reason."""
    handle = document_handle(handle)
    if series_key(handle) != (series.archive.code, series.code):
        raise ValueError(f"must start with {series.handle}: (the item's series)")
    key = handle_key(handle)
    others = Item.objects.filter(handle_key=key)
    aliases = HandleAlias.objects.filter(handle_key=key)
    slugs = Item.objects.filter(series=series, slug=item_slug(handle))
    if item is not None and item.pk:
        others, aliases, slugs = others.exclude(pk=item.pk), aliases.exclude(item=item), slugs.exclude(pk=item.pk)
    if others.exists():
        raise ValueError("another item has this handle")
    if aliases.exists():
        raise ValueError("this is an old handle of another item, which it still redirects to")
    if slugs.exists():
        raise ValueError("another item of the series has the same address (handles differ only in colons, or / for -)")
    return handle


def check_alias_handle(handle: str, item: Item) -> str:
    """An old handle for `item`: an item handle inside its archive, naming no current item."""
    handle = document_handle(handle)
    if archive_key(handle) != item.series.archive.code:
        raise ValueError(f"must be a handle of the item's archive ({item.series.archive.handle})")
    if Item.objects.filter(handle_key=handle_key(handle)).exists():
        raise ValueError("an item has this handle now")
    return handle


def check_date(value: str) -> str:
    """yyyy, yyyy-mm or yyyy-mm-dd (the importer's forms; yyyymmdd and a time are read too),
    written back as yyyy[-mm[-dd]]; empty stays empty."""
    return str(parse_date(value)) if value.strip() else ""


@transaction.atomic
def change_handle(item: Item, new_handle: str) -> HandleAlias | None:
    """Give `item` a new handle and save it; the handle it had in the database becomes a
    HandleAlias, so /h/<old handle> keeps redirecting (301) to the item. If the new handle was
    an old one of this item, that alias goes. Returns the new alias (None when only the case
    changed). The caller checks the handle first (check_item_handle)."""
    old = Item.objects.filter(pk=item.pk).values_list("handle", flat=True).get()
    new = normalise_handle(new_handle)
    item.handle, item.slug = new, item_slug(new)
    alias = None
    if handle_key(old) != handle_key(new):
        HandleAlias.objects.filter(item=item, handle_key=handle_key(new)).delete()
        alias = HandleAlias(item=item, handle=old)
        alias._history_user = getattr(item, "_history_user", None)
        alias.save()
    item.save()
    return alias


def mark_corrected(item: Item) -> None:
    """Date a correction of the item or of its parts (authors, files, keywords), on its page."""
    item.corrected_at = timezone.now()


def relink_reference(reference: Reference, before: Reference, user: User) -> None:
    """After a person changed a reference's target or status (already set on `reference`, not
    saved): date the link as the matcher does, record the decision, flag a self-citation.
    The caller saves, then calls refresh_citation_counts(touched_items(...))."""
    status, target_id = reference.status, reference.target_id
    reference.status, reference.target_id, reference.linked_at = before.status, before.target_id, before.linked_at
    now = timezone.now()
    reference.link(status, target_id, now)
    if status in Reference.Status.decided():
        reference.decided_by, reference.decided_at = user, now
    reference.matched_at = now  # a person's word: the matcher need not read it again
    flag_self_citations([reference])


def refresh_reference_targets(*target_ids: int | None) -> None:
    refresh_citation_counts({pk for pk in target_ids if pk is not None})


CORRECTION_REASON = "Correction in the admin"


def record_as_imported(instance: Any, item: Item | None = None) -> None:  # an Item, or one of its parts
    """Before the first correction of a record the importer wrote (in bulk, with no history),
    record it as it stands, so that the correction's history has a before and an after.
    Nothing when it has a history already, or is new. A part (author, file, keyword) names
    the file it came from by its `item`, read from the database when not given."""
    if instance.pk is None:
        return
    model = type(instance)
    if model.history.filter(id=instance.pk).exists():
        return
    stored = model._default_manager.filter(pk=instance.pk).first()
    if stored is None:
        return
    item = stored if isinstance(stored, Item) else item or getattr(stored, "item", None)
    source = getattr(item, "source", "") if item is not None else ""
    when = getattr(stored, "updated_at", None) or getattr(item, "updated_at", None) or timezone.now()
    reason = f"As imported from {source}" if source else "As imported"
    model.history.bulk_history_create([stored], default_change_reason=reason, default_date=when)
