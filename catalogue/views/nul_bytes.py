"""NUL bytes in a request's address are refused before any view, so none reaches a query.

PostgreSQL refuses NUL in text ("cannot contain NUL (0x00) bytes"), so a path segment or a
query value carrying one made every page that looks it up answer 500 (issue 14: about twenty
address patterns and the search filters). No code, handle, keyword or search term holds one:
a path with NUL names nothing (404), a query with one is malformed (400). The 10,000-character,
`..`, `/` and invalid UTF-8 segments need nothing here: the resolver and the lookups answer
them as any unknown address (tests/reliability/test_hostile_urls.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse

NUL = "\x00"


class RefuseNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path_info:
            raise Http404("There is nothing at this address.")
        if any(NUL in name or any(NUL in value for value in values) for name, values in request.GET.lists()):
            raise BadRequest("The address holds a NUL character (%00) in its query, which no page accepts.")
        return self.get_response(request)
