"""What a record of each kind looks like in the dump, read in chunks of plain rows.

Each kind is a generator of chunks (lists of dicts ready for JSON): rows are read with
`values()` (no model instances) by keyset on the primary key, and what a chunk's records hold
of other tables (an item's authors, keywords, JEL codes, files; a person's affiliations and
works; an issue's items) is read once a chunk by a range of ids, so a chunk costs a fixed
number of queries whatever its size and the whole dump holds one chunk in memory.

No e-mail address is written, of anyone: not of authors (registered or not), maintainers or
persons. FIELDS documents each kind for the "Open data" page; tests hold them together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from ..models import (
    KIND_LETTERS,
    Affiliation,
    Archive,
    Authorship,
    File,
    Institution,
    Item,
    ItemKeyword,
    ItemStatTotals,
    NepAnnouncement,
    NepIssue,
    Person,
    Reference,
    Series,
)

Record = dict[str, Any]
Chunks = Iterator[list[Record]]


def keyset(queryset: QuerySet, fields: tuple[str, ...], chunk_size: int) -> Iterator[list[dict[str, Any]]]:
    """Rows of `queryset` as dicts of `fields` (plus "pk"), `chunk_size` at a time, in id order:
    each chunk one query that starts after the last id of the one before (an index range scan,
    not an OFFSET that rereads what it skips)."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values("pk", *fields)[:chunk_size])
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]


def grouped(rows: Iterator[tuple[Any, ...]] | QuerySet) -> dict[int, list[tuple[Any, ...]]]:
    """(owner id, *values) rows -> owner id -> [values...], in the rows' order."""
    found: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for owner, *values in rows:
        found[owner].append(tuple(values))
    return found


def span(rows: list[dict[str, Any]]) -> tuple[int, int]:
    """The first and last id of a chunk: what its related rows are read by (a range, so the
    query's text is the same whatever the chunk's size)."""
    return rows[0]["pk"], rows[-1]["pk"]


@cache
def path_format(name: str, letter: bool = False, **placeholders: str) -> str:
    """The address of the URL `name` as a format string, reversed once: reverse() costs 100 us,
    a third of an item's record (tests compare the result with get_absolute_url())."""
    kwargs = {key: f"Z{key.upper()}Z" for key in placeholders}
    if letter:
        kwargs["letter"] = "p"
    found = reverse(name, kwargs=kwargs)
    for key in placeholders:
        found = found.replace(f"Z{key.upper()}Z", "{" + key + "}")
    return found.replace("/p/", "/{letter}/", 1) if letter else found


def address(name: str, letter: str = "", **values: str) -> str:
    """reverse(name, kwargs=values), quoted as reverse() quotes."""
    form = path_format(name, bool(letter), **dict.fromkeys(values, ""))
    quoted = {key: quote(value, safe=RFC3986_SUBDELIMS + "/~:@") for key, value in values.items()}
    return form.format(letter=letter, **quoted)


@cache
def _institution_path() -> str:
    # a code is seven letters and digits (the URL's converter), nothing to quote
    return reverse("institution", kwargs={"code": "0000000"}).replace("0000000", "{}")


def institution_page(code: str) -> str:
    """reverse("institution", code), reversed once (address() holds placeholders the seven
    characters of the converter refuse)."""
    return _institution_path().format(code)


# -- archives and series ------------------------------------------------------------------


def archives(chunk_size: int) -> Chunks:
    fields = ("code", "handle", "name", "url", "homepage", "maintainer_name", "description")
    for rows in keyset(Archive.objects.all(), (*fields, "series_count", "item_count"), chunk_size):
        yield [
            {
                **{name: row[name] for name in fields},
                "series_count": row["series_count"],
                "item_count": row["item_count"],
                "page": address("archive", archive=row["code"]),
            }
            for row in rows
        ]


SERIES_FIELDS = (
    "handle",
    "code",
    "name",
    "kind",
    "description",
    "provider_name",
    "provider_homepage",
    "provider_institution",
    "maintainer_name",
    "homepage",
    "issn",
)


def series(chunk_size: int) -> Chunks:
    for rows in keyset(Series.objects.all(), (*SERIES_FIELDS, "archive__code", "item_count"), chunk_size):
        yield [
            {
                "handle": row["handle"],
                "archive": row["archive__code"],
                **{name: row[name] for name in SERIES_FIELDS[1:]},
                "item_count": row["item_count"],
                "page": address("series", archive=row["archive__code"], series=row["code"]),
            }
            for row in rows
        ]


