"""Other versions of an author's works, proposed to the author to confirm or refuse on
/me/works/, like the works they may claim.

Two of the person's works are proposed as versions of one work when their titles are alike
(the same title key, `models.version_key`, or at least SIMILAR_AT of their words in common)
and neither states a version link in its ReDIF template (records that state theirs are taken at
their word). Pairs already in one group, and pairs the person (or a co-author) confirmed or
refused, are not proposed. Proposals are computed when the page is shown, from the person's
works only (a few queries whatever their number); a decision is a VersionLink row, kept by
handle like a claim, which joins the two into one work (confirmed) or keeps them apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from django.db import transaction
from django.db.models import Q

from ..citations import similarity as sim
from ..models import Authorship, Item, Person, VersionLink

SIMILAR_AT = 0.8  # share of the words of two titles in common (Jaccard) to propose them
COMMON_WORD = 50  # a word in more of the person's titles than this finds no pair by itself
PROPOSALS = 50


@dataclass(frozen=True)
class Proposal:
    item: Item
    other: Item


class VersionError(Exception):
    """Why a decision on versions cannot be taken, in words for the person."""


def _works(person: Person) -> list[Item]:
    return list(
        Item.objects.filter(pk__in=Authorship.objects.filter(person=person).values("item_id"))
        .select_related("series__archive")
        .order_by("-year", "-pk")
    )


def _alike(a: Item, b: Item, words: dict[int, frozenset[str]]) -> bool:
    if a.version_key and a.version_key == b.version_key:
        return True
    wa, wb = words[a.pk], words[b.pk]
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= SIMILAR_AT


def candidate_pairs(works: list[Item]) -> list[tuple[Item, Item]]:
    """Pairs of these works with alike titles, found through the words they share (never every
    pair of a long list of works)."""
    words = {w.pk: frozenset(sim.words(w.title)) for w in works}
    by_word: dict[str, list[Item]] = defaultdict(list)
    by_key: dict[str, list[Item]] = defaultdict(list)
    for w in works:
        for word in words[w.pk]:
            by_word[word].append(w)
        if w.version_key:
            by_key[w.version_key].append(w)
    pairs: dict[tuple[int, int], tuple[Item, Item]] = {}
    for bucket in [*by_key.values(), *(b for b in by_word.values() if len(b) <= COMMON_WORD)]:
        for a, b in combinations(bucket, 2):
            key = (min(a.pk, b.pk), max(a.pk, b.pk))
            if key not in pairs and _alike(a, b, words):
                pairs[key] = (a, b) if a.pk < b.pk else (b, a)
    return list(pairs.values())


def proposals(person: Person) -> list[Proposal]:
    """Pairs of the person's works that may be versions of one work, newest first (2 queries)."""
    works = _works(person)
    if len(works) < 2:
        return []
    by_key = {w.handle_key: w for w in works}
    ids = [w.pk for w in works]
    decided: set[tuple[int, int]] = set()
    stated: set[int] = set()
    links = VersionLink.objects.filter(Q(item_id__in=ids) | Q(other_key__in=list(by_key))).values_list(
        "item_id", "other_key", "source", "relation"
    )
    for item_id, other_key, source, relation in links:
        if source == VersionLink.Source.STATED and relation == VersionLink.Relation.VERSION:
            stated.add(item_id)
        other = by_key.get(other_key)
        if other is not None and source != VersionLink.Source.STATED:
            decided.add((min(item_id, other.pk), max(item_id, other.pk)))
    found = []
    for a, b in candidate_pairs(works):
        if a.pk in stated or b.pk in stated or (a.pk, b.pk) in decided:
            continue
        if a.version_group is not None and a.version_group == b.version_group:
            continue
        found.append(Proposal(b, a) if (b.year or 0, b.pk) > (a.year or 0, a.pk) else Proposal(a, b))
    found.sort(key=lambda p: (-(p.item.year or 0), -p.item.pk))
    return found[:PROPOSALS]


def decide(person: Person, item_id: int, other_id: int, *, confirmed: bool) -> tuple[Item, Item]:
    """The person says two of their works are versions of one work (or not): a VersionLink row,
    which the signal receivers turn into groups once it commits. Both must be the person's."""
    if item_id == other_id:
        raise VersionError("A work is not another version of itself.")
    mine = Item.objects.filter(pk__in=Authorship.objects.filter(person=person).values("item_id"))
    items = {i.pk: i for i in mine.filter(pk__in=[item_id, other_id]).select_related("series__archive")}
    if len(items) != 2:
        raise VersionError("Both works must be among your claimed works.")
    item, other = items[item_id], items[other_id]
    source = VersionLink.Source.CONFIRMED if confirmed else VersionLink.Source.REFUSED
    opposite = VersionLink.Source.REFUSED if confirmed else VersionLink.Source.CONFIRMED
    with transaction.atomic():
        for a, b in ((item, other), (other, item)):  # a change of mind replaces the other decision
            for link in VersionLink.objects.filter(item=a, other_key=b.handle_key, source=opposite):
                link.delete()  # through the ORM: the groups follow
        VersionLink.objects.get_or_create(
            item=item,
            other_key=other.handle_key,
            source=source,
            defaults={"relation": VersionLink.Relation.VERSION, "person": person, "field": ""},
        )
    return item, other
