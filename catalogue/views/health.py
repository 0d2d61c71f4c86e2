"""Health checks, and a 503 page when the database is down (issue 14, defect 5).

`HealthMiddleware` comes first in MIDDLEWARE, so a load balancer may call it by address, over
HTTP, with any Host header:
  - `/healthz`: the process lives; no database, no cache. Always "ok".
  - `/readyz`: the database and the caches answer: 200 "ready", else 503 naming what failed.
A database error (PostgreSQL down: psycopg's pool times out after DATABASE_POOL_TIMEOUT, or a
connection breaks) raised by a view becomes a 503 page with Retry-After, rendered without the
database (no context processor); `errors.server_error` (handler500) does the same for one
raised anywhere else (a middleware, a template).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
WARN_SECONDS = 60.0
_last_warning = [-WARN_SECONDS]


def database_unavailable(error: BaseException | None) -> bool:
    """An error that says the database cannot be reached (not a bad query)."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    try:
        from psycopg_pool import PoolTimeout
    except ImportError:  # pragma: no cover - SQLite without psycopg
        return False
    return isinstance(error, PoolTimeout)


def unavailable_response(error: BaseException | None = None) -> HttpResponse:
    now = time.monotonic()
    if error is not None and now - _last_warning[0] >= WARN_SECONDS:
        _last_warning[0] = now
        logger.warning("database unavailable (%s: %s); answering 503", type(error).__name__, error)
    page = loader.get_template("503.html").render({"SITE_NAME": settings.SITE_NAME})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def readiness() -> list[str]:
    """What does not answer: "database", or a cache's alias. Empty when ready."""
    failing = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        failing.append("database")
    for alias in settings.CACHES:
        cache = caches[alias]
        ping = getattr(cache, "ping", None)  # config.cache.SafeRedisCache
        if ping is not None and not ping():
            failing.append(f"cache {alias}")
    return failing


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz":
            return HttpResponse("ok", content_type="text/plain")
        if request.path_info == "/readyz":
            failing = readiness()
            if failing:
                return HttpResponse("unavailable: " + ", ".join(failing), content_type="text/plain", status=503)
            return HttpResponse("ready", content_type="text/plain")
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if database_unavailable(exception) and not settings.DEBUG:  # a developer sees the error itself
            return unavailable_response(exception)
        return None
