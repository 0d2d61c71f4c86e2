"""ReDIF templates -> validated, typed records.  Pure standard library.

``to_record(t)`` returns ``(record, warnings)``, or raises :class:`ReDIFError`
when the template must be skipped: missing or invalid Handle, or a field the
ReDIF spec requires missing or invalid (Title and Author for items, Author or
Editor for books, Name and Maintainer-Email for series, Name, URL and
Maintainer-Email for archives, Name-Full (or name parts) for persons, a name
for institutions).  An optional field with a bad value (a date like
"January, 2001", a bad JEL code, URL or e-mail) is dropped and reported in the
warnings, each a ``ReDIFError`` with the field's own line; an over-long value
is truncated with a warning (limits in ``LIMITS``, matching the catalogue's
database columns).

The record types live in ``recordtypes``, value checks in ``values``, the
per-type builders in ``builders``; everything public is re-exported here.
"""

from __future__ import annotations

from .builders import BUILDERS
from .fields import Reader
from .parser import ReDIFError, Template
from .recordtypes import (
    ITEM_KINDS,
    LIMITS,
    ArchiveRecord,
    AuthorRecord,
    FileRecord,
    InstitutionRecord,
    ItemRecord,
    PersonRecord,
    Record,
    SeriesRecord,
    WorkplaceRecord,
)
from .values import (
    PartialDate,
    handle_parts,
    normalise_doi,
    normalise_handle,
    parse_date,
    parse_jel,
    split_keywords,
)

__all__ = [
    "ITEM_KINDS",
    "LIMITS",
    "ArchiveRecord",
    "AuthorRecord",
    "FileRecord",
    "InstitutionRecord",
    "ItemRecord",
    "PartialDate",
    "PersonRecord",
    "ReDIFError",
    "Record",
    "SeriesRecord",
    "WorkplaceRecord",
    "handle_parts",
    "normalise_doi",
    "normalise_handle",
    "parse_date",
    "parse_jel",
    "split_keywords",
    "to_record",
]


def to_record(t: Template) -> tuple[Record, list[ReDIFError]]:
    """Validate a template into a record and its warnings; raises ReDIFError
    (at the template's line, or the offending field's) to skip it."""
    build = BUILDERS.get(t.kind)
    if build is None:
        raise ReDIFError(t.path, t.line, f"unknown template type {t.kind!r}")
    r = Reader(t)
    record = build(r)
    return record, sorted(r.warnings, key=lambda w: w.line)
