"""Error pages (the health checks are in health.py)."""

import sys

from django.core.exceptions import BadRequest
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults

from .health import database_unavailable, unavailable_response


def not_found(request, exception=None):
    """Our own Http404 messages say what was not found; the URL resolver's (a dict) do not."""
    message = exception.args[0] if exception is not None and exception.args else None
    if not isinstance(message, str) or not message:
        message = "There is nothing at this address."
    if request.path.startswith("/api/"):  # an address the API has no operation for: JSON, as its own 404s
        detail = f"{message} The API's operations are listed at /api/v1/docs."
        return JsonResponse({"detail": detail, "errors": {}}, status=404)
    return render(request, "404.html", {"message": message}, status=404)


def bad_request(request, exception=None):
    """Our own BadRequest messages say what was wrong with the request; other 400s (a suspicious
    host or file name) get a generic text, as their messages may hold what we do not echo."""
    message = exception.args[0] if isinstance(exception, BadRequest) and exception.args else None
    if not isinstance(message, str) or not message:
        message = "The request could not be understood."
    if request.path.startswith("/api/"):  # the API's errors are JSON, whoever raised them
        return JsonResponse({"detail": message, "errors": {}}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def server_error(request):
    """A database that cannot be reached: 503 with Retry-After. Anything else: Django's 500,
    rendered without the database (no context processor)."""
    error = sys.exc_info()[1]
    if database_unavailable(error):
        return unavailable_response(error)
    return defaults.server_error(request)


def healthz(request):
    """Answered by health.HealthMiddleware before any view; kept for reverse("healthz")."""
    return HttpResponse("ok", content_type="text/plain")
