"""The item page and the handle resolver."""

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.views.generic import TemplateView

from ..formatting.citation import scholar_meta
from ..models import Archive, File, Series, item_by_handle
from ..pages import breadcrumbs
from ..pages.item import build_item_page, item_page_queryset
from ..readers.bibliography import is_saved
from ..stats import counting
from . import redirect_if_noncanonical
from .feeds import citations_links


class ItemView(TemplateView):
    template_name = "items/item.html"

    def get(self, request, *args, **kwargs):
        item = item_page_queryset().at_path(kwargs["archive"], kwargs["series"], kwargs["code"]).first()
        if item is None:
            raise Http404(f"There is no item at {request.path}.")
        if item.withdrawn_at and item.replaced_by_id:
            # withdrawn in favour of another item: its page is the one to read (and to link)
            return HttpResponsePermanentRedirect(item.replaced_by.get_absolute_url())
        self.item = item
        redirect = redirect_if_noncanonical(request, item.get_absolute_url())
        if redirect:
            return redirect
        response = super().get(request, *args, **kwargs)
        counting.record(request, counting.VIEW, item.pk)  # a cache write; never a query, never an error
        return response

    def get_context_data(self, **kwargs):
        page = build_item_page(self.item)
        url = self.request.build_absolute_uri(self.item.get_absolute_url())
        meta = scholar_meta(self.item, url)
        feeds = citations_links(self.item)
        # one query for a logged-in reader; none for others, whose page costs what it did
        user = self.request.user
        saved = user.is_authenticated and is_saved(user, self.item)
        return super().get_context_data(
            page=page,
            item=self.item,
            meta=meta,
            feeds=feeds,
            saved=saved,
            breadcrumbs=breadcrumbs.for_series(self.item.series),  # the item's title is the page's heading
            **kwargs,
        )


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


def download(request, file_id: int):
    """`/download/<file id>/`: count a download of the file's item, then send the reader to the
    file (302). The address is the file's own, as published; nothing in the request can change
    it, and only web addresses are followed."""
    file = File.objects.filter(pk=file_id).only("item_id", "url").first()
    if file is None or not file.url.lower().startswith(("http://", "https://")):
        raise Http404("There is no such file.")
    counting.record(request, counting.DOWNLOAD, file.item_id)
    return HttpResponseRedirect(file.url)


def robots_txt(request):
    """Well-behaved robots ask for this first; their hits are then not counted (a day)."""
    counting.mark_robot(request)
    lines = ["User-agent: *", "Disallow: /download/", "Disallow: /me/", "Disallow: /accounts/", "Disallow: /admin/"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
