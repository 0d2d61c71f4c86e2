"""A registered author's page as data: works by type, citation counts, h-index, co-authors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from ..models import Authorship, Item, Kind, Person
from ..names import name_words

KIND_ORDER = {kind: n for n, kind in enumerate(Kind.values)}


@dataclass(frozen=True)
class Work:
    pk: int
    kind: str
    year: int | None
    citations: int
    self_citations: int
    #: the work's versions (VersionLink): its group's id and counts; the item's own when it has none
    group: int | None = None
    group_citations: int | None = None
    group_self_citations: int | None = None

    @property
    def work(self) -> int:
        """Which work it is: its versions share this."""
        return self.group or self.pk

    @property
    def work_citations(self) -> tuple[int, int]:
        """(citations, self-citations) of the work, its versions counted once."""
        if self.group_citations is None:
            return self.citations, self.self_citations
        return self.group_citations, self.group_self_citations or 0


@dataclass(frozen=True)
class Coauthor:
    name: str
    url: str | None  # the registered co-author's page; None when not registered
    works: int  # works in common


def person_works(person: Person) -> list[Work]:
    """Every work of the person (one query), by type in Kind's order, then newest first."""
    rows = (
        Item.objects.filter(authorships__person=person)
        .order_by()
        .values_list(
            "pk",
            "kind",
            "year",
            "citation_count",
            "self_citation_count",
            "version_group",
            "group_citation_count",
            "group_self_citation_count",
        )
        .distinct()
    )
    works = [Work(*row) for row in rows]
    return sorted(works, key=lambda w: (KIND_ORDER.get(w.kind, 99), -(w.year or 0), -w.pk))


def citation_totals(works: list[Work]) -> dict[str, int]:
    """Citations of all the works, with and without self-citations, and the h-index of each: a
    work with several versions among them counts once, with its group's citations."""
    counts = list({w.work: w.work_citations for w in works}.values())
    others = [cited - selfs for cited, selfs in counts]
    return {
        "citations": sum(cited for cited, _ in counts),
        "citations_by_others": sum(others),
        "h_index": h_index([cited for cited, _ in counts]),
        "h_index_by_others": h_index(others),
    }


def h_index(citations: list[int]) -> int:
    """The largest h such that h works have at least h citations each."""
    ranked = sorted(citations, reverse=True)
    return sum(1 for rank, n in enumerate(ranked, start=1) if n >= rank)


def kind_totals(works: list[Work]) -> dict[str, int]:
    """Works per kind, in Kind's order."""
    counts = Counter(w.kind for w in works)
    return {kind: counts[kind] for kind in Kind.values if counts[kind]}


def group_by_kind(entries: list, totals: dict[str, int]) -> list[tuple[str, int, list]]:
    """A page's citation lines (in kind order already) as (heading, works of that kind in all, lines)."""
    groups: list[tuple[str, int, list]] = []
    for entry in entries:
        kind = entry.item.kind
        label = f"{Kind(kind).label}s" if kind in Kind.values else kind
        if not groups or groups[-1][0] != label:
            groups.append((label, totals.get(kind, 0), []))
        groups[-1][2].append(entry)
    return groups


def coauthor_rows(person: Person) -> QuerySet[Authorship, tuple[int, str, str | None, str | None]]:
    """(item id, name as written, short-id, registered name) of the other authors of the person's works."""
    works = Authorship.objects.filter(person=person).values("item_id")
    return (
        Authorship.objects.filter(item_id__in=works)
        .exclude(person=person)
        .order_by()
        .values_list("item_id", "name", "person__short_id", "person__name_full")
    )


def coauthors(
    rows: Iterable[tuple[int, str, str | None, str | None]], url_for: Callable[[str], str], limit: int = 50
) -> tuple[list[Coauthor], int]:
    """The co-authors with the most works in common first (at most `limit`), and how many there are.

    A registered co-author is one person whatever the spelling on each work, and the works
    they have not claimed, where their name is written as on a claimed one (or as registered),
    count for them too: listed once, not once linked and once plain. Others are grouped by the
    words of their name, in any order and case ("Smith, John", "john SMITH").
    `url_for(short_id)` gives a registered co-author's page.
    """
    works: dict[tuple, set[int]] = {}
    names: dict[tuple, str] = {}
    written: dict[frozenset[str] | str, tuple] = {}  # a registered co-author's names -> their key
    for item_id, name, short_id, registered_name in rows:
        key = ("person", short_id) if short_id else ("name", frozenset(name_words(name)) or name.casefold())
        works.setdefault(key, set()).add(item_id)
        names.setdefault(key, registered_name or name)
        if short_id:
            for spelling in (name, registered_name or ""):
                if name_words(spelling):
                    written.setdefault(frozenset(name_words(spelling)), key)
    for key in [key for key in works if key[0] == "name" and key[1] in written]:
        works[written[key[1]]] |= works.pop(key)
    ranked = sorted(works, key=lambda key: (-len(works[key]), names[key].casefold()))
    found = [
        Coauthor(names[key], url_for(key[1]) if key[0] == "person" else None, len(works[key])) for key in ranked[:limit]
    ]
    return found, len(ranked)
