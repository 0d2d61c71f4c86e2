"""The sitemaps' sections: which public pages each lists, cut by keyset into files of at most
50,000 addresses (the protocol's limit).

Each section is a `django.contrib.sitemaps.Sitemap` (items, location, lastmod), so that Django's
own views could serve a small one; the site's views (catalogue.views.sitemaps) write them
faster. File `n` of a section holds the live rows whose id lies in
`[n * PER_FILE, (n + 1) * PER_FILE)`, in id order: a range scan of the primary key, never an
OFFSET, so the last file of a million items costs what the first does, and a file's address
does not move when rows are added or withdrawn (a file may hold fewer than 50,000 addresses,
never more). `file_numbers` lists the files that hold at least one row: the lowest and highest
id (two reads of the primary key index) and, for each file between, an EXISTS on its range.

Rows are read as tuples (values_list) through a server-side cursor (`iterator`), and each
address is put together from its parts here (what `get_absolute_url` would give, without a
`reverse` per row: `tests/browse/test_sitemaps.py` checks they agree), so a file streams in
constant memory. Withdrawn items are left out: their pages still answer (IDEAS keeps them),
but a sitemap lists the pages worth indexing (DECISIONS.md, D21).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import quote

from django.contrib.sitemaps import Sitemap
from django.db.models import CharField, Max, Min, Model, QuerySet
from django.db.models.functions import Cast, TruncDate
from django.urls import get_script_prefix

from ..models import KIND_LETTERS, Archive, Institution, Item, JelCode, NepIssue, Person, Series

PER_FILE = 50_000
ITERATOR_CHUNK = 5_000
# what Django's reverse() leaves unquoted in a path (django.urls.resolvers)
SAFE = "!$&'()*+,;=/~:@"
UNQUOTED = re.compile(r"[A-Za-z0-9_.\-!$&'()*+,;=/~:@]*")

Row = tuple[Any, ...]


def page_path(*parts: str) -> str:
    """An address on this site from its parts, quoted as reverse() quotes it (most codes need
    no quoting: a match is five times cheaper than quote())."""
    path = "/".join(parts)
    return get_script_prefix() + (path if UNQUOTED.fullmatch(path) else quote(path, safe=SAFE))


def day(field: str) -> Cast:
    """A timestamp's day in UTC as `YYYY-MM-DD`, made by the database: reading 50,000 aware
    timestamps into Python took half a second of a file's second (bench/sitemaps.py)."""
    return Cast(TruncDate(field, tzinfo=datetime.UTC), CharField())


class Section(Sitemap):
    """A kind of public page; an instance is one file of it (`number`)."""

    name: ClassVar[str]
    model: ClassVar[type[Model]]
    limit = PER_FILE

    def __init__(self, number: int = 0) -> None:
        self.number = number

    def live(self) -> QuerySet[Any, Any]:
        """The rows whose pages are listed."""
        return self.model._default_manager.all()

    def rows(self) -> QuerySet[Any, Row]:
        """The live rows as tuples: (pk, what location needs, what lastmod needs)."""
        raise NotImplementedError

    def items(self) -> QuerySet[Any, Row]:
        low = self.number * PER_FILE
        return self.rows().filter(pk__gte=low, pk__lt=low + PER_FILE).order_by("pk")

    def location(self, item: Row) -> str:
        raise NotImplementedError

    def lastmod(self, item: Row) -> str | None:
        """The day of the last change, `YYYY-MM-DD` (a W3C date, as the protocol asks)."""
        modified: str | None = item[-1]
        return modified

    def entries(self) -> Iterator[tuple[str, str | None]]:
        """(path, lastmod) of every page of this file, read through a server-side cursor."""
        for row in self.items().iterator(chunk_size=ITERATOR_CHUNK):
            yield self.location(row), self.lastmod(row)

    def has_rows(self) -> bool:
        return self.items().exists()

    @classmethod
    def file_numbers(cls) -> list[int]:
        """The numbers of the files that hold at least one live row, in order."""
        bounds = cls().live().aggregate(low=Min("pk"), high=Max("pk"))
        if bounds["low"] is None:
            return []
        first, last = bounds["low"] // PER_FILE, bounds["high"] // PER_FILE
        middle = [n for n in range(first + 1, last) if cls(n).has_rows()]
        return sorted({first, *middle, last})


class ItemSection(Section):
    name = "items"
    model = Item

    def live(self) -> QuerySet[Item, Item]:
        return Item.objects.filter(withdrawn_at__isnull=True)

    def rows(self) -> QuerySet[Any, Row]:
        # updated_at moves with every import that changes the record and every correction
        return self.live().values_list("pk", "kind", "series__archive__code", "series__code", "slug", day("updated_at"))

    def location(self, item: Row) -> str:
        _, kind, archive, series, slug, _ = item
        return page_path(KIND_LETTERS[kind], archive, series, f"{slug}.html")


class SeriesSection(Section):
    name = "series"
    model = Series

    def rows(self) -> QuerySet[Any, Row]:
        return self.live().values_list("pk", "archive__code", "code", day("updated_at"))

    def location(self, item: Row) -> str:
        return page_path("s", item[1], f"{item[2]}.html")


class ArchiveSection(Section):
    name = "archives"
    model = Archive

    def rows(self) -> QuerySet[Any, Row]:
        return self.live().values_list("pk", "code", day("updated_at"))

    def location(self, item: Row) -> str:
        return page_path("s", f"{item[1]}.html")


class AuthorSection(Section):
    """Registered authors: every person has a page at their short-id."""

    name = "authors"
    model = Person

    def rows(self) -> QuerySet[Any, Row]:
        return self.live().values_list("pk", "short_id", day("updated_at"))

    def location(self, item: Row) -> str:
        return page_path("e", f"{item[1]}.html")


class InstitutionSection(Section):
    """Institutions (EDIRC): a page at the code of each (issue 20)."""

    name = "institutions"
    model = Institution

    def rows(self) -> QuerySet[Any, Row]:
        return self.live().values_list("pk", "code", day("updated_at"))

    def location(self, item: Row) -> str:
        return page_path("i", f"{item[1]}.html")


class NepIssueSection(Section):
    name = "nep"
    model = NepIssue

    def rows(self) -> QuerySet[Any, Row]:
        return self.live().values_list("pk", "report__code", "date", Cast("date", CharField()))

    def location(self, item: Row) -> str:
        return page_path("n", item[1], f"{item[3]}.html")


class JelSection(Section):
    """The JEL codes (about 850, keyed by their code): one file."""

    name = "jel"
    model = JelCode

    def items(self) -> QuerySet[Any, Row]:
        codes = JelCode.objects.order_by("code").values_list("code")
        return codes if self.number == 0 else codes.none()

    def location(self, item: Row) -> str:
        return page_path("j", f"{item[0]}.html")

    def lastmod(self, item: Row) -> str | None:
        return None

    @classmethod
    def file_numbers(cls) -> list[int]:
        return [0] if JelCode.objects.exists() else []


SECTIONS: dict[str, type[Section]] = {
    section.name: section
    for section in (
        ItemSection,
        SeriesSection,
        ArchiveSection,
        AuthorSection,
        InstitutionSection,
        JelSection,
        NepIssueSection,
    )
}
