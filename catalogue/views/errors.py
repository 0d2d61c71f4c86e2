"""Error pages and the health check."""

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render


def not_found(request, exception=None):
    """Our own Http404 messages say what was not found; the URL resolver's (a dict) do not."""
    message = exception.args[0] if exception is not None and exception.args else None
    if not isinstance(message, str) or not message:
        message = "There is nothing at this address."
    return render(request, "404.html", {"message": message}, status=404)


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
