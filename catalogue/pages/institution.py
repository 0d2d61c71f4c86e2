"""An institution's page and the directory by country, as data (issue 20); the countries'
names are the view's (catalogue.redif.countries, which this layer does not import).

Each piece is one query whatever the size: an institution with 2,000 registered authors reads
its affiliations in one join, the directory counts 15,000 institutions in one GROUP BY (its
ranking position is catalogue.stats.rankings.institution_position).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Count, QuerySet
from django.urls import get_script_prefix

from ..models import Affiliation, Authorship, Institution, Item

UNKNOWN = "xx"  # the directory's page of institutions whose country is not known (ISO's user-assigned XX)


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


def authors(institution: Institution) -> list[Member]:
    """The registered authors affiliated with the institution, by name, with their shares: one
    query of plain values, each address put together here (a reverse() for each of 6,000
    authors cost a second: bench/institutions.py); a person affiliated twice is listed twice."""
    rows = (
        Affiliation.objects.filter(institution_ref=institution)
        .order_by("person__name_last", "person__name_first", "person_id", "position")
        .values_list("person__short_id", "person__name_full", "share")
    )
    prefix = get_script_prefix()
    return [Member(f"{prefix}e/{quote(short_id)}.html", name, share) for short_id, name, share in rows]


def works(institution: Institution) -> QuerySet[Item, int]:
    """The ids of its registered authors' works, newest first (each once, however many of its
    authors wrote it): a page of them at a time."""
    by_authors = Authorship.objects.filter(person__affiliations__institution_ref=institution).values("item_id")
    return Item.objects.filter(pk__in=by_authors).order_by("-year", "-id").values_list("pk", flat=True)
