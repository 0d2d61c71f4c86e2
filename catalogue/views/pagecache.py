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

import gzip
import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

import brotli  # type: ignore[import-untyped]  # no stubs; whitenoise[brotli] brings it
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe

from config import replicas

from .. import pagecache
from ..stats import counting

logger = logging.getLogger(__name__)

# the JSON API's answers (catalogue/api/): the API item shows its statistics totals too
API_PAGES = {
    "api_search", "api_item", "api_archives", "api_archive", "api_series", "api_authors", "api_author",
    "api_jel", "api_jel_code", "api_nep", "api_nep_report", "api_nep_issue",
}  # fmt: skip
STATS_PAGES = {
    "item_stats", "series_stats", "person_stats", "top_items", "top_authors", "api_item",
    "top_institutions", "institution",  # an institution's page shows its rank
}  # fmt: skip
CACHED_PAGES = {
    "home", "search", "item", "cited_by", "export", "archives", "archive", "series", "person",
    "jel_tree", "jel", "keyword", "nep_reports", "nep_issue", "nep_report", "institutions", "institution_country",
    "institution_authors",
    "feed_citations_rss", "feed_citations_atom", "feed_author_rss", "feed_author_atom",
    "feed_series_rss", "feed_series_atom", *STATS_PAGES,
    "sitemap_index",  # not a sitemap's section file: it streams (catalogue.views.sitemaps)
    *API_PAGES,
    "repec_folder", "repec_archive_file", "repec_series_folder",  # not a series file: it streams
    "open_data",  # the page; not the files it lists (catalogue.views.opendata streams them)
}  # fmt: skip
SKIPPED_PREFIXES = ("/admin/", "/me/", "/accounts/", "/citations/report/", "/static/")
HOP_HEADERS = {"set-cookie", "x-page-cache", "content-length", "vary"}
# what is worth compressing: HTML, feeds, exports, JSON and XML (not images or PDFs)
COMPRESSIBLE = (
    "text/", "application/json", "application/xml", "application/rss+xml", "application/atom+xml",
    "application/x-research-info-systems", "application/vnd.citationstyles", "application/ld+json",
)  # fmt: skip
MIN_COMPRESS = 256  # bytes; below, the headers cost more than they save


def page_tags(url_name: str) -> tuple[str, ...]:
    if url_name == "open_data":
        return (pagecache.OPENDATA,)
    return (pagecache.CATALOGUE, pagecache.STATS) if url_name in STATS_PAGES else (pagecache.CATALOGUE,)


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
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES and not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private"  # a reader's own page: no shared cache keeps it
            return response
        try:
            key = entry_key(request)
        except Exception:  # a host that Django refuses: the view's own answer (400)
            return self.get_response(request)
        found = self.lookup(key)
        entry = found.get(key)
        if entry is not None:
            tags = tuple(entry["versions"])
            if pagecache.current(tags, found) == entry["versions"]:
                for kind, item_id in entry["counted"]:
                    counting.record(request, kind, item_id)
                return respond(request, entry, "hit")
        versions = pagecache.current(pagecache.TAGS, found)  # read before the page is rendered
        # stored under these versions, the page must show every write that moved them: from
        # the primary while a replica may not have replayed it yet (config/replicas.py, D25)
        replicas.use_primary_if_changed(versions.values())
        counted: list[tuple[int, int]] = []
        setattr(request, counting.REPLAY_ATTRIBUTE, counted)
        response = self.get_response(request)
        name = getattr(request.resolver_match, "url_name", None)
        if name not in CACHED_PAGES or not storable(response):
            return response
        entry = make_entry(response, name, {tag: versions[tag] for tag in page_tags(name)}, counted)
        self.store(key, entry)
        return respond(request, entry, "miss")

    @staticmethod
    def lookup(key: str) -> dict[str, Any]:
        try:
            return pagecache.cache().get_many([key, *pagecache.version_keys(pagecache.TAGS)])
        except Exception as error:
            logger.warning("page cache: lookup failed (%s: %s)", type(error).__name__, error)
            return {}

    @staticmethod
    def store(key: str, entry: dict[str, Any]) -> None:
        try:
            pagecache.cache().set(key, entry, settings.PAGE_CACHE_SECONDS)
        except Exception as error:
            logger.warning("page cache: not stored (%s: %s)", type(error).__name__, error)


