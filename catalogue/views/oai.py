"""`/oai`: the OAI-PMH 2.0 provider (catalogue/oai/). GET and POST alike, without CSRF: a
harvester is no browser and has no session (some send POST, as the protocol allows)."""

from django.http import HttpResponseNotAllowed, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from ..oai import handle
from ..oai.responses import Site


@csrf_exempt
def oai(request):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    arguments = request.GET if request.method == "GET" else request.POST
    site = Site(request.build_absolute_uri(request.path), request.build_absolute_uri("/").rstrip("/"), timezone.now())
    return StreamingHttpResponse(handle(site, list(arguments.lists())), content_type="text/xml; charset=utf-8")
