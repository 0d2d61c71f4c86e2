"""Views, one module per page family; helpers shared by all of them live here."""

from urllib.parse import unquote

from django.http import Http404, HttpResponsePermanentRedirect


class CitationLinesMixin:
    """Adds `entries`, the listed items as citation lines, for templates that include _citation.html."""

    def get_context_data(self, **kwargs):
        from ..formatting.citation import listed

        context = super().get_context_data(**kwargs)
        context["entries"] = listed(context[self.context_object_name])
        return context


def redirect_if_noncanonical(request, canonical: str) -> HttpResponsePermanentRedirect | None:
    """A 301 to `canonical` (an encoded path) when the request asked for another spelling of it."""
    if request.path == unquote(canonical):
        return None
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{canonical}?{query}" if query else canonical)


def item_for_subpage(request, kwargs, prefix: str):
    """The item a sub-page (`/stats/...`, `/citations/...`) is about, with series and archive; 404 if none."""
    from ..models import Item

    item = (
        Item.objects.select_related("series__archive")
        .at_path(kwargs["archive"], kwargs["series"], kwargs["code"])
        .first()
    )
    if item is None:
        raise Http404(f"There is no item at {request.path.removeprefix(prefix)}.")
    return item
