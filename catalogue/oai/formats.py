"""The metadata formats: `oai_dc` (Dublin Core, as the protocol requires) and `redif` (the
item's ReDIF template, as /cite/<handle>.rdf gives it, as text in an element of our own
namespace). Each writer takes an item loaded by `Item.objects.for_export()` and its page's
address, and returns the `<metadata>` content."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..formatting.exports import to_redif
from .xml import element, text

if TYPE_CHECKING:
    from ..models import Item

XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC = "http://purl.org/dc/elements/1.1/"
REDIF = "https://econcat.example/oai/redif"
REDIF_SCHEMA = "https://econcat.example/oai/redif.xsd"

DC_TYPES = {
    "paper": "Working paper",
    "article": "Journal article",
    "chapter": "Book chapter",
    "book": "Book",
    "software": "Software",
}


def oai_dc(item: Item, url: str) -> str:
    """Dublin Core: authors as creators, editors as contributors, keywords and JEL codes as
    subjects, the page, DOI and handle as identifiers."""
    parts: list[str] = [element("dc:title", item.title)]
    for a in item.authorships.all():
        parts.append(element("dc:creator" if a.role == "author" else "dc:contributor", a.name))
    parts += [element("dc:subject", k.keyword.name) for k in item.item_keywords.all()]
    parts += [element("dc:subject", f"JEL: {j.code}") for j in item.jel_codes.all()]
    parts.append(element("dc:description", item.abstract))
    parts.append(element("dc:publisher", item.publisher or item.series.provider_name))
    date = item.publication_date or item.creation_date or (str(item.year) if item.year else "")
    parts.append(element("dc:date", date))
    parts.append(element("dc:type", DC_TYPES.get(item.kind, "Text")))
    parts += [element("dc:format", f.format) for f in item.files.all() if f.format]
    parts.append(element("dc:identifier", url))
    if item.doi:
        parts.append(element("dc:identifier", f"https://doi.org/{item.doi}"))
    parts.append(element("dc:identifier", item.handle))
    parts.append(element("dc:source", item.journal or item.book_title or item.series.name))
    parts.append(element("dc:language", item.language))
    body = "".join(parts)
    return (
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}" xmlns:xsi="{XSI}" '
        f'xsi:schemaLocation="{OAI_DC} {OAI_DC_SCHEMA}">{body}</oai_dc:dc>'
    )


def redif(item: Item, url: str) -> str:
    return f'<redif xmlns="{REDIF}">{text(to_redif(item, url))}</redif>'


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    write: Callable[[Item, str], str]
    #: the items must be loaded with their version links too (Item.objects.with_version_links())
    links: bool = False


FORMATS = {
    "oai_dc": MetadataFormat("oai_dc", OAI_DC_SCHEMA, OAI_DC, oai_dc),
    "redif": MetadataFormat("redif", REDIF_SCHEMA, REDIF, redif, links=True),
}
