"""The reader's query, parsed once, rendered for each backend.

Web-search syntax, as PostgreSQL's `websearch_to_tsquery` and most search boxes read it:
words (all must match), "quoted phrases", `OR` between two terms, `-word` or `-"a phrase"` to
exclude. Parsing happens here, in Python, so both backends get the same query: each renders
only words made of letters and digits, so nothing the reader types reaches a query parser raw.
Pure Python, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product

from .spelling import spellings

MAX_CHARS = 500  # longer input is cut here, and the page says so
MAX_TERMS = 16  # terms beyond this are dropped, and the page says so
MAX_PHRASES = 8  # spellings of the whole query as one phrase, for ranking

# English words too common to search for (the start of PostgreSQL's english.stop list); both
# backends drop them outside phrases, so "the economics of growth" means "economics growth".
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "may",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "of",
        "on",
        "one",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")  # letters and digits


@dataclass(frozen=True)
class Term:
    """A word, or a phrase of several words in order; `negated` excludes it."""

    words: tuple[str, ...]
    negated: bool = False
    spelling: bool = False  # another spelling of the term before it, added (catalogue.search.spelling)

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass
class Query:
    """All `groups` must match; within a group any term may (the `OR`s); no `excluded` may."""

    text: str = ""
    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def words(self) -> list[str]:
        """The words as the reader typed them (not the other spellings added)."""
        return [w for group in self.groups for term in group if not term.spelling for w in term.words]

    def phrases(self) -> list[tuple[str, ...]]:
        """The whole query read as one phrase, in each of its spellings (at most MAX_PHRASES):
        what ranks an item first when its title holds it."""
        found = product(*[[t.words for t in group] for group in self.groups])
        return [
            tuple(w for words in choice for w in words) for choice, _ in zip(found, range(MAX_PHRASES), strict=False)
        ]

    def tsquery(self, positive_only: bool = False) -> str:
        """For PostgreSQL's to_tsquery: each word quoted, `<->` within a phrase, `|` within a
        group, `&` between groups, `!` before an exclusion, parenthesised (websearch_to_tsquery
        reads `a or b c` as `a | (b & c)`)."""

        def render(term: Term) -> str:
            body = "(" + " <-> ".join(f"'{w}'" for w in term.words) + ")"
            return f"!{body}" if term.negated else body

        parts = ["(" + " | ".join(render(t) for t in group) + ")" for group in self.groups]
        if not positive_only:
            parts += [render(t) for t in self.excluded]
        return " & ".join(parts)

    def phrase_tsquery(self) -> str:
        return " | ".join("(" + " <-> ".join(f"'{w}'" for w in words) + ")" for words in self.phrases())

    def fts5(self, positive_only: bool = False) -> str:
        """For SQLite FTS5 MATCH: every word a quoted string, explicit AND/OR/NOT, parenthesised."""

        def render(term: Term) -> str:
            return '"' + " ".join(term.words) + '"'

        expr = " AND ".join("(" + " OR ".join(render(t) for t in group) + ")" for group in self.groups)
        for term in [] if positive_only else self.excluded:
            expr = f"({expr}) NOT {render(term)}"
        return expr

    def phrase_fts5(self) -> str:
        return " OR ".join('"' + " ".join(words) + '"' for words in self.phrases())


def parse(text: str) -> Query:
    """Read web-search syntax; never fails: what cannot be searched for is dropped with a note."""
    query = Query(text=" ".join(text.split()))
    if len(query.text) > MAX_CHARS:
        query.text = query.text[:MAX_CHARS]
        query.notes.append(f"Only the first {MAX_CHARS} characters of the query were used.")
    terms: list[Term | str] = []
    dropped: list[str] = []
    for match in _TOKEN.finditer(query.text):
        sign, phrase, bare = match.groups()
        if bare == "OR":
            terms.append("OR")
            continue
        negated = bool(sign) or (bare is not None and bare.startswith("-") and len(bare) > 1)
        raw = phrase if phrase is not None else bare.lstrip("-")
        words = tuple(w.lower() for w in _WORD.findall(raw))
        if phrase is None:
            # a bare token with inner punctuation (R&D, smart-specialisation) reads as a phrase
            kept = tuple(w for w in words if w not in STOPWORDS)
            dropped += [w for w in words if w in STOPWORDS]
            words = words if len(kept) > 1 else kept
        elif all(w in STOPWORDS for w in words):
            dropped += list(words)
            words = ()
        if words:
            terms.append(Term(words, negated))
    if len(terms) > MAX_TERMS:
        terms = terms[:MAX_TERMS]
        query.notes.append(f"Only the first {MAX_TERMS} terms of the query were used.")
    _group(query, terms)
    query.groups = [_with_spellings(group) for group in query.groups]
    query.excluded = _with_spellings(query.excluded)
    spelled = [" ".join(t.words) for group in query.groups for t in group if t.spelling]
    if spelled:
        query.notes.append("Other spellings searched too: " + ", ".join(dict.fromkeys(spelled)) + ".")
    if dropped:
        query.notes.append("Left out as too common: " + ", ".join(dict.fromkeys(dropped)) + ".")
    if query.excluded and not query.groups:
        query.notes.append("A query needs at least one word to look for, besides the excluded ones.")
    return query


def _with_spellings(terms: list[Term]) -> list[Term]:
    """Each term, followed by its other spellings (labour: labor) as alternatives."""
    spelled: list[Term] = []
    for term in terms:
        spelled.append(term)
        spelled += [Term(words, term.negated, spelling=True) for words in spellings(term.words)[1:]]
    return spelled


def _group(query: Query, terms: list[Term | str]) -> None:
    """Fold `a OR b` into one group; an `OR` with nothing on one side is ignored."""
    pending_or = False
    for term in terms:
        if isinstance(term, str):  # "OR"
            pending_or = bool(query.groups)
            continue
        if term.negated:
            query.excluded.append(term)
            pending_or = False
        elif pending_or:
            query.groups[-1].append(term)
            pending_or = False
        else:
            query.groups.append([term])
