"""Claiming works: suggestions by the profile's names, a manual search, accept, refuse, undo.

A claim is recorded by handle (`Claim`, kept if the item is re-imported) and linked at once to
the authorship that is the person, so the item page shows the author as registered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from ..citations import similarity as sim
from ..handles import looks_like_handle
from ..models import Authorship, Claim, Item, Person, SearchEntry, item_by_handle
from ..names import name_words
from ..search.backends import text_backend
from ..search.query import parse

CANDIDATES = 2000  # items read per family name; a very common name shows its best-matching part
SUGGESTIONS = 100
SEARCH_RESULTS = 20
FUZZY_AT = 0.6  # trigram similarity of a whole name to one of the profile's


@dataclass(frozen=True)
class Suggestion:
    item: Item
    authorship: Authorship  # the author on the item who would be the person
    exact: bool


def name_forms(person: Person) -> list[str]:
    """The spellings of the person's name: full name, "Last, First", and the variants."""
    forms = [person.name_full, f"{person.name_last}, {person.name_first} {person.name_middle}", *person.name_variants]
    return [form for form in dict.fromkeys(" ".join(f.split()) for f in forms) if sim.words(form)]


def family_names(person: Person) -> list[str]:
    """The family names to look for: the profile's, and the last word of each variant. They are
    looked up in the search index, so they are its words (sim.words: on SQLite it keeps ł and
    ø), not names.name_words."""
    names = [person.name_last] + [sim.words(v)[-1] for v in person.name_variants if "," not in v and sim.words(v)]
    names += [v.split(",")[0] for v in person.name_variants if "," in v]
    return [n for n in dict.fromkeys(" ".join(sim.words(n)) for n in names) if n]


def same_name(written: str, person: Person, forms: list[str]) -> bool | None:
    """True: the written name is one of the person's (accents, order and case aside); False: it
    is close (initials for first names, a missing middle name, a small spelling difference);
    None: it is someone else."""
    tokens = sorted(name_words(written))
    if any(tokens == sorted(name_words(form)) for form in forms):
        return True
    family = set(name_words(person.name_last))
    first = name_words(person.name_first)
    if family and family <= set(tokens):
        others = [t for t in tokens if t not in family]
        if not first or not others or any(t[0] == first[0][0] for t in others):
            return False
    if max((sim.title_similarity(written, form) for form in forms), default=0.0) >= FUZZY_AT:
        return False
    return None


def claimed_items(person: Person) -> QuerySet:
    """The items the person is linked to as an author, newest first, ready for citation lines."""
    return (
        Item.objects.filter(pk__in=Authorship.objects.filter(person=person).values("item_id"))
        .for_listing()
        .order_by("-year", "-pk")
    )


def refused_items(person: Person) -> QuerySet:
    keys = Claim.objects.filter(person=person, status=Claim.Status.REFUSED).values("handle_key")
    return Item.objects.filter(handle_key__in=keys).for_listing().order_by("-year", "-pk")


def _with_authorships(items: QuerySet) -> QuerySet:
    return items.select_related("series__archive").prefetch_related(
        Prefetch("authorships", queryset=Authorship.objects.order_by("position"))
    )


def suggestions(person: Person) -> list[Suggestion]:
    """Items with an author named like the person, not yet claimed or refused by them: exact
    spellings first, then close ones, newest first."""
    forms = name_forms(person)
    ids: list[int] = []
    backend = text_backend()
    for family in family_names(person):
        query = parse(" ".join(f'"{w}"' for w in family.split()))
        matched = backend.matching(SearchEntry.objects.all(), query, head_only=True)
        ids += matched.order_by().values_list("item_id", flat=True)[:CANDIDATES]
    decided = Claim.objects.filter(person=person).values("handle_key")
    items = _with_authorships(
        Item.objects.filter(pk__in=ids).exclude(handle_key__in=decided).exclude(authorships__person=person)
    )
    found: list[Suggestion] = []
    for item in items:
        best = None
        for a in item.authorships.all():
            if a.person_id is not None:
                continue
            verdict = same_name(a.name, person, forms)
            if verdict is not None and (best is None or (verdict and not best[1])):
                best = (a, verdict)
        if best:
            found.append(Suggestion(item, best[0], best[1]))
    found.sort(key=lambda s: (not s.exact, -(s.item.year or 0), -s.item.pk))
    return found[:SUGGESTIONS]


def search_items(text: str) -> list[Item]:
    """Items by handle (exact, old handles too) or by words of their title and authors."""
    text = " ".join(text.split())
    if not text:
        return []
    if looks_like_handle(text):
        item = item_by_handle(text)
        ids = [item.pk] if item else []
    else:
        query = parse(text)
        if not query:
            return []
        backend = text_backend()
        matched = backend.matching(SearchEntry.objects.all(), query, head_only=True)
        ids = list(matched.order_by("-citations", "-item_id").values_list("item_id", flat=True)[:SEARCH_RESULTS])
    items = (
        Item.objects.filter(pk__in=ids)
        .select_related("series__archive")
        .prefetch_related(
            Prefetch("authorships", queryset=Authorship.objects.select_related("person").order_by("position"))
        )
    )
    order = {pk: n for n, pk in enumerate(ids)}
    return sorted(items, key=lambda item: order[item.pk])


class ClaimError(Exception):
    """Why a claim cannot be made, in words for the person."""


def claim(person: Person, authorship_id: int) -> Item:
    """The person is this author of the item: record the claim and link the authorship."""
    with transaction.atomic():
        authorship = Authorship.objects.select_for_update().select_related("item").filter(pk=authorship_id).first()
        if authorship is None:
            raise ClaimError("That author position no longer exists.")
        if authorship.person_id not in (None, person.pk):
            raise ClaimError(f"{authorship.name} on this item is already another registered author.")
        item = authorship.item
        if Authorship.objects.filter(item=item, person=person).exclude(pk=authorship.pk).exists():
            raise ClaimError("You have already claimed this item.")
        Claim.objects.update_or_create(
            person=person, handle_key=item.handle_key, defaults={"status": Claim.Status.ACCEPTED}
        )
        authorship.person = person
        authorship.save(update_fields=["person"])  # through save(): the search index follows
    return item


def refuse(person: Person, item: Item) -> None:
    """Not the person's work (or no longer claimed): unlink it and keep it out of the suggestions."""
    with transaction.atomic():
        Claim.objects.update_or_create(
            person=person, handle_key=item.handle_key, defaults={"status": Claim.Status.REFUSED}
        )
        for authorship in Authorship.objects.filter(item=item, person=person):
            authorship.person = None
            authorship.save(update_fields=["person"])


def undo_refusal(person: Person, item: Item) -> bool:
    """Forget a refusal: the item may be suggested again."""
    deleted, _ = Claim.objects.filter(person=person, handle_key=item.handle_key, status=Claim.Status.REFUSED).delete()
    return bool(deleted)
