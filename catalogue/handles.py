"""RePEc handles: the one place for their rules. Pure standard library (the ReDIF reader
imports it too).

A handle is ``RePEc:<archive>[:<series>[:<item>]]`` (or a person's ``RePEc:per:...``, an
institution's ``RePEc:edi:...``). What the catalogue derives from one:

- its *key*, ``handle_key(h)``: stripped, lower case; every comparison and every lookup of a
  handle goes through it (``Item.handle_key``, ``HandleAlias.handle_key``, ``Claim.handle_key``);
- its *parts*, ``handle_parts(h)``: the archive, series and item codes as given;
- the *slug* of an item's address (``/p/<archive>/<series>/<slug>.html``), ``item_slug(h)``:
  the item code without colons, each ``/`` written ``-`` (as IDEAS writes them), lower case;
- the *keys* of its archive and series, ``archive_key(h)`` and ``series_key(h)``: the codes in
  lower case, as ``Archive.code`` and ``Series.code`` store them;
- the canonical form of the prefix, ``normalise_handle(h)`` (``repec:`` -> ``RePEc:``);
- for what a person types or requests: ``looks_like_handle(text)`` (a search box: a handle or
  words?) and ``repec_codes(h)`` (the lower-case codes, or None instead of an error).

The checkers the ReDIF reader applies to each kind of handle (``document_handle``,
``series_handle``, ``archive_handle``, ``person_handle``, ``institution_handle``) return the
handle with its prefix normalised; they, ``handle_parts`` and the key and slug helpers raise
``ValueError`` with a short message for a bad value.

A person's other identifier lives here too: ``normalise_orcid(v)`` gives an ORCID iD as
``0000-0002-1825-0097`` (its check digit checked) or raises ``ValueError``.
"""

from __future__ import annotations

import re

__all__ = [
    "archive_handle",
    "archive_key",
    "code_slug",
    "document_handle",
    "handle_key",
    "handle_parts",
    "institution_handle",
    "is_document_handle",
    "item_slug",
    "looks_like_handle",
    "normalise_handle",
    "normalise_orcid",
    "orcid_check_digit",
    "person_handle",
    "repec_codes",
    "series_handle",
    "series_key",
]


_PREFIXES = {"repec": "RePEc", "relis": "ReLIS", "mapin": "mapin"}
_CODE3 = re.compile(r"[A-Za-z0-9]{3}")
_CODE6 = re.compile(r"[A-Za-z0-9]{6}")
# The characters ReDIF allows in an item's own part of a document handle.
_ITEM = re.compile(r"""[!"%&'()*+,\-./:<>=?@\\_`{}~0-9A-Za-z]+""")
_SHORT_ID = re.compile(r"p[a-z]+\d+", re.IGNORECASE | re.ASCII)
_PERSON = re.compile(r"per:\d{4}-[01]\d-[0-3]\d:[A-Za-z0-9_.\-]+", re.ASCII)
_INSTITUTION = re.compile(r"[A-Za-z]{3}:[A-Za-z0-9]{7}")


def normalise_handle(h: str) -> str:
    """Strip and give the prefix its canonical case (``repec:abc`` ->
    ``RePEc:abc``); the rest is kept as given.  Compare handles by handle_key.
    Raises ValueError when there is no RePEc (or ReLIS, mapin) prefix or the
    handle contains white space."""
    h = h.strip()
    prefix, colon, rest = h.partition(":")
    canonical = _PREFIXES.get(prefix.lower())
    if canonical is None or not colon or not rest:
        raise ValueError(f"not a RePEc handle: {h!r}")
    if len(h.split()) != 1:
        raise ValueError(f"white space in handle: {h!r}")
    return f"{canonical}:{rest}"


def handle_parts(h: str) -> tuple[str, str, str]:
    """``"RePEc:ipt:iptwpa:jrc108028"`` -> ``("ipt", "iptwpa", "jrc108028")``.

    The item code is everything after the series with the colons removed, as in
    IDEAS URLs (``v:54:y:2020:i:10:p:1341-1353`` -> ``v54y2020i10p1341-1353``).
    A series handle gives ``(archive, series, "")`` and an archive handle
    ``(archive, "", "")``.  Codes are returned as given (not lower-cased).
    Raises ValueError for anything else.
    """
    parts = normalise_handle(h).split(":")
    archive = parts[1]
    if not _CODE3.fullmatch(archive):
        raise ValueError(f"bad archive code {archive!r} in handle {h!r}")
    if len(parts) == 2:
        return archive, "", ""
    series = parts[2]
    if not _CODE6.fullmatch(series):
        raise ValueError(f"bad series code {series!r} in handle {h!r}")
    if len(parts) == 3:
        return archive, series, ""
    item = ":".join(parts[3:])
    if not _ITEM.fullmatch(item):
        raise ValueError(f"bad item code {item!r} in handle {h!r}")
    return archive, series, item.replace(":", "")


def handle_key(h: str) -> str:
    """What handles are compared and looked up by: stripped, lower case
    (``" RePEc:IPT:iptwpa:JRC1 "`` -> ``"repec:ipt:iptwpa:jrc1"``). Never raises."""
    return h.strip().lower()


