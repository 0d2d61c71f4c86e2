"""'My bibliography': the items a logged-in reader saved, to list, remove and export.

Every function takes the reader, so no caller can reach another reader's rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Subquery

from ..formatting.exports import FORMATS
from ..models import Item, SavedItem
from ..models.items import ItemQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def save_item(user: User, item: Item) -> bool:
    """Save the item in the reader's bibliography; False if it was there already. Saving twice,
    or two requests at once, leaves one row: get_or_create falls back on the unique constraint."""
    _, created = SavedItem.objects.get_or_create(user=user, item=item)
    return created


def remove_items(user: User, item_ids: Iterable[int]) -> int:
    """Remove these items from the reader's bibliography (only theirs); how many were removed."""
    deleted, _ = SavedItem.objects.filter(user=user, item_id__in=list(item_ids)).delete()
    return deleted


def is_saved(user: User, item: Item) -> bool:
    """Whether the reader saved the item: one query."""
    return SavedItem.objects.filter(user=user, item=item).exists()


def saved_items(user: User) -> ItemQuerySet:
    """The reader's saved items, most recently saved first, with `saved_at`. Add `for_listing()`
    or `for_export()` for what the page or the export prints."""
    saved = SavedItem.objects.filter(user=user, item=OuterRef("pk"))
    return (  # type: ignore[no-any-return]  # the stubs type annotate() with a Subquery as Any
        Item.objects.filter(pk__in=SavedItem.objects.filter(user=user).values("item_id"))
        .annotate(saved_at=Subquery(saved.values("created_at")[:1]))
        .order_by("-saved_at", "-pk")
    )


def export_bibliography(items: Iterable[Item], extension: str, url_of: Callable[[Item], str]) -> str:
    """The items one after another in the format of `extension` (`bib` or `ris`), a blank line
    between entries; `url_of(item)` gives the absolute address of each item's page."""
    build = FORMATS[extension].build
    return "\n".join(build(item, url_of(item)) for item in items)
