"""The item page's metadata for machines that are not Google Scholar (issue 16): schema.org
JSON-LD, Dublin Core and Open Graph, built from the rows the page has already loaded
(catalogue.pages.item: not one query more).

Scholar's `citation_*` tags are catalogue.formatting.citation.scholar_meta.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString, mark_safe

from .citation import author_names

if TYPE_CHECKING:
    from ..models import Item, Reference

SCHEMA_TYPES = {
    "article": "ScholarlyArticle",
    "paper": "Report",
    "book": "Book",
    "chapter": "Chapter",
    "software": "SoftwareSourceCode",
}
# what Django's json_script escapes: a title holding `</script>` stays inside the data block
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
DESCRIPTION_CHARACTERS = 300


def published(item: Item) -> str:
    """The date of publication as given (`2017`, `2017-05`, `2017-05-14`), or ''."""
    return item.publication_date or item.creation_date or (str(item.year) if item.year else "")


def publisher(item: Item) -> str:
    return item.publisher or item.series.provider_name or item.series.archive.name


def short(text: str, limit: int = DESCRIPTION_CHARACTERS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def matched(references: list[Reference]) -> list[Item]:
    """The catalogue items the item's references cite (matched or confirmed), in order."""
    return [ref.target for ref in references if ref.is_citation and ref.target is not None]


def json_ld(item: Item, base: str, references: list[Reference]) -> SafeString:
    """The schema.org record as the text of a `<script type="application/ld+json">` block;
    `base` is the site's scheme and host (`https://econcat.example`)."""
    data = schema_org(item, base, references)
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES))  # <, > and & escaped above


def schema_org(item: Item, base: str, references: list[Reference]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(item.kind, "CreativeWork"),
        "name": item.title,
        "url": base + item.get_absolute_url(),
        "author": [_person(authorship, base) for authorship in item.authorships.all() if authorship.role == "author"],
        "identifier": [{"@type": "PropertyValue", "propertyID": "RePEc", "value": item.handle}],
        "isPartOf": _part_of(item, base),
        "publisher": {"@type": "Organization", "name": publisher(item)},
    }
    if item.doi:
        data["identifier"].append({"@type": "PropertyValue", "propertyID": "DOI", "value": item.doi})
        data["sameAs"] = f"https://doi.org/{item.doi}"
    optional = {
        "datePublished": published(item),
        "description": item.abstract,
        "inLanguage": item.language,
        "keywords": [link.keyword.name for link in item.item_keywords.all()],
        "about": [
            {"@type": "DefinedTerm", "termCode": code.code, "name": code.name, "inDefinedTermSet": base + "/j/"}
            for code in item.jel_codes.all()
        ],
        "citation": [
            {"@type": "CreativeWork", "name": cited.title, "url": base + cited.get_absolute_url()}
            for cited in matched(references)
        ],
        "programmingLanguage": item.programming_language if item.kind == "software" else "",
    }
    data.update({key: value for key, value in optional.items() if value})
    return data


def _person(authorship: Any, base: str) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": authorship.name}
    if authorship.person_id:
        person["url"] = base + authorship.person.get_absolute_url()
    if authorship.orcid_id:  # schema.org's way for an ORCID iD: its address as sameAs, and an identifier
        person["sameAs"] = authorship.orcid_url
        person["identifier"] = {"@type": "PropertyValue", "propertyID": "ORCID", "value": authorship.orcid_id}
    if authorship.workplace:
        person["affiliation"] = {"@type": "Organization", "name": authorship.workplace}
    return person


def _part_of(item: Item, base: str) -> dict[str, Any]:
    series = item.series
    if item.kind == "article":
        part = {"@type": "Periodical", "name": item.journal or series.name}
        if item.issn or series.issn:
            part["issn"] = item.issn or series.issn
        return part
    return {"@type": "CreativeWorkSeries", "name": series.name, "url": base + series.get_absolute_url()}


def dublin_core(item: Item, page_url: str) -> list[tuple[str, str]]:
    """`DC.*` meta tags (Dublin Core elements, with `<link rel="schema.DC">` on the page)."""
    tags = [("DC.title", item.title)]
    tags += [("DC.creator", name) for name in author_names(item)]
    if published(item):
        tags.append(("DC.date", published(item)))
    tags += [("DC.identifier", page_url), ("DC.identifier", item.handle)]
    if item.doi:
        tags.append(("DC.identifier", f"https://doi.org/{item.doi}"))
    tags += [("DC.subject", link.keyword.name) for link in item.item_keywords.all()]
    tags += [("DC.subject", f"{code.code} {code.name}".strip()) for code in item.jel_codes.all()]
    tags += [("DC.publisher", publisher(item)), ("DC.type", item.get_kind_display())]
    if item.abstract:
        tags.append(("DC.description", short(item.abstract)))
    if item.language:
        tags.append(("DC.language", item.language))
    return tags


def open_graph(item: Item, page_url: str, site_name: str) -> list[tuple[str, str]]:
    """`og:*` meta tags (`<meta property=...>`), for link previews."""
    tags = [
        ("og:title", item.title),
        ("og:type", "book" if item.kind == "book" else "article"),
        ("og:url", page_url),
        ("og:site_name", site_name),
    ]
    if item.abstract:
        tags.append(("og:description", short(item.abstract)))
    return tags
