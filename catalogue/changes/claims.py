"""Linking registered persons to the authorships of the items they claim: what `items_changed(..., claimed=True)`
does after a write (an import, a Person template naming its works)."""

from __future__ import annotations

from collections import defaultdict

from ..models import Authorship, Claim, Item, Person
from ..names import name_tokens


def surnames(person: Person) -> list[set[str]]:
    """Token sets that identify the person: the last name, then each variant's tokens."""
    sets = [name_tokens(person.name_last)] if person.name_last else []
    sets += [name_tokens(variant) for variant in [person.name_full, *person.name_variants]]
    return [s for s in sets if s]


def pick_authorship(person: Person, authorships: list[Authorship]) -> Authorship | None:
    """The authorship that is this person: the one whose name holds the person's surname."""
    free = [a for a in authorships if a.person_id in (None, person.pk)]
    for wanted in surnames(person):
        hits = [a for a in free if wanted <= name_tokens(a.name)]
        if len(hits) == 1:
            return hits[0]
    last = name_tokens(person.name_last)
    hits = [a for a in free if last and last <= name_tokens(a.name)]
    if len(hits) == 1:
        return hits[0]
    return free[0] if len(authorships) == 1 and free else None


def link_claims(item_ids: list[int]) -> int:
    """Link the accepted claims on these items to their authorships; returns how many were linked.

    Queries: claims with persons, authorships, one bulk update; whatever the number of items.
    """
    items = dict(Item.objects.filter(pk__in=item_ids).values_list("handle_key", "pk"))
    if not items:
        return 0
    claims = Claim.objects.filter(handle_key__in=list(items), status=Claim.Status.ACCEPTED).select_related("person")
    by_item: dict[int, list[Person]] = defaultdict(list)
    for claim in claims:
        by_item[items[claim.handle_key]].append(claim.person)
    if not by_item:
        return 0
    authorships: dict[int, list[Authorship]] = defaultdict(list)
    for a in Authorship.objects.filter(item_id__in=list(by_item)).order_by("item_id", "position"):
        authorships[a.item_id].append(a)
    changed = []
    for item_id, persons in by_item.items():
        for person in persons:
            chosen = pick_authorship(person, authorships[item_id])
            if chosen is not None and chosen.person_id != person.pk:
                chosen.person_id = person.pk
                changed.append(chosen)
    Authorship.objects.bulk_update(changed, ["person"], batch_size=1000)
    return len(changed)
