"""Records of the catalogue as ReDIF templates (catalogue.redif.writer writes the text).

`item_template` is the `.rdf` export of one item and the item templates of the RePEc archive
files (catalogue.repec); `series_template` and `archive_template` the `<code>seri.rdf` and
`<code>arch.rdf` of an archive. Every field the importer reads (catalogue.redif.builders) is
written, so that a template imports back to the same record, its version links included
(`link_fields`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING

from ..redif.writer import template

if TYPE_CHECKING:
    from ..models import Archive, Item, Series

REDIF_TYPES = {"paper": "Paper", "article": "Article", "chapter": "Chapter", "book": "Book", "software": "Software"}
#: The ReDIF fields that name another record, by the name a VersionLink keeps (lower case)
LINK_FIELD_NAMES = {
    **{f"{kind}-handle": f"{name}-Handle" for kind, name in REDIF_TYPES.items()},
    "haschapter": "HasChapter",
    "in-book": "In-Book",
}
#: A link as read by VersionLink.objects.exported(): field, source, other key, other's current handle and kind
LinkRow = tuple[str, str, str, str, str]


@dataclass
class Parts:
    """What an item's template holds besides its own columns, each list in order: its people
    (role, name, e-mail, workplace, homepage, registered person's short-id or "", ORCID iD or ""), keywords,
    JEL codes and files (URL, format, function, restriction, size)."""

    people: list[tuple[str, str, str, str, str, str, str]] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    jel: list[str] = field(default_factory=list)
    files: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)


def link_rows(item: Item) -> list[LinkRow]:
    """An item's exported links, as `Item.objects.with_version_links()` loaded them."""
    links = getattr(item, "exported_links", None)
    if links is None:  # a template without them would drop the links silently
        raise ValueError("A ReDIF template needs its item loaded with Item.objects.with_version_links().")
    return [(link.field, link.source, link.other_key, link.other_handle, link.other_kind) for link in links]


def link_fields(links: list[LinkRow], own_handle: str) -> list[tuple[str, str]]:
    """The fields naming the item's other versions, its chapters or its book, each other record
    once: the stated ones in the template's order under the field that stated them, then the
    versions an author confirmed, as the version-handle field of the other record's type
    (`Article-Handle` for an article). The other record by its current handle, or as the link
    names it when it is not imported; a confirmed link to a record no longer here is left out
    (its type is unknown), and so is a link back to the item itself."""
    fields: list[tuple[str, str]] = []
    seen = {own_handle.strip().lower()}
    stated = [row for row in links if row[1] == "stated"]
    confirmed = [row for row in links if row[1] == "confirmed"]
    for name, source, other_key, other_handle, other_kind in stated + confirmed:
        handle = other_handle or other_key
        if source == "confirmed" or name not in LINK_FIELD_NAMES:
            name = f"{other_kind}-handle" if other_handle else ""
        if name not in LINK_FIELD_NAMES or handle.lower() in seen:
            continue
        seen.add(handle.lower())
        fields.append((LINK_FIELD_NAMES[name], handle))
    return fields


def parts_of(item: Item) -> Parts:
    """The parts of an item loaded by `Item.objects.for_export().with_version_links()` (no query more)."""
    return Parts(
        people=[(a.role, a.name, a.email, a.workplace, a.homepage, a.person.short_id if a.person else "", a.orcid_id)
                for a in item.authorships.all()],
        keywords=[link.keyword.name for link in item.item_keywords.all()],
        jel=[j.code for j in item.jel_codes.all()],
        files=[(f.url, f.format, f.function, f.restriction, f.size) for f in item.files.all()],
        links=link_rows(item),
    )  # fmt: skip


def _keywords(keywords: list[str]) -> str:
    joined = "; ".join(keywords)
    # the importer splits on ";" when there is one, else on ","; a lone keyword with a comma keeps it
    return f"{joined};" if "," in joined and ";" not in joined else joined


def item_fields(
    item: Item | SimpleNamespace, parts: Parts, *, emails: bool = True, orcids: bool = True
) -> list[tuple[str, str]]:
    """The fields of an item: its columns (an Item, or a row of them as attributes) and `parts`.
    `emails`: with the authors' and editors' e-mail addresses (the single-item export has them;
    the public archive files do not). `orcids`: with `Author-Orcid`, which the ReDIF spec does
    not have (the single-item export, read back by this catalogue; not the RePEc archive files,
    which RePEc's own validator reads)."""
    fields: list[tuple[str, str]] = []
    for role, name, email, workplace, homepage, short_id, orcid in parts.people:
        prefix = "Author" if role == "author" else "Editor"
        fields.append((f"{prefix}-Name", name))
        if emails:
            fields.append((f"{prefix}-Email", email))
        fields += [(f"{prefix}-Workplace-Name", workplace), (f"{prefix}-Homepage", homepage)]
        fields.append((f"{prefix}-Person", short_id))
        if orcids:  # the registered person's iD, else the one the template gave
            fields.append((f"{prefix}-Orcid", orcid))
    fields += [("Title", item.title), ("Abstract", item.abstract)]
    fields += [
        ("Length", item.length), ("Creation-Date", item.creation_date), ("Revision-Date", item.revision_date),
        ("Publication-Date", item.publication_date), ("Year", str(item.year or "")), ("Month", item.month),
        ("Journal", item.journal), ("Volume", item.volume), ("Issue", item.issue), ("Pages", item.pages),
        ("Book-Title", item.book_title), ("Provider-Name", item.publisher), ("Edition", item.edition),
        ("ISBN", item.isbn), ("ISSN", item.issn), ("DOI", item.doi), ("Language", item.language),
        ("Publication-Status", item.publication_status), ("Note", item.note),
        ("Programming-Language", item.programming_language),
    ]  # fmt: skip
    for url, format_, function, restriction, size in parts.files:
        fields += [("File-URL", url), ("File-Format", format_), ("File-Function", function)]
        fields += [("File-Restriction", restriction), ("File-Size", size)]
    fields.append(("Number", item.number))
    fields.append(("Classification-JEL", " ".join(parts.jel)))
    fields.append(("Keywords", _keywords(parts.keywords)))
    fields += link_fields(parts.links, item.handle)
    fields.append(("Handle", item.handle))
    return fields


#: The item columns a template holds (what `item_fields` reads of the item itself).
ITEM_COLUMNS = (
    "kind", "handle", "title", "abstract", "length", "creation_date", "revision_date", "publication_date", "year",
    "month", "journal", "volume", "issue", "pages", "book_title", "publisher", "edition", "isbn", "issn", "doi",
    "language", "publication_status", "note", "programming_language", "number",
)  # fmt: skip


def item_template(item: Item, *, emails: bool = True) -> str:
    """The template of an Item loaded by `for_export().with_version_links()`."""
    return template(REDIF_TYPES.get(item.kind, "Paper"), item_fields(item, parts_of(item), emails=emails))


def row_template(row: SimpleNamespace, parts: Parts, *, emails: bool = True, orcids: bool = True) -> str:
    """The template of an item read as a row of ITEM_COLUMNS and its parts (catalogue.repec.files
    reads a page of them in plain rows, without building model instances)."""
    return template(REDIF_TYPES.get(row.kind, "Paper"), item_fields(row, parts, emails=emails, orcids=orcids))


def series_template(series: Series, fallback_email: str) -> str:
    """A series of `<code>seri.rdf`. Maintainer-Email is required: the archive's, then
    `fallback_email`, when the series has none."""
    email = series.maintainer_email or series.archive.maintainer_email or fallback_email
    fields = [
        ("Name", series.name), ("Type", f"ReDIF-{REDIF_TYPES.get(series.kind, 'Paper')}"),
        ("Description", series.description), ("Provider-Name", series.provider_name),
        ("Provider-Homepage", series.provider_homepage), ("Provider-Institution", series.provider_institution),
        ("Maintainer-Name", series.maintainer_name), ("Maintainer-Email", email),
        ("Homepage", series.homepage), ("ISSN", series.issn), ("Handle", series.handle),
    ]  # fmt: skip
    return template("Series", fields)


def archive_template(archive: Archive, url: str, fallback_email: str) -> str:
    """`<code>arch.rdf`: `url` is where the archive's files are served (its folder, ending in /)."""
    fields = [
        ("Name", archive.name), ("Maintainer-Name", archive.maintainer_name),
        ("Maintainer-Email", archive.maintainer_email or fallback_email), ("Description", archive.description),
        ("URL", url), ("Homepage", archive.homepage), ("Handle", archive.handle or f"RePEc:{archive.code}"),
    ]  # fmt: skip
    return template("Archive", fields)
