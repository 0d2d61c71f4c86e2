"""What the RePEc archive files hold, read in a fixed number of queries per file or per chunk.

A series file streams: its public items (withdrawn ones left out) in pages of CHUNK by keyset
on the slug (the unique index (series, slug) serves each page), each page read as plain rows in
6 queries (items, people, keywords, JEL codes, files, version links), so that a series of any
size is written in constant memory and in 6 queries per CHUNK items.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Exists, OuterRef

from ..formatting.redif import ITEM_COLUMNS, Parts, archive_template, row_template, series_template
from ..models import Archive, Authorship, File, Item, ItemKeyword, Series, VersionLink

CHUNK = 500  # items a page of a series file: 6 queries, about 1 MB of text at most


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


Page = list[tuple[SimpleNamespace, Parts]]


def item_pages(series: Series, size: int | None = None) -> Iterator[Page]:
    """The series' public items in slug order, a page of `size` (CHUNK) at a time (keyset), each
    item as a row of its columns and its parts, read in 6 queries a page as plain rows: building
    model instances took most of the time and memory of a page (DECISIONS.md, D23)."""
    size = size or CHUNK
    last = ""
    while True:
        rows = list(
            public_items(series).filter(slug__gt=last).order_by("slug").values("id", "slug", *ITEM_COLUMNS)[:size]
        )
        if not rows:
            return
        yield page_of(rows)
        if len(rows) < size:
            return
        last = rows[-1]["slug"]


def page_of(rows: list[dict]) -> Page:
    """Rows of items with their parts: people, keywords, JEL codes, files and the links to
    their other versions, chapters or book (5 queries)."""
    parts = {row["id"]: Parts() for row in rows}
    ids = list(parts)
    people = Authorship.objects.filter(item_id__in=ids).order_by("item_id", "position")
    columns = ("item_id", "role", "name", "email", "workplace", "homepage", "person__short_id")
    for item_id, role, name, email, workplace, homepage, short_id in people.values_list(*columns):
        # no ORCID iD: RePEc's ReDIF-perl reads these files, and Author-Orcid is not in its spec
        parts[item_id].people.append((role, name, email, workplace, homepage, short_id or "", ""))
    keywords = ItemKeyword.objects.filter(item_id__in=ids).order_by("item_id", "position")
    for item_id, name in keywords.values_list("item_id", "keyword__name"):
        parts[item_id].keywords.append(name)
    jel = Item.jel_codes.through.objects.filter(item_id__in=ids).order_by("item_id", "jelcode_id")
    for item_id, code in jel.values_list("item_id", "jelcode_id"):
        parts[item_id].jel.append(code)
    files = File.objects.filter(item_id__in=ids).order_by("item_id", "position")
    for item_id, url, format_, function, restriction, size in files.values_list(
        "item_id", "url", "format", "function", "restriction", "size"
    ):
        parts[item_id].files.append((url, format_, function, restriction, size))
    links = VersionLink.objects.exported().filter(item_id__in=ids)
    for item_id, *link in links.values_list("item_id", "field", "source", "other_key", "other_handle", "other_kind"):
        parts[item_id].links.append(tuple(link))
    return [(SimpleNamespace(**row), parts[row["id"]]) for row in rows]


def series_chunks(series: Series, pages: Iterable[Page]) -> Iterator[str]:
    """The series file, a chunk of text per page of items (`item_pages`); a blank line between templates."""
    yield f"# {series.handle}: {series.name}\n"
    for page in pages:
        yield "".join("\n" + row_template(row, parts, emails=False, orcids=False) for row, parts in page)