# -- items ----------------------------------------------------------------------------------

ITEM_FIELDS = (
    "title",
    "abstract",
    "year",
    "creation_date",
    "revision_date",
    "publication_date",
    "number",
    "volume",
    "issue",
    "pages",
    "month",
    "length",
    "journal",
    "book_title",
    "publisher",
    "edition",
    "isbn",
    "issn",
    "doi",
    "language",
    "publication_status",
    "note",
    "programming_language",
)
ITEM_JOINED = ("slug", "series__handle", "series__code", "series__archive__code", "replaced_by__handle")


def items(chunk_size: int) -> Chunks:
    """Items with their series, authors, keywords, JEL codes and files: 5 queries a chunk (the
    items with their series and archive, then authorships with persons, keywords, JEL codes and
    files of the chunk's id range)."""
    fields = ("handle", "kind", *ITEM_FIELDS, *ITEM_JOINED, "withdrawn_at", "withdrawal_note", "updated_at")
    for rows in keyset(Item.objects.all(), fields, chunk_size):
        first, last = span(rows)
        within = {"item_id__gte": first, "item_id__lte": last}
        authors = grouped(
            Authorship.objects.filter(**within)
            .order_by("item_id", "position")
            .values_list(
                "item_id", "name", "role", "workplace", "homepage", "person__short_id", "person__orcid", "orcid"
            )
        )
        keywords = grouped(
            ItemKeyword.objects.filter(**within).order_by("item_id", "position").values_list("item_id", "keyword__name")
        )
        jel = grouped(
            Item.jel_codes.through.objects.filter(**within)
            .order_by("item_id", "jelcode_id")
            .values_list("item_id", "jelcode_id")
        )
        files = grouped(
            File.objects.filter(**within)
            .order_by("item_id", "position")
            .values_list("item_id", "url", "format", "function", "restriction", "size")
        )
        yield [item_record(row, authors, keywords, jel, files) for row in rows]


def item_record(row: dict[str, Any], authors: dict, keywords: dict, jel: dict, files: dict) -> Record:
    """One item as the dump holds it."""
    pk = row["pk"]
    return {
        "handle": row["handle"],
        "kind": row["kind"],
        "series": row["series__handle"],
        **{name: row[name] for name in ITEM_FIELDS},
        "authors": [
            {
                "name": name,
                "role": role,
                "workplace": workplace,
                "homepage": homepage,
                "person": person or "",
                "orcid": own or orcid,
            }
            for name, role, workplace, homepage, person, own, orcid in authors.get(pk, ())
        ],
        "keywords": [name for (name,) in keywords.get(pk, ())],
        "jel": [code for (code,) in jel.get(pk, ())],
        "files": [
            {"url": url, "format": format_, "function": function, "restriction": restriction, "size": size}
            for url, format_, function, restriction, size in files.get(pk, ())
        ],
        "withdrawn": row["withdrawn_at"],
        "withdrawal_note": row["withdrawal_note"],
        "replaced_by": row["replaced_by__handle"] or "",
        "updated": row["updated_at"],
        "page": address(
            "item",
            KIND_LETTERS[row["kind"]],
            archive=row["series__archive__code"],
            series=row["series__code"],
            code=row["slug"],
        ),
    }


# -- persons ------------------------------------------------------------------------------

PERSON_FIELDS = ("short_id", "handle", "name_full", "name_first", "name_middle", "name_last", "homepage", "orcid")


#: what a person's affiliation says of the imported institution it names (EDIRC)
AFFILIATION_INSTITUTION = ("handle", "code", "name", "country", "location", "homepage")


