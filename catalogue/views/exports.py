"""`/cite/<handle>.<ext>`: an item's reference as BibTeX, RIS, CSL-JSON, ReDIF or plain text;
`/cite/<handle>.txt?style=apa` gives the plain text in one of the citation styles, and
`/cite/<handle>.html` shows them all (catalogue.formatting.styles), linked from the item page's
"Cite this item". The styles have a page of their own because citeproc-py takes 15-25 ms for
one item in one style: on the item page, every cold render would pay 60-100 ms (D30)."""

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from ..formatting.exports import FORMATS, export_filename
from ..formatting.styles import STYLES, cite_this_item, formatted
from ..models import Item
from ..pages import breadcrumbs
from .access import item_by_handle_or_404


def export(request, handle, extension):
    """The item's reference in the format its extension names, as a download named after the
    handle; an old handle or another spelling of it redirects (301) to the current one."""
    export_format = FORMATS.get(extension)
    if export_format is None:
        known = ", ".join(f".{ext}" for ext in FORMATS)
        raise Http404(f"There is no export format .{extension}; there are {known}.")
    style_key = request.GET.get("style")
    if style_key is not None and (extension != "txt" or style_key not in STYLES):
        known = ", ".join(STYLES)
        raise Http404(f'There is no citation style "{style_key[:40]}" for .{extension}; .txt has {known}.')
    items = Item.objects.for_export()
    if export_format.links and style_key is None:
        items = items.with_version_links()
    item = item_by_handle_or_404(handle, items)
    if item.handle != handle:
        url = reverse("export", kwargs={"handle": item.handle, "extension": extension})
        query = request.GET.urlencode()
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
    url = request.build_absolute_uri(item.get_absolute_url())
    if style_key is not None:
        text = formatted(item, url, STYLES[style_key]).text + "\n"
        filename = export_filename(item.handle, f"{style_key}.txt")
    else:
        text = export_format.build(item, url)
        filename = export_filename(item.handle, extension)
    response = HttpResponse(text, content_type=export_format.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def cite_page(request, handle):
    """`/cite/<handle>.html`: the item's reference in every citation style, each with its plain
    text; an old handle redirects to the current one."""
    item = item_by_handle_or_404(handle, Item.objects.for_export())
    if item.handle != handle:
        return HttpResponsePermanentRedirect(reverse("cite_page", kwargs={"handle": item.handle}))
    url = request.build_absolute_uri(item.get_absolute_url())
    context = {
        "item": item,
        "references": cite_this_item(item, url),
        "breadcrumbs": breadcrumbs.for_item(item, here="Cite this item"),
    }
    return render(request, "items/cite.html", context)
