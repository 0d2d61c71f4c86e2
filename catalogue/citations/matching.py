"""Reference matching (`manage.py match_references`): each raw reference to a catalogue item.

A reference is matched by its DOI, by the handle its source gave, or by its title: the
database finds candidates (PostgreSQL: items by one of its surnames with some of its title
words, from the search index through its backend, else titles alike by trigram similarity; SQLite: the title's
words in the search index), and each is scored in Python, the same everywhere
(similarity.py): title similarity, year, author surnames.
The best candidate is *matched* when it scores MATCH_AT or more and clearly beats the next,
*uncertain* from UNCERTAIN_AT (a registered author of the cited item confirms or rejects
it), *unmatched* below.

Incremental: only references never matched since they were loaded or changed
(`matched_at` is NULL) are read, unless `everything`. A decision a person made (confirmed or
rejected, which is also how a link set by hand is kept) is never read nor written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .. import pagecache
from ..handles import handle_key
from ..models import Authorship, HandleAlias, Item, Reference
from ..names import name_words
from ..search.backends import text_backend
from . import similarity as sim
from .counts import refresh_citation_counts

MATCH_AT = 0.60
UNCERTAIN_AT = 0.45
MARGIN = 0.10  # a match must beat the runner-up by this much, else it is uncertain
CANDIDATES = 100  # title candidates scored per reference
BATCH = 500

Status = Reference.Status


@dataclass
class MatchReport:
    seen: int = 0
    matched: int = 0
    uncertain: int = 0
    unmatched: int = 0
    changed: int = 0  # references whose outcome differs from what they had

    def summary(self) -> str:
        return (
            f"references read {self.seen:,}: matched {self.matched:,}, uncertain {self.uncertain:,}, "
            f"unmatched {self.unmatched:,}; changed {self.changed:,}"
        )


@dataclass(frozen=True)
class Outcome:
    status: str
    target_id: int | None
    score: float | None


def match_references(
    *,
    everything: bool = False,
    citing: Iterable[int] | None = None,
    batch_size: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> MatchReport:
    """Match the references that need it (of the `citing` items only, if given), a batch at a
    time, each batch in its own transaction."""
    report = MatchReport()
    pending = Reference.objects.exclude(status__in=Status.decided())
    if not everything:
        pending = pending.filter(matched_at__isnull=True)
    if citing is not None:
        pending = pending.filter(citing_id__in=list(citing))
    last = 0
    while True:
        ids = list(pending.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            pagecache.changed()  # the references now link their items (and counts moved)
            return report
        last = ids[-1]
        _match_batch(ids, report)
        if progress:
            progress(report.seen)


def _match_batch(ids: list[int], report: MatchReport) -> None:
    with transaction.atomic():
        # locked, and re-read: a person's decision taken since the ids were read wins
        refs = list(Reference.objects.select_for_update().filter(pk__in=ids).exclude(status__in=Status.decided()))
        outcomes = Matcher().match(refs)
        now = timezone.now()
        touched: set[int] = set()
        for ref in refs:
            outcome = outcomes[ref.pk]
            report.seen += 1
            setattr(report, outcome.status, getattr(report, outcome.status) + 1)
            if (ref.status, ref.target_id) != (outcome.status, outcome.target_id):
                report.changed += 1
                touched |= {ref.target_id, outcome.target_id} - {None}
            ref.link(outcome.status, outcome.target_id, now)
            ref.score, ref.matched_at = outcome.score, now
        flag_self_citations(refs)
        Reference.objects.bulk_update(
            refs, ["status", "target", "score", "self_citation", "matched_at", "linked_at"], batch_size=1000
        )
        refresh_citation_counts(touched)


def flag_self_citations(refs: list[Reference]) -> None:
    """A reference is a self-citation when its item and the item it cites share an author: the
    same registered person, or the same family name and first initial (also used when a
    moderator approves a reported citation, citations/reports.py)."""
    linked = [ref for ref in refs if ref.target_id]
    authors = _authors({ref.citing_id for ref in linked} | {ref.target_id for ref in linked if ref.target_id})
    for ref in refs:
        ref.self_citation = bool(ref.target_id and authors[ref.citing_id] & authors[ref.target_id])


def _authors(item_ids: set[int]) -> dict[int, set]:
    """item id -> its authors, as person ids and as (family name, first initial)."""
    found: dict[int, set] = defaultdict(set)
    if not item_ids:
        return found
    for item_id, words, person_id in _authorships(item_ids):
        if person_id:
            found[item_id].add(person_id)
        if len(words) >= 2:
            found[item_id].add((words[-1], words[0][0]))
    return found


class Matcher:
    """Finds the item each reference of a batch cites."""

    def match(self, refs: list[Reference]) -> dict[int, Outcome]:
        outcomes: dict[int, Outcome] = {}
        by_doi = self._by_doi(refs)
        by_handle = self._by_handle(refs)
        for ref in refs:
            target = by_doi.get(ref.pk) or by_handle.get(ref.pk)
            if target:
                outcomes[ref.pk] = Outcome(Status.MATCHED, target, 1.0)
        rest = [ref for ref in refs if ref.pk not in outcomes]
        titles = {ref.pk: ref.title or sim.title_from_raw(ref.raw_text) for ref in rest}
        authors = {ref.pk: ref.authors or sim.split_raw(ref.raw_text)[0] for ref in rest}
        surnames = {pk: sim.surnames(text) for pk, text in authors.items()}
        candidates = {
            ref.pk: self.candidates(titles[ref.pk], surnames[ref.pk], sim.first_surname(authors[ref.pk]))
            for ref in rest
        }
        details = _details({pk for found in candidates.values() for pk in found})
        for ref in rest:
            year = ref.year or sim.year_in(ref.raw_text)
            names = surnames[ref.pk]
            scored = sorted(
                (
                    sim.score(
                        sim.best_title_similarity(titles[ref.pk], details[pk][0]),
                        sim.year_score(year, details[pk][1]),
                        sim.author_score(names, details[pk][2]),
                    ),
                    pk,
                )
                for pk in candidates[ref.pk]
                if pk in details and pk != ref.citing_id
            )
            outcomes[ref.pk] = decide(scored)
        return outcomes

    def candidates(self, title: str, surnames: set[str], first: str = "") -> list[int]:
        """Ids of items whose titles look like `title`, the likeliest first."""
        backend, words = text_backend(), _title_terms(title)
        if connection.vendor != "postgresql":
            return backend.work_candidates(words, [], CANDIDATES)
        # the first author (kept by "et al.") with the title's words first, then any author
        found = backend.work_candidates(words, _names(first), CANDIDATES) if first else []
        seen = set(found)
        found += [pk for pk in backend.work_candidates(words, _names(*surnames), CANDIDATES) if pk not in seen]
        return found or _trigram_candidates(title)

    @staticmethod
    def _by_doi(refs: list[Reference]) -> dict[int, int]:
        dois = {ref.pk: sim.normalise_doi(ref.doi) or sim.normalise_doi(ref.raw_text) for ref in refs}
        wanted = {d for d in dois.values() if d}
        if not wanted:
            return {}
        # DOIs are case-insensitive; catalogues store them as published, most in lower or upper case
        forms = wanted | {d.upper() for d in wanted}
        found = {doi.lower(): pk for pk, doi in Item.objects.filter(doi__in=forms).values_list("pk", "doi")}
        return {ref_pk: found[d] for ref_pk, d in dois.items() if d in found}

    @staticmethod
    def _by_handle(refs: list[Reference]) -> dict[int, int]:
        keys = {ref.pk: handle_key(ref.cited_handle) for ref in refs if ref.cited_handle.strip()}
        if not keys:
            return {}
        wanted = set(keys.values())
        found = dict(Item.objects.filter(handle_key__in=wanted).values_list("handle_key", "pk"))
        found.update(
            (key, pk)
            for key, pk in HandleAlias.objects.filter(handle_key__in=wanted - set(found)).values_list(
                "handle_key", "item_id"
            )
        )
        return {ref_pk: found[key] for ref_pk, key in keys.items() if key in found}


def decide(scored: list[tuple[float, int]]) -> Outcome:
    """From (score, item id) ascending: the outcome for the best."""
    if not scored:
        return Outcome(Status.UNMATCHED, None, None)
    best, target = scored[-1]
    runner_up = scored[-2][0] if len(scored) > 1 else 0.0
    if best >= MATCH_AT and best - runner_up >= MARGIN:
        return Outcome(Status.MATCHED, target, best)
    if best >= UNCERTAIN_AT:
        return Outcome(Status.UNCERTAIN, target, best)
    return Outcome(Status.UNMATCHED, None, best)


def _details(ids: set[int]) -> dict[int, tuple[str, int | None, set[str]]]:
    """id -> (title, year, author surnames) for the candidates."""
    if not ids:
        return {}
    names: dict[int, set[str]] = defaultdict(set)
    for item_id, words, _ in _authorships(ids):
        names[item_id].add(words[-1])
    return {
        pk: (title, year, names[pk])
        for pk, title, year in Item.objects.filter(pk__in=ids).values_list("pk", "title", "year")
    }


def _authorships(item_ids: set[int]):
    """(item id, the words of the author's name, person id) for these items' named authors."""
    rows = Authorship.objects.filter(item_id__in=item_ids).values_list("item_id", "name", "person_id")
    for item_id, name, person_id in rows:
        words = name_words(name)
        if words:
            yield item_id, words, person_id


def _names(*surnames: str) -> list[str]:
    return sorted(n for n in surnames if n not in sim.STOPWORDS)


def _title_terms(title: str) -> list[str]:
    return [w for w in dict.fromkeys(sim.words(title)) if len(w) > 2 and w not in sim.STOPWORDS][:12]


def _trigram_candidates(title: str) -> list[int]:
    """PostgreSQL, when the reference names no author or none is found: titles similar by
    pg_trgm (`%` uses the index item_title_trgm, from similarity 0.5: slow on common words)."""
    if len(title) < 8:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL pg_trgm.similarity_threshold = 0.5")
        cursor.execute(
            "SELECT id FROM catalogue_item WHERE title %% %s ORDER BY similarity(title, %s) DESC, id LIMIT %s",
            [title, title, CANDIDATES],
        )
        return [pk for (pk,) in cursor.fetchall()]
