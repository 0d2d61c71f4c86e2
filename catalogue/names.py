"""Personal names: the one way to fold and compare them. Pure standard library.

A name is folded before it is compared: letters that are no base letter plus an accent are
spelt out (ł -> l, ø -> o, æ -> ae, ß -> ss, đ -> d, þ -> th, œ -> oe, as PostgreSQL's
unaccent does), then accents are dropped and the case is lowered, so "Łukasz Øster" and
"Lukasz Oster" are the same name. Letters of other scripts are kept as they are.

- ``fold(name)``: the folded name (``"Łukasz Øster"`` -> ``"lukasz oster"``);
- ``name_words(name)``: its words in order, punctuation dropped (``"Sörvik, Jens"`` ->
  ``["sorvik", "jens"]``);
- ``name_tokens(name)``: the set of its words of two letters or more, initials dropped;
- ``ascii_fold(name)``: ASCII only, for identifiers made from names (short-ids, e-mail
  addresses, person handles): what ``fold`` leaves outside ASCII is dropped, and apostrophes;
- ``short_id_prefix(family_name)``: how a RePEc short-id begins (``"Sörvik"`` -> ``"pso"``);
- ``strip_marks(text)``: accents dropped and nothing else, case kept: the first step of
  ``fold``, and how the search index folds a word on SQLite (FTS5's ``remove_diacritics``
  keeps ł and ø), hence what a word sent to it may be (catalogue.citations.similarity.fold).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ascii_fold", "fold", "name_tokens", "name_words", "short_id_prefix", "strip_marks"]

# Letters NFKD leaves whole (no base letter plus a mark), spelt out as PostgreSQL's unaccent
# rules spell them, so that a folded name meets the search index there.
_LETTERS = str.maketrans({
    "Æ": "AE", "æ": "ae", "Ð": "D", "ð": "d", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i",
    "Ł": "L", "ł": "l", "Ŋ": "N", "ŋ": "n", "Ø": "O", "ø": "o", "Œ": "OE", "œ": "oe", "ß": "ss",
    "ẞ": "SS", "Þ": "TH", "þ": "th", "Ŧ": "T", "ŧ": "t",
})  # fmt: skip
_WORD = re.compile(r"[^\W_]+")


def strip_marks(text: str) -> str:
    """Accents and other combining marks dropped (Sörvik -> Sorvik), case kept; letters
    without a decomposition (ł, ø, æ, ß) stay as they are."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(name: str) -> str:
    """A name as it is compared: ł, ø, æ, ß and the like spelt out, accents dropped, lower
    case ("Łukasz Øster" -> "lukasz oster", "Sörvik" -> "sorvik")."""
    return strip_marks(name.translate(_LETTERS)).lower()


def name_words(name: str) -> list[str]:
    """The folded words of a name in their order, punctuation dropped ("Sörvik, J.-P." ->
    ["sorvik", "j", "p"])."""
    return _WORD.findall(fold(name))


def name_tokens(name: str) -> set[str]:
    """'Sörvik, Jens' -> {'sorvik', 'jens'}: the folded words of two letters or more."""
    return {word for word in name_words(name) if len(word) > 1}


def ascii_fold(name: str) -> str:
    """The folded name in ASCII, for identifiers: what is still not ASCII after folding (other
    scripts) is dropped, and apostrophes ("O'Brien" -> "obrien", "Sørensen" -> "sorensen")."""
    return "".join(c for c in fold(name) if c.isascii() and c != "'")


def short_id_prefix(family_name: str) -> str:
    """How a RePEc short-id of a person with this family name begins: ``p`` and its first two
    ASCII letters, folded ("Sörvik" -> "pso", "Łukasiewicz" -> "plu", "O'Brien" -> "pob";
    ``x`` stands in for missing letters)."""
    letters = "".join(c for c in ascii_fold(family_name) if c.isalpha())
    return "p" + (letters + "xx")[:2]
