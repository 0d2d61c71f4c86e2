"""ReDIF-Institution records into Institution rows, and the links that follow an import:
sub-institutions to their parent, affiliations to the institution their handle names.

Both links are set-based, so that they cost the same whichever order the files came in (a
department before its university, a person before their institution): a few statements per
import run, not one per row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Lower, Trim

from ..handles import handle_key
from ..models import Affiliation, Institution
from ..redif.records import InstitutionRecord


def institution_values(r: InstitutionRecord) -> dict[str, Any]:
    """The row's values (all but the keys and the parent, linked by `link_parents`)."""
    levels = [{"name": name, **({"en": english} if english and english != name else {})} for name, english in r.levels]
    names = " / ".join(dict.fromkeys(n for level in levels for n in level.values()))
    return {
        "handle": r.handle, "code": r.handle.rsplit(":", 1)[-1].lower(), "name": r.name_english or r.name,
        "levels": levels, "all_names": names[:2000], "location": r.location, "country": r.country,
        "homepage": r.homepage, "email": r.email, "postal": r.postal,
    }  # fmt: skip


def key_of(r: InstitutionRecord) -> str:
    return handle_key(r.handle)


def values_fingerprint(values: dict[str, Any]) -> str:
    """A hash of what a template gives (institution_values): the row keeps it, so that the
    template imported again unchanged leaves the corrections staff made in the admin, and a
    changed one (EDIRC's own correction) replaces them, as an archive's items are treated."""
    encoded = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(encoded.encode(), digest_size=16).hexdigest()


def _path(levels: list[dict]) -> tuple[str, ...]:
    return tuple(" ".join(level.get("name", "").split()).casefold() for level in levels)


def link_parents(written: Collection[str] | None = None) -> int:
    """Point institutions at the one whose levels are their own but the last (a department at
    its university), or at none; one read of (id, levels, parent) and one bulk update of those
    that change. Where two institutions have the same levels, the lower id is the parent.

    `written`: the handle keys a run wrote (None: every institution). Only their parents, and
    the parents of those whose parent by levels is one of them (a department imported before
    its university), are derived again: a parent staff set in the admin stays through the
    imports of other institutions. No link is made that would close a cycle with one set there."""
    rows = list(Institution.objects.order_by("id").values_list("id", "levels", "parent_id", "handle_key"))
    by_path: dict[tuple[str, ...], int] = {}
    for pk, levels, _, _ in rows:
        by_path.setdefault(_path(levels), pk)
    parents: dict[int, int | None] = {pk: parent_id for pk, _, parent_id, _ in rows}
    fresh = {pk for pk, _, _, key in rows if key in written} if written is not None else set(parents)
    changed = []
    for pk, levels, parent_id, _ in rows:
        path = _path(levels)
        found = by_path.get(path[:-1]) if len(path) > 1 else None
        if found == pk:
            found = None
        if found != parent_id and (pk in fresh or found in fresh) and not _above(found, pk, parents):
            parents[pk] = found
            changed.append(Institution(pk=pk, parent_id=found))
    Institution.objects.bulk_update(changed, ["parent"], batch_size=1000)
    return len(changed)


def _above(start: int | None, pk: int, parents: dict[int, int | None]) -> bool:
    """Whether `pk` is `start` or above it in `parents` (so that `start` cannot be its parent)."""
    seen = set()
    while start is not None and start not in seen:
        if start == pk:
            return True
        seen.add(start)
        start = parents.get(start)
    return False


def link_affiliations() -> set[int]:
    """Affiliations that name an EDIRC handle but no imported institution yet point at it once
    it is imported (one UPDATE); those still unknown stay as they are, their handle kept.
    Returns the persons of those linked (one query before), whose works join the institutions'
    lists."""
    found = Institution.objects.filter(handle_key=Lower(Trim(OuterRef("institution")))).values("pk")[:1]
    unlinked = Affiliation.objects.filter(institution_ref__isnull=True).exclude(institution="")
    persons = set(unlinked.filter(Exists(found)).values_list("person_id", flat=True).distinct())
    if persons:
        unlinked.update(institution_ref=Subquery(found))
    return persons
