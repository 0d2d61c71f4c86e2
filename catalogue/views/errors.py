"""Error pages and the health check."""

from django.core.exceptions import BadRequest
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render


def not_found(request, exception=None):
    """Our own Http404 messages say what was not found; the URL resolver's (a dict) do not."""
    message = exception.args[0] if exception is not None and exception.args else None
    if not isinstance(message, str) or not message:
        message = "There is nothing at this address."
    return render(request, "404.html", {"message": message}, status=404)


def bad_request(request, exception=None):
    """Our own BadRequest messages say what was wrong with the request; other 400s (a suspicious
    host or file name) get a generic text, as their messages may hold what we do not echo."""
    message = exception.args[0] if isinstance(exception, BadRequest) and exception.args else None
    if not isinstance(message, str) or not message:
        message = "The request could not be understood."
    return render(request, "400.html", {"message": message}, status=400)


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
