"""Serve anonymous GETs of public pages from the page cache (catalogue.pagecache), store misses.

Placed before every middleware but the health checks: a request that carries no session and
no messages cookie is anonymous, so a hit costs no query and no other middleware, one cache
round trip (the page and its tags' versions in one get_many); the page is stored with the
headers every middleware below gave it (security headers, CSP). A request the HTTPS redirect
would send elsewhere, or for a host not allowed, goes on to the middleware that answers it.
A request with a session (a logged-in reader, whose pages show their own Save buttons and
waiting citations; or an anonymous visitor with a message to show) is never served from the
cache nor stored: those are few, and their pages are theirs. Only the URL names in
CACHED_PAGES, answers 200 that set no cookie.

Counting still counts: the counts a view recorded (catalogue.stats.counting.record) are kept
with the page and recorded again for each hit, for that hit's client (robots and repeats are
left out as on a miss).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .. import pagecache
from ..stats import counting

logger = logging.getLogger(__name__)

STATS_PAGES = {"item_stats", "series_stats", "person_stats", "top_items", "top_authors"}
CACHED_PAGES = {
    "home", "search", "item", "cited_by", "export", "archives", "archive", "series", "person",
    "jel_tree", "jel", "keyword", "nep_reports", "nep_issue", "nep_report",
    "feed_citations_rss", "feed_citations_atom", "feed_author_rss", "feed_author_atom",
    "feed_series_rss", "feed_series_atom", *STATS_PAGES,
    "sitemap_index",  # not a sitemap's section file: it streams (catalogue.views.sitemaps)
}  # fmt: skip
SKIPPED_PREFIXES = ("/admin/", "/me/", "/accounts/", "/citations/report/", "/static/")
HOP_HEADERS = {"set-cookie", "x-page-cache"}


def page_tags(url_name: str) -> tuple[str, ...]:
    return pagecache.TAGS if url_name in STATS_PAGES else (pagecache.CATALOGUE,)


def entry_key(request: HttpRequest) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return "pc:page:" + hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()


def anonymous_get(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and bool(settings.PAGE_CACHE_SECONDS)
        and (request.is_secure() or not settings.SECURE_SSL_REDIRECT)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(SKIPPED_PREFIXES)
    )


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not anonymous_get(request):
            return self.get_response(request)
        try:
            key = entry_key(request)
        except Exception:  # a host that Django refuses: the view's own answer (400)
            return self.get_response(request)
        found = self.lookup(key)
        entry = found.get(key)
        if entry is not None:
            tags = tuple(entry["versions"])
            if pagecache.current(tags, found) == entry["versions"]:
                return self.replay(request, entry)
        versions = pagecache.current(pagecache.TAGS, found)  # read before the page is rendered
        counted: list[tuple[int, int]] = []
        setattr(request, counting.REPLAY_ATTRIBUTE, counted)
        response = self.get_response(request)
        name = getattr(request.resolver_match, "url_name", None)
        if name in CACHED_PAGES and storable(response):
            self.store(key, response, {tag: versions[tag] for tag in page_tags(name)}, counted)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def lookup(key: str) -> dict[str, Any]:
        try:
            return pagecache.cache().get_many([key, *pagecache.version_keys(pagecache.TAGS)])
        except Exception as error:
            logger.warning("page cache: lookup failed (%s: %s)", type(error).__name__, error)
            return {}

    @staticmethod
    def store(key: str, response: HttpResponse, versions: dict[str, str], counted: list[tuple[int, int]]) -> None:
        headers = [(k, v) for k, v in response.items() if k.lower() not in HOP_HEADERS]
        entry = {
            "status": response.status_code,
            "headers": headers,
            "content": response.content,
            "versions": versions,
            "counted": counted,
        }
        try:
            pagecache.cache().set(key, entry, settings.PAGE_CACHE_SECONDS)
        except Exception as error:
            logger.warning("page cache: not stored (%s: %s)", type(error).__name__, error)

    @staticmethod
    def replay(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
        response = HttpResponse(entry["content"], status=entry["status"])
        for header, value in entry["headers"]:
            response[header] = value
        response["X-Page-Cache"] = "hit"
        for kind, item_id in entry["counted"]:
            counting.record(request, kind, item_id)
        return response


def storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )
