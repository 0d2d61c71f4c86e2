"""Institutions (EDIRC): the countries that have them, a list by name (all, or a country's) by
keyset cursor, and an institution with its parent, sub-institutions, registered authors' number
and figures, as its page shows them (pages.institution)."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Router
from pydantic import Field

from ..models import Affiliation, Institution
from ..pages.institution import UNKNOWN, countries
from ..redif.countries import COUNTRIES
from . import cursors, records
from .cursors import DEFAULT_LIMIT, Cursor, Limit
from .schemas import (
    CountryList,
    CountryOut,
    InstitutionDetail,
    InstitutionLevel,
    InstitutionOut,
    InstitutionPage,
    InstitutionRef,
    InstitutionTotals,
    answers,
)

router = Router(tags=["institutions"])

Country = Annotated[
    str | None,
    Field(
        description='ISO 3166-1 alpha-2 code, either case (gb); "xx" for the institutions whose country is not known.'
    ),
]
TOTALS = (
    "last_month", "citations", "views_month", "downloads_month", "views_year", "downloads_year", "views_all",
    "downloads_all",
)  # fmt: skip


def stored_country(code: str) -> str:
    """The country as stored ("" for not known); a 400 naming `country` for a code ISO lacks."""
    code = code.strip()
    if code.lower() == UNKNOWN:
        return ""
    if code.upper() not in COUNTRIES:
        raise cursors.Invalid({"country": [f"Not an ISO 3166-1 country code: {code[:10]!r} (gb, us; xx: not known)."]})
    return code.upper()


@router.get(
    "/institutions/countries", response=answers(CountryList), url_name="api_countries", operation_id="countries"
)
def institution_countries(request: HttpRequest):
    """The countries that have institutions, by name, with their number (the directory /i/). Queries: 1."""
    listed = request.build_absolute_uri(records.api_path("api_institutions"))
    found = [
        CountryOut(
            code=code.lower() or UNKNOWN,
            name=COUNTRIES.get(code, "Country not known"),
            institutions=n,
            api_url=f"{listed}?country={code.lower() or UNKNOWN}",
        )
        for code, n in countries()
    ]
    found.sort(key=lambda c: (c.code == UNKNOWN, c.name))
    return CountryList(items=found)


@router.get(
    "/institutions", response=answers(InstitutionPage), url_name="api_institutions", operation_id="institutions"
)
def institutions(request: HttpRequest, country: Country = None, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT):
    """Institutions by name, every one or a country's (the index institution_country), each with
    its parent's code. Queries: 1."""
    rows = Institution.objects.select_related("parent").only(
        "handle", "code", "name", "country", "location", "homepage", "parent__code"
    )
    scope = "institutions"
    if country is not None:
        stored = stored_country(country)
        rows, scope = rows.filter(country=stored), f"institutions:{stored or UNKNOWN}"
    key = cursors.read(cursor, scope)
    rows = rows.order_by("name", "id")
    if key:
        rows = rows.filter(Q(name__gt=key[0]) | Q(name=key[0], pk__gt=key[1]))
    page, following = cursors.paged(list(rows[: limit + 1]), limit, scope, lambda i: [i.name, i.pk])
    return InstitutionPage(
        items=[InstitutionOut(**records.institution(request, i, i.parent.code if i.parent else None)) for i in page],
        next_cursor=following,
        next=cursors.next_address(request, following),
    )


@router.get(
    "/institutions/{code}", response=answers(InstitutionDetail), url_name="api_institution", operation_id="institution"
)
def institution(request: HttpRequest, code: str):
    """An institution by its code (the last seven letters of its EDIRC handle, either case): its
    levels, parent, sub-institutions by name, how many registered authors name it, and their
    figures split by share as the rankings last computed them. Queries: 3 (the institution with
    its parent and totals, its sub-institutions, its authors counted)."""
    if len(code) != 7 or not code.isascii() or not code.isalnum():
        raise Http404("No institution has this code: a code is seven letters and digits (yaleeus).")
    found = records.one(
        Institution.objects.select_related("parent", "stat_totals").filter(code=code.lower()), "institution"
    )
    children = found.children.only("handle", "code", "name", "country", "location", "homepage", "parent").order_by(
        "name", "id"
    )
    totals = getattr(found, "stat_totals", None)
    return InstitutionDetail(
        **records.institution(request, found, found.parent.code if found.parent else None),
        levels=[InstitutionLevel(name=level.get("name", ""), en=level.get("en", "")) for level in found.levels],
        parent_institution=InstitutionRef(**records.institution_ref(request, found.parent)) if found.parent else None,
        children=[InstitutionRef(**records.institution_ref(request, child)) for child in children],
        authors=Affiliation.objects.filter(institution_ref=found).values("person_id").distinct().count(),
        totals=InstitutionTotals(**{name: getattr(totals, name) for name in TOTALS}) if totals else None,
    )
