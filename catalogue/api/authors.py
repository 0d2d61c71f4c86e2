"""Registered authors and their works (pages.author, the author page's data)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router

from ..browse.queries import items_in_order
from ..models import Affiliation, Person
from ..pages.author import KIND_ORDER, Work, citation_totals, person_works
from . import cursors, records
from .cursors import DEFAULT_LIMIT, Cursor, Limit
from .schemas import AffiliationOut, InstitutionRef, ItemPage, PersonDetail, PersonOut, PersonPage, answers

router = Router(tags=["authors"])


def work_key(work: Work) -> list:
    """A work's place on the author page: by type in Kind's order, then newest first."""
    return [KIND_ORDER.get(work.kind, 99), -(work.year or 0), -work.pk]


@router.get("/authors", response=answers(PersonPage), url_name="api_authors", operation_id="authors")
def authors(request: HttpRequest, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT):
    """Every registered author by short-id. Queries: 1."""
    page, following = cursors.by_column(Person.objects.all(), "short_id", cursor, "authors", limit)
    return PersonPage(
        items=[PersonOut(**records.person(request, p)) for p in page],
        next_cursor=following,
        next=cursors.next_address(request, following),
    )


@router.get("/authors/{short_id}", response=answers(PersonDetail), url_name="api_author", operation_id="author")
def author(request: HttpRequest, short_id: str, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT):
    """A registered author: names, affiliations (each with the institution it names, when
    known), citation totals and h-index, and their works in the order of their page (by type,
    newest first), paged. Queries: 5 (the person, the affiliations with their institutions,
    every work's figures, a page of items, their authors)."""
    affiliations = Prefetch("affiliations", Affiliation.objects.select_related("institution_ref"))
    persons = Person.objects.prefetch_related(affiliations)  # type: ignore[arg-type]  # django-stubs' generics
    person = records.one(persons.filter(short_id=short_id.lower()), "author")
    scope = f"author:{person.pk}"
    after = cursors.read(cursor, scope)
    every = person_works(person)
    works = every if after is None else [w for w in every if work_key(w) > after]
    totals = citation_totals(every)
    shown = works[:limit]
    items = items_in_order([w.pk for w in shown])
    following = cursors.make(scope, work_key(shown[-1])) if len(works) > limit else None
    return PersonDetail(
        **records.person(request, person),
        name_variants=[str(v) for v in person.name_variants or []],
        affiliations=[
            AffiliationOut(
                name=a.name,
                institution=a.institution,
                share=a.share,
                institution_record=InstitutionRef(**records.institution_ref(request, a.institution_ref))
                if a.institution_ref
                else None,
            )
            for a in person.affiliations.all()
        ],
        works_total=len(every),
        citations=totals["citations"],
        citations_by_others=totals["citations_by_others"],
        h_index=totals["h_index"],
        h_index_by_others=totals["h_index_by_others"],
        works=ItemPage(
            items=records.item_summaries(request, items),
            next_cursor=following,
            next=cursors.next_address(request, following),
        ),
    )
