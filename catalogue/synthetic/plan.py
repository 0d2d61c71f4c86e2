"""The plan of a synthetic catalogue: everything decided before the first item is written.

Archives, series, the pool of author names and the registered persons among them, the
vocabulary order, every item's year and series, and the citation graph (each reference as the
index of an earlier item, or -1 when it cites something outside the catalogue). Pure Python,
deterministic: each part draws from its own random stream, named after it (see stream()).
"""

from __future__ import annotations

import datetime
import math
import random
from array import array
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import accumulate

from ..models import Keyword
from ..names import ascii_fold, short_id_prefix
from . import text, vocab

FIRST_YEAR, LAST_YEAR = 1970, 2025
GROWTH = 0.06  # items per year grow ~6% a year
REFERENCES_MU, REFERENCES_SIGMA, MAX_REFERENCES = 2.1, 0.6, 200  # median ~8, mean ~10
UNMATCHED_SHARE = 0.2
COPY_SHARE = 0.6  # share of citations that copy an earlier citation (preferential attachment)
SERIES_KINDS = [("paper", 0.5), ("article", 0.42), ("chapter", 0.03), ("book", 0.03), ("software", 0.02)]


def stream(seed: int, name: str) -> random.Random:
    """An independent, reproducible random stream for one part of the catalogue."""
    return random.Random(f"econcat-synthetic:{seed}:{name}")  # noqa: S311 (not for secrets)


@dataclass
class ArchivePlan:
    code: str
    name: str
    publisher: bool
    maintainer_name: str
    maintainer_email: str


@dataclass
class SeriesPlan:
    index: int
    archive: int
    code: str
    name: str
    kind: str
    style: str  # how item codes look: num, yearnum, wp, dp (papers)
    offset: int  # first number of the series
    start_year: int  # volume 1 (journals)
    issn: str


@dataclass
class Plan:
    """Everything decided before the first item is written."""

    items: int
    seed: int
    archives: list[ArchivePlan]
    series: list[SeriesPlan]
    author_names: list[tuple[str, str, str]]  # (first, middle, last), in order of productivity
    author_cum: list[float]
    author_person: array  # index into persons, or -1
    persons: list[dict]
    person_workplaces: list[list[tuple[str, int]]]
    keywords: list[str]
    keyword_cum: list[float]
    jel_codes: list[str]  # three-character codes items are classified under, most used first
    jel_cum: list[float]
    nep_cum: list[float]
    years: array  # per item, non-decreasing
    series_of: array  # per item
    ref_offsets: array  # references of item i: ref_targets[ref_offsets[i]:ref_offsets[i + 1]]
    ref_targets: array  # an earlier item's index, or -1 for an unmatched reference
    citations: array  # per item: matched references pointing at it


def plan_catalogue(items: int, seed: int, taken_short_ids: AbstractSet[str] = frozenset()) -> Plan:
    """Decide the archives, series, authors, vocabulary, years and citation graph (no database)."""
    archives, series = _plan_archives_and_series(items, seed)
    names, author_cum, author_person, persons, workplaces = _plan_authors(items, seed, archives, taken_short_ids)
    rng = stream(seed, "vocabulary")
    keywords = list({Keyword.make_key(k): k for k in vocab.TOPICS + vocab.PLACES + vocab.KEYWORD_EXTRA}.values())
    rng.shuffle(keywords)
    jel = list(vocab.SYNTHETIC_JEL)
    rng.shuffle(jel)
    years = _plan_years(items, seed)
    rng = stream(seed, "series-of-items")
    cum = text.zipf_weights(len(series), 1.0, 5)
    order = list(range(len(series)))
    rng.shuffle(order)  # series sizes: Zipf over a random order of the series
    weights = [0.0] * len(series)
    for rank, s in enumerate(order):
        weights[s] = (cum[rank] - (cum[rank - 1] if rank else 0)) * (
            0.3 if series[s].kind in ("chapter", "book", "software") else 1
        )
    series_cum = list(accumulate(weights))
    series_of = array("I", (text.zipf_pick(rng, series_cum) for _ in range(items)))
    offsets, targets, citations = _plan_citations(items, seed)
    return Plan(
        items=items,
        seed=seed,
        archives=archives,
        series=series,
        author_names=names,
        author_cum=author_cum,
        author_person=author_person,
        persons=persons,
        person_workplaces=workplaces,
        keywords=keywords,
        keyword_cum=text.zipf_weights(len(keywords), 1.0, 2),
        jel_codes=jel,
        jel_cum=text.zipf_weights(len(jel), 0.8, 3),
        nep_cum=text.zipf_weights(len(vocab.NEP_REPORTS), 0.7, 2),
        years=years,
        series_of=series_of,
        ref_offsets=offsets,
        ref_targets=targets,
        citations=citations,
    )


