"""The RePEc archive files (catalogue.repec): `/repec/<code>/` as a folder RePEc harvests.

The folders' index pages and the archive's two files are small and kept by the page cache; a
series file streams in constant memory (like a sitemap's section file, DECISIONS.md D21) and
is not kept. Unknown archives, series and file names are 404.
"""

from __future__ import annotations

import itertools

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from ..models import Archive, Series
from ..repec import files

REDIF_CONTENT_TYPE = "text/plain; charset=utf-8"


def _archive(code: str) -> Archive:
    archive = files.archive_at(code)
    if archive is None:
        raise Http404(f"There is no archive {code!r}.")
    return archive


def _series(archive: Archive, code: str) -> Series:
    series = files.series_at(archive, code)
    if series is None:
        raise Http404(f"There is no series {code!r} in the archive {archive.code}.")
    return series


def archive_address(request: HttpRequest, archive: Archive) -> str:
    """The absolute address to register with RePEc: the archive's folder here."""
    return request.build_absolute_uri(reverse("repec_folder", kwargs={"archive": archive.code}))


def _index(request: HttpRequest, path: str, links: list[files.Link]) -> HttpResponse:
    return render(request, "repec/folder.html", {"path": path, "links": links})


def repec_folder(request: HttpRequest, archive: str) -> HttpResponse:
    found = _archive(archive)
    return _index(request, request.path, files.archive_links(found))


def repec_archive_file(request: HttpRequest, archive: str, name: str) -> HttpResponse:
    found = _archive(archive)
    arch, seri = files.archive_file_names(found)
    if name == arch:
        text = files.archive_text(found, archive_address(request, found))
    elif name == seri:
        text = files.series_text(found)
    else:
        raise Http404(f"There is no file {name}.rdf in the archive {found.code}.")
    return HttpResponse(text, content_type=REDIF_CONTENT_TYPE)


def repec_series_folder(request: HttpRequest, archive: str, series: str) -> HttpResponse:
    found = _series(_archive(archive), series)
    if not files.public_items(found).exists():
        raise Http404(f"The series {found.handle} has no items.")
    return _index(request, request.path, files.series_links(found))


def repec_series_file(request: HttpRequest, archive: str, series: str, name: str) -> StreamingHttpResponse:
    found = _series(_archive(archive), series)
    if name != found.code:
        raise Http404(f"There is no file {name}.rdf in the series {found.handle}.")
    pages = files.item_pages(found)
    first = next(pages, None)  # read before the answer starts: a series without items is 404
    if first is None:
        raise Http404(f"The series {found.handle} has no items.")
    chunks = (chunk.encode() for chunk in files.series_chunks(found, itertools.chain([first], pages)))
    return StreamingHttpResponse(chunks, content_type=REDIF_CONTENT_TYPE)