def looks_like_handle(text: str) -> bool:
    """Whether a typed text is meant as a handle (or its beginning): it starts with one of the
    prefixes normalise_handle accepts, in any case (``repec:``, ``ReLIS:``, ``mapin:``)."""
    return text.strip().lower().startswith(tuple(f"{prefix}:" for prefix in _PREFIXES))


def code_slug(code: str) -> str:
    """An item code as its address shows it: colons removed, each ``/`` written ``-``, lower case
    (``v:54:i:10:P:1`` -> ``v54i10p1``; ULB's ``2013/245817`` -> ``2013-245817``, as on IDEAS).
    ReDIF allows ``/`` in an item code, but an address segment cannot hold one."""
    return code.replace(":", "").replace("/", "-").lower()


def item_slug(h: str) -> str:
    """The last part of an item's address: its code as code_slug writes it
    (``RePEc:ipt:iptwpa:JRC108028`` -> ``jrc108028``; ``""`` for a series or archive handle).
    Raises ValueError for what is no handle."""
    return code_slug(handle_parts(h)[2])


def archive_key(h: str) -> str:
    """The archive code of a handle in lower case, as ``Archive.code`` stores it
    (``RePEc:IPT:iptwpa:x`` -> ``ipt``). Raises ValueError for what is no handle."""
    return handle_parts(h)[0].lower()


def series_key(h: str) -> tuple[str, str]:
    """The archive and series codes of a handle in lower case, as ``Series`` stores them
    (``RePEc:IPT:IPTWPA:x`` -> ``("ipt", "iptwpa")``; the series is ``""`` for an archive
    handle). Raises ValueError for what is no handle."""
    archive, series, _ = handle_parts(h)
    return archive.lower(), series.lower()


def repec_codes(h: str) -> tuple[str, str, str] | None:
    """The lower-case (archive, series, item) codes of a well-formed ``RePEc:`` handle, or None
    for anything else (a ReLIS or mapin handle, a malformed one): for looking up what a typed or
    requested handle names without raising."""
    try:
        canonical = normalise_handle(h)
        parts = handle_parts(canonical)
    except ValueError:
        return None
    if not canonical.startswith("RePEc:"):
        return None
    archive, series, item = parts
    return archive.lower(), series.lower(), code_slug(item)


def is_document_handle(h: str) -> bool:
    try:
        return bool(handle_parts(h)[2])
    except ValueError:
        return False


def person_handle(value: str) -> str:
    """A person's handle (``RePEc:per:1965-06-05:thomas_krichel``, prefix
    normalised) or RAS short-id (``pkr1``, lower-cased).  Raises ValueError."""
    value = value.strip()
    if _SHORT_ID.fullmatch(value):
        return value.lower()
    h = normalise_handle(value)
    if not _PERSON.fullmatch(h.split(":", 1)[1]):
        raise ValueError(f"not a person handle: {value!r}")
    return h


def institution_handle(value: str) -> str:
    """An EDIRC handle ``RePEc:edi:abcdefg`` (prefix normalised).  Raises ValueError."""
    h = normalise_handle(value)
    if not _INSTITUTION.fullmatch(h.split(":", 1)[1]):
        raise ValueError(f"not an institution handle: {value!r}")
    return h


def document_handle(h: str) -> str:
    """An item's handle (archive:series:item), prefix normalised; raises ValueError."""
    if not handle_parts(h)[2]:
        raise ValueError(f"not an item handle (RePEc:aaa:ssssss:item): {h.strip()!r}")
    return normalise_handle(h)


def series_handle(h: str) -> str:
    _, series, item = handle_parts(h)
    if not series or item:
        raise ValueError(f"not a series handle (RePEc:aaa:ssssss): {h.strip()!r}")
    return normalise_handle(h)


def archive_handle(h: str) -> str:
    if handle_parts(h)[1]:
        raise ValueError(f"not an archive handle (RePEc:aaa): {h.strip()!r}")
    return normalise_handle(h)


# -- ORCID iDs ---------------------------------------------------------------------------

_ORCID_PREFIX = re.compile(r"^(?:https?://(?:www\.|sandbox\.)?orcid\.org/|orcid:\s*)", re.IGNORECASE)
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")


def orcid_check_digit(digits: str) -> str:
    """The check character of the 15 base digits of an ORCID iD (ISO 7064 MOD 11-2)."""
    total = 0
    for d in digits:
        total = (total + int(d)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_orcid(value: str) -> str:
    """An ORCID iD as ``0000-0002-1825-0097``: ``https://orcid.org/...`` and ``orcid:`` prefixes
    dropped, a lower-case ``x`` raised; the form and the check digit (ISO 7064 MOD 11-2)
    checked; raises ValueError."""
    v = _ORCID_PREFIX.sub("", value.strip(), count=1).strip().upper()
    if not _ORCID.fullmatch(v):
        raise ValueError(f"not an ORCID iD (0000-0000-0000-000X): {value.strip()[:60]!r}")
    digits = v.replace("-", "")
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValueError(f"not an ORCID iD: the check digit of {v} is wrong")
    return v
