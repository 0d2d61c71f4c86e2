"""`/cite/<handle>.<ext>`: an item's reference as BibTeX, RIS, CSL-JSON, ReDIF or plain text."""

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from ..formatting.exports import FORMATS, export_filename
from ..models import Item
from .access import item_by_handle_or_404


def export(request, handle, extension):
    """The item's reference in the format its extension names, as a download named after the
    handle; an old handle or another spelling of it redirects (301) to the current one."""
    export_format = FORMATS.get(extension)
    if export_format is None:
        known = ", ".join(f".{ext}" for ext in FORMATS)
        raise Http404(f"There is no export format .{extension}; there are {known}.")
    item = item_by_handle_or_404(handle, Item.objects.for_export())
    if item.handle != handle:
        return HttpResponsePermanentRedirect(reverse("export", kwargs={"handle": item.handle, "extension": extension}))
    url = request.build_absolute_uri(item.get_absolute_url())
    response = HttpResponse(export_format.build(item, url), content_type=export_format.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(item.handle, extension)}"'
    return response
