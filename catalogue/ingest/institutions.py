"""ReDIF-Institution records into Institution rows, and the links that follow an import:
sub-institutions to their parent, affiliations to the institution their handle names.

Both links are set-based, so that they cost the same whichever order the files came in (a
department before its university, a person before their institution): a few statements per
import run, not one per row.
"""

from __future__ import annotations

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


def _path(levels: list[dict]) -> tuple[str, ...]:
    return tuple(" ".join(level.get("name", "").split()).casefold() for level in levels)


def link_parents() -> int:
    """Point every institution at the one whose levels are its own but the last (a department
    at its university), or at none; one read of (id, levels, parent) and one bulk update of
    those that change. Where two institutions have the same levels, the lower id is the parent."""
    rows = list(Institution.objects.order_by("id").values_list("id", "levels", "parent_id"))
    by_path: dict[tuple[str, ...], int] = {}
    for pk, levels, _ in rows:
        by_path.setdefault(_path(levels), pk)
    changed = []
    for pk, levels, parent_id in rows:
        path = _path(levels)
        found = by_path.get(path[:-1]) if len(path) > 1 else None
        if found == pk:
            found = None
        if found != parent_id:
            changed.append(Institution(pk=pk, parent_id=found))
    Institution.objects.bulk_update(changed, ["parent"], batch_size=1000)
    return len(changed)


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