def persons(chunk_size: int) -> Chunks:
    """Registered authors with their affiliations (each with the institution it names, when
    imported, in the same query) and the handles of their works: 3 queries a chunk."""
    for rows in keyset(Person.objects.all(), (*PERSON_FIELDS, "name_variants"), chunk_size):
        first, last = span(rows)
        within = {"person_id__gte": first, "person_id__lte": last}
        affiliations = grouped(
            Affiliation.objects.filter(**within)
            .order_by("person_id", "position")
            .values_list(
                "person_id",
                "name",
                "institution",
                "share",
                *(f"institution_ref__{name}" for name in AFFILIATION_INSTITUTION),
            )
        )
        works = grouped(
            Authorship.objects.filter(**within)
            .order_by("person_id", "item_id")
            .values_list("person_id", "item__handle")
        )
        yield [
            {
                **{name: row[name] for name in PERSON_FIELDS},
                "name_variants": list(row["name_variants"] or []),
                "affiliations": [
                    {"name": name, "institution": institution, "share": share, "institution_record": known(*edirc)}
                    for name, institution, share, *edirc in affiliations.get(row["pk"], ())
                ],
                # an author and editor of one item is linked to it twice: once here
                "works": list(dict.fromkeys(handle for (handle,) in works.get(row["pk"], ()))),
                "page": address("person", short_id=row["short_id"]),
            }
            for row in rows
        ]


def known(handle: str | None, code: str, name: str, country: str, location: str, homepage: str) -> Record | None:
    """An affiliation's institution as the dump gives it; None when the handle names none imported."""
    if handle is None:
        return None
    return {
        "handle": handle,
        "code": code,
        "name": name,
        "country": country,
        "location": location,
        "homepage": homepage,
        "page": institution_page(code),
    }


# -- institutions -------------------------------------------------------------------------

INSTITUTION_FIELDS = ("handle", "code", "name", "levels", "location", "country", "homepage", "postal")


def institutions(chunk_size: int) -> Chunks:
    """Institutions (EDIRC) with their parent's handle and their registered authors' number:
    1 query a chunk (the parent and the totals joined)."""
    fields = (*INSTITUTION_FIELDS, "parent__handle", "stat_totals__authors")
    for rows in keyset(Institution.objects.all(), fields, chunk_size):
        yield [
            {
                **{name: row[name] for name in INSTITUTION_FIELDS},
                "parent": row["parent__handle"] or "",
                "authors": row["stat_totals__authors"] or 0,
                "page": institution_page(row["code"]),
            }
            for row in rows
        ]


# -- citations, NEP, statistics -----------------------------------------------------------


def citations(chunk_size: int) -> Chunks:
    """References that count as citations (matched or confirmed), citing handle -> cited
    handle with the reference as the citing item prints it: 1 query a chunk."""
    counted = Reference.objects.filter(status__in=Reference.Status.counted(), target__isnull=False)
    for rows in keyset(counted, ("citing__handle", "target__handle", "status", "raw_text"), chunk_size):
        yield [
            {
                "citing": row["citing__handle"],
                "cited": row["target__handle"],
                "status": row["status"],
                "text": row["raw_text"],
            }
            for row in rows
        ]


def nep(chunk_size: int) -> Chunks:
    """NEP issues with the handles of the items each announced, in the editor's order (the
    format `manage.py import_nep` reads): 2 queries a chunk."""
    for rows in keyset(NepIssue.objects.all(), ("report__code", "report__name", "date"), chunk_size):
        first, last = span(rows)
        announced = grouped(
            NepAnnouncement.objects.filter(issue_id__gte=first, issue_id__lte=last)
            .order_by("issue_id", "position")
            .values_list("issue_id", "item__handle")
        )
        yield [
            {
                "report": row["report__code"],
                "name": row["report__name"],
                "date": row["date"],
                "items": [handle for (handle,) in announced.get(row["pk"], ())],
            }
            for row in rows
        ]


STAT_FIELDS = ("last_month", "views_month", "downloads_month", "views_year", "downloads_year")


def statistics(chunk_size: int) -> Chunks:
    """Each item's usage totals (abstract views and downloads; robots left out), as the rankings
    last computed them: 1 query a chunk. Keyed by item id, the table's primary key."""
    fields = ("item__handle", *STAT_FIELDS, "views_all", "downloads_all")
    for rows in keyset(ItemStatTotals.objects.all(), fields, chunk_size):
        yield [
            {
                "handle": row["item__handle"],
                **{name: row[name] for name in STAT_FIELDS},
                "views_all": row["views_all"],
                "downloads_all": row["downloads_all"],
            }
            for row in rows
        ]


@dataclass(frozen=True)
class Kind:
    name: str
    chunks: Callable[[int], Chunks]
    description: str
    fields: tuple[tuple[str, str], ...]

    @property
    def filename(self) -> str:
        return f"{self.name}.jsonl.gz"


