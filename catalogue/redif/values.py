"""Checks and normalisation of single ReDIF values: dates, JEL codes, keywords,
handles, URLs, e-mail addresses, free text.  Pure standard library.

Every checker raises ``ValueError`` with a short message for a bad value;
``records`` turns those into warnings or errors. The handle checkers live in
``catalogue.handles`` (pure too, shared with the rest of the catalogue) and are re-exported.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from ..handles import (
    archive_handle,
    document_handle,
    handle_parts,
    institution_handle,
    is_document_handle,
    normalise_handle,
    normalise_orcid,
    orcid_check_digit,
    person_handle,
    series_handle,
)

__all__ = [
    "PartialDate",
    "archive_handle",
    "check_email",
    "check_language",
    "check_mime",
    "check_pubstat",
    "check_url",
    "check_year",
    "clean",
    "clean_abstract",
    "document_handle",
    "handle_parts",
    "institution_handle",
    "is_document_handle",
    "jel_codes_lenient",
    "normalise_doi",
    "normalise_handle",
    "normalise_orcid",
    "orcid_check_digit",
    "parse_date",
    "parse_jel",
    "person_handle",
    "series_handle",
    "split_keywords",
]


# --------------------------------------------------------------------------
# free text


def clean(value: str) -> str:
    """Strip and collapse every run of white space (newlines too) to one space."""
    return " ".join(value.split())


_PARAGRAPHS = re.compile(r"\n[ \t]*\n\s*")


def clean_abstract(value: str) -> str:
    """Collapse white space but keep paragraph breaks (blank lines) as ``\\n\\n``.

    Single line breaks are taken as hard wrapping and become spaces.
    """
    return "\n\n".join(p for p in (clean(p) for p in _PARAGRAPHS.split(value.strip())) if p)


# --------------------------------------------------------------------------
# dates


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        s = f"{self.year:04d}"
        if self.month is not None:
            s += f"-{self.month:02d}"
            if self.day is not None:
                s += f"-{self.day:02d}"
        return s

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", re.ASCII)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})?", re.ASCII)
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?", re.ASCII)
_ZONE = re.compile(r"Z|UTC|GMT|[A-Z]{2,5}|[+-]\d{2}:?\d{2}", re.IGNORECASE | re.ASCII)


def parse_date(value: str) -> PartialDate:
    """``yyyy``, ``yyyy-mm``, ``yyyy-mm-dd``, ``yyyymm``, ``yyyymmdd``, optionally
    followed by a time (``2016-08-21 12:38:57 -0500``, ``2016-08-21T12:38:57Z``),
    which is ignored.  Raises ValueError otherwise or for an impossible date."""
    tokens = value.strip().split()
    if tokens and "T" in tokens[0]:
        tokens[0:1] = tokens[0].split("T", 1)
    if not tokens or len(tokens) > 3:
        raise ValueError(f"not a date: {value!r}")
    if len(tokens) > 1 and not _TIME.fullmatch(tokens[1]):
        raise ValueError(f"not a date: {value!r}")
    if len(tokens) > 2 and not _ZONE.fullmatch(tokens[2]):
        raise ValueError(f"not a date: {value!r}")
    m = _DATE.fullmatch(tokens[0]) or _COMPACT.fullmatch(tokens[0])
    if m is None:
        raise ValueError(f"not a date: {value!r}")
    year = int(m[1])
    month = int(m[2]) if m[2] else None
    day = int(m[3]) if m[3] else None
    if not 1000 <= year <= 2100:
        raise ValueError(f"year out of range: {value!r}")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month out of range: {value!r}")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:  # type: ignore[arg-type]
        raise ValueError(f"day out of range: {value!r}")
    return PartialDate(year, month, day)


# --------------------------------------------------------------------------
# JEL codes and keywords

# The first letters the JEL classification uses (no S, T, U, V, W or X).
_JEL_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRYZ")
_JEL_SPLIT = re.compile(r"[,;:\s.]+")
_OLD_JEL = re.compile(r"\d{3}(?:[,;:\s.]+\d{3})*", re.ASCII)


def _jel_token(token: str) -> str:
    code = token.upper()
    if len(code) == 4 and code.endswith("0"):  # "D820" -> "D82", as ReDIF-perl does
        code = code[:3]
    digits = code[1:]
    if 1 <= len(code) <= 3 and code[0] in _JEL_LETTERS and (not digits or (digits.isascii() and digits.isdigit())):
        return code
    raise ValueError(f"invalid JEL code {token!r}")


def parse_jel(value: str) -> list[str]:
    """``"O31, R11; R58 O38"`` -> ``["O31", "R11", "R58", "O38"]``.

    Codes are a JEL letter and up to two digits, upper-cased and de-duplicated.
    Old numeric codes (``"312 421"``) are obsolete and give ``[]``, as in
    ReDIF-perl.  Raises ValueError naming the first bad token.
    """
    value = value.strip()
    if _OLD_JEL.fullmatch(value):
        return []
    out: dict[str, None] = {}  # a dict, not a list: linear in the tokens (issue 14)
    for token in dict.fromkeys(_JEL_SPLIT.split(value)):  # each token once
        if token:
            out[_jel_token(token)] = None
    return list(out)


def jel_codes_lenient(value: str) -> tuple[list[str], list[str]]:
    """(valid codes, bad tokens), each without repeats, in order: like parse_jel but keeps
    going past bad tokens."""
    value = value.strip()
    if _OLD_JEL.fullmatch(value):
        return [], []
    codes: dict[str, None] = {}
    bad: dict[str, None] = {}
    for token in dict.fromkeys(_JEL_SPLIT.split(value)):  # each token once
        if not token:
            continue
        try:
            codes[_jel_token(token)] = None
        except ValueError:
            bad[token] = None
    return list(codes), list(bad)


def split_keywords(value: str) -> list[str]:
    """Split on ``;`` if there is one, else on ``,``; strip, collapse white
    space, drop empties and case-insensitive duplicates (first spelling wins)."""
    sep = ";" if ";" in value else ","
    out: list[str] = []
    seen: set[str] = set()
    for part in value.split(sep):
        kw = clean(part)
        key = kw.casefold()
        if kw and key not in seen:
            seen.add(key)
            out.append(kw)
    return out


# --------------------------------------------------------------------------
# URLs, e-mail, DOI

_URL = re.compile(r"(?:https?|ftp)://[^\s/?#]+[^\s]*", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\".]+")
_DOI_PREFIX = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def check_url(value: str) -> str:
    """A URL starting with http://, https:// or ftp:// with a host; raises ValueError."""
    value = value.strip()
    if len(value.split()) != 1 or not _URL.fullmatch(value):
        raise ValueError(f"not an http, https or ftp URL: {value[:200]!r}")
    return value


