"""An item by its handle: everything its page shows, as data (the same page builder)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from ninja import Router

from ..handles import handle_key
from ..models import Item, ItemStatTotals, item_by_handle
from ..pages.item import build_item_page
from . import records
from .schemas import ItemDetail, answers

router = Router(tags=["items"])


@router.get(
    "/items/{path:handle}", response=answers(ItemDetail, redirect=True), url_name="api_item", operation_id="item"
)
def item(request: HttpRequest, handle: str):
    """An item by its handle (`RePEc:ipt:iptwpa:jrc108028`, any case; its code may hold a slash):
    the record, authors (registered ones by short-id), keywords, JEL codes, files, NEP issues,
    references with the items they cite, citing items, related items, other versions and its
    statistics totals. An old handle, or an item withdrawn in favour of another, answers 301
    with the address of the one to read; an item withdrawn without a replacement keeps its
    record, with `withdrawn` saying when and why (as its page does).

    Queries: the item page's 11 (pages/item.py), its statistics totals joined to the first."""
    found = item_by_handle(handle, Item.objects.for_item_page().select_related("stat_totals"))
    if found is None:
        raise Http404(f"No item has the handle {handle}.")
    if found.handle_key != handle_key(handle):  # an old handle (an alias): the current one
        return HttpResponsePermanentRedirect(records.item_api_url(request, found.handle))
    if found.withdrawn_at and found.replaced_by is not None:
        return HttpResponsePermanentRedirect(records.item_api_url(request, found.replaced_by.handle))
    try:
        totals: ItemStatTotals | None = found.stat_totals
    except ItemStatTotals.DoesNotExist:
        totals = None
    return records.item_detail(request, build_item_page(found), totals)
