"""Text for the synthetic catalogue: titles, abstracts, names and citations, from word lists.

Every function takes the random.Random it draws from, so that the caller decides which stream
(and so which part of the catalogue) a draw belongs to. Pure Python, no Django.
"""

from __future__ import annotations

import random
import re
from bisect import bisect
from itertools import accumulate

from . import vocab

_SLOT = re.compile(r"\{(\w+)\}")


def zipf_weights(n: int, s: float = 1.0, offset: float = 1.0) -> list[float]:
    """Cumulative weights 1/(rank+offset)^s for ranks 0..n-1, for random.choices(cum_weights=...)."""
    return list(accumulate(1.0 / (rank + offset) ** s for rank in range(n)))


def zipf_pick(rng: random.Random, cum: list[float]) -> int:
    return bisect(cum, rng.random() * cum[-1], 0, len(cum) - 1)


def zipf_distinct(rng: random.Random, cum: list[float], k: int) -> list[int]:
    """Up to k distinct ranks (fewer only if the vocabulary is that small), in draw order."""
    k = min(k, len(cum))
    chosen: list[int] = []
    for _ in range(8 * k):
        rank = zipf_pick(rng, cum)
        if rank not in chosen:
            chosen.append(rank)
            if len(chosen) == k:
                break
    return chosen


def _compile(patterns: list[str]) -> list[list[str]]:
    return [_SLOT.split(p) for p in patterns]


_TITLES = _compile(vocab.TITLE_PATTERNS)
_OPENINGS = _compile(vocab.ABSTRACT_OPENINGS)
_MIDDLES = _compile(vocab.ABSTRACT_MIDDLES)
_CLOSINGS = _compile(vocab.ABSTRACT_CLOSINGS)
_TOPIC_CUM = zipf_weights(len(vocab.TOPICS), 0.3, 5)  # mild: titles stay varied


# The slots filled by one draw from a word list.
_WORDS = {
    "m": vocab.METHODS,
    "a": vocab.ASPECTS,
    "j": vocab.MODEL_ADJECTIVES,
    "g": vocab.GROUPS,
    "o": vocab.POLICIES,
    "v": vocab.VERBS,
    "u": vocab.UNITS,
}


def _fill(rng: random.Random, parts: list[str]) -> str:
    """A compiled pattern with each {slot} drawn anew; a topic or place seldom comes twice."""
    out = [parts[0]]
    used: list[str] = []
    year1 = 1900
    for i in range(1, len(parts), 2):
        slot = parts[i]
        if slot in _WORDS:
            value = rng.choice(_WORDS[slot])
        elif slot in ("t", "T", "p"):
            value = _topic_or_place(rng, slot, used)
        elif slot == "y1":
            year1 = rng.randint(1850, 1990)
            value = str(year1)
        elif slot == "y2":
            value = str(year1 + rng.randint(10, 40))
        else:
            value = _number(rng, slot)
        out.append(value)
        out.append(parts[i + 1])
    text = "".join(out)
    return text[0].upper() + text[1:]


def _topic_or_place(rng: random.Random, slot: str, used: list[str]) -> str:
    """A topic ({t}, or {T} capitalised) or a place ({p}), drawn once more if `used` has it already."""
    if slot == "p":
        value = rng.choice(vocab.PLACES)
        if value in used:
            value = rng.choice(vocab.PLACES)
        used.append(value)
        return value
    value = vocab.TOPICS[zipf_pick(rng, _TOPIC_CUM)]
    if value in used:
        value = vocab.TOPICS[zipf_pick(rng, _TOPIC_CUM)]
    used.append(value)
    return value[0].upper() + value[1:] if slot == "T" else value


def _number(rng: random.Random, slot: str) -> str:
    if slot == "x":
        return f"{rng.uniform(0.5, 25):.1f}"
    if slot == "n":
        return f"{rng.randint(2, 400) * 100:,}"
    raise KeyError(slot)


def title(rng: random.Random) -> str:
    return _fill(rng, rng.choice(_TITLES))


def abstract(rng: random.Random) -> str:
    """Two to five sentences: an opening, up to three findings, a closing."""
    middles = rng.sample(_MIDDLES, rng.randint(0, 3))
    return " ".join(_fill(rng, parts) for parts in [rng.choice(_OPENINGS), *middles, rng.choice(_CLOSINGS)])


def person_name(rng: random.Random) -> tuple[str, str, str]:
    """(first, middle initial or '', last)."""
    first = rng.choice(vocab.FIRST_NAMES)
    middle = f"{rng.choice('ABCDEFGHJKLMNPRSTW')}." if rng.random() < 0.15 else ""
    return first, middle, rng.choice(vocab.LAST_NAMES)


def full_name(first: str, middle: str, last: str) -> str:
    return " ".join(part for part in (first, middle, last) if part)


def cite_name(first: str, last: str) -> str:
    """'Müller, H.'; 'Min-jun' gives 'M.-j.' in real life, 'M.' here."""
    return f"{last}, {first[0]}."


def journal_name(rng: random.Random) -> str:
    fields = rng.sample(vocab.FIELDS, 2)
    return rng.choice(vocab.JOURNAL_PATTERNS).format(f=fields[0], g=fields[1])


def institution_name(rng: random.Random) -> str:
    return rng.choice(vocab.INSTITUTION_PATTERNS).format(c=rng.choice(vocab.CITIES))


def issn(rng: random.Random) -> str:
    return f"{rng.randint(0, 9999):04d}-{rng.randint(0, 999):03d}{rng.choice('0123456789X')}"


def join_authors(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " & " + names[-1]


CITATION_STYLES = 3


def citation(style: int, authors: str, year: int | str, title_: str, tail: str) -> str:
    """A reference as a citing paper's bibliography prints it, in one of three styles."""
    if style == 0:  # IDEAS
        return f'{authors}, {year}. "{title_}," {tail}.'
    end = "" if title_[-1] in "?!." else "."
    if style == 1:  # APA-like
        return f"{authors} ({year}). {title_}{end} {tail}."
    return f"{authors} {year}, '{title_}', {tail}."  # Harvard-like


def unmatched_reference(rng: random.Random, style: int, citing_year: int) -> tuple[str, str, str, int]:
    """A reference to something outside the catalogue: (raw text, title, authors, year)."""
    names = [cite_name(rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.LAST_NAMES)) for _ in range(rng.randint(1, 3))]
    authors = join_authors(names)
    year = rng.randint(max(1900, citing_year - 60), citing_year)
    title_ = title(rng)
    r = rng.random()
    if r < 0.55:
        first = rng.randint(1, 900)
        tail = f"{journal_name(rng)}, vol. {rng.randint(1, 80)}, pages {first}-{first + rng.randint(5, 40)}"
    elif r < 0.8:
        tail = f"{rng.choice(vocab.PUBLISHERS)}, {rng.choice(vocab.CITIES)}"
    else:
        tail = f"Mimeo, {institution_name(rng)}"
    return citation(style, authors, year, title_, tail), title_, authors, year