KINDS = (
    Kind(
        "archives",
        archives,
        "Publishers' metadata archives.",
        (
            ("code", "three letters: ipt"),
            ("handle", "RePEc:ipt"),
            ("name, url, homepage, maintainer_name, description", "as the archive declares them"),
            ("series_count, item_count", "how many series and items it holds"),
            ("page", "the archive's page on this site (a path)"),
        ),
    ),
    Kind(
        "series",
        series,
        "Working-paper series, journals, books and software collections.",
        (
            ("handle", "RePEc:ipt:iptwpa"),
            ("archive, code", "the archive's code and the series' six letters"),
            ("name, kind", "kind: paper, article, chapter, book or software"),
            ("description, provider_*, maintainer_name, homepage, issn", "as the series declares them"),
            ("item_count, page", "how many items it holds; its page"),
        ),
    ),
    Kind(
        "items",
        items,
        "Every research item, withdrawn ones included (marked so).",
        (
            ("handle, kind, series", "the item's handle, its kind, its series' handle"),
            ("title, abstract", "as the publisher gave them (see the licence about abstracts)"),
            ("year, creation_date, revision_date, publication_date", "dates: yyyy, yyyy-mm or yyyy-mm-dd"),
            ("number, volume, issue, pages, month, length", "where it appeared, as strings"),
            ("journal, book_title, publisher, edition, isbn, issn, doi, language", "bibliographic details"),
            ("publication_status, note, programming_language", "as given"),
            (
                "authors",
                "in order: name, role (author or editor), workplace, homepage, person (short-id or empty), "
                "orcid (the registered person's ORCID iD, else the one the record gave, or empty)",
            ),
            ("keywords, jel", "keywords in order; JEL codes"),
            ("files", "download links: url, format, function, restriction, size"),
            ("withdrawn, withdrawal_note, replaced_by", "when and why it was withdrawn, and what replaces it"),
            ("updated, page", "when its record last changed; its page on this site"),
        ),
    ),
    Kind(
        "persons",
        persons,
        "Registered authors (no e-mail address, ever).",
        (
            ("short_id, handle", "phe123; RePEc:per:1965-06-05:thomas_krichel"),
            ("name_full, name_first, name_middle, name_last, name_variants", "the name and its other spellings"),
            ("homepage", "as the author gave it"),
            ("orcid", "ORCID iD, 0000-0002-1825-0097 (without https://orcid.org/), or empty"),
            (
                "affiliations",
                "name, institution (EDIRC handle as given), share in percent, institution_record (the institution "
                "the handle names when it is known here: handle, code, name, country, location, homepage, page; "
                "else null)",
            ),
            ("works", "handles of the items the author is linked to"),
            ("page", "the author's page on this site"),
        ),
    ),
    Kind(
        "institutions",
        institutions,
        "Institutions (EDIRC): universities, departments, central banks, research centres (no e-mail address).",
        (
            ("handle, code", "RePEc:edi:yaleeus; its last seven letters, the page's address"),
            ("name", "the innermost level's English name where given, else its own"),
            ("levels", "every level from the outermost in: name, and en (the English name) where it differs"),
            ("location, country, homepage, postal", "country: ISO 3166-1 alpha-2 (GB, US), or empty when not known"),
            ("parent", "the handle of the institution it is part of (a department's university), or empty"),
            ("authors", "how many registered authors name it, when the rankings were last computed"),
            ("page", "the institution's page on this site"),
        ),
    ),
    Kind(
        "citations",
        citations,
        "Citations: references matched to a catalogue item, or confirmed by a person.",
        (
            ("citing, cited", "the citing and the cited item's handles"),
            ("status", "matched (by the matcher) or confirmed (by a person)"),
            ("text", "the reference as the citing item prints it"),
        ),
    ),
    Kind(
        "nep",
        nep,
        "NEP (New Economics Papers) report issues and the items each announced.",
        (
            ("report, name", "the report's code (nep-ino) and name"),
            ("date", "the issue's date, yyyy-mm-dd"),
            ("items", "handles of the items announced, in the editor's order"),
        ),
    ),
    Kind(
        "statistics",
        statistics,
        "Usage totals of each item with any: abstract views and downloads, robots left out.",
        (
            ("handle", "the item's handle"),
            ("last_month", "the last complete month these count (yyyy-mm-dd, its first day)"),
            ("views_month, downloads_month", "in that month"),
            ("views_year, downloads_year", "in the twelve months to it"),
            ("views_all, downloads_all", "since counting began"),
        ),
    ),
)
