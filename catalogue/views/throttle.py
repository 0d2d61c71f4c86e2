"""Per-client limits on the costly pages (issue 17): a person never meets them, a scraper does.

Search, exports, feeds, and list pages asked with a query (filters, sorts, deep pages) render
from the database every time for each new address, so a client that asks for more of them than
COSTLY_PAGES_PER_MINUTE (60 by default, one a second) in a minute gets 429 with `Retry-After`
until the minute ends. Pages served from the page cache never get here (its middleware answers
first), so robots reading cached pages are never limited. Counted in the default cache (Redis
in production) in fixed one-minute windows per address; a cache that fails lets the request
through rather than refusing everyone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse

from ..stats.counting import client_address

logger = logging.getLogger(__name__)

COSTLY = {
    "search", "export",
    "feed_citations_rss", "feed_citations_atom", "feed_author_rss", "feed_author_atom",
    "feed_series_rss", "feed_series_atom",
}  # fmt: skip
# list pages: costly when asked with a query (a filter, a sort, a deep page)
LISTS = {"home", "archives", "archive", "series", "person", "jel", "keyword", "nep_report", "nep_issue", "cited_by"}


def costly(request: HttpRequest) -> bool:
    name = getattr(request.resolver_match, "url_name", None)
    return name in COSTLY or (name in LISTS and bool(request.GET))


def over_limit(request: HttpRequest, now: float, limit: int | None = None, scope: str = "throttle") -> bool:
    """Whether this request is past the client's `limit` (default COSTLY_PAGES_PER_MINUTE) in
    this minute, counted under `scope` (each limit its own counters); 0: no limit."""
    limit = settings.COSTLY_PAGES_PER_MINUTE if limit is None else limit
    if not limit:
        return False
    key = f"{scope}:{int(now // 60)}:{client_address(request)}"
    try:
        cache.add(key, 0, 90)
        return int(cache.incr(key)) > limit
    except Exception as error:  # a cache that fails (or a key that expired meanwhile): no limit
        logger.debug("throttle: not counted (%s)", error)
        return False


class ThrottleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method not in ("GET", "HEAD") or not costly(request):
            return None
        now = time.time()
        if not over_limit(request, now):
            return None
        retry_after = 60 - int(now % 60)
        response = TemplateResponse(request, "429.html", {"retry_after": retry_after}, status=429)
        response["Retry-After"] = str(retry_after)
        return response.render()


API_PREFIX = "/api/"


class ApiThrottleMiddleware:
    """The JSON API's limit per client address (API_ANON_PER_MINUTE a minute), on every request
    to /api/ but CORS preflights, cached answers included: placed before the page cache, since
    the limit is a quota per client, not only a guard of the database. The same counters as
    the costly pages' (another scope); 429 as JSON with `Retry-After`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX) or request.method == "OPTIONS":
            return self.get_response(request)
        now = time.time()
        if not over_limit(request, now, settings.API_ANON_PER_MINUTE, "api-throttle"):
            return self.get_response(request)
        retry_after = 60 - int(now % 60)
        limit = settings.API_ANON_PER_MINUTE
        detail = f"Too many requests: at most {limit} a minute from one address; try again in {retry_after} s."
        response = JsonResponse({"detail": detail, "errors": {}}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
