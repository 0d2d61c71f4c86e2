"""The sitemaps (issue 16): an index at /sitemap.xml and one file per section and id range
(catalogue.browse.sitemaps), for search engines to list every public page.

The index is small and built from a few index reads; the page cache keeps it. A section's file
(up to 50,000 addresses, 5-7 MB) streams as it is read, in constant memory, and is not kept by
the page cache (which keeps whole pages only; DECISIONS.md, D21). Addresses are absolute, on the
host the request came to (the page cache keys by host too).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse

from ..browse.sitemaps import SECTIONS

CONTENT_TYPE = "application/xml; charset=utf-8"
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
LINES_PER_CHUNK = 1_000


def site(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def sitemap_index(request: HttpRequest) -> HttpResponse:
    base = site(request)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{NAMESPACE}">']
    for name, section in SECTIONS.items():
        for number in section.file_numbers():
            address = reverse("sitemap_section", kwargs={"section": name, "number": number})
            lines.append(f"<sitemap><loc>{escape(base + address)}</loc></sitemap>")
    lines.append("</sitemapindex>\n")
    return HttpResponse("\n".join(lines), content_type=CONTENT_TYPE)


def sitemap_section(request: HttpRequest, section: str, number: int) -> StreamingHttpResponse:
    kind = SECTIONS.get(section)
    if kind is None:
        raise Http404(f"There is no sitemap section {section!r}.")
    sitemap = kind(number)
    if not sitemap.has_rows():
        raise Http404(f"Sitemap {section} {number} lists nothing.")
    return StreamingHttpResponse(urlset(site(request), sitemap.entries()), content_type=CONTENT_TYPE)


def urlset(base: str, entries: Iterable[tuple[str, str | None]]) -> Iterator[bytes]:
    """The file, in chunks of LINES_PER_CHUNK addresses."""
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n'.encode()
    lines: list[str] = []
    for path, lastmod in entries:
        modified = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(base + path)}</loc>{modified}</url>\n")
        if len(lines) == LINES_PER_CHUNK:
            yield "".join(lines).encode()
            lines = []
    yield ("".join(lines) + "</urlset>\n").encode()
