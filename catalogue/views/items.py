"""The item page and the handle resolver."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.views.generic import TemplateView

from ..formatting import scholar_meta
from ..itempage import build_item_page, item_page_queryset
from ..models import Archive, HandleAlias, Item, Series
from . import redirect_if_noncanonical


class ItemView(TemplateView):
    template_name = "items/item.html"

    def get(self, request, *args, **kwargs):
        item = item_page_queryset().at_path(kwargs["archive"], kwargs["series"], kwargs["code"]).first()
        if item is None:
            raise Http404(f"There is no item at {request.path}.")
        self.item = item
        return redirect_if_noncanonical(request, item.get_absolute_url()) or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        page = build_item_page(self.item)
        url = self.request.build_absolute_uri(self.item.get_absolute_url())
        return super().get_context_data(page=page, item=self.item, meta=scholar_meta(self.item, url), **kwargs)


def item_by_handle(handle: str, queryset=None) -> Item | None:
    """The item a handle names, its current handle or an old one (HandleAlias), whatever the case;
    from `queryset` (default: items with series and archive) when it is the current handle."""
    queryset = Item.objects.select_related("series__archive") if queryset is None else queryset
    key = handle.strip().lower()
    item = queryset.filter(handle_key=key).first()
    if item is None:
        alias = HandleAlias.objects.select_related("item__series__archive").filter(handle_key=key).first()
        item = alias.item if alias else None
    return item


def handle_redirect(request, handle):
    """`/h/RePEc:ipt:iptwpa:jrc108028` -> the page of whatever the handle names (301)."""
    key = handle.strip().lower()
    item = item_by_handle(key)
    if item is not None:
        return HttpResponsePermanentRedirect(item.get_absolute_url())
    parts = key.split(":")
    if len(parts) == 3 and parts[0] == "repec":
        series = Series.objects.select_related("archive").by_codes(parts[1], parts[2]).first()
        if series:
            return HttpResponsePermanentRedirect(series.get_absolute_url())
    if len(parts) == 2 and parts[0] == "repec":
        archive = Archive.objects.by_code(parts[1]).first()
        if archive:
            return HttpResponsePermanentRedirect(archive.get_absolute_url())
    raise Http404(f"No item, series or archive has the handle {handle}.")