def check_email(value: str) -> str:
    """Lightly checked: ``local@domain.tld``, an optional ``mailto:`` removed."""
    value = value.strip()
    if value[:7].lower() == "mailto:":
        value = value[7:].strip()
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        raise ValueError(f"not an e-mail address: {value[:200]!r}")
    return value


def normalise_doi(value: str) -> str:
    """``https://doi.org/10.1/x``, ``doi:10.1/x`` -> ``10.1/x``; raises ValueError."""
    value = _DOI_PREFIX.sub("", value.strip(), count=1).strip()
    if not value.startswith("10.") or "/" not in value or len(value.split()) != 1:
        raise ValueError(f"not a DOI: {value!r}")
    return value


# --------------------------------------------------------------------------
# small item fields

_MIME = re.compile(r"[a-z0-9][a-z0-9.+_-]*/[a-z0-9][a-z0-9.+_-]*")
_PUBSTAT = re.compile(r"(?:forthcoming|published)", re.IGNORECASE)


def check_mime(value: str) -> str:
    """A MIME type, lower-cased, parameters (``; charset=...``) and anything after
    a second slash dropped (as ReDIF-perl does); only its shape is checked."""
    v = "/".join(value.partition(";")[0].strip().lower().split("/")[:2])
    if not _MIME.fullmatch(v):
        raise ValueError(f"not a MIME type: {value.strip()!r}")
    return v


def check_year(value: str) -> str:
    v = value.strip()
    if not (len(v) == 4 and v.isascii() and v.isdigit() and 1000 <= int(v) <= 2100):
        raise ValueError(f"not a year: {v!r}")
    return v


def check_language(value: str) -> str:
    """An ISO 639-1 code (two letters, lower-cased); the list is not checked."""
    v = value.strip().lower()
    if not (len(v) == 2 and v.isascii() and v.isalpha()):
        raise ValueError(f"not an ISO 639-1 language code: {value.strip()!r}")
    return v


def check_pubstat(value: str) -> str:
    """Publication-Status must start with "published" or "forthcoming" (spec)."""
    v = clean(value)
    if not _PUBSTAT.match(v):
        raise ValueError("does not start with 'Published' or 'Forthcoming'")
    return v[:1].upper() + v[1:]
