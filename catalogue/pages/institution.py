"""An institution's page and the directory by country, as data (issue 20); the countries'
names are the view's (catalogue.redif.countries, which this layer does not import).

Each piece is one query whatever the size: an institution's page reads the first AUTHORS_SHOWN
of its registered authors (all of them a page at a time at `/i/<code>/authors.html`) and a page
of its works from their kept list (catalogue.browse.institutions: a range of one index, the
total a column), the directory counts 15,000 institutions in one GROUP BY (its ranking position
is catalogue.stats.rankings.institution_position).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Count, QuerySet
from django.urls import get_script_prefix

from ..models import Affiliation, Institution, InstitutionWork

UNKNOWN = "xx"  # the directory's page of institutions whose country is not known (ISO's user-assigned XX)
AUTHORS_SHOWN = 100  # registered authors on the institution's page; the rest on its authors' pages


def countries() -> list[tuple[str, int]]:
    """(ISO code, or "" when not known; institutions) of the countries that have institutions
    (one GROUP BY on the index institution_country)."""
    return list(Institution.objects.order_by().values_list("country").annotate(n=Count("id")))


def in_country(code: str) -> QuerySet[Institution]:
    """A country's institutions by name (the index institution_country), each with its parent
    and its totals (the number of authors) loaded in the same query."""
    stored = "" if code == UNKNOWN else code.upper()
    return (
        Institution.objects.filter(country=stored)
        .select_related("parent", "stat_totals")
        .only("code", "name", "location", "country", "parent__code", "parent__name", "stat_totals__authors")
        .order_by("name", "id")
    )


@dataclass(frozen=True)
class Member:
    """A registered author affiliated with an institution, as its page lists them."""

    url: str
    name: str
    share: int | None


def affiliations(institution: Institution) -> QuerySet[Affiliation, tuple[str, str, int | None]]:
    """(short-id, name, share) of the registered authors affiliated with the institution, by
    name; a person affiliated twice is listed twice. Sliced, it reads only the rows asked for: a
    range of the index affiliation_by_name (the names copied onto the affiliations by
    catalogue.browse.institutions), however many the institution has."""
    return (
        Affiliation.objects.filter(institution_ref=institution)
        .order_by("sort_last", "sort_first", "person_id", "position")
        .values_list("person__short_id", "person__name_full", "share")
    )


def members(rows: list[tuple[str, str, int | None]]) -> list[Member]:
    """Rows of `affiliations` as the page lists them, each address put together here (a
    reverse() for each of 6,000 authors cost a second: bench/institutions.py)."""
    prefix = get_script_prefix()
    return [Member(f"{prefix}e/{quote(short_id)}.html", name, share) for short_id, name, share in rows]


def authors(institution: Institution, limit: int = AUTHORS_SHOWN) -> list[Member]:
    """The first `limit` registered authors affiliated with the institution, by name (one query)."""
    return members(list(affiliations(institution)[:limit]))


def author_count(institution: Institution) -> int:
    """How many affiliations name the institution (one count on the index of affiliations by
    institution)."""
    return Affiliation.objects.filter(institution_ref=institution).count()


def works(institution: Institution) -> QuerySet[InstitutionWork, int]:
    """The ids of its registered authors' works, newest first (unknown years last), each once
    however many of its authors wrote it: a page of them is a range of the index
    institutionwork_listing; their number is `institution.work_count`."""
    return (
        InstitutionWork.objects.filter(institution=institution)
        .order_by("-year", "-item_id")
        .values_list("item_id", flat=True)
    )
