"""'My bibliography' under `/me/`: a logged-in reader saves items, lists, removes and exports them.

The work is done in catalogue.readers.bibliography; these views read the request, check who asks and
answer. Private pages are never cached.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from ..browse.paging import pager
from ..formatting.exports import FORMATS
from ..models import Item
from ..pages import breadcrumbs
from ..readers import bibliography
from . import CitationLinesMixin


def _safe_next(request) -> str | None:
    """The posted `next` address when it stays on this site, else None."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else None


def _posted_ids(request) -> list[int]:
    try:
        return bibliography.parse_item_ids(request.POST.getlist("item"))
    except ValueError as error:
        raise BadRequest(f"{error} Item ids are whole numbers.") from None


def reader_post(view):
    """A view that changes the reader's bibliography: POST only, by a logged-in reader. Anyone
    else is sent to log in, then back to `next` or the bibliography; nothing changes."""

    @wraps(view)
    def wrapper(request):
        if not request.user.is_authenticated:
            return redirect_to_login(_safe_next(request) or reverse("bibliography"))
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request)

    return wrapper


@reader_post
def save(request):
    """Save one item (`item`), then back to its page or a safe `next`."""
    ids = _posted_ids(request)
    if len(ids) != 1:
        raise BadRequest("Name one item to save, by its id.")
    item = Item.objects.select_related("series__archive").filter(pk=ids[0]).first()
    if item is None:
        raise Http404(f"No item has the id {ids[0]}.")
    if bibliography.save_item(request.user, item):
        messages.success(request, "Saved in your bibliography.")
    else:
        messages.info(request, "This item was already in your bibliography.")
    return redirect(_safe_next(request) or item.get_absolute_url())


@reader_post
def remove(request):
    """Remove the posted items (`item`, one or many) from the reader's own bibliography."""
    ids = _posted_ids(request)
    if not ids:
        messages.info(request, "Select the items to remove first.")
    else:
        removed = bibliography.remove_items(request.user, ids)
        messages.success(request, f"Removed {removed} item{'' if removed == 1 else 's'} from your bibliography.")
    return redirect(_safe_next(request) or reverse("bibliography"))


@method_decorator(never_cache, name="dispatch")
class BibliographyView(LoginRequiredMixin, CitationLinesMixin, ListView):
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
@login_required
def export(request, extension):
    """All the reader's saved items in one file (`bib` or `ris`), in a constant number of queries."""
    items = bibliography.saved_items(request.user).for_export()
    text = bibliography.export_bibliography(
        items, extension, lambda item: request.build_absolute_uri(item.get_absolute_url())
    )
    response = HttpResponse(text, content_type=FORMATS[extension].content_type)
    response["Content-Disposition"] = f'attachment; filename="my-bibliography.{extension}"'
    return response
