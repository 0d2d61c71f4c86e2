"""Which database a request reads from, and the cookie that keeps a writer on the primary
(issue 17; DECISIONS.md, D25). The router and the replicas' health are `config.replicas`.

Placed right after the health checks, before the page cache: a GET, HEAD or OPTIONS may read
from a fit replica unless
- it carries the pin cookie (PIN_COOKIE), set on the answer to any request that wrote or was
  not a GET/HEAD/OPTIONS (a correction, a log-in, a form) and valid REPLICA_PIN_SECONDS: the
  person who corrected reads the primary until every replica has their correction, so it is
  live at once for them too;
- it is for a page that reads what it writes (the admin, a reader's own pages, the accounts);
and the page cache renders a miss from the primary while the versions it would be stored
under are younger than REPLICA_PIN_SECONDS (`views/pagecache.py`).
A page whose replica fails (down, a broken connection) is rendered again from the primary.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from config import replicas

from .health import database_unavailable

PIN_COOKIE = "primary_pin"  # deploy/varnish/default.vcl passes requests that carry it
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PRIMARY_PREFIXES = ("/admin/", "/me/", "/accounts/", "/citations/report/")


def pinned(request: HttpRequest) -> bool:
    """The pin cookie holds when the client last wrote (seconds since the epoch)."""
    value = request.COOKIES.get(PIN_COOKIE, "")
    try:
        wrote_at = float(value)
    except ValueError:
        return bool(value)  # something else under our name: be safe
    return time.time() - wrote_at < settings.REPLICA_PIN_SECONDS


def may_read_replica(request: HttpRequest) -> bool:
    return request.method in SAFE_METHODS and not request.path.startswith(PRIMARY_PREFIXES) and not pinned(request)


class ReplicaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = bool(replicas.replica_aliases())
        if self.enabled:
            replicas.replicas.start()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled:
            return self.get_response(request)
        replica = replicas.replicas.choose() if may_read_replica(request) else None
        token = replicas.begin(replica)
        try:
            response = self.get_response(request)
            routing = replicas.current()
            assert routing is not None
            if routing.failed and request.method in SAFE_METHODS:
                # the replica went away under this page: again, from the primary (the page
                # is a GET; what it wrote, a session, is on the primary and written again)
                replicas.end(token)
                token = replicas.begin(None)
                response = self.get_response(request)
                routing = replicas.current()
                assert routing is not None
            if routing.wrote or request.method not in SAFE_METHODS:
                response.set_cookie(
                    PIN_COOKIE,
                    f"{time.time():.3f}",
                    max_age=max(1, round(settings.REPLICA_PIN_SECONDS)),
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
            return response
        finally:
            replicas.end(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if replica_failed(exception) and request.method in SAFE_METHODS:
            return HttpResponse(status=503)  # never sent: __call__ renders the page again
        return None


def replica_failed(error: BaseException | None) -> bool:
    """A database error under a request that read from a replica: that replica is left out."""
    routing = replicas.current()
    if routing is None or routing.used is None or error is None or not database_unavailable(error):
        return False
    replicas.replicas.mark_down(routing.used, error)
    routing.failed = True
    return True


@receiver(got_request_exception)
def _failed_outside_the_view(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """An error raised by a middleware or a template (not the view) reaches handler500."""
    replica_failed(sys.exc_info()[1])