def _person_contact(rng: random.Random) -> tuple[str, str]:
    first, middle, last = text.person_name(rng)
    email = f"{ascii_fold(first)}.{ascii_fold(last)}".replace(" ", "")
    return text.full_name(first, middle, last), f"{email}@example.org"


def _series_code(name: str, kind: str, archive: str, taken: set[str], rng: random.Random) -> str:
    if kind == "paper":
        candidates = ["wpaper", "dpaper", f"{archive}wpa", f"{archive}dps", "wpaps2"]
    elif kind == "article":
        words = [w for w in ascii_fold(name).split() if w not in {"of", "and", "the", "journal"}]
        letters = "".join(c for c in "".join(w[:3] for w in words[:2]) if c.isalnum())
        candidates = [(letters + "xxxxxx")[:6]]
    else:
        candidates = [archive + {"chapter": "chp", "book": "bok", "software": "cod"}[kind]]
    for code in candidates:
        if code not in taken:
            return code
    stem = candidates[0][:4]
    while True:
        code = f"{stem}{rng.randint(10, 99)}"
        if code not in taken:
            return code


def _plan_archives_and_series(items: int, seed: int) -> tuple[list[ArchivePlan], list[SeriesPlan]]:
    rng = stream(seed, "archives")
    n_series = max(2, round(items / 200))
    n_archives = max(1, min(round(items / 400), 10_000, n_series))
    n_publishers = n_archives // 5
    archives = _plan_archives(rng, n_archives, n_publishers)
    series: list[SeriesPlan] = []
    taken: dict[int, set[str]] = {a: set() for a in range(n_archives)}
    journal_names: set[str] = set()
    for s, (kind, a) in enumerate(_place_series(rng, archives, n_series, n_publishers)):
        archive = archives[a]
        name = _series_name(rng, kind, s, archive, journal_names)
        code = _series_code(name, kind, archive.code, taken[a], rng)
        taken[a].add(code)
        series.append(
            SeriesPlan(
                index=s,
                archive=a,
                code=code,
                name=name,
                kind=kind,
                style=rng.choice(["num", "yearnum", "wp", "dp"]),
                offset=rng.choice([0, 0, 0, 100, 1000, rng.randint(1, 5000)]),
                start_year=rng.randint(1930, 2015),
                issn=text.issn(rng) if kind == "article" else "",
            )
        )
    return archives, series


def _plan_archives(rng: random.Random, n_archives: int, n_publishers: int) -> list[ArchivePlan]:
    """Archives with distinct three-letter codes and distinct names; the first `n_publishers` are publishers."""
    archives: list[ArchivePlan] = []
    codes: set[str] = set()
    names: set[str] = set()
    for a in range(n_archives):
        code = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3))
        while code in codes:
            code = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3))
        codes.add(code)
        publisher = a < n_publishers
        if publisher and a < len(vocab.PUBLISHERS):
            name = vocab.PUBLISHERS[a]
        else:
            name = text.institution_name(rng)
            for attempt in range(2, 10):
                if name not in names:
                    break
                name = text.institution_name(rng) if attempt < 8 else f"{name} ({code.upper()})"
        names.add(name)
        archives.append(ArchivePlan(code, name, publisher, *_person_contact(rng)))
    return archives


def _place_series(rng: random.Random, archives: list[ArchivePlan], n_series: int, n_publishers: int) -> list[list]:
    """[kind, archive index] of each series: every archive has one, and the catalogue has papers and articles."""
    kinds, kind_weights = zip(*SERIES_KINDS, strict=True)
    archive_cum = text.zipf_weights(len(archives), 1.0, 2)
    publisher_cum = text.zipf_weights(n_publishers, 1.0, 1) if n_publishers else None
    placed: list[list] = []
    for s in range(n_series):
        if s < len(archives):  # every archive gets a series: a journal if a publisher's
            kind = "article" if archives[s].publisher or rng.random() < 0.3 else "paper"
            placed.append([kind, s])
            continue
        kind = rng.choices(kinds, kind_weights)[0]
        if kind != "paper" and publisher_cum and rng.random() < 0.7:
            placed.append([kind, text.zipf_pick(rng, publisher_cum)])
        else:
            placed.append([kind, text.zipf_pick(rng, archive_cum)])
    if all(kind != "paper" for kind, _ in placed):  # however small, a catalogue has both
        placed[0][0] = "paper"
    if all(kind != "article" for kind, _ in placed):
        placed[-1][0] = "article"
    return placed


