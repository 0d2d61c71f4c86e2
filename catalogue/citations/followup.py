"""What follows new data: references matched, then the related items they can change.

Run after each import, upload or harvest (the queue's job `match-and-relate`, started by
`catalogue.changes.after_import`), and hourly to catch up; both steps are incremental: the
matcher reads only references never matched, and the related lists recomputed are those of the
items whose citations changed since `since`.
"""

from __future__ import annotations

import datetime

from .matching import match_references
from .related import changed_since, compute_related


def match_and_relate(since: datetime.datetime | None) -> str:
    """Match the references that need it, then recompute the related items of the items whose
    citations changed since `since` (every item's when None: the first run). A summary."""
    matched = match_references()
    changed = None if since is None else changed_since(since)
    if changed is not None and not changed:
        return f"{matched.summary()}; related items: nothing changed"
    related = compute_related(changed)
    return f"{matched.summary()}; {related.summary()}"
