"""Citations and meta tags as data: built here, tested here, printed by dumb templates.

The suggested citation follows IDEAS's format for each kind of item, e.g.
    Fatime Barbara Hegyi & Ruslan Rakhmatullin, 2017. "Implementing smart specialisation
    - thematic platform on industrial modernisation," JRC Research Reports JRC108028,
    Joint Research Centre (Seville site).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..models import Item, Keyword

MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): index for index, name in enumerate(calendar.month_abbr) if name})


@dataclass(frozen=True)
class Citation:
    """A citation in three parts so that a template can link the title: lead "title" tail."""

    lead: str
    title: str
    tail: str

    def __str__(self) -> str:
        return f'{self.lead}"{self.title}," {self.tail}'.rstrip()


@dataclass(frozen=True)
class Listed:
    """An item shown as a citation line that links to its page."""

    item: Item
    citation: Citation
    url: str
    score: float | None = None


def listed(items: Iterable[Item], scores: list[float | None] | None = None) -> list[Listed]:
    """Citation lines for items loaded with series, archive and authorships."""
    items = list(items)
    scores = scores or [None] * len(items)
    return [Listed(i, suggested_citation(i), i.get_absolute_url(), s) for i, s in zip(items, scores, strict=True)]


def author_names(item: Item) -> list[str]:
    """Names of the item's authors in order (editors are not authors); uses prefetched rows."""
    return [a.name for a in item.authorships.all() if a.role == "author"]


def editor_names(item: Item) -> list[str]:
    return [a.name for a in item.authorships.all() if a.role == "editor"]


def month_name(month: str) -> str:
    """'10' or 'oct' or 'October' -> 'October'; anything else is kept as written."""
    value = month.strip()
    if value.isdigit() and 1 <= int(value) <= 12:
        return calendar.month_name[int(value)]
    index = MONTHS.get(value.lower().rstrip("."))
    return calendar.month_name[index] if index else value


def revised_text(revision_date: str) -> str:
    """'2015-08' -> 'revised Aug 2015'; '2015' -> 'revised 2015'."""
    if not revision_date:
        return ""
    parts = revision_date.split("-")
    if len(parts) >= 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        return f"revised {calendar.month_abbr[int(parts[1])]} {parts[0]}"
    return f"revised {parts[0]}"


def _join(parts: list[str]) -> str:
    return ", ".join(part for part in parts if part)


def suggested_citation(item: Item) -> Citation:
    """The item as IDEAS cites it; needs the item's series, archive and authorships loaded."""
    authors = " & ".join(author_names(item)) or " & ".join(editor_names(item)) or "Anonymous"
    year = f"{item.year}" if item.year else "n.d."
    lead = f"{authors}, {year}. "
    series = item.series
    provider = series.provider_name or series.archive.name
    if item.kind == "article":
        volume = f"vol. {item.volume}" if item.volume else ""
        if item.issue:
            volume = f"{volume}({item.issue})" if volume else f"issue {item.issue}"
        pages = f"pages {item.pages}" if item.pages else ""
        tail = _join([item.journal or series.name, provider, volume, pages, month_name(item.month)])
    elif item.kind == "chapter":
        editors = " & ".join(editor_names(item))
        book = f"in: {editors} (ed.), {item.book_title}" if editors else f"in: {item.book_title}"
        tail = _join(
            [
                book if item.book_title else "",
                f"chapter {item.number}" if item.number else "",
                f"pages {item.pages}" if item.pages else "",
                series.name if not item.book_title else "",
                item.publisher or provider,
            ]
        )
    elif item.kind == "book":
        tail = _join(
            [
                series.name,
                item.publisher or provider,
                f"edition {item.edition}" if item.edition else "",
                f"number {item.number}" if item.number else "",
            ]
        )
    else:  # papers and software: "Series Number, Provider, revised Mon yyyy"
        tail = _join([f"{series.name} {item.number}".strip(), provider, revised_text(item.revision_date)])
    return Citation(lead=lead, title=item.title, tail=f"{tail}.")


def scholar_meta(item: Item, page_url: str, cited: Iterable[Item] = ()) -> list[tuple[str, str]]:
    """Google Scholar's (Highwire Press) `citation_*` meta tags; `page_url` is the absolute address of
    the item page, `cited` the catalogue items its references cite (authorships prefetched)."""
    tags = [("citation_title", item.title)]
    for authorship in item.authorships.all():
        if authorship.role == "author":  # each author's institution follows the author's name
            tags.append(("citation_author", authorship.name))
            if authorship.workplace:
                tags.append(("citation_author_institution", authorship.workplace))
    date = item.publication_date or item.creation_date or (str(item.year) if item.year else "")
    if date:
        tags.append(("citation_publication_date", date.replace("-", "/")))
    if item.created_at:  # online here since it was first catalogued
        tags.append(("citation_online_date", f"{item.created_at:%Y/%m/%d}"))
    tags += _kind_tags(item)
    if item.issn or item.series.issn:
        tags.append(("citation_issn", item.issn or item.series.issn))
    if item.doi:
        tags.append(("citation_doi", item.doi))
    if item.language:
        tags.append(("citation_language", item.language))
    tags += [("citation_keywords", keyword.name) for keyword in _keywords(item)]
    pdf = next((f.url for f in item.files.all() if "pdf" in f.format.lower() and not f.restriction), None)
    if pdf:
        tags.append(("citation_pdf_url", pdf))
    tags.append(("citation_abstract_html_url", page_url))
    tags += [("citation_reference", reference_meta(target)) for target in cited]
    return tags


def reference_meta(item: Item) -> str:
    """A cited item as the content of a `citation_reference` tag: `citation_title=...; ...`."""
    parts = [("citation_title", item.title)]
    parts += [("citation_author", name) for name in author_names(item)]
    if item.year:
        parts.append(("citation_publication_date", str(item.year)))
    if item.kind == "article":
        parts.append(("citation_journal_title", item.journal or item.series.name))
    if item.doi:
        parts.append(("citation_doi", item.doi))
    return "; ".join(f"{name}={value.replace(';', ',')}" for name, value in parts)


def _kind_tags(item: Item) -> list[tuple[str, str]]:
    """The tags only one kind of item has: journal and pages, report number, book and publisher."""
    if item.kind == "article":
        return _article_tags(item)
    if item.kind == "paper":
        return _paper_tags(item)
    if item.kind in ("book", "chapter"):
        return _book_tags(item)
    return []


def _article_tags(item: Item) -> list[tuple[str, str]]:
    tags = [("citation_journal_title", item.journal or item.series.name)]
    if item.volume:
        tags.append(("citation_volume", item.volume))
    if item.issue:
        tags.append(("citation_issue", item.issue))
    if item.pages:
        first, _, last = item.pages.partition("-")
        tags.append(("citation_firstpage", first.strip()))
        if last.strip():
            tags.append(("citation_lastpage", last.strip()))
    return tags


def _paper_tags(item: Item) -> list[tuple[str, str]]:
    tags = []
    if item.number:
        tags.append(("citation_technical_report_number", item.number))
    tags.append(("citation_technical_report_institution", item.series.provider_name or item.series.archive.name))
    return tags


def _book_tags(item: Item) -> list[tuple[str, str]]:
    tags = []
    if item.book_title:
        tags.append(("citation_inbook_title", item.book_title))
    if item.publisher or item.series.provider_name:
        tags.append(("citation_publisher", item.publisher or item.series.provider_name))
    if item.isbn:
        tags.append(("citation_isbn", item.isbn))
    return tags


def _keywords(item: Item) -> list[Keyword]:
    return [link.keyword for link in item.item_keywords.all()]
