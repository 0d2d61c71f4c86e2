"""The search form's choosers: what a reader types into the archive, series, NEP report, JEL or
author filter, answered with the codes it may mean, by name as well as by code (server-side:
the page's small script only shows them, and without it the fields take codes as before). The
author profile's institution field (/me/profile/) asks the `institution` chooser the same way.

Each answer is one query on an index or a small table, at most LIMIT rows.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from ..models import Archive, Institution, JelCode, NepReport, Person, Series

LIMIT = 15


def choices(field: str, text: str) -> list[tuple[str, str]]:
    """(value to put in the field, what it is) for what was typed; [] for under two characters."""
    text = " ".join(text.split())[:100]
    if len(text) < 2 or field not in FIELDS:
        return []
    return FIELDS[field](text)


def _archive(text: str) -> list[tuple[str, str]]:
    found = Archive.objects.filter(Q(code__istartswith=text) | Q(name__icontains=text)).order_by("code")
    return [(a.code, a.name) for a in found.only("code", "name")[:LIMIT]]


def _series(text: str) -> list[tuple[str, str]]:
    archive, _, code = text.lower().partition(":")
    by_code = Q(archive__code=archive, code__startswith=code) if code else Q(code__istartswith=text)
    found = (
        Series.objects.filter(by_code | Q(name__icontains=text))
        .select_related("archive")
        .order_by("archive__code", "code")
    )
    return [(f"{s.archive.code}:{s.code}", f"{s.name} ({s.archive.name})") for s in found[:LIMIT]]


def _nep(text: str) -> list[tuple[str, str]]:
    found = NepReport.objects.filter(Q(code__icontains=text) | Q(name__icontains=text)).order_by("code")
    return [(r.code, r.name) for r in found[:LIMIT]]


def _jel(text: str) -> list[tuple[str, str]]:
    found = JelCode.objects.filter(Q(code__istartswith=text) | Q(name__icontains=text)).order_by("code")
    return [(j.code, j.name) for j in found[:LIMIT]]


def _author(text: str) -> list[tuple[str, str]]:
    """By short-id, or by family name from its start (the directory's index)."""
    family = text.split(",")[0].split()[-1] if "," not in text else text.split(",")[0].strip()
    upper, lower = family[:1].upper() + family[1:], family.lower()
    found = Person.objects.filter(
        Q(short_id=text.lower())
        | Q(name_last__startswith=family)
        | Q(name_last__startswith=upper)
        | Q(name_last__startswith=lower)
    ).order_by("name_last", "name_first", "id")
    return [(p.short_id, p.name_full) for p in found.only("short_id", "name_full")[:LIMIT]]


def _institution(text: str) -> list[tuple[str, str]]:
    """By EDIRC code (`esyoxuk`) or handle from its start, or by any word of any level's names
    (typing "Yale" finds Yale's departments too); the label says where it is."""
    code = text.lower().removeprefix("repec:edi:")
    found = Institution.objects.filter(Q(code__startswith=code) | Q(all_names__icontains=text)).order_by("name", "id")
    rows = found.only("code", "name", "all_names", "location", "country")[:LIMIT]
    return [(i.code, f"{i.name}, {i.location or i.country or 'location not known'} ({i.code})") for i in rows]


#: the choosers, by the search form's field
FIELDS: dict[str, Callable[[str], list[tuple[str, str]]]] = {
    "archive": _archive,
    "series": _series,
    "nep": _nep,
    "jel": _jel,
    "author": _author,
    "institution": _institution,
}
