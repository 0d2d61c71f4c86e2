"""Views, one module per page family; helpers shared by all of them live here."""

from urllib.parse import unquote

from django.http import HttpResponsePermanentRedirect


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
