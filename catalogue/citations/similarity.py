"""How alike a reference and a catalogue item are: pure functions, the same on every database.

The title similarity is pg_trgm's (the share of three-letter groups two texts have in common,
words padded with two spaces in front and one behind), computed here in Python so that a
reference scores the same on PostgreSQL and SQLite; the database only finds candidates.
"""

from __future__ import annotations

import re

from ..names import name_words, strip_marks

_WORD = re.compile(r"[^\W_]+")
_DOI = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
# "(2013)", "2013.", ", 2013," in a raw reference
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
# the year of publication as reference lists print it: "(2013)", "(2013a)"
_PAREN_YEAR = re.compile(r"\((1[89]\d\d|20\d\d)[a-z]?\)")
# a year that closes the authors: "Sörvik, J., 2013"
_TAIL_YEAR = re.compile(r",?\s*(1[89]\d\d|20\d\d)[a-z]?\s*$")
_QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]{12,})[\"“”«»]")
STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "by", "de", "der", "des", "die", "du", "for", "from", "in", "into",
    "is", "la", "le", "of", "on", "or", "the", "their", "to", "und", "with",
})  # fmt: skip


def fold(text: str) -> str:
    """Lower case, accents dropped (Sörvik -> sorvik), ł and ø kept: the words of a title as
    the search index holds them on SQLite (FTS5 keeps ł and ø), where the matcher looks its
    words up. Personal names fold further (catalogue.names)."""
    return strip_marks(text).lower()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def trigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for word in words(text):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def title_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(a, b): shared trigrams over all trigrams, 0 to 1."""
    ga, gb = trigrams(a), trigrams(b)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / len(ga | gb)


def normalise_doi(text: str) -> str:
    """The DOI in a text ("https://doi.org/10.1/X", "doi:10.1/x." -> "10.1/x"), or ""."""
    found = _DOI.search(text or "")
    return found.group(0).rstrip(".,;)]").lower() if found else ""


def surnames(authors: str) -> set[str]:
    """Family names in an author string: "Sörvik, J. & Hegyi, F. B." or "J. Sörvik and F. Hegyi"
    -> {"sorvik", "hegyi"}; initials and "et al." are dropped."""
    names = set()
    for part in re.split(r";|&|\band\b|\bet al\b\.?|,(?=\s*[A-ZÀ-Ý][a-zà-ÿ])", authors):
        tokens = [w for w in name_words(part) if len(w) > 1 and w not in {"al", "et", "eds", "ed"}]
        if not tokens:
            continue
        # "Sörvik, J." -> the word before the comma; "J. Sörvik" -> the last word
        head = part.split(",")[0] if "," in part else part
        head_tokens = [w for w in name_words(head) if len(w) > 1]
        names.add((head_tokens or tokens)[-1])
    return names


# the full stop that ends the authors: not an initial's ("J. Smith"), e.g. "Wolf, M.. The"
_AUTHORS_END = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])\.\s")


def parse_raw(raw: str) -> tuple[str, int | None, str]:
    """(authors, year, the rest) of a raw reference. The authors end at a year in parentheses
    right after them ("Sörvik, J. (2013). Preliminary report."), or else at the first full stop
    that is not an initial's ("Sörvik, J., 2013. Preliminary report.", "Wolf, M.. A title."):
    a year inside a title ("Brazil, 1923-1963") ends nothing."""
    paren = _PAREN_YEAR.search(raw)
    end = _AUTHORS_END.search(raw)
    if paren and (end is None or paren.start() <= end.end() + 2):
        return raw[: paren.start()].rstrip(" (,"), int(paren.group(1)), raw[paren.end() :].lstrip(" ).,:;")
    if end is None:
        return "", int(paren.group(1)) if paren else None, raw
    authors, rest = raw[: end.start()], raw[end.end() :].lstrip(" .")
    tail = _TAIL_YEAR.search(authors)
    if tail:
        return authors[: tail.start()], int(tail.group(1)), rest
    return authors, int(paren.group(1)) if paren else None, rest


def split_raw(raw: str) -> tuple[str, str]:
    """(authors, the rest) of a raw reference (see parse_raw)."""
    authors, _, rest = parse_raw(raw)
    return authors, rest


def title_from_raw(raw: str) -> str:
    """The title in a raw reference, as well as it can be told: quoted text, or what follows the
    authors and year up to the next full stop ("Sörvik, J. (2013). Preliminary report. JRC." ->
    "Preliminary report"), or the whole text."""
    quoted = _QUOTED.search(raw)
    if quoted:
        return quoted.group(1).strip(" ,.")
    rest = split_raw(raw)[1]
    title = re.split(r"(?<=[a-z0-9])\.\s", rest, maxsplit=1)[0]
    return title.strip(" ,.") or raw


def year_in(raw: str) -> int | None:
    """The year of publication of a raw reference, if it prints one where years go (parse_raw)."""
    return parse_raw(raw)[1]


def first_surname(authors: str) -> str:
    """The first author's family name ("Sörvik, J. & Hegyi, F." -> "sorvik"), or ""."""
    first = re.split(r";|&|\band\b|\bet al\b\.?|,(?=\s*[A-ZÀ-Ý][a-zà-ÿ])", authors, maxsplit=1)[0]
    names = surnames(first)
    return next(iter(names)) if names else ""


def best_title_similarity(reference_title: str, item_title: str) -> float:
    """Title similarity, also against the item's title without its subtitle: reference lists
    often drop what follows the colon ("Fertility and fiscal multipliers" for "Fertility and
    fiscal multipliers: evidence from Ireland")."""
    full = title_similarity(reference_title, item_title)
    if ":" in item_title and ":" not in reference_title:
        return max(full, title_similarity(reference_title, item_title.split(":", 1)[0]))
    return full


def year_score(reference_year: int | None, item_year: int | None) -> float:
    """1 the same year, 0.7 a year apart (a working paper and its publication), 0.5 unknown."""
    if reference_year is None or item_year is None:
        return 0.5
    gap = abs(reference_year - item_year)
    return 1.0 if gap == 0 else 0.7 if gap == 1 else 0.3 if gap <= 3 else 0.0


def author_score(reference_surnames: set[str], item_surnames: set[str]) -> float:
    """The share of the reference's surnames among the item's authors; 0.5 when either is unknown."""
    if not reference_surnames or not item_surnames:
        return 0.5
    return len(reference_surnames & item_surnames) / len(reference_surnames)


def score(title_sim: float, years: float, authors: float) -> float:
    """The matcher's confidence: mostly the title, confirmed (or not) by year and authors. When
    both name authors and none is shared, a like title is another work more often than not
    ("Smart Specialisation" by Foray is not the handbook by Gianelle et al.): 0.8 times."""
    confidence = 0.6 * title_sim + 0.15 * years + 0.25 * authors
    return round(confidence * 0.8 if authors == 0 else confidence, 4)
