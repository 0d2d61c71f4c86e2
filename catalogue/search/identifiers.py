"""What a reader pastes into the search box when they know what they want: a handle
(`RePEc:ipt:iptwpa:jrc108028`, an old one too, a series' or an archive's), an item's number
(`jrc108028`), a DOI (`10.1080/00343404.2020.1762854`, with or without `https://doi.org/`), or a
registered author's short-id (`pra123`) goes straight to its page.

`address_for(text)` answers the page's address, or None to search as usual. At most two
indexed lookups, and none for text that cannot be an identifier (several words, no digit).
"""

from __future__ import annotations

import re

from ..handles import code_slug, handle_parts, looks_like_handle, normalise_handle, person_handle
from ..models import Archive, Item, Person, Series, item_by_handle

_DOI_ONLY = re.compile(r"(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)", re.IGNORECASE)
# an item's number as series print it: letters and digits, at least one of each, maybe . - / _
_NUMBER = re.compile(r"(?=[^\s]*[A-Za-z])(?=[^\s]*\d)[A-Za-z0-9][A-Za-z0-9._/-]{2,99}")


def address_for(text: str) -> str | None:
    text = " ".join(text.split())
    if not text or " " in text.strip():
        return None
    if looks_like_handle(text):
        return _handle(text)
    doi_only = _DOI_ONLY.fullmatch(text)
    if doi_only:
        doi = doi_only.group(1).rstrip(".,;")
        item = Item.objects.filter(doi__in={doi, doi.lower(), doi.upper()}).select_related("series__archive").first()
        return item.get_absolute_url() if item else None
    if _NUMBER.fullmatch(text):
        return _short_id(text) or _number(text)
    return None


def _handle(text: str) -> str | None:
    try:
        if text.lower().startswith("repec:per:"):
            person = Person.objects.filter(handle=person_handle(text)).only("short_id").first()
            return person.get_absolute_url() if person else None
        archive, series, code = handle_parts(normalise_handle(text))
    except ValueError:
        return None
    if code:
        item = item_by_handle(text)
        return item.get_absolute_url() if item else None
    if series:
        found = Series.objects.filter(archive__code=archive.lower(), code=series.lower()).select_related("archive")
        return found[0].get_absolute_url() if found else None
    found_archive = Archive.objects.filter(code=archive.lower()).first()
    return found_archive.get_absolute_url() if found_archive else None


def _short_id(text: str) -> str | None:
    try:
        short_id = person_handle(text)
    except ValueError:
        return None
    if short_id.startswith("RePEc:"):
        return None
    person = Person.objects.filter(short_id=short_id).only("short_id").first()
    return person.get_absolute_url() if person else None


def _number(text: str) -> str | None:
    """The one item whose number this is (in any series); none when two series share it."""
    found = list(Item.objects.filter(slug=code_slug(text)).select_related("series__archive")[:2])
    return found[0].get_absolute_url() if len(found) == 1 else None
