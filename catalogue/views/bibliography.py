"""'My bibliography' under `/me/`: a logged-in reader saves items, lists, removes and exports them.

The work is done in catalogue.readers.bibliography; these views read the request, check who asks and
answer. Private pages are never cached.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from ..browse.paging import pager
from ..formatting.exports import FORMATS
from ..pages import breadcrumbs
from ..readers import bibliography
from . import CitationLinesMixin
from .access import ReaderRequiredMixin, item_or_404, posted_id, posted_ids, reader_post, reader_required, safe_next


@reader_post("bibliography")
def save(request):
    """Save one item (`item`), then back to its page or a safe `next`."""
    item = item_or_404(posted_id(request, "item", "Name one item to save, by its id.", "an item id"))
    if bibliography.save_item(request.user, item):
        messages.success(request, "Saved in your bibliography.")
    else:
        messages.info(request, "This item was already in your bibliography.")
    return redirect(safe_next(request) or item.get_absolute_url())


@reader_post("bibliography")
def remove(request):
    """Remove the posted items (`item`, one or many) from the reader's own bibliography."""
    ids = posted_ids(request, "item", "an item id")
    if not ids:
        messages.info(request, "Select the items to remove first.")
    else:
        removed = bibliography.remove_items(request.user, ids)
        messages.success(request, f"Removed {removed} item{'' if removed == 1 else 's'} from your bibliography.")
    return redirect(safe_next(request) or reverse("bibliography"))


@method_decorator(never_cache, name="dispatch")
class BibliographyView(ReaderRequiredMixin, CitationLinesMixin, ListView):
    """The reader's saved items as citation lines, most recently saved first."""

    template_name = "me/bibliography.html"
    paginate_by = settings.PAGE_SIZE
    context_object_name = "items"

    def get_queryset(self):
        return bibliography.saved_items(self.request.user).for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(breadcrumbs=breadcrumbs.trail(here="My bibliography"), **kwargs)
        context["pager"] = pager(context["page_obj"], reverse("bibliography"), "item", "items")
        return context


@never_cache
@reader_required
def export(request, extension):
    """All the reader's saved items in one file (`bib` or `ris`), in a constant number of queries."""
    items = bibliography.saved_items(request.user).for_export()
    text = bibliography.export_bibliography(
        items, extension, lambda item: request.build_absolute_uri(item.get_absolute_url())
    )
    response = HttpResponse(text, content_type=FORMATS[extension].content_type)
    response["Content-Disposition"] = f'attachment; filename="my-bibliography.{extension}"'
    return response
