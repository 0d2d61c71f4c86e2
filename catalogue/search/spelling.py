"""British and American spellings of one word: `specialisation` and `specialization` find the
same items.

The query, not the index, carries the variants: a word the reader types becomes "the word or
its other spelling" (catalogue.search.query), so both backends, their stemmers and the stored
index stay as they are, and a spelling nobody used costs one more term that matches nothing.
Rules by ending where they are safe (-isation/-ization, -yse/-yze, -ise/-ize on words of six
letters or more, minus the words that only have one spelling), lists where an ending is
shared by unrelated words (labour/labor but not four/for; centre/center but not genre).
Pure Python, no Django.
"""

from __future__ import annotations

from itertools import product

# (British, American) endings, longest first; applied both ways
_ENDINGS = (
    ("isations", "izations"),
    ("isation", "ization"),
    ("ysing", "yzing"),
    ("ysed", "yzed"),
    ("yses", "yzes"),
    ("yser", "yzer"),
    ("yse", "yze"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("isers", "izers"),
    ("iser", "izer"),
    ("ise", "ize"),
)
_MIN_LENGTH = 6  # rise, wise, size, prize keep their one spelling
_ONE_SPELLING = frozenset(
    """advise advised advises advising advertise advertised advertises advertising chastise
    comprise comprised comprises comprising compromise compromised compromises compromising
    concise demise despise devise devised devises devising disguise enterprise enterprises
    excise exercise exercised exercises exercising expertise franchise franchised franchises
    improvise incise merchandise noise otherwise poise praise praised praises precise premise
    premises promise promised promises promising raise raised raises raising revise revised
    revises revising seize seized seizes seizing size sized sizes supervise supervised
    supervises supervising surmise surprise surprised surprises surprising televise treatise
    treatises wise citizen citizens baptize capsize""".split()  # noqa: SIM905 (a list of words reads better)
)

# whole stems whose ending is shared by other words: British stem, American stem
_STEMS = (
    [(f"{base}our", f"{base}or") for base in (
        "arm", "behavi", "cand", "clam", "col", "endeav", "fav", "flav", "harb", "hon", "hum",
        "lab", "neighb", "od", "parl", "rig", "rum", "sav", "tum", "val", "vap", "vig",
    )]
    + [("centre", "center"), ("fibre", "fiber"), ("theatre", "theater"), ("metre", "meter"),
       ("litre", "liter"), ("calibre", "caliber"), ("meagre", "meager"), ("sombre", "somber"),
       ("catalogue", "catalog"), ("dialogue", "dialog"), ("analogue", "analog"),
       ("defence", "defense"), ("offence", "offense"), ("licence", "license"), ("pretence", "pretense"),
       ("programme", "program"), ("ageing", "aging"), ("judgement", "judgment"),
       ("acknowledgement", "acknowledgment"), ("enrol", "enroll"), ("fulfil", "fulfill"),
       ("instalment", "installment"), ("skilful", "skillful"), ("grey", "gray"), ("tyre", "tire"),
       ("cheque", "check"), ("plough", "plow"), ("mould", "mold"), ("manoeuvre", "maneuver"),
       ("paediatric", "pediatric"), ("oestrogen", "estrogen"), ("foetus", "fetus")]
    + [(f"{base}l", base) for base in (
        "model", "travel", "label", "cancel", "fuel", "signal", "level", "total", "channel",
        "counsel", "equal", "marshal", "tunnel", "dial", "rival", "jewel",
    )]
)  # fmt: skip
# what may follow a stem: labour, labours, laboured, labouring, labourer, labour-market...
_STEM_SUFFIXES = (
    "", "s", "ed", "ing", "er", "ers", "al", "ally", "able", "ite", "ites", "ism", "ist", "ists",
    "ful", "less", "hood", "hoods", "ly",
)  # fmt: skip
_STEM_SUFFIXES_LL = ("ed", "ing", "er", "ers")  # modelled/modeled: the double l only before these
_MAX_PHRASE_SPELLINGS = 8  # a phrase of many variable words is searched in its first spellings


def _stem_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for british, american in _STEMS:
        suffixes = _STEM_SUFFIXES_LL if british.endswith("ll") and american.endswith("l") else _STEM_SUFFIXES
        for suffix in suffixes:
            table.setdefault(british + suffix, american + suffix)
            table.setdefault(american + suffix, british + suffix)
    return table


_BY_STEM = _stem_table()


def variants(word: str) -> tuple[str, ...]:
    """The other spellings of `word` (lower case), without the word itself."""
    other = _BY_STEM.get(word)
    if other:
        return (other,)
    if len(word) < _MIN_LENGTH or word in _ONE_SPELLING:
        return ()
    for british, american in _ENDINGS:
        for ending, replacement in ((british, american), (american, british)):
            if word.endswith(ending):
                changed = word[: -len(ending)] + replacement
                return () if changed in _ONE_SPELLING else (changed,)
    return ()


def spellings(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every spelling of a phrase, as typed first, at most _MAX_PHRASE_SPELLINGS."""
    choices = [(word, *variants(word)) for word in words]
    return [combination for combination, _ in zip(product(*choices), range(_MAX_PHRASE_SPELLINGS), strict=False)]
