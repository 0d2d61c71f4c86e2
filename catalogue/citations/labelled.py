"""A labelled set of references for measuring the matcher: references to catalogue items,
written the ways real reference lists write them, and references to works not in the
catalogue. Used by the tests (thresholds) and bench/matching.py (figures).

Noise, each at a realistic rate: typos in the title, a dropped subtitle, lower case, authors
as "Surname, I." with "et al.", a missing year or one a year off (a working paper cited
with its publication's year), an abbreviated journal, and half the references with no
parsed fields at all (only the raw text, which the matcher must read).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

JOURNAL_WORDS = {"Journal": "J.", "Economics": "Econ.", "Economic": "Econ.", "Review": "Rev.", "Regional": "Reg."}


@dataclass
class Labelled:
    fields: dict  # Reference fields: raw_text, title, authors, year
    target: int | None  # the item it cites, None when the work is not in the catalogue


@dataclass
class Work:
    pk: int | None
    title: str
    year: int | None
    authors: list[str]
    journal: str = ""


def typo(rng: random.Random, text: str) -> str:
    chars = list(text)
    letters = [i for i, c in enumerate(chars) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    kind = rng.random()
    if kind < 0.4:
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    elif kind < 0.7:
        del chars[i]
    else:
        chars.insert(i, chars[i])
    return "".join(chars)


def cite(rng: random.Random, work: Work) -> dict:
    """One reference to `work`, with noise."""
    title = work.title
    if ":" in title and rng.random() < 0.3:
        title = title.split(":")[0]
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        title = typo(rng, title)
    if rng.random() < 0.1:
        title = title.lower()
    surnames = [name.split()[-1] for name in work.authors]
    initials = [" ".join(f"{p[0]}." for p in name.split()[:-1]) for name in work.authors]
    listed = [f"{s}, {i}".strip(", ") for s, i in zip(surnames, initials, strict=True)]
    authors = listed[0] + " et al." if len(listed) > 2 and rng.random() < 0.5 else " & ".join(listed)
    year = work.year
    roll = rng.random()
    if roll < 0.2:
        year = None
    elif roll < 0.35 and year:
        year += rng.choice([-1, 1])
    journal = " ".join(JOURNAL_WORDS.get(w, w) for w in work.journal.split()) if rng.random() < 0.5 else work.journal
    raw = f"{authors} ({year}). {title}." if year else f"{authors}. {title}."
    if journal:
        raw += f" {journal}."
    if rng.random() < 0.5:
        return {"raw_text": raw, "title": "", "authors": "", "year": None}
    return {"raw_text": raw, "title": title, "authors": authors, "year": year}


def labelled_set(works: list[Work], absent: list[Work], rng: random.Random) -> list[Labelled]:
    """A reference to each of `works` (in the catalogue) and to each of `absent` (not in it), shuffled."""
    cases = [Labelled(cite(rng, w), w.pk) for w in works] + [Labelled(cite(rng, w), None) for w in absent]
    rng.shuffle(cases)
    return cases


@dataclass
class Quality:
    positives: int
    negatives: int
    matched_right: int
    matched_wrong: int  # to another item, or to an item when the work is absent
    uncertain_right: int  # the right item, left for a person to confirm
    uncertain: int

    @property
    def precision(self) -> float:
        matched = self.matched_right + self.matched_wrong
        return self.matched_right / matched if matched else 1.0

    @property
    def recall(self) -> float:
        return self.matched_right / self.positives if self.positives else 1.0

    @property
    def recall_with_confirmations(self) -> float:
        """Recall once authors have confirmed the right uncertain candidates."""
        return (self.matched_right + self.uncertain_right) / self.positives if self.positives else 1.0

    def summary(self) -> str:
        return (
            f"{self.positives} references to catalogue items, {self.negatives} to absent works: "
            f"precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"({self.recall_with_confirmations:.3f} once {self.uncertain_right} uncertain right candidates are "
            f"confirmed; {self.uncertain} uncertain in all, {self.matched_wrong} wrong matches)"
        )


def quality(cases: list[Labelled], outcomes: list[tuple[str, int | None]]) -> Quality:
    """Compare (status, target) per case with the labels."""
    q = Quality(sum(c.target is not None for c in cases), sum(c.target is None for c in cases), 0, 0, 0, 0)
    for case, (status, target) in zip(cases, outcomes, strict=True):
        if status == "matched":
            if target == case.target:
                q.matched_right += 1
            else:
                q.matched_wrong += 1
        elif status == "uncertain":
            q.uncertain += 1
            q.uncertain_right += target is not None and target == case.target
    return q


__all__ = ["Labelled", "Quality", "Work", "cite", "labelled_set", "quality"]
