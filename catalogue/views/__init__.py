"""Views, one module per page family; helpers shared by all of them live here."""

from urllib.parse import unquote

from django.http import HttpResponsePermanentRedirect


def redirect_if_noncanonical(request, canonical: str) -> HttpResponsePermanentRedirect | None:
    """A 301 to `canonical` (an encoded path) when the request asked for another spelling of it."""
    if request.path == unquote(canonical):
        return None
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{canonical}?{query}" if query else canonical)
