"""The "Open data" page (/data/) and the files of the current dump (/data/<file>).

The page reads the current manifest (no query) and is page-cached under the `opendata` tag,
which a new dump moves. A file is served only when the current manifest lists its name (or it
is the manifest or the checksums): the name a client sends is compared with those, never
joined to a path, so `..` and encoded slashes reach nothing. In production a proxy may serve
the folder itself (README, "Open data").
"""

from __future__ import annotations

import datetime

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from .. import opendata, pagecache
from ..pages import breadcrumbs


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    dump = opendata.current()
    files = {entry["kind"]: entry for entry in dump.manifest.get("files", [])} if dump else {}
    return render(
        request,
        "opendata/index.html",
        {
            "dump": dump,
            "generated_at": generated_at(dump),
            "kinds": [(kind, files.get(kind.name)) for kind in opendata.KINDS],
            "licence": opendata.LICENCE,
            "breadcrumbs": breadcrumbs.trail(here="Open data"),
            "canonical_url": request.build_absolute_uri("/data/"),
        },
    )


@require_safe
def data_file(request: HttpRequest, name: str) -> HttpResponseBase:
    dump = opendata.current()
    path = dump.path_of(name) if dump else None
    if dump is None or path is None:
        raise Http404("No such file in the current dump")
    entry = next((e for e in dump.manifest["files"] if e["name"] == name), None)
    # the generation's name is in its folder: a strong validator for the manifest and checksums
    etag = f'"{entry["sha256"][:32]}"' if entry else f'"{dump.folder.name}-{name}"'
    modified = generated_at(dump)
    last_modified = int(modified.timestamp()) if modified else None
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if conditional is not None:
        return conditional
    try:
        handle = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except OSError as error:  # pruned between the manifest's read and now: the next request finds the new one
        raise Http404("No such file in the current dump") from error
    response = FileResponse(handle, as_attachment=name.endswith(".gz"), filename=name)
    if name.endswith(".json"):
        response["Content-Type"] = "application/json"
    elif not name.endswith(".gz"):
        response["Content-Type"] = "text/plain; charset=utf-8"
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    # short, and dropped from a shared cache by the purge a new dump sends (catalogue.pagecache,
    # tag `opendata`): a cache never pairs one generation's manifest with another's files for long
    response["Cache-Control"] = "public, max-age=60"
    response["Surrogate-Key"] = pagecache.OPENDATA
    response["Cache-Tag"] = pagecache.OPENDATA
    return response


def generated_at(dump: opendata.Current | None) -> datetime.datetime | None:
    if dump is None:
        return None
    try:
        return datetime.datetime.fromisoformat(str(dump.manifest.get("generated_at", "")).replace("Z", "+00:00"))
    except ValueError:
        return None