def make_entry(
    response: HttpResponse, name: str, versions: dict[str, str], counted: list[tuple[int, int]]
) -> dict[str, Any]:
    """What is kept of a page: its headers, its bytes (and compressed once, with gzip and
    Brotli, when worth it), a strong validator, the versions it was rendered at, its counts."""
    content = response.content
    bodies = {"": content}
    if len(content) >= MIN_COMPRESS and response.get("Content-Type", "").startswith(COMPRESSIBLE):
        bodies["br"] = brotli.compress(content, quality=5)
        bodies["gzip"] = gzip.compress(content, compresslevel=6, mtime=0)
    return {
        "status": response.status_code,
        "headers": [(k, v) for k, v in response.items() if k.lower() not in HOP_HEADERS],
        "bodies": bodies,
        "etag": hashlib.sha256(content).hexdigest()[:32],
        "modified": int(time.time()),
        "keys": [*versions, name],
        "versions": versions,
        "counted": counted,
    }


def respond(request: HttpRequest, entry: dict[str, Any], state: str) -> HttpResponse:
    """The page for this request: in the encoding it accepts, or 304 Not Modified when it
    holds this very page; with the validators and the headers a shared cache needs."""
    encoding = accepted_encoding(request, entry["bodies"])
    etag = f'"{entry["etag"]}-{encoding}"' if encoding else f'"{entry["etag"]}"'
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(entry["modified"]),
        "Cache-Control": cache_control(entry),
        "Surrogate-Key": " ".join(entry["keys"]),
        "Cache-Tag": ",".join(entry["keys"]),
        "X-Page-Cache": state,
    }
    if len(entry["bodies"]) > 1:
        headers["Vary"] = "Accept-Encoding"
    response: HttpResponse
    if not_modified(request, entry):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(entry["bodies"][encoding], status=entry["status"])
        for header, value in entry["headers"]:
            response[header] = value
        if encoding:
            response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(entry["bodies"][encoding]))
    for header, value in headers.items():
        response[header] = value
    return response


def cache_control(entry: dict[str, Any]) -> str:
    """Browsers always ask again (a 304 costs one cache round trip here). A shared cache in front
    may keep a page PAGE_CACHE_SHARED_SECONDS, but one whose views are counted (the item page)
    it must ask again each time, so that each view reaches the counters: it asks with the ETag,
    and gets a counted 304."""
    shared = 0 if entry["counted"] else settings.PAGE_CACHE_SHARED_SECONDS
    return f"public, max-age=0, s-maxage={shared}, stale-while-revalidate={shared}"


def accepted_encoding(request: HttpRequest, bodies: dict[str, bytes]) -> str:
    """Brotli, else gzip, when the client accepts it (q above 0) and the page has it; else ''."""
    accepted = set()
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, params = part.strip().partition(";")
        quality = params.strip().removeprefix("q=")
        if name and not (params and quality.replace(".", "", 1).isdigit() and float(quality) == 0):
            accepted.add(name.strip().lower())
    for encoding in ("br", "gzip"):
        if encoding in bodies and (encoding in accepted or "*" in accepted):
            return encoding
    return ""


def not_modified(request: HttpRequest, entry: dict[str, Any]) -> bool:
    """If-None-Match naming this page (in any encoding; a weak comparison, as RFC 9110 says for
    it), else If-Modified-Since at or after the time it was rendered."""
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/").strip('"').split("-")[0] for tag in if_none_match.split(",")}
        return entry["etag"] in tags or "*" in tags
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return since is not None and since >= entry["modified"]


def storable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
        and not response.has_header("Content-Encoding")
    )