def _series_name(rng: random.Random, kind: str, s: int, archive: ArchivePlan, journal_names: set[str]) -> str:
    """The name of series number `s`; a journal's is kept distinct from the others in `journal_names`."""
    if kind == "paper":
        name = rng.choice(vocab.PAPER_SERIES_NAMES)
        if rng.random() < 0.3:
            name = f"{archive.code.upper()} {name}"
    elif kind == "article":
        name = text.journal_name(rng)
        for _ in range(10):
            if name not in journal_names:
                break
            name = text.journal_name(rng)
        journal_names.add(name)
    elif kind == "software":
        name = "Statistical Software Components" if s % 2 else f"{archive.name} Software"
    else:
        name = f"{archive.name} {'Chapters' if kind == 'chapter' else 'Books'}"
    return name


def _plan_authors(items: int, seed: int, archives: list[ArchivePlan], taken_short_ids):
    """A pool of author names, most productive first; ~5% registered (more among the productive)."""
    rng = stream(seed, "authors")
    size = max(30, items // 2)
    names = [text.person_name(rng) for _ in range(size)]
    person_of = array("i", [-1]) * size
    persons: list[dict] = []
    workplaces: list[list[tuple[str, int]]] = []
    numbers: Counter = Counter()
    institutions = [a.name for a in archives if not a.publisher] or [a.name for a in archives]
    for k, (first, middle, last) in enumerate(names):
        if rng.random() >= 0.05 + (0.25 if k < size // 100 else 0):
            continue
        prefix = short_id_prefix(last)
        while True:
            numbers[prefix] += rng.randint(1, 40)
            short_id = f"{prefix}{numbers[prefix]}"
            if short_id not in taken_short_ids:
                break
        born = datetime.date(rng.randint(1940, 1995), rng.randint(1, 12), rng.randint(1, 28))
        plain = f"{ascii_fold(first)}_{ascii_fold(last)}".replace(" ", "_")
        person_of[k] = len(persons)
        persons.append(
            {
                "short_id": short_id,
                "handle": f"RePEc:per:{born:%Y-%m-%d}:{plain}",
                "name_full": text.full_name(first, middle, last),
                "name_first": first,
                "name_middle": middle,
                "name_last": last,
                "name_variants": [f"{last}, {first}", f"{first[0]}. {last}"],
                "email": f"{plain.replace('_', '.')}@example.org" if rng.random() < 0.5 else "",
                "homepage": f"https://example.org/~{short_id}" if rng.random() < 0.3 else "",
            }
        )
        if rng.random() < 0.8:
            workplaces.append([(rng.choice(institutions), 100)])
        else:
            workplaces.append([(rng.choice(institutions), 60), (rng.choice(institutions), 40)])
    return names, text.zipf_weights(size, 0.75, 20), person_of, persons, workplaces


def _plan_years(items: int, seed: int) -> array:
    """Publication years, growing ~6% a year, sorted: item i+1 is never older than item i."""
    rng = stream(seed, "years")
    span = LAST_YEAR - FIRST_YEAR + 1
    top = math.expm1(GROWTH * span)
    years = sorted(min(LAST_YEAR, FIRST_YEAR + int(math.log1p(rng.random() * top) / GROWTH)) for _ in range(items))
    return array("H", years)


def _plan_citations(items: int, seed: int) -> tuple[array, array, array]:
    """Who cites whom: each item's reference list as earlier items' indices (-1: not in the catalogue).

    A matched reference copies the target of a random earlier citation with probability
    COPY_SHARE (the rich get richer: a power law of citation counts), else it picks an
    earlier item with a mild preference for recent ones. No item cites the same item twice.
    """
    rng = stream(seed, "citations")
    rand, lognorm = rng.random, rng.lognormvariate
    offsets = array("I", [0])
    targets = array("i")
    matched = array("i")  # every matched target so far, for copying
    citations = array("I", [0]) * items
    for i in range(items):
        n = min(MAX_REFERENCES, int(lognorm(REFERENCES_MU, REFERENCES_SIGMA)))
        chosen: list[int] = []
        for _ in range(n):
            target = -1
            if i and rand() >= UNMATCHED_SHARE:
                for _attempt in range(3):
                    if matched and rand() < COPY_SHARE:
                        t = matched[int(rand() * len(matched))]
                    else:
                        t = int(i * rand() ** 0.7)
                    if t not in chosen:
                        target = t
                        break
            if target >= 0:
                chosen.append(target)
                citations[target] += 1
            targets.append(target)
        matched.extend(chosen)
        offsets.append(len(targets))
    return offsets, targets, citations


# -- writing -------------------------------------------------------------------------------
