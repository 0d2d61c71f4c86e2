"""Corrections of institutions by staff (the admin): what an edited field must be, checked as
the importer reads EDIRC (catalogue.redif.countries, catalogue.redif.values). Each check takes
the value as typed and returns it cleaned, or raises ValueError with the words the form shows
next to the field."""

from __future__ import annotations

from urllib.parse import urlsplit

from ..models import Institution
from ..redif.countries import COUNTRIES
from ..redif.values import check_url

#: how far up a chain of parents is followed before it is called too deep (EDIRC names four levels)
MAX_DEPTH = 20


def check_country(value: str) -> str:
    """An ISO 3166-1 alpha-2 code in either case ("" for not known), as stored: upper case.
    EDIRC's `uk` is read as GB, as the importer reads it."""
    code = value.strip().upper()
    if not code:
        return ""
    code = {"UK": "GB"}.get(code, code)
    if code not in COUNTRIES:
        raise ValueError(f"not an ISO 3166-1 country code: {value.strip()[:10]!r} (two letters: DE, GB, US)")
    return code


def check_homepage(value: str) -> str:
    """An http or https address with a host: the page links to it, so no other scheme
    (`javascript:`, `data:`, `ftp:`) gets there."""
    value = value.strip()
    if not value:
        return ""
    try:
        value = check_url(value)
    except ValueError:
        raise ValueError("not a web address: it must start with http:// or https:// and name a host") from None
    if urlsplit(value).scheme.lower() not in ("http", "https"):
        raise ValueError("a homepage is an http:// or https:// address")
    return value


def check_parent(institution: Institution, parent: Institution | None) -> Institution | None:
    """`parent` if the institution may be placed under it: not itself, nor one of its own
    sub-institutions (which would make a cycle). Follows the parent's parents up, one query a
    level (EDIRC's are four deep at most)."""
    if parent is None:
        return None
    if institution.pk is not None and parent.pk == institution.pk:
        raise ValueError("an institution cannot be its own parent")
    seen = {parent.pk}
    above = parent.parent_id
    for _ in range(MAX_DEPTH):
        if above is None:
            return parent
        if institution.pk is not None and above == institution.pk:
            raise ValueError(f"{parent.name} is a sub-institution of this one: that would make a cycle")
        if above in seen:  # a cycle above already (none is written by the importer or here)
            raise ValueError(f"the parents above {parent.name} go round in a cycle")
        seen.add(above)
        above = Institution.objects.filter(pk=above).values_list("parent_id", flat=True).first()
    raise ValueError(f"{parent.name} has more than {MAX_DEPTH} levels above it")
