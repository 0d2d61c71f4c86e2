"""What the RePEc archive files hold, read in a fixed number of queries per file or per chunk.

A series file streams: its public items (withdrawn ones left out) in pages of CHUNK by keyset
on the slug (the unique index (series, slug) serves each page), each page loaded with
`for_export()` (5 queries), so that a series of any size is written in constant memory and in
5 queries per CHUNK items.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef

from ..formatting.redif import archive_template, item_template, series_template
from ..models import Archive, Item, Series

CHUNK = 500  # items a page of a series file: 5 queries, about 1 MB of text at most


@dataclass(frozen=True)
class Link:
    """One entry of a folder's index page: a relative address (a folder's ends with /)."""

    href: str
    name: str


def fallback_email() -> str:
    """Maintainer-Email is required by RePEc: the site's contact when a record has none."""
    return settings.OAI_ADMIN_EMAIL


def archive_at(code: str) -> Archive | None:
    return Archive.objects.filter(code=code.lower()).first()


def series_at(archive: Archive, code: str) -> Series | None:
    return Series.objects.filter(archive=archive, code=code.lower()).select_related("archive").first()


def public_items(series: Series):
    return Item.objects.filter(series=series, withdrawn_at__isnull=True)


def archive_file_names(archive: Archive) -> tuple[str, str]:
    return f"{archive.code}arch", f"{archive.code}seri"


def archive_links(archive: Archive) -> list[Link]:
    """The archive's folder: its two files, then a folder per series with a public item (1 query)."""
    arch, seri = archive_file_names(archive)
    held = Exists(Item.objects.filter(series=OuterRef("pk"), withdrawn_at__isnull=True))
    codes = Series.objects.filter(archive=archive).filter(held).order_by("code").values_list("code", flat=True)
    return [
        Link(f"{arch}.rdf", f"{arch}.rdf"),
        Link(f"{seri}.rdf", f"{seri}.rdf"),
        *(Link(f"{c}/", f"{c}/") for c in codes),
    ]


def series_links(series: Series) -> list[Link]:
    return [Link(f"{series.code}.rdf", f"{series.code}.rdf")]


def archive_text(archive: Archive, url: str) -> str:
    """`<code>arch.rdf`; `url` the archive's folder here (absolute, ending with /)."""
    return archive_template(archive, url, fallback_email())


def series_text(archive: Archive) -> str:
    """`<code>seri.rdf`: every series of the archive, in code order (1 query)."""
    templates = []
    for series in Series.objects.filter(archive=archive).order_by("code"):
        series.archive = archive  # the one archive: no query per series for its maintainer
        templates.append(series_template(series, fallback_email()))
    return "\n".join(templates)


def item_pages(series: Series, size: int | None = None) -> Iterator[list[Item]]:
    """The series' public items in slug order, a page of `size` (CHUNK) at a time (keyset)."""
    size = size or CHUNK
    last = ""
    while True:
        page = list(public_items(series).filter(slug__gt=last).order_by("slug").for_export()[:size])
        if not page:
            return
        for item in page:
            item.series = series  # loaded once for the file
        yield page
        if len(page) < size:
            return
        last = page[-1].slug


def series_chunks(series: Series, pages: Iterable[list[Item]]) -> Iterator[str]:
    """The series file, a chunk of text per page of items (`item_pages`); a blank line between templates."""
    yield f"# {series.handle}: {series.name}\n"
    for page in pages:
        yield "".join("\n" + item_template(item, emails=False) for item in page)
