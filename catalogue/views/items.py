"""The item page and the handle resolver."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import TemplateView

from ..formatting import metadata, styles
from ..formatting.citation import scholar_meta
from ..handles import repec_codes
from ..models import Archive, File, Series, item_by_handle
from ..pages import breadcrumbs
from ..pages.item import build_item_page, item_at_path
from ..readers.bibliography import is_saved
from ..stats import counting
from . import redirect_if_noncanonical
from .access import is_reader
from .feeds import citations_links


class ItemView(TemplateView):
    template_name = "items/item.html"

    def get(self, request, *args, **kwargs):
        item = item_at_path(kwargs["archive"], kwargs["series"], kwargs["code"])
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
        base = f"{self.request.scheme}://{self.request.get_host()}"
        url = base + self.item.get_absolute_url()
        cited = metadata.matched(page.references)
        meta = scholar_meta(self.item, url, cited)
        feeds = citations_links(self.item)
        # one query for a logged-in reader; none for others, whose page costs what it did
        user = self.request.user
        saved = is_reader(user) and is_saved(user, self.item)
        return super().get_context_data(
            page=page,
            item=self.item,
            meta=meta,
            dublin_core=metadata.dublin_core(self.item, url),
            open_graph=metadata.open_graph(self.item, url, settings.SITE_NAME),
            json_ld=metadata.json_ld(self.item, base, page.references),
            cite_styles=styles.STYLES.values(),  # links: the styles are rendered on their own page (cite_page)
            feeds=feeds,
            saved=saved,
            breadcrumbs=breadcrumbs.for_series(self.item.series),  # the item's title is the page's heading
            **kwargs,
        )


def handle_redirect(request, handle):
    """`/h/RePEc:ipt:iptwpa:jrc108028` -> the page of whatever the handle names (301)."""
    item = item_by_handle(handle)
    if item is not None:
        return HttpResponsePermanentRedirect(item.get_absolute_url())
    archive_code, series_code, code = repec_codes(handle) or ("", "", "")
    if series_code and not code:
        series = Series.objects.select_related("archive").by_codes(archive_code, series_code).first()
        if series:
            return HttpResponsePermanentRedirect(series.get_absolute_url())
    if archive_code and not series_code:
        archive = Archive.objects.by_code(archive_code).first()
        if archive:
            return HttpResponsePermanentRedirect(archive.get_absolute_url())
    raise Http404(f"No item, series or archive has the handle {handle}.")


def download(request, file_id: int):
    """`/download/<file id>/`: count a download of the file's item, then send the reader to the
    file (302). The address is the file's own, as published; nothing in the request can change
    it, and only the schemes ReDIF's File-URL allows (http, https, ftp) are followed."""
    file = File.objects.filter(pk=file_id).only("item_id", "url").first()
    if file is None or not file.url.lower().startswith(("http://", "https://", "ftp://")):
        raise Http404("There is no such file.")
    counting.record(request, counting.DOWNLOAD, file.item_id)
    return HttpResponseRedirect(file.url)


def robots_txt(request):
    """Well-behaved robots ask for this first; their hits are then not counted (a day)."""
    counting.mark_robot(request)
    lines = [
        "User-agent: *",
        "Disallow: /download/",
        "Disallow: /me/",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /alerts/",
    ]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap_index'))}")  # on the host asked
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
