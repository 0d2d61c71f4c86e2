"""Records of the catalogue as ReDIF templates (catalogue.redif.writer writes the text).

`item_template` is the `.rdf` export of one item and the item templates of the RePEc archive
files (catalogue.repec); `series_template` and `archive_template` the `<code>seri.rdf` and
`<code>arch.rdf` of an archive. Every field the importer reads (catalogue.redif.builders) is
written, so that a template imports back to the same record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..redif.writer import template

if TYPE_CHECKING:
    from ..models import Archive, Item, Series

REDIF_TYPES = {"paper": "Paper", "article": "Article", "chapter": "Chapter", "book": "Book", "software": "Software"}


def _keywords(item: Item) -> str:
    keywords = "; ".join(link.keyword.name for link in item.item_keywords.all())
    # the importer splits on ";" when there is one, else on ","; a lone keyword with a comma keeps it
    return f"{keywords};" if "," in keywords and ";" not in keywords else keywords


def item_fields(item: Item, *, emails: bool = True) -> list[tuple[str, str]]:
    """The fields of an item loaded by `Item.objects.for_export()`. `emails`: with the authors'
    and editors' e-mail addresses (the single-item export does; the public archive files do not)."""
    fields: list[tuple[str, str]] = []
    for a in item.authorships.all():
        prefix = "Author" if a.role == "author" else "Editor"
        fields.append((f"{prefix}-Name", a.name))
        if emails:
            fields.append((f"{prefix}-Email", a.email))
        fields += [(f"{prefix}-Workplace-Name", a.workplace), (f"{prefix}-Homepage", a.homepage)]
        fields.append((f"{prefix}-Person", a.person.short_id if a.person else ""))
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
    for f in item.files.all():
        fields += [("File-URL", f.url), ("File-Format", f.format), ("File-Function", f.function)]
        fields += [("File-Restriction", f.restriction), ("File-Size", f.size)]
    fields.append(("Number", item.number))
    fields.append(("Classification-JEL", " ".join(j.code for j in item.jel_codes.all())))
    fields += [("Keywords", _keywords(item)), ("Handle", item.handle)]
    return fields


def item_template(item: Item, *, emails: bool = True) -> str:
    return template(REDIF_TYPES.get(item.kind, "Paper"), item_fields(item, emails=emails))


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
